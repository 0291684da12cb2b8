import { beforeAll, describe, expect, it } from "vitest";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import { DEFAULT_COMMUNE_LABEL } from "../../functions/src/domain/office.js";
import type { OfficeReview } from "../../functions/src/domain/review.js";
import type { School } from "../../functions/src/domain/school.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import {
  headerMatches,
  locateColumns,
  readRegistry,
  readTracking,
  type SnapshotTab,
  schoolChanged,
} from "../../functions/src/domain/sheet-readback.js";
import { type Cell, type ColumnModel, tabColumns } from "../../functions/src/domain/tracking-workbook.js";
import { defaultSet, SCHOOLS } from "../kit/index.js";

const set = defaultSet();
let layout: SheetLayout;
let tracking: ColumnModel[];
let registry: ColumnModel[];
beforeAll(async () => {
  layout = await loadSheetLayout();
  tracking = tabColumns(layout, "tracking", set, DEFAULT_COMMUNE_LABEL);
  registry = tabColumns(layout, "registry", set, DEFAULT_COMMUNE_LABEL);
});

const snapshotTab = (values: Cell[][]): SnapshotTab => ({
  rowCount: values.length + 100,
  columnCount: Math.max(0, ...values.map((r) => r.length)),
  values,
});

/** A sheet row built from cells by header; other columns empty. */
const rowBy = (headers: readonly string[], cells: Record<string, Cell>): Cell[] =>
  headers.map((h) => cells[h] ?? null);

const KNOWN = new Set(["T-MN1", "T-TH1", "T-CS1"]);
const NONE = new Map<string, OfficeReview>();

describe("locateColumns and headerMatches", () => {
  const columns = (headers: string[]): ColumnModel[] =>
    headers.map((header, i) => ({
      field: `f${i}`,
      header,
      width: 100,
      format: "text",
      owner: "system",
      wrap: false,
    }));

  it("finds each field by its header text wherever the column is, and leaves out missing ones", () => {
    const located = locateColumns(columns(["Mã trường", "Tên trường", "Ghi chú"]), [
      "Ghi chú",
      null,
      " Mã  trường ",
      "Tên trường",
      "Mã trường",
    ]);
    expect(located).toEqual(
      new Map([
        ["f0", 2], // the first matching header wins; spacing as typed does not matter
        ["f1", 3],
        ["f2", 0],
      ]),
    );
    expect(locateColumns(columns(["Mã trường", "Email"]), ["Mã trường"]).has("f1")).toBe(false);
  });

  it("matches a header only when every configured column is in its place", () => {
    const cols = columns(["A", "B", "C"]);
    expect(headerMatches(cols, ["A", "B", "C"])).toBe(true);
    expect(headerMatches(cols, ["A", "B", "C", "extra typed by the office"])).toBe(true);
    expect(headerMatches(cols, ["A", "C", "B"])).toBe(false);
    expect(headerMatches(cols, ["A", "B"])).toBe(false);
    expect(headerMatches(cols, undefined)).toBe(false);
  });
});

