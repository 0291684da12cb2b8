import { beforeAll, describe, expect, it } from "vitest";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import type { Stage } from "../../functions/src/domain/criteria.js";
import type { IntakeContext, IntakeOutcome } from "../../functions/src/domain/intake.js";
import { readResponse } from "../../functions/src/domain/intake-guard.js";
import type { SchoolLevel } from "../../functions/src/domain/levels.js";
import type { LogEvent } from "../../functions/src/domain/log.js";
import type { School } from "../../functions/src/domain/school.js";
import {
  applyOutcome,
  deriveSchoolState,
  type SchoolState,
} from "../../functions/src/domain/school-state.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import {
  buildWorkbook,
  type Cell,
  gridOf,
  type TabModel,
  tabColumns,
  type WorkbookData,
  type WorkbookModel,
} from "../../functions/src/domain/tracking-workbook.js";
import {
  defaultSet,
  formResponse,
  inspected,
  PASSING_DOSSIER,
  PASSING_REGISTRATION,
  SCHOOLS,
  specBindings,
  type TypedAnswers,
} from "../kit/index.js";

const set = defaultSet();
let layout: SheetLayout;
beforeAll(async () => {
  layout = await loadSheetLayout();
});

const TZ = "Asia/Ho_Chi_Minh";
const DOSSIER_TIME = "2026-11-05T01:30:00.000Z";
const REGISTRATION_TIME = "2026-03-01T01:00:00.000Z";

const school = (code: string, name: string, level: SchoolLevel, commune = "Phú Xuân"): School => ({
  code,
  name,
  levels: [level],
  commune,
  ownership: "cong-lap",
  emails: [`${code.toLowerCase()}@test.example`],
});

/** A response read through the intake, as a school of SCHOOLS typed it. */
const outcome = (stage: Stage, answers: TypedAnswers, lastSubmittedTime: string): IntakeOutcome => {
  const bindings = specBindings(stage, set);
  const ctx: IntakeContext = {
    stage,
    set,
    bindings,
    schools: new Map(SCHOOLS.map((s) => [s.code, s])),
    receivedAt: "2026-11-06T00:00:00.000Z",
  };
  const th1 = SCHOOLS[1] as School;
  const read = readResponse(formResponse(bindings, th1, answers, { lastSubmittedTime }), ctx);
  if (read.disposition !== "accepted") throw new Error(`fixture response refused: ${read.reasons}`);
  return read;
};

/** A school's state after the given accepted responses (passing ones by default: Điển hình). */
const stateOf = (
  s: School,
  outcomes: IntakeOutcome[] = [
    outcome("registration", PASSING_REGISTRATION, REGISTRATION_TIME),
    outcome("dossier", PASSING_DOSSIER, DOSSIER_TIME),
  ],
  verdict?: "dat" | "khong-dat",
  note = "",
): SchoolState => {
  let state: SchoolState | undefined;
  for (const o of outcomes) state = applyOutcome(state, o, s, set).state;
  const scored = deriveSchoolState(s, set, state?.latest ?? {}, state?.quarantine ?? null, {
    review: note ? { note } : null,
  });
  return verdict
    ? inspected(
        scored,
        s,
        set,
        verdict === "dat" ? {} : { "1.2": "Kế hoạch chưa được thủ trưởng ký ban hành" },
      )
    : scored;
};

const failingState = (s: School) =>
  stateOf(s, [
    outcome("registration", PASSING_REGISTRATION, REGISTRATION_TIME),
    outcome("dossier", { ...PASSING_DOSSIER, "4.1": "1" }, DOSSIER_TIME),
  ]);

const quarantinedState = (s: School, reasons: string[]) =>
  deriveSchoolState(s, set, {}, { key: "q@1", lastSubmittedTime: "2026-11-07T02:00:00.000Z", reasons });

const build = (data: Partial<WorkbookData> = {}): WorkbookModel =>
  buildWorkbook({
    layout,
    schoolYear: "2026-2027",
    place: "Nhà Bè",
    communeLabel: "Xã/Phường",
    criteriaSet: set,
    schools: SCHOOLS,
    states: new Map(),
    events: [],
    dataTime: null,
    ...data,
  });

