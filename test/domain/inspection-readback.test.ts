import { beforeAll, describe, expect, it } from "vitest";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import {
  emptyInspectionReadBack,
  type InspectionReadBack,
  parseDay,
  parseTeam,
  parseTime,
  readDecisions,
  readFindings,
  readPlans,
} from "../../functions/src/domain/inspection-readback.js";
import { DEFAULT_COMMUNE_LABEL } from "../../functions/src/domain/office.js";
import type { SnapshotTab } from "../../functions/src/domain/sheet-readback.js";
import { type Cell, type ColumnModel, tabColumns } from "../../functions/src/domain/tracking-workbook.js";
import { defaultSet } from "../kit/index.js";

const set = defaultSet();
const TZ = "Asia/Ho_Chi_Minh";
const KNOWN = new Set(["T-MN1", "T-TH1", "T-CS1"]);
let schedule: ColumnModel[];
let findings: ColumnModel[];
let decisions: ColumnModel[];
beforeAll(async () => {
  const layout = await loadSheetLayout();
  schedule = tabColumns(layout, "schedule", set, DEFAULT_COMMUNE_LABEL);
  findings = tabColumns(layout, "inspection", set, DEFAULT_COMMUNE_LABEL);
  decisions = tabColumns(layout, "decision", set, DEFAULT_COMMUNE_LABEL);
});

/** A tab headed as the layout heads it (columns in `order` of fields when the office moved them). */
const tabOf = (columns: ColumnModel[], rows: Array<Record<string, Cell>>, order?: string[]): SnapshotTab => {
  const fields = order ?? columns.map((c) => c.field);
  const header = fields.map((f) => columns.find((c) => c.field === f)?.header ?? f);
  const values = [header, ...rows.map((r) => fields.map((f) => r[f] ?? null))];
  return { rowCount: values.length + 100, columnCount: header.length, values };
};

const TEAM_TEXT = "Nguyễn Văn A (Phòng GD&ĐT); Trần Văn B - Công an xã Nhà Bè";
const TEAM = [
  { name: "Nguyễn Văn A", unit: "Phòng GD&ĐT" },
  { name: "Trần Văn B", unit: "Công an xã Nhà Bè" },
];
const DEC_15 = 46371; // 15/12/2026 as Google Sheets' serial day
const NO_UNIT = (member: string) =>
  `Thành viên "${member}" chưa có đơn vị; ghi mỗi người dạng Họ tên (Đơn vị), cách nhau bằng dấu ;`;
const NO_REASON = "Ghi lý do không xác nhận: nhà trường sẽ được thông báo lý do này";
const BAD_NUMBER = (n: string) => `Số quyết định "${n}" không đúng dạng số/ký hiệu, ví dụ 125/QĐ-UBND`;
const BAD_DATE = (d: string) => `Ngày ký "${d}" không đọc được; ghi dạng 20/12/2026`;
/** The plan `planRow` gives when nothing is changed. */
const PLAN = { date: "2026-12-15", time: "09:00", place: "Tại trường", teamName: "Đoàn số 1", team: TEAM };

/** A Lịch kiểm tra row as the office fills it, the system's columns as dienhinh wrote them. */
const planRow = (code: string, cells: Record<string, Cell> = {}): Record<string, Cell> => ({
  code,
  name: `Trường ${code}`,
  status: "Chờ kiểm tra",
  teamName: "Đoàn số 1",
  team: TEAM_TEXT,
  date: DEC_15,
  time: 0.375,
  place: "Tại trường",
  commend: "Có",
  ...cells,
});

/** A Kiểm tra row: the school's indicator and the team's finding. */
const findingRow = (code: string, indicator: string, finding: Cell, reason: Cell = null) =>
  ({ code, name: `Trường ${code}`, indicator, answer: "Có", finding, reason }) as Record<string, Cell>;

/** What one reader makes of a tab, from nothing read. */
const reading = (read: (result: InspectionReadBack) => void): InspectionReadBack => {
  const result = emptyInspectionReadBack();
  read(result);
  return result;
};
const plansOf = (tab?: SnapshotTab) => reading((r) => readPlans(r, schedule, tab, KNOWN, TZ));
const findingsOf = (tab?: SnapshotTab) => reading((r) => readFindings(r, findings, tab, KNOWN));
const decisionsOf = (tab?: SnapshotTab) => reading((r) => readDecisions(r, decisions, tab, TZ));

