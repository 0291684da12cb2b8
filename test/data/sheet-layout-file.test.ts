import { describe, expect, it } from "vitest";
import { DataFileError } from "../../functions/src/data/errors.js";
import { loadSheetLayout, parseSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import { TAB_KEYS } from "../../functions/src/domain/sheet-layout.js";

/** A small layout that is valid: every tab, few columns, defaults left out. */
const VALID = `title: "Theo dõi năm học {schoolYear} - {place}"
formats: {}
header: { background: "#1F4E79", color: "#FFFFFF" }
x-verdict-colors: &verdict-colors
  Đạt: "#B6D7A8"
  Không đạt: "#EA9999"
tabs:
  overview:
    title: Tổng quan
    chartTitle: Tình trạng theo cấp học
    columns:
      - { field: group, header: Nhóm }
      - { field: schools, header: Số trường, format: integer }
  tracking:
    title: Theo dõi
    color: "#38761D"
    columns:
      - { field: code, header: Mã trường }
      - { field: name, header: Tên trường }
      - { field: status, header: Tình trạng }
      - { field: points, header: Tổng điểm, format: decimal }
      - field: verdict
        header: Kết quả kiểm tra
        owner: office
        choices: [Chưa kiểm tra, Đạt, Không đạt]
        colors: *verdict-colors
  registry:
    title: Danh sách trường
    columns:
      - { field: code, header: Mã trường }
      - { field: name, header: Tên trường }
  criteria:
    title: Tiêu chí
    columns:
      - { field: criterion, header: Tiêu chí }
  log:
    title: Nhật ký
    columns:
      - { field: time, header: Thời gian, format: datetime }
`;

/** The valid layout with one piece of text replaced: a slip of the hand in an office's copy. */
const broken = (find: string, replace: string): string => {
  if (!VALID.includes(find)) throw new Error(`fixture text not found: ${find}`);
  return VALID.replace(find, replace);
};

/** 1-based line of the first occurrence of `find`. */
const lineOf = (text: string, find: string): number => {
  const at = text.indexOf(find);
  if (at < 0) throw new Error(`text not found: ${find}`);
  return text.slice(0, at).split("\n").length;
};

const errorOf = (text: string): DataFileError => {
  try {
    parseSheetLayout(text, "x.yaml");
  } catch (error) {
    if (error instanceof DataFileError) return error;
    throw error;
  }
  throw new Error("expected the layout to be refused");
};

describe("the shipped tracking-sheet layout", () => {
  it("loads, with its thirteen tabs titled in Vietnamese", async () => {
    const layout = await loadSheetLayout();
    expect(Object.keys(layout.tabs)).toEqual([...TAB_KEYS]);
    expect(TAB_KEYS.map((key) => layout.tabs[key]?.title)).toEqual([
      "Tổng quan",
      "Điều khiển",
      "Theo dõi",
      "Lịch kiểm tra",
      "Kiểm tra",
      "Quyết định công nhận",
      "Báo cáo",
      "Lịch",
      "Gia hạn",
      "Đôn đốc",
      "Danh sách trường",
      "Tiêu chí",
      "Nhật ký",
      "Hướng dẫn",
    ]);
    expect(layout.timeZone).toBe("Asia/Ho_Chi_Minh");
  });

  it("shows the inspection's verdict in Theo dõi (the office types there only its approval, the notice's number and its note)", async () => {
    const { columns } = (await loadSheetLayout()).tabs.tracking;
    expect(columns.find((c) => c.field === "verdict")).toMatchObject({
      header: "Kết quả kiểm tra",
      owner: "system",
    });
    expect(
      columns.filter((c) => c.owner === "office").map((c) => c.field),
      "office columns of Theo dõi",
    ).toEqual(["approve", "number", "note"]);
  });

  it("has the inspection tabs: the plan and findings typed by the office from dropdowns, the rest protected", async () => {
    const { tabs } = await loadSheetLayout();
    const office = (key: "schedule" | "inspection" | "decision") =>
      tabs[key]?.columns.filter((c) => c.owner === "office").map((c) => c.field);
    expect(office("schedule")).toEqual(["teamName", "team", "date", "time", "place", "commend"]);
    expect(office("inspection")).toEqual(["finding", "reason"]);
    expect(office("decision")).toEqual(["number", "date"]);
    expect(tabs.inspection?.columns.find((c) => c.field === "finding")?.choices).toEqual([
      "Xác nhận",
      "Không xác nhận",
    ]);
    // The team reads the school's own answer and evidence from the same row.
    expect(tabs.inspection?.columns.map((c) => c.field)).toEqual(
      expect.arrayContaining(["answer", "evidence"]),
    );
  });

  it("prints the five wide tabs landscape, heads commune columns from the office profile, and keeps the head and phone in the registry", async () => {
    const { tabs } = await loadSheetLayout();
    expect(
      TAB_KEYS.filter((key) => tabs[key]?.print?.orientation === "landscape").map((key) => tabs[key]?.title),
    ).toEqual(["Theo dõi", "Lịch kiểm tra", "Kiểm tra", "Đôn đốc", "Danh sách trường"]);
    for (const key of ["tracking", "schedule", "chase", "registry"] as const)
      expect(tabs[key]?.columns.find((c) => c.field === "commune")?.header, key).toBe("{commune}");
    expect(tabs.overview.columns[0]?.header).toBe("Cấp học, {communeLower}");
    expect(
      tabs.registry.columns
        .filter((c) => c.field === "head" || c.field === "phone")
        .map((c) => [c.header, c.owner]),
    ).toEqual([
      ["Hiệu trưởng", "office"],
      ["Điện thoại", "office"],
    ]);
  });

  it("reads a layout saved before the inspection: the typed verdict column becomes the inspection's, no inspection tabs", () => {
    const layout = parseSheetLayout(VALID, "old.yaml");
    expect(layout.tabs.tracking.columns.find((c) => c.field === "verdict")).toMatchObject({
      owner: "system",
      colors: { Đạt: "#B6D7A8" },
    });
    expect(layout.tabs.tracking.columns.find((c) => c.field === "verdict")?.choices).toBeUndefined();
    expect(layout.tabs.schedule).toBeUndefined();
  });

  it("resolves the shared status colours (a YAML anchor under an x- key) into the status column", async () => {
    const status = (await loadSheetLayout()).tabs.tracking.columns.find((c) => c.field === "status");
    expect(status?.colors).toMatchObject({ "Chờ kiểm tra": "#CFE2F3", "Chưa đăng ký": "#EFEFEF" });
  });
});

describe("parsing a layout", () => {
  it("fills in the defaults a person may leave out", () => {
    const layout = parseSheetLayout(VALID, "x.yaml");
    expect(layout.locale).toBe("vi_VN");
    expect(layout.formats.percent).toBe("0.0%");
    expect(layout.tabs.log.maxRows).toBe(300);
    expect(layout.tabs.tracking.frozenRows).toBe(1);
    expect(layout.tabs.tracking.columns[0]).toEqual({
      field: "code",
      header: "Mã trường",
      width: 120,
      format: "text",
      owner: "system",
      wrap: false,
    });
  });

  it("reads a layout saved before the school's path: its old status counts become the steps that replaced them", () => {
    const old = broken(
      "      - { field: schools, header: Số trường, format: integer }\n",
      "      - { field: schools, header: Số trường, format: integer }\n      - { field: dien-hinh, header: Điển hình, format: integer }\n      - { field: chua-nop, header: Chưa nộp }\n",
    );
    const columns = parseSheetLayout(old, "x.yaml").tabs.overview.columns.map((c) => [c.field, c.header]);
    expect(columns.slice(2)).toEqual([
      ["cho-kiem-tra", "Chờ kiểm tra"],
      ["chua-dang-ky", "Chưa đăng ký"],
    ]);
  });

  it("ignores top-level x- keys, which only hold YAML anchors, but not other unknown keys", () => {
    const withExtension = broken("tabs:\n", "x-unused:\n  width: &w 90\ntabs:\n");
    expect(parseSheetLayout(withExtension, "x.yaml")).not.toHaveProperty("x-unused");
    expect(parseSheetLayout(withExtension, "x.yaml")).not.toHaveProperty("x-verdict-colors");
    const verdict = parseSheetLayout(VALID, "x.yaml").tabs.tracking.columns.find(
      (c) => c.field === "verdict",
    );
    expect(verdict?.colors).toEqual({ Đạt: "#B6D7A8", "Không đạt": "#EA9999" });
    expect(() => parseSheetLayout(broken("tabs:\n", "extra: 1\ntabs:\n"), "x.yaml")).toThrow(DataFileError);
  });

  it.each([
    [
      "an unknown field for the tab",
      "{ field: points, header: Tổng điểm, format: decimal }",
      "{ field: diem, header: Tổng điểm, format: decimal }",
      "tabs.tracking.columns[3].field",
      'trường "diem" không có ở trang này',
      "field: diem",
    ],
    [
      "a header used twice in a tab",
      "{ field: points, header: Tổng điểm, format: decimal }",
      "{ field: points, header: Tên trường, format: decimal }",
      "tabs.tracking.columns[3].header",
      'tiêu đề "Tên trường" bị lặp',
      "field: points",
    ],
    [
      "a system field declared as typed by the office",
      "{ field: status, header: Tình trạng }",
      "{ field: status, header: Tình trạng, owner: office }",
      "tabs.tracking.columns[2].owner",
      'cột "Tình trạng" do hệ thống ghi: owner phải là system',
      "field: status",
    ],
    [
      "a dropdown on a system column",
      "{ field: status, header: Tình trạng }",
      "{ field: status, header: Tình trạng, choices: [Chờ kiểm tra, Đạt] }",
      "tabs.tracking.columns[2].choices",
      "danh sách chọn chỉ dùng cho cột văn phòng nhập",
      "field: status",
    ],
    [
      "a colour that is a name, not #RRGGBB",
      'color: "#38761D"',
      "color: green",
      "tabs.tracking.color",
      "màu dạng #RRGGBB",
      "color: green",
    ],
    [
      "two tabs with the same title",
      "title: Nhật ký",
      "title: Tiêu chí",
      "tabs.log.title",
      'tên trang "Tiêu chí" bị trùng',
      "title: Tiêu chí\n    columns:\n      - { field: time",
    ],
    [
      "a print orientation other than landscape or portrait",
      'color: "#38761D"\n',
      'color: "#38761D"\n    print: { orientation: ngang }\n',
      "tabs.tracking.print.orientation",
      "hướng in là landscape (khổ ngang) hoặc portrait (khổ dọc)",
      "print: { orientation: ngang }",
    ],
    [
      "a tab title with a colon",
      "title: Theo dõi\n",
      'title: "Theo dõi: năm học"\n',
      "tabs.tracking.title",
      "tên trang không được có",
      'title: "Theo dõi: năm học"',
    ],
    [
      "Theo dõi without the school code column",
      "      - { field: code, header: Mã trường }\n      - { field: name, header: Tên trường }\n      - { field: status",
      "      - { field: name, header: Tên trường }\n      - { field: status",
      "tabs.tracking.columns",
      "cần có cột mã trường (field: code)",
      // The columns list as a whole: its line is that of its first item.
      "- { field: name, header: Tên trường }\n      - { field: status",
    ],
  ])("refuses %s, in Vietnamese, naming the place and the line", (_, find, replace, path, message, at) => {
    const text = broken(find, replace);
    const error = errorOf(text);
    expect(error.file).toBe("x.yaml");
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path, line: lineOf(text, at) });
    expect(error.issues[0]?.message).toContain(message);
    expect(error.message).toContain("Tệp bố cục bảng theo dõi x.yaml không hợp lệ:");
    expect(error.message).toContain(`${path} (dòng ${lineOf(text, at)}): `);
  });

  it("refuses a finding column without its dropdown, and an inspection tab missing a column it reads", () => {
    const withInspection = VALID.replace(
      "  registry:\n",
      "  inspection:\n    title: Kiểm tra\n    columns:\n      - { field: code, header: Mã trường }\n" +
        "      - { field: finding, header: Kết quả, owner: office }\n  registry:\n",
    );
    const error = errorOf(withInspection);
    expect(error.issues.map((i) => i.message)).toEqual([
      "cột kết quả kiểm tra cần danh sách chọn (choices): Xác nhận, Không xác nhận",
      'trang "Kiểm tra" cần có các cột: indicator, reason',
    ]);
  });

  it("refuses a registry the office edits unless it has every column of a school", () => {
    const error = errorOf(
      broken(
        "      - { field: code, header: Mã trường }\n      - { field: name, header: Tên trường }\n  criteria",
        "      - { field: code, header: Mã trường, owner: office }\n      - { field: name, header: Tên trường }\n  criteria",
      ),
    );
    expect(error.issues[0]?.path).toBe("tabs.registry.columns");
    expect(error.issues[0]?.message).toContain(
      "phải có đủ các cột: code, name, level, commune, ownership, emails",
    );
  });
});