const tab = (model: WorkbookModel, key: TabModel["key"]): TabModel => {
  const found = model.tabs.find((t) => t.key === key);
  if (!found) throw new Error(`no ${key} tab`);
  return found;
};

/** Data rows of a tab with headers, as objects keyed by header. */
const table = (model: WorkbookModel, key: TabModel["key"]): Array<Record<string, Cell>> => {
  const t = tab(model, key);
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c.header, row[i] ?? null])));
};

const trackingRow = (model: WorkbookModel, code: string): Record<string, Cell> => {
  const row = table(model, "tracking").find((r) => r["Mã trường"] === code);
  if (!row) throw new Error(`no tracking row for ${code}`);
  return row;
};

/** An overview row (no header row in that tab) by its first cell, keyed by the column headers. */
const overviewRow = (model: WorkbookModel, label: string): Record<string, Cell> => {
  const t = tab(model, "overview");
  const row = t.rows.find((r) => r[0] === label);
  if (!row) throw new Error(`no overview row ${label}`);
  return Object.fromEntries(t.columns.map((c, i) => [c.field, row[i] ?? null]));
};

describe("buildWorkbook: the whole workbook", () => {
  it("has the thirteen tabs in layout order, the filled-in title and the layout's settings", () => {
    const model = build();
    expect(model.tabs.map((t) => t.title)).toEqual([
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
    expect(model.title).toBe(
      "Theo dõi trường học điển hình về phong trào toàn dân bảo vệ ANTQ, năm học 2026-2027 - Nhà Bè",
    );
    expect(model.timeZone).toBe(TZ);
    // Every row of every tab is as wide as the tab's columns.
    for (const t of model.tabs) {
      for (const row of t.rows) expect(row, t.title).toHaveLength(t.columns.length);
    }
  });
});

describe("buildWorkbook: Theo dõi", () => {
  it("sorts the schools by level, then by name in Vietnamese order", () => {
    const schools = [
      school("CS-A", "Trường THCS An Phú", "thcs"),
      school("TH-B", "Trường Tiểu học Bình Minh", "tieu-hoc"),
      school("MN-E", "Trường Mầm non Én Nhỏ", "mam-non"),
      school("TH-A", "Trường Tiểu học Ánh Dương", "tieu-hoc"),
      school("MN-D", "Trường Mầm non Đồng Xanh", "mam-non"),
      school("MN-C", "Trường Mầm non Cây Xanh", "mam-non"),
    ];
    const codes = table(build({ schools }), "tracking").map((r) => r["Mã trường"]);
    // Code-point order would put "Én" before "Đồng" and "Bình" before "Ánh".
    expect(codes).toEqual(["MN-C", "MN-D", "MN-E", "TH-A", "TH-B", "CS-A"]);
  });

  it("has one column per criterion, headed with its number and points, between the date and the total", () => {
    const t = tab(build(), "tracking");
    const headers = t.columns.map((c) => c.header);
    expect(headers.slice(headers.indexOf("Lần nộp gần nhất") + 1, headers.indexOf("Tổng điểm"))).toEqual([
      "TC1 (25đ)",
      "TC2 (15đ)",
      "TC3 (20đ)",
      "TC4 (15đ)",
      "TC5 (15đ)",
      "TC6 (10đ)",
    ]);
    const criteria = t.columns.filter((c) => c.field.startsWith("criteria:"));
    expect(criteria.map((c) => c.field)).toEqual(set.criteria.map((c) => `criteria:${c.id}`));
    expect(criteria.every((c) => c.format === "decimal")).toBe(true);
    expect(t.keyColumns).toEqual([headers.indexOf("Mã trường")]);
  });

  it("writes fractional points the Vietnamese way in a criterion's header", () => {
    const halves = {
      ...set,
      criteria: set.criteria.map((c, i) => (i === 0 ? { ...c, points: 12.5 } : c)),
    };
    const headers = tab(build({ criteriaSet: halves }), "tracking").columns.map((c) => c.header);
    expect(headers).toContain("TC1 (12,5đ)");
  });

  it("shows a school nothing was received from as Chưa đăng ký, with no date and no points", () => {
    const row = trackingRow(build(), "T-MN1");
    expect(row).toMatchObject({
      "Tên trường": "Trường Mầm non Ánh Sao",
      "Cấp học": "Mầm non",
      "Xã/Phường": "Phước Kiển",
      "Tình trạng": "Chưa đăng ký",
      "Lần nộp gần nhất": null,
      "TC1 (25đ)": 0,
      "Tổng điểm": 0,
      "Kết quả kiểm tra": null,
      "Ghi chú của phòng": null,
    });
    // A stage not submitted is one line each, not every question of it.
    expect(row["Còn thiếu"]).toBe("Chưa nộp: Đăng ký (quý I); Chưa nộp: Hồ sơ công nhận (tháng 11)");
  });

  it("shows a school whose self-assessment meets everything as Chờ kiểm tra, with its points and nothing missing", () => {
    const th1 = SCHOOLS[1] as School;
    const row = trackingRow(build({ states: new Map([[th1.code, stateOf(th1)]]) }), th1.code);
    expect(row).toMatchObject({
      "Tình trạng": "Chờ kiểm tra",
      "TC1 (25đ)": 25,
      "TC6 (10đ)": 10,
      "Tổng điểm": 100,
      "Còn thiếu": null,
    });
  });

  it("turns Chờ kiểm tra into Không đạt when the inspection rejects an indicator, and says why in Còn thiếu", () => {
    const th1 = SCHOOLS[1] as School;
    const row = trackingRow(
      build({
        states: new Map([[th1.code, stateOf(th1, undefined, "khong-dat", "Gọi lại thầy Hiệu trưởng")]]),
      }),
      th1.code,
    );
    expect(row).toMatchObject({
      "Tình trạng": "Không đạt",
      "Tổng điểm": 100,
      "Còn thiếu": "Kiểm tra không xác nhận 1.2: Kế hoạch chưa được thủ trưởng ký ban hành",
      "Kết quả kiểm tra": "Không đạt",
      "Ghi chú của phòng": "Gọi lại thầy Hiệu trưởng",
    });
  });

  it("turns Chờ kiểm tra into Đạt when the inspection confirms every indicator", () => {
    const th1 = SCHOOLS[1] as School;
    const row = trackingRow(
      build({ states: new Map([[th1.code, stateOf(th1, undefined, "dat")]]) }),
      th1.code,
    );
    expect(row).toMatchObject({
      "Tình trạng": "Đạt",
      "Còn thiếu": null,
      "Kết quả kiểm tra": "Đạt",
      "Ghi chú của phòng": null,
    });
  });

  it("shows a school that reported an incident as Không đủ điều kiện, with the fact", () => {
    const cs1 = SCHOOLS[2] as School;
    const row = trackingRow(build({ states: new Map([[cs1.code, failingState(cs1)]]) }), cs1.code);
    expect(row["Tình trạng"]).toBe("Không đủ điều kiện");
    expect(row["TC1 (25đ)"]).toBe(25);
    expect(row["TC4 (15đ)"]).toBeLessThan(15);
    expect(row["Tổng điểm"]).toBeLessThan(100);
    expect(row["Còn thiếu"]).toBe("Tiêu chí 4: Có 1 vụ bạo lực học đường, yêu cầu 0.");
  });

  it("lists the reasons of a quarantined response first for Cần bổ sung", () => {
    const cs1 = SCHOOLS[2] as School;
    const state = quarantinedState(cs1, ["Chưa chọn tên trường", "Email không thuộc trường"]);
    const row = trackingRow(build({ states: new Map([[cs1.code, state]]) }), cs1.code);
    expect(row["Tình trạng"]).toBe("Cần bổ sung");
    expect(String(row["Còn thiếu"])).toBe(
      "Chưa chọn tên trường; Email không thuộc trường; Chưa nộp: Đăng ký (quý I); Chưa nộp: Hồ sơ công nhận (tháng 11)",
    );
  });

  it("gives the newest submission time as a Date", () => {
    const th1 = SCHOOLS[1] as School;
    const row = trackingRow(build({ states: new Map([[th1.code, stateOf(th1)]]) }), th1.code);
    expect(row["Lần nộp gần nhất"]).toBeInstanceOf(Date);
    expect((row["Lần nộp gần nhất"] as Date).toISOString()).toBe(DOSSIER_TIME);
  });

  it("shows the report's links (PDF and Word) and the mailing time from the delivery", () => {
    const th1 = SCHOOLS[1] as School;
    const mailedAt = new Date("2026-11-20T03:00:00.000Z");
    const delivery = {
      reportUrl: "https://drive.example/r.pdf",
      reportDocxUrl: "https://docs.example/document/d/r/edit",
      mailedAt,
    };
    const row = trackingRow(build({ delivery: new Map([[th1.code, delivery]]) }), th1.code);
    expect(row["Báo cáo (PDF)"]).toBe("https://drive.example/r.pdf");
    expect(row["Bản Word"]).toBe("https://docs.example/document/d/r/edit");
    expect(row["Đã gửi email lúc"]).toEqual(mailedAt);
  });

  it("keeps rows the registry does not know at the end, as they were, padded to the width", () => {
    const stray: Cell[] = ["T-OLD", "Trường đã giải thể", "THCS"];
    const t = tab(build({ strayTrackingRows: [stray] }), "tracking");
    expect(t.rows).toHaveLength(SCHOOLS.length + 1);
    const last = t.rows.at(-1) ?? [];
    expect(last.slice(0, 3)).toEqual(stray);
    expect(last).toHaveLength(t.columns.length);
    expect(last.slice(3).every((c) => c === null)).toBe(true);
  });
});

describe("buildWorkbook: Tổng quan", () => {
  const schools = [
    school("MN-1", "Trường Mầm non Hoa Sen", "mam-non", "Phú Xuân"),
    school("MN-2", "Trường Mầm non Sơn Ca", "mam-non", "Nhơn Đức"),
    school("TH-1", "Trường Tiểu học Lê Văn Lương", "tieu-hoc", "Phú Xuân"),
    school("CS-1", "Trường THCS Hai Bà Trưng", "thcs", "Hiệp Phước"),
    school("TH-2", "Trường Tiểu học Nguyễn Bình", "tieu-hoc", "Phú Xuân"),
  ];
  const model = () =>
    build({
      schools,
      states: new Map([
        ["MN-1", stateOf(schools[0] as School)],
        // MN-1 waits for its inspection; MN-2 has sent nothing: Chưa đăng ký.
        ["TH-1", quarantinedState(schools[2] as School, ["Thiếu tên trường"])],
        ["CS-1", stateOf(schools[3] as School, undefined, "khong-dat")],
        ["TH-2", stateOf(schools[4] as School, undefined, "dat")],
      ]),
    });

  it("counts the schools by status for each level", () => {
    const m = model();
    expect(overviewRow(m, "Mầm non")).toEqual({
      group: "Mầm non",
      schools: 2,
      submitted: 1,
      "chua-dang-ky": 1,
      "da-dang-ky": 0,
      "can-bo-sung": 0,
      "khong-du-dieu-kien": 0,
      "cho-kiem-tra": 1,
      "khong-dat": 0,
      passed: 0,
      "duoc-cong-nhan": 0,
      passedShare: 0,
      recognised: 0,
      target: 1,
      remaining: 2,
    });
    expect(overviewRow(m, "Tiểu học")).toMatchObject({
      schools: 2,
      submitted: 1,
      "can-bo-sung": 1,
      passed: 1,
      passedShare: 0.5,
      recognised: 0,
      remaining: 2,
    });
    expect(overviewRow(m, "THCS")).toMatchObject({ submitted: 1, "cho-kiem-tra": 0, "khong-dat": 1 });
    // Issue 14: a level with no school has no row (the office has no THPT school).
    expect(tab(m, "overview").rows.map((r) => r[0])).not.toContain("THPT");
    expect(tab(m, "overview").rows.map((r) => r[0])).not.toContain("Khác");
  });

  it("totals the whole office, with the shares passed and recognised as fractions of 1", () => {
    expect(overviewRow(model(), "Toàn đơn vị")).toEqual({
      group: "Toàn đơn vị",
      schools: 5,
      submitted: 3,
      "chua-dang-ky": 1,
      "da-dang-ky": 0,
      "can-bo-sung": 1,
      "khong-du-dieu-kien": 0,
      "cho-kiem-tra": 1,
      "khong-dat": 1,
      passed: 1,
      "duoc-cong-nhan": 0,
      passedShare: 0.2,
      recognised: 0,
      target: 1,
      remaining: 5,
    });
  });

  it("counts each commune, communes in Vietnamese order after their heading", () => {
    const rows = tab(model(), "overview").rows.map((r) => r[0]);
    expect(rows.slice(rows.indexOf("Theo xã/phường") + 1, rows.indexOf("Ý nghĩa các tình trạng"))).toEqual([
      "Hiệp Phước",
      "Nhơn Đức",
      "Phú Xuân",
    ]);
    expect(overviewRow(model(), "Phú Xuân")).toMatchObject({
      schools: 3,
      "cho-kiem-tra": 1,
      "can-bo-sung": 1,
      passed: 1,
      recognised: 0,
      remaining: 3,
    });
    expect(overviewRow(model(), "Nhơn Đức")).toMatchObject({ schools: 1, "chua-dang-ky": 1, recognised: 0 });
  });

  it("names the whole office's row from the office (Toàn huyện), or Toàn đơn vị when it cannot tell", () => {
    expect(overviewRow(build({ wholeLabel: "Toàn huyện" }), "Toàn huyện")?.group).toBe("Toàn huyện");
    expect(overviewRow(model(), "Toàn đơn vị")?.group).toBe("Toàn đơn vị");
  });

  it("explains each status of the path below the tallies, in the office's words", () => {
    const rows = tab(model(), "overview").rows;
    const legend = rows.slice(rows.findIndex((r) => r[0] === "Ý nghĩa các tình trạng") + 1);
    expect(legend.map((r) => r[0])).toEqual([
      "Chưa đăng ký",
      "Đã đăng ký",
      "Cần bổ sung",
      "Không đủ điều kiện",
      "Chờ kiểm tra",
      "Đạt",
      "Không đạt",
      "Được công nhận",
    ]);
    expect(legend[6]?.[1]).toBe("Đoàn kiểm tra không xác nhận một chỉ tiêu bắt buộc (có lý do).");
  });

  it("charts the level rows: the header, one row per level, the group and status columns", () => {
    const m = model();
    const grid = gridOf(tab(m, m.chart.tab));
    expect(m.chart.tab).toBe("overview");
    expect(grid[m.chart.headerRow]?.[0]).toBe("Cấp học, xã/phường");
    // Issue 14: only the levels the office has schools of (no THPT, no Khác here).
    expect(grid.slice(m.chart.firstRow, m.chart.endRow).map((r) => r[0])).toEqual([
      "Mầm non",
      "Tiểu học",
      "THCS",
    ]);
    expect(grid[m.chart.endRow]?.[0]).toBe("Toàn đơn vị");
    expect(m.chart.columns.map((c) => grid[m.chart.headerRow]?.[c])).toEqual([
      "Cấp học, xã/phường",
      "Chưa đăng ký",
      "Đã đăng ký",
      "Cần bổ sung",
      "Không đủ điều kiện",
      "Chờ kiểm tra",
      "Không đạt",
      "Được công nhận",
    ]);
  });

  it("says when nothing has been received yet", () => {
    expect(tab(build(), "overview").rows[1]?.[0]).toBe("Chưa nhận được câu trả lời nào");
  });

  it("says when the data last changed, as dd/mm/yyyy hh:mm in the sheet's time zone like the date cells", () => {
    const rows = tab(build({ dataTime: new Date("2026-11-29T16:10:00.000Z") }), "overview").rows;
    expect(layout.formats.datetime).toBe("dd/mm/yyyy hh:mm");
    expect(rows[1]?.[0]).toBe("Số liệu cập nhật đến 29/11/2026 23:10");
  });
});

describe("buildWorkbook: Danh sách trường", () => {
  it("writes the registry sorted, with labels, when the office has not typed the tab", () => {
    const rows = tab(build(), "registry").rows;
    expect(rows.map((r) => r[0])).toEqual(["T-MN1", "T-TH1", "T-CS1"]);
    // The head's name and the phone (issue 14) are empty: the kit's registry has neither.
    expect(rows[1]).toEqual([
      "T-TH1",
      "Trường Tiểu học Đồng Khởi",
      "Tiểu học",
      "Phú Xuân",
      "Công lập",
      "th1@test.example, hieupho.th1@test.example",
      null,
      null,
      "Hợp lệ",
    ]);
    expect(rows[2]?.[4]).toBe("Ngoài công lập");
  });

  it("keeps the office's rows in its order, as typed, with the problem beside them, and restores the rest", () => {
    const rows = tab(
      build({
        registryRows: [
          {
            code: "T-CS1",
            cells: {
              code: "T-CS1",
              name: "THCS Dương Bá Trạc",
              level: "thcs",
              commune: "Hiệp Phước",
              ownership: "Tư thục",
              emails: "cs1@test.example",
            },
          },
          {
            code: "T-NEW",
            cells: {
              code: "T-NEW",
              name: "Trường mới",
              level: "Đại học",
              commune: "",
              ownership: "",
              emails: "",
            },
            problem: "Chưa dùng được dòng này. Cấp học: không hợp lệ",
          },
        ],
      }),
      "registry",
    ).rows;
    // The head's name and the phone (issue 14) are empty: neither the rows typed nor the registry has them.
    expect(rows).toEqual([
      [
        "T-CS1",
        "THCS Dương Bá Trạc",
        "thcs",
        "Hiệp Phước",
        "Tư thục",
        "cs1@test.example",
        null,
        null,
        "Hợp lệ",
      ],
      [
        "T-NEW",
        "Trường mới",
        "Đại học",
        "",
        "",
        "",
        null,
        null,
        "Chưa dùng được dòng này. Cấp học: không hợp lệ",
      ],
      [
        "T-MN1",
        "Trường Mầm non Ánh Sao",
        "Mầm non",
        "Phước Kiển",
        "Công lập",
        "mn1@test.example",
        null,
        null,
        "Hợp lệ",
      ],
      [
        "T-TH1",
        "Trường Tiểu học Đồng Khởi",
        "Tiểu học",
        "Phú Xuân",
        "Công lập",
        "th1@test.example, hieupho.th1@test.example",
        null,
        null,
        "Hợp lệ",
      ],
    ]);
  });
});

describe("buildWorkbook: the workbook as a clerk uses it", () => {
  it("heads every commune column, and the overview's commune lines, with the office's name for its communes", () => {
    const m = build({ communeLabel: "Xã/Thị trấn" });
    for (const key of ["tracking", "schedule", "registry"] as const)
      expect(tab(m, key).columns.find((c) => c.field === "commune")?.header, key).toBe("Xã/Thị trấn");
    expect(trackingRow(m, "T-MN1")["Xã/Thị trấn"]).toBe("Phước Kiển");
    const overview = gridOf(tab(m, "overview"));
    expect(overview[m.chart.headerRow]?.[0]).toBe("Cấp học, xã/thị trấn");
    expect(overview.map((r) => r[0])).toContain("Theo xã/thị trấn");
    expect(overview.flat()).not.toContain("Theo xã/phường");
  });

  it("gives the read-back the headers it writes, the office's commune label filled in", () => {
    const m = build({ communeLabel: "Xã/Thị trấn" });
    for (const t of m.tabs)
      expect(
        tabColumns(layout, t.key, set, "Xã/Thị trấn").map((c) => c.header),
        t.title,
      ).toEqual(t.columns.map((c) => c.header));
  });

  it("shows the head's name and the phone in the registry tab", () => {
    const th1 = { ...(SCHOOLS[1] as School), head: "Trần Thị Mẫu", phone: "028 3873 1234" };
    const rows = table(build({ schools: [th1] }), "registry");
    expect(rows[0]).toMatchObject({ "Hiệu trưởng": "Trần Thị Mẫu", "Điện thoại": "028 3873 1234" });
  });

  it("prints the wide tabs landscape, as the layout says or by their width, and a narrow tab portrait", () => {
    const m = build();
    for (const title of ["Theo dõi", "Kiểm tra", "Lịch kiểm tra", "Danh sách trường"])
      expect(m.tabs.find((t) => t.title === title)?.print, title).toEqual({ orientation: "landscape" });
    // Nhật ký says nothing: 1,110 pixels of columns print landscape; 5 × 100 pixels fit a portrait page.
    expect(layout.tabs.log.print).toBeUndefined();
    expect(tab(m, "log").print.orientation).toBe("landscape");
    const narrow: SheetLayout = {
      ...layout,
      tabs: {
        ...layout.tabs,
        log: { ...layout.tabs.log, columns: layout.tabs.log.columns.map((c) => ({ ...c, width: 100 })) },
        registry: { ...layout.tabs.registry, print: { orientation: "portrait" } },
      },
    };
    expect(tab(build({ layout: narrow }), "log").print.orientation).toBe("portrait");
    expect(tab(build({ layout: narrow }), "registry").print.orientation).toBe("portrait");
  });

  it("has no row for a level with no school, and the chart covers the rows there are", () => {
    const schools = [
      school("K-1", "Trường Chuyên biệt Hy Vọng", "khac"),
      school("MN-1", "Trường Mầm non Hoa Sen", "mam-non"),
    ];
    const m = build({ schools });
    const overview = tab(m, "overview");
    const grid = gridOf(overview);
    expect(grid.slice(m.chart.firstRow, m.chart.endRow).map((r) => r[0])).toEqual(["Mầm non", "Khác"]);
    expect(grid[m.chart.endRow]?.[0]).toBe("Toàn đơn vị");
    expect(overview.boldRows).toContain(m.chart.endRow);
    // No school at all: the table has its header and the total, and the chart no bar.
    const empty = build({ schools: [] });
    expect(empty.chart.endRow).toBe(empty.chart.firstRow);
    expect(gridOf(tab(empty, "overview"))[empty.chart.endRow]?.[0]).toBe("Toàn đơn vị");
  });
});

describe("buildWorkbook: Tiêu chí", () => {
  it("has one row per indicator, the criterion's points on its first row only", () => {
    const rows = table(build(), "criteria");
    expect(rows).toHaveLength(set.criteria.flatMap((c) => c.indicators).length);
    expect(rows[0]).toMatchObject({ Mã: "1.1", "Điểm tối đa": 25, "Bắt buộc": "Có" });
    expect(rows[1]?.["Điểm tối đa"]).toBeNull();
    expect(rows.find((r) => r.Mã === "2.2")?.["Cấp học áp dụng"]).toBe("Tiểu học, THCS, THPT");
  });
});

describe("buildWorkbook: Nhật ký", () => {
  const event = (minute: number, schoolCode?: string): LogEvent => ({
    at: new Date(Date.UTC(2026, 10, 5, 1, minute)),
    kind: "Nhận hồ sơ",
    ...(schoolCode ? { schoolCode } : {}),
    message: `sự việc ${minute}`,
  });

  it("lists events newest first, with the school's name", () => {
    const rows = table(build({ events: [event(1, "T-TH1"), event(3), event(2, "T-GONE")] }), "log");
    expect(rows.map((r) => r["Nội dung"])).toEqual(["sự việc 3", "sự việc 2", "sự việc 1"]);
    expect(rows[0]).toMatchObject({ "Mã trường": null, "Tên trường": null });
    expect(rows[1]).toMatchObject({ "Mã trường": "T-GONE", "Tên trường": null });
    expect(rows[2]).toMatchObject({ "Mã trường": "T-TH1", "Tên trường": "Trường Tiểu học Đồng Khởi" });
    expect(rows[2]?.["Thời gian"]).toEqual(new Date(Date.UTC(2026, 10, 5, 1, 1)));
  });

  it("keeps only the newest maxRows events", () => {
    const small: SheetLayout = {
      ...layout,
      tabs: { ...layout.tabs, log: { ...layout.tabs.log, maxRows: 10 } },
    };
    const events = Array.from({ length: 15 }, (_, i) => event(i));
    const rows = table(build({ layout: small, events }), "log");
    expect(rows).toHaveLength(10);
    expect(rows[0]?.["Nội dung"]).toBe("sự việc 14");
    expect(rows.at(-1)?.["Nội dung"]).toBe("sự việc 5");
  });
});