describe("parseDay", () => {
  const day = (cell: Cell | undefined) => parseDay(cell, TZ);

  it("reads Google Sheets' serial days, and days typed the Vietnamese or the ISO way", () => {
    const cells = [DEC_15, DEC_15 + 0.75, "15/12/2026", " 15/12/2026 ", "15.12.2026", "2026-12-15"];
    expect(cells.map(day)).toEqual(cells.map(() => "2026-12-15"));
    expect(["5/1/2027", "29/02/2028"].map(day)).toEqual(["2027-01-05", "2028-02-29"]);
  });

  it("reads a Date from an .xlsx as the wall clock in the sheet's zone", () => {
    // Half past midnight on 15/12 in Hồ Chí Minh City is still 14/12 in UTC.
    const cell = new Date("2026-12-14T17:30:00.000Z");
    expect(parseDay(cell, TZ)).toBe("2026-12-15");
    expect(parseDay(cell, "UTC")).toBe("2026-12-14");
  });

  it("refuses days that do not exist, and text that is no day", () => {
    const wrong = ["31/02/2026", "29/02/2026", "2026-02-30", "15/13/2026"];
    const none = ["abc", "12/2026", "", null, undefined];
    for (const cell of [...wrong, ...none]) expect(day(cell), String(cell)).toBeUndefined();
  });
});

describe("parseTime", () => {
  it("reads a sheet's fraction of a day, and times typed as people type them", () => {
    const fractions = [0.333333, 1 / 3, 0.375, 0];
    expect(fractions.map((c) => parseTime(c))).toEqual(["08:00", "08:00", "09:00", "00:00"]);
    const typed = { "8:30": "08:30", "8h30": "08:30", "8H": "08:00", "14 giờ": "14:00", "14g15": "14:15" };
    for (const [cell, time] of Object.entries({ ...typed, "8 giờ 30 phút": "08:30" }))
      expect(parseTime(cell), cell).toBe(time);
  });

  it("refuses times that do not exist, and text that is no time", () => {
    for (const cell of ["25:00", "8:60", "abc", "", 1.5, -0.1, null])
      expect(parseTime(cell), String(cell)).toBeUndefined();
  });

  it("never reads a time cell as 24:00 (23:59:59 stays in its day)", () => {
    // BUG: Math.round(0.99999 * 1440) is 1440, read as "24:00".
    expect(parseTime(0.99999)).toBe("23:59");
  });
});

describe("parseTeam", () => {
  it("reads members separated by ; as Họ tên (Đơn vị) or Họ tên - Đơn vị, the leader first", () => {
    expect(parseTeam(TEAM_TEXT)).toEqual({ team: TEAM });
  });

  it("reads members on separate lines, with any dash", () => {
    expect(parseTeam("Nguyễn Văn A (Phòng GD&ĐT)\nTrần Văn B – Công an xã Nhà Bè")).toEqual({ team: TEAM });
    const crlf = "Nguyễn Văn A (Phòng GD&ĐT)\r\n\r\nTrần Văn B — Công an xã Nhà Bè;";
    expect(parseTeam(crlf)).toEqual({ team: TEAM });
  });

  it("reads decomposed Unicode and extra spaces as the same names", () => {
    const typed = "  Nguyễn   Văn A  (  Phòng GD&ĐT ) ;  Trần Văn B   -   Công an xã  Nhà Bè ";
    expect(typed.normalize("NFD")).not.toBe(typed);
    expect(parseTeam(typed.normalize("NFD"))).toEqual({ team: TEAM });
  });

  it("gives a Vietnamese problem for a member without a unit", () => {
    expect(parseTeam("Nguyễn Văn A (Phòng GD&ĐT); Trần Văn B")).toEqual({ problem: NO_UNIT("Trần Văn B") });
  });

  it.each([[""], [" ; \n "]])("gives a problem for no member (%j)", (text) => {
    expect(parseTeam(text)).toEqual({ problem: "Chưa ghi thành viên đoàn kiểm tra" });
  });

  it("does not read members separated by commas as one member with a garbled unit", () => {
    // BUG: read as one member "Nguyễn Văn A" of unit "Phòng GD&ĐT), Trần Văn B (Công an xã".
    const read = parseTeam("Nguyễn Văn A (Phòng GD&ĐT), Trần Văn B (Công an xã)");
    const members = "team" in read ? read.team : [];
    expect(members.filter((m) => /[()]/u.test(`${m.name}${m.unit}`))).toEqual([]);
  });
});