describe("readTracking", () => {
  const headers = () => tracking.map((c) => c.header);

  it("reads the notes of known schools, and never a verdict: that comes from the inspection", () => {
    const h = headers();
    const result = readTracking(
      tracking,
      snapshotTab([
        h,
        rowBy(h, { "Mã trường": "T-MN1", "Kết quả kiểm tra": "Không đạt", "Ghi chú của phòng": "Thiếu sổ" }),
        rowBy(h, { "Mã trường": "T-TH1", "Kết quả kiểm tra": "Đạt" }),
        rowBy(h, { "Mã trường": "T-CS1", "Ghi chú của phòng": "  tốt   lắm " }),
      ]),
      KNOWN,
      NONE,
    );
    expect(result.reviews).toEqual(
      new Map([
        ["T-MN1", { note: "Thiếu sổ" }],
        ["T-TH1", { note: "" }],
        ["T-CS1", { note: "tốt lắm" }],
      ]),
    );
    expect(result.stray).toEqual([]);
  });

  it("finds the note column by header when the office moved it", () => {
    const h = headers();
    const moved = ["Ghi chú của phòng", ...h.filter((x) => x !== "Ghi chú của phòng")];
    const result = readTracking(
      tracking,
      snapshotTab([moved, rowBy(moved, { "Mã trường": "T-TH1", "Ghi chú của phòng": "ok" })]),
      KNOWN,
      NONE,
    );
    expect(result.reviews.get("T-TH1")).toEqual({ note: "ok" });
  });

  it("takes an empty cell as no note, even over an earlier one", () => {
    const h = headers();
    const result = readTracking(
      tracking,
      snapshotTab([h, rowBy(h, { "Mã trường": "T-TH1" })]),
      KNOWN,
      new Map([["T-TH1", { note: "cũ" }]]),
    );
    expect(result.reviews.get("T-TH1")).toEqual({ note: "" });
  });

  it("keeps the previous note when the tab has no note column", () => {
    const h = headers().filter((x) => x !== "Ghi chú của phòng");
    const result = readTracking(
      tracking,
      snapshotTab([h, rowBy(h, { "Mã trường": "T-TH1" })]),
      KNOWN,
      new Map([["T-TH1", { note: "cũ" }]]),
    );
    expect(result.reviews.get("T-TH1")).toEqual({ note: "cũ" });
  });

  it("returns rows of unknown codes as stray rows, in the configured column order", () => {
    const h = headers();
    const moved = [h[1] as string, h[0] as string, ...h.slice(2)];
    const result = readTracking(
      tracking,
      snapshotTab([
        moved,
        rowBy(moved, {
          "Mã trường": "T-OLD",
          "Tên trường": "Trường đã giải thể",
          "Ghi chú của phòng": "đã sáp nhập",
        }),
        [],
        rowBy(moved, { "Mã trường": "T-TH1" }),
      ]),
      KNOWN,
      NONE,
    );
    expect(result.stray).toEqual([
      rowBy(h, {
        "Mã trường": "T-OLD",
        "Tên trường": "Trường đã giải thể",
        "Ghi chú của phòng": "đã sáp nhập",
      }),
    ]);
    expect([...result.reviews.keys()]).toEqual(["T-TH1"]);
  });

  it("counts the first row of a school copied twice", () => {
    const h = headers();
    const result = readTracking(
      tracking,
      snapshotTab([
        h,
        rowBy(h, { "Mã trường": "T-TH1", "Ghi chú của phòng": "một" }),
        rowBy(h, { "Mã trường": "T-TH1", "Ghi chú của phòng": "hai" }),
      ]),
      KNOWN,
      NONE,
    );
    expect(result.reviews.get("T-TH1")?.note).toBe("một");
  });

  it("reads nothing from a missing tab, an empty tab or a tab without the code column", () => {
    const empty = { reviews: new Map(), stray: [], typed: new Map(), problems: [] };
    expect(readTracking(tracking, undefined, KNOWN, NONE)).toEqual(empty);
    expect(readTracking(tracking, snapshotTab([[]]), KNOWN, NONE)).toEqual(empty);
    const h = headers().filter((x) => x !== "Mã trường");
    expect(
      readTracking(tracking, snapshotTab([h, rowBy(h, { "Ghi chú của phòng": "x" })]), KNOWN, NONE),
    ).toEqual(empty);
  });
});