describe("readPlans", () => {
  it("reads each known school's plan, and keeps the office's cells as typed", () => {
    const cs1 = {
      teamName: null,
      date: "16/12/2026",
      time: "8h30",
      place: " Hội trường   xã ",
      commend: "Không",
    };
    const result = plansOf(tabOf(schedule, [planRow("T-TH1"), planRow("T-CS1", cs1)]));
    expect(result.read).toEqual({ plans: true, findings: false });
    expect(result.plans).toEqual(
      new Map([
        ["T-TH1", { ...PLAN, commend: true }],
        ["T-CS1", { date: "2026-12-16", time: "08:30", place: "Hội trường xã", team: TEAM, commend: false }],
      ]),
    );
    expect(result.problems.size).toBe(0);
    expect(result.typedPlans.get("T-TH1")).toEqual({
      teamName: "Đoàn số 1",
      team: TEAM_TEXT,
      date: DEC_15,
      time: 0.375,
      place: "Tại trường",
      commend: "Có",
    });
  });

  it("reads a row with only the school as no plan", () => {
    const row = { code: "T-TH1", name: "Trường T-TH1", status: "Chờ kiểm tra" };
    const result = plansOf(tabOf(schedule, [row]));
    expect(result.plans).toEqual(new Map([["T-TH1", null]]));
  });

  it.each([
    [{ date: "31/02/2026" }, 'Ngày kiểm tra "31/02/2026" không đọc được; ghi dạng 15/12/2026'],
    [{ time: "25:00" }, 'Giờ "25:00" không đọc được; ghi dạng 08:00'],
    [{ place: null }, "Chưa ghi địa điểm kiểm tra"],
    [{ team: "Nguyễn Văn A" }, NO_UNIT("Nguyễn Văn A")],
    [{ team: null }, "Chưa ghi thành viên đoàn kiểm tra"],
  ])("refuses a plan row with %j, saying why, and keeps what was typed", (cells, problem) => {
    const result = plansOf(tabOf(schedule, [planRow("T-TH1", cells)]));
    expect(result.plans.has("T-TH1")).toBe(false);
    expect(result.problems).toEqual(new Map([["T-TH1", problem]]));
    expect(result.typedPlans.get("T-TH1")).toMatchObject(cells);
  });

  it("gives a problem for a plan typed without its day", () => {
    const result = plansOf(tabOf(schedule, [planRow("T-TH1", { date: null })]));
    expect(result.plans.has("T-TH1")).toBe(false);
    expect(result.problems.get("T-TH1")).toBe("Chưa ghi ngày kiểm tra");
  });

  it("ignores rows of unknown schools and empty rows", () => {
    const tab = tabOf(schedule, [planRow("T-OLD"), {}, planRow("t-th1")]);
    const result = plansOf(tab);
    expect(result.read.plans).toBe(true);
    expect(result.plans.size).toBe(0);
    expect(result.typedPlans.size).toBe(0);
  });

  it("counts the first row of a school copied twice", () => {
    const result = plansOf(tabOf(schedule, [planRow("T-TH1"), planRow("T-TH1", { place: "Nơi khác" })]));
    expect(result.plans.get("T-TH1")?.place).toBe("Tại trường");
    expect(result.typedPlans.get("T-TH1")?.place).toBe("Tại trường");
  });

  it("counts the first row of a school copied twice even when that row cannot be read", () => {
    // BUG: readPlans skips a copy only when the first row gave a plan, so here the copy is read.
    const result = plansOf(tabOf(schedule, [planRow("T-TH1", { date: "31/02/2026" }), planRow("T-TH1")]));
    expect(result.problems.get("T-TH1")).toMatch(/31\/02\/2026/u);
    expect(result.plans.has("T-TH1")).toBe(false);
    expect(result.typedPlans.get("T-TH1")?.date).toBe("31/02/2026");
  });

  it("finds the columns by header when the office moved them", () => {
    const order = ["place", "date", "team", "code", "time", "commend", "teamName", "name"];
    const result = plansOf(tabOf(schedule, [planRow("T-TH1")], order));
    expect(result.plans.get("T-TH1")).toEqual({ ...PLAN, commend: true });
  });

  it("reads nothing from a missing tab, an empty tab or a tab without the code column", () => {
    for (const tab of [
      undefined,
      { rowCount: 10, columnCount: 0, values: [] },
      tabOf(schedule, [planRow("T-TH1")], ["date", "place", "team"]),
    ]) {
      const result = plansOf(tab);
      expect(result.read.plans).toBe(false);
      expect(result.plans.size + result.typedPlans.size + result.problems.size).toBe(0);
    }
  });
});

describe("readFindings", () => {
  it("reads the findings of known schools, spelled loosely, with their reasons", () => {
    const result = findingsOf(
      tabOf(findings, [
        findingRow("T-TH1", "1.1", "Xác nhận"),
        findingRow("T-TH1", "1.2", "xac nhan", "  đã xem bản gốc "),
        findingRow("T-TH1", "2.1", "KHÔNG XÁC NHẬN", "Chưa có quy chế\nphối hợp"),
        findingRow("T-CS1", "4.1", "Không đạt", "Có 1 vụ"),
      ]),
    );
    expect(result.read).toEqual({ plans: false, findings: true });
    expect(result.findings.get("T-TH1")).toEqual({
      "1.1": { finding: "xac-nhan", reason: "" },
      "1.2": { finding: "xac-nhan", reason: "đã xem bản gốc" },
      "2.1": { finding: "khong-xac-nhan", reason: "Chưa có quy chế\nphối hợp" },
    });
    expect(result.findings.get("T-CS1")).toEqual({ "4.1": { finding: "khong-xac-nhan", reason: "Có 1 vụ" } });
    expect(result.problems.size + result.unreadable.size).toBe(0);
    const typed = { finding: "KHÔNG XÁC NHẬN", reason: "Chưa có quy chế\nphối hợp" };
    expect(result.typedFindings.get("T-TH1|2.1")).toEqual(typed);
  });

  it("refuses a rejection without a reason, and marks the indicator unreadable", () => {
    const result = findingsOf(tabOf(findings, [findingRow("T-TH1", "1.2", "Không xác nhận", "  ")]));
    expect(result.findings.size).toBe(0);
    expect(result.unreadable).toEqual(new Map([["T-TH1", new Set(["1.2"])]]));
    expect(result.problems).toEqual(new Map([["T-TH1|1.2", NO_REASON]]));
  });

  it("refuses a finding that is neither, naming the choices", () => {
    const result = findingsOf(tabOf(findings, [findingRow("T-TH1", "1.2", "Có lẽ")]));
    expect(result.findings.size).toBe(0);
    expect(result.unreadable.get("T-TH1")).toEqual(new Set(["1.2"]));
    const problem = 'Kết quả "Có lẽ" không hợp lệ; chọn Xác nhận hoặc Không xác nhận';
    expect(result.problems.get("T-TH1|1.2")).toBe(problem);
  });

  it("takes an empty finding cell as no finding (the row is still read)", () => {
    const result = findingsOf(tabOf(findings, [findingRow("T-TH1", "1.2", null, "ghi chú")]));
    expect(result.findings.size + result.problems.size + result.unreadable.size).toBe(0);
    expect(result.typedFindings.has("T-TH1|1.2")).toBe(true);
  });

  it("ignores unknown schools, rows without an indicator and empty rows", () => {
    const result = findingsOf(
      tabOf(findings, [findingRow("T-OLD", "1.1", "Xác nhận"), findingRow("T-TH1", "", "Xác nhận"), {}]),
    );
    expect(result.read.findings).toBe(true);
    expect(result.findings.size + result.typedFindings.size + result.problems.size).toBe(0);
  });

  it("counts the first of copied rows, readable or not", () => {
    const result = findingsOf(
      tabOf(findings, [
        findingRow("T-TH1", "1.1", "Xác nhận"),
        findingRow("T-TH1", "1.1", "Không xác nhận", "bản sao"),
        findingRow("T-TH1", "1.2", "Không xác nhận"),
        findingRow("T-TH1", "1.2", "Xác nhận"),
      ]),
    );
    expect(result.findings.get("T-TH1")).toEqual({ "1.1": { finding: "xac-nhan", reason: "" } });
    expect(result.unreadable.get("T-TH1")).toEqual(new Set(["1.2"]));
    expect(result.typedFindings.get("T-TH1|1.2")?.finding).toBe("Không xác nhận");
  });

  it("finds the columns by header when the office moved them", () => {
    const order = ["reason", "finding", "name", "indicator", "code"];
    const row = findingRow("T-TH1", "2.1", "Không xác nhận", "Chưa ký");
    const result = findingsOf(tabOf(findings, [row], order));
    expect(result.findings.get("T-TH1")).toEqual({ "2.1": { finding: "khong-xac-nhan", reason: "Chưa ký" } });
  });

  it("reads nothing from a missing tab, or one without the code, indicator or finding column", () => {
    const row = findingRow("T-TH1", "1.1", "Xác nhận");
    for (const tab of [
      undefined,
      tabOf(findings, [row], ["indicator", "finding", "reason"]),
      tabOf(findings, [row], ["code", "finding", "reason"]),
      tabOf(findings, [row], ["code", "indicator", "reason"]),
    ]) {
      const result = findingsOf(tab);
      expect(result.read.findings).toBe(false);
      expect(result.findings.size + result.typedFindings.size).toBe(0);
    }
  });
});