describe("readRegistry", () => {
  const headers = () => registry.map((c) => c.header);
  const row = (
    code: string,
    name: string,
    level: string,
    commune: string,
    ownership: string,
    emails: string,
  ) => [code, name, level, commune, ownership, emails] as Cell[];

  it("returns the valid schools, reading level labels and email lists as people type them", () => {
    const result = readRegistry(
      layout,
      registry,
      snapshotTab([
        headers(),
        row("T-TH2", "Trường Tiểu học Lê Lợi", "Tiểu học", "Phú Xuân", "Công lập", "a@x.vn; B@x.vn, c@x.vn"),
        row("T-MN2", " Trường  Mầm non Họa Mi ", "MN", "Nhơn Đức", "Tư thục", "mn2@x.vn"),
      ]),
    );
    expect(result?.schools).toEqual([
      {
        code: "T-TH2",
        name: "Trường Tiểu học Lê Lợi",
        levels: ["tieu-hoc"],
        commune: "Phú Xuân",
        ownership: "cong-lap",
        emails: ["a@x.vn", "b@x.vn", "c@x.vn"],
      },
      {
        code: "T-MN2",
        name: "Trường Mầm non Họa Mi",
        levels: ["mam-non"],
        commune: "Nhơn Đức",
        ownership: "ngoai-cong-lap",
        emails: ["mn2@x.vn"],
      },
    ]);
    // The rows keep what was typed, untouched, and have no problem.
    expect(result?.rows.map((r) => [r.code, r.cells.name, r.problem])).toEqual([
      ["T-TH2", "Trường Tiểu học Lê Lợi", undefined],
      ["T-MN2", " Trường  Mầm non Họa Mi ", undefined],
    ]);
  });

  it("keeps an invalid row as typed, with a Vietnamese problem naming the column", () => {
    const result = readRegistry(
      layout,
      registry,
      snapshotTab([headers(), row("T-X", "Trường X", "Đại học", "Phú Xuân", "Công lập", "khong-phai-email")]),
    );
    expect(result?.schools).toEqual([]);
    expect(result?.rows).toHaveLength(1);
    const problem = result?.rows[0]?.problem ?? "";
    expect(problem).toMatch(/^Chưa dùng được dòng này\. /u);
    expect(problem).toContain("Cấp học: Cấp học không hợp lệ: “Đại học”");
    expect(problem).toContain("Email liên hệ: email không hợp lệ");
    expect(result?.rows[0]?.cells.level).toBe("Đại học");
  });

  it("refuses a code Firestore cannot store, with the reason beside it, and keeps the other rows", () => {
    const result = readRegistry(
      layout,
      registry,
      snapshotTab([
        headers(),
        row("..", "Trường B", "THCS", "Phú Xuân", "Công lập", "b@x.vn"),
        row("T-C", "Trường C", "THCS", "Phú Xuân", "Công lập", "c@x.vn"),
        row("__x__", "Trường D", "THCS", "Phú Xuân", "Công lập", "d@x.vn"),
      ]),
    );
    expect(result?.schools.map((s) => s.code)).toEqual(["T-C"]);
    expect(result?.rows.map((r) => [r.code, r.problem])).toEqual([
      ["..", "Chưa dùng được dòng này. Mã trường: mã trường phải có ít nhất một chữ hoặc số"],
      ["T-C", undefined],
      ["__x__", expect.stringContaining("Mã trường: mã trường không được vừa bắt đầu vừa kết thúc bằng")],
    ]);
  });

  it("refuses a second row with the same code, naming the sheet row of the first", () => {
    const result = readRegistry(
      layout,
      registry,
      snapshotTab([
        headers(),
        row("T-A", "Trường A", "THCS", "Phú Xuân", "Công lập", "a@x.vn"),
        [],
        row("T-A", "Trường A bản sao", "THCS", "Phú Xuân", "Công lập", "a2@x.vn"),
      ]),
    );
    expect(result?.schools.map((s) => s.name)).toEqual(["Trường A"]);
    expect(result?.rows[1]).toMatchObject({
      code: "T-A",
      problem: 'Mã trường "T-A" trùng với dòng 2; dòng này không được dùng',
    });
  });

  it("skips empty rows, including rows with only the check column left over", () => {
    const result = readRegistry(
      layout,
      registry,
      snapshotTab([
        headers(),
        [],
        // Issue 14: the check column comes after the head's name and the phone.
        [null, "", " ", null, null, null, null, "", "Hợp lệ"],
        row("T-A", "Trường A", "THCS", "Phú Xuân", "Công lập", "a@x.vn"),
      ]),
    );
    expect(result?.rows.map((r) => r.code)).toEqual(["T-A"]);
  });

  it("reads the columns by header when the office reordered them", () => {
    const h = headers();
    const reordered = [h[5], h[4], h[3], h[2], h[1], h[0]] as string[];
    const result = readRegistry(
      layout,
      registry,
      snapshotTab([reordered, ["a@x.vn", "Công lập", "Phú Xuân", "THCS", "Trường A", "T-A"]]),
    );
    expect(result?.schools[0]).toMatchObject({ code: "T-A", name: "Trường A", levels: ["thcs"] });
  });

  it("cannot read the tab when a required column is missing, or the tab is missing", () => {
    const h = headers().filter((x) => x !== "Email liên hệ");
    expect(
      readRegistry(layout, registry, snapshotTab([h, ["T-A", "Trường A", "THCS", "Phú Xuân", "Công lập"]])),
    ).toBeUndefined();
    expect(readRegistry(layout, registry, undefined)).toBeUndefined();
    expect(readRegistry(layout, registry, snapshotTab([]))).toBeUndefined();
  });

  it("reads the head's name and the phone, normalising the phone, and refuses a phone that is not one", () => {
    const h = headers();
    const result = readRegistry(
      layout,
      registry,
      snapshotTab([
        h,
        rowBy(h, {
          "Mã trường": "T-A",
          "Tên trường": "Trường A",
          "Cấp học": "THCS",
          [DEFAULT_COMMUNE_LABEL]: "Phú Xuân",
          "Loại hình": "Công lập",
          "Email liên hệ": "a@x.vn",
          "Hiệu trưởng": " Nguyễn  Thị Mẫu ",
          // A number a spreadsheet stored as a number: its leading 0 is gone.
          "Điện thoại": 2838731234,
        }),
        rowBy(h, {
          "Mã trường": "T-B",
          "Tên trường": "Trường B",
          "Cấp học": "THCS",
          [DEFAULT_COMMUNE_LABEL]: "Phú Xuân",
          "Loại hình": "Công lập",
          "Email liên hệ": "b@x.vn",
          "Điện thoại": "1234",
        }),
      ]),
    );
    expect(result?.schools).toEqual([
      expect.objectContaining({ code: "T-A", head: "Nguyễn Thị Mẫu", phone: "028 3873 1234" }),
    ]);
    expect(result?.rows[0]?.cells).toMatchObject({ head: " Nguyễn  Thị Mẫu ", phone: 2838731234 });
    expect(result?.rows[1]?.problem).toContain('Điện thoại: số điện thoại không hợp lệ: "1234"');
  });

  it("reads a tab without the head and phone columns, keeping each school's from the registry", () => {
    const h = headers().filter((x) => x !== "Hiệu trưởng" && x !== "Điện thoại");
    const stored = {
      code: "T-A",
      name: "Trường A",
      levels: ["thcs" as const],
      commune: "Phú Xuân",
      ownership: "cong-lap" as const,
      emails: ["a@x.vn"],
      head: "Nguyễn Thị Mẫu",
      phone: "0912 345 678",
    };
    const result = readRegistry(
      layout,
      registry,
      snapshotTab([
        h,
        row("T-A", "Trường A đổi tên", "THCS", "Phú Xuân", "Công lập", "a@x.vn"),
        row("T-N", "Trường mới", "THCS", "Phú Xuân", "Công lập", "n@x.vn"),
      ]),
      new Map([["T-A", stored]]),
    );
    expect(result?.schools).toEqual([
      { ...stored, name: "Trường A đổi tên" },
      {
        code: "T-N",
        name: "Trường mới",
        levels: ["thcs"],
        commune: "Phú Xuân",
        ownership: "cong-lap",
        emails: ["n@x.vn"],
      },
    ]);
    // The rows carry them too, so the tab written back shows them.
    expect(result?.rows[0]?.cells).toMatchObject({ head: "Nguyễn Thị Mẫu", phone: "0912 345 678" });
    expect(result?.rows[1]?.cells).toMatchObject({ head: null, phone: null });
  });

  it("counts a change of the head's name or the phone as a change of the school", () => {
    const a = SCHOOLS[1] as School;
    expect(schoolChanged(a, { ...a })).toBe(false);
    expect(schoolChanged(a, { ...a, head: "Nguyễn Thị Mẫu" })).toBe(true);
    expect(schoolChanged({ ...a, phone: "0912 345 678" }, a)).toBe(true);
    expect(schoolChanged({ ...a, phone: "0912 345 678" }, { ...a, phone: "0912 345 678" })).toBe(false);
  });

  it("does not read a registry tab the layout keeps for the system only", () => {
    const systemOnly: SheetLayout = {
      ...layout,
      tabs: {
        ...layout.tabs,
        registry: {
          ...layout.tabs.registry,
          columns: layout.tabs.registry.columns.map((c) => ({ ...c, owner: "system" as const })),
        },
      },
    };
    const tab = snapshotTab([headers(), row("T-A", "Trường A", "THCS", "Phú Xuân", "Công lập", "a@x.vn")]);
    expect(readRegistry(layout, registry, tab)).toBeDefined();
    expect(readRegistry(systemOnly, registry, tab)).toBeUndefined();
  });
});