describe("readDecisions", () => {
  it("reads every valid decision with its date, whatever the date cell holds", () => {
    const result = decisionsOf(
      tabOf(decisions, [
        { number: "125/QĐ-UBND", date: "20/12/2026", schools: 2, list: "T-TH1, T-CS1", check: "Đã ghi nhận" },
        { number: "7/QĐ-PGDĐT", date: DEC_15 },
        { number: "130/QĐ-UBND", date: new Date("2026-12-21T17:00:00.000Z") },
      ]),
    );
    expect(result.decisions).toEqual([
      { number: "125/QĐ-UBND", date: "2026-12-20", cells: { number: "125/QĐ-UBND", date: "20/12/2026" } },
      { number: "7/QĐ-PGDĐT", date: "2026-12-15", cells: { number: "7/QĐ-PGDĐT", date: DEC_15 } },
      {
        number: "130/QĐ-UBND",
        date: "2026-12-22",
        cells: expect.objectContaining({ date: expect.any(Date) }),
      },
    ]);
  });

  it.each([
    [{ date: "20/12/2026" }, "Chưa ghi số quyết định"],
    [{ number: "QĐ 125", date: "20/12/2026" }, BAD_NUMBER("QĐ 125")],
    [{ number: "125", date: "20/12/2026" }, BAD_NUMBER("125")],
    [{ number: "125 QĐ-UBND", date: "20/12/2026" }, BAD_NUMBER("125 QĐ-UBND")],
    [{ number: "125/QĐ-UBND", date: "31/02/2026" }, BAD_DATE("31/02/2026")],
    [{ number: "125/QĐ-UBND", date: "mai ký" }, BAD_DATE("mai ký")],
  ])("keeps a decision row with %j, with its problem", (cells, problem) => {
    const result = decisionsOf(tabOf(decisions, [cells]));
    expect(result.decisions).toHaveLength(1);
    expect(result.decisions?.[0]?.problem).toBe(problem);
  });

  it("gives a problem for a decision typed without its date", () => {
    const result = decisionsOf(tabOf(decisions, [{ number: "125/QĐ-UBND" }]));
    expect(result.decisions?.[0]).toMatchObject({ number: "125/QĐ-UBND", date: "" });
    expect(result.decisions?.[0]?.problem).toBe("Chưa ghi ngày ký");
  });

  it("refuses a number recorded twice, on its second row", () => {
    const result = decisionsOf(
      tabOf(decisions, [
        { number: "125/QĐ-UBND", date: "20/12/2026" },
        { number: "125/QĐ-UBND", date: "22/12/2026" },
      ]),
    );
    const problems = result.decisions?.map((d) => d.problem);
    expect(problems).toEqual([undefined, "Quyết định số 125/QĐ-UBND đã ghi ở dòng trên"]);
  });

  it("skips empty rows and rows with only dienhinh's columns left", () => {
    const result = decisionsOf(tabOf(decisions, [{}, { schools: 0, check: "Chưa có trường nào" }]));
    expect(result.decisions).toEqual([]);
  });

  it("reads nothing from a missing tab or one without the number or date column", () => {
    const row = { number: "125/QĐ-UBND", date: "20/12/2026" };
    expect(decisionsOf(undefined).decisions).toBeUndefined();
    expect(decisionsOf(tabOf(decisions, [row], ["date", "list"])).decisions).toBeUndefined();
    expect(decisionsOf(tabOf(decisions, [row], ["number", "list"])).decisions).toBeUndefined();
  });
});
