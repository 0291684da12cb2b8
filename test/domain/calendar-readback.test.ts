import { beforeAll, describe, expect, it } from "vitest";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import { defaultCalendar, type SchoolExtension } from "../../functions/src/domain/calendar.js";
import { readCalendarTab, readExtensionsTab } from "../../functions/src/domain/calendar-readback.js";
import { calendarTab, extensionsTab } from "../../functions/src/domain/calendar-tabs.js";
import { DEFAULT_COMMUNE_LABEL } from "../../functions/src/domain/office.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import type { SnapshotTab } from "../../functions/src/domain/sheet-readback.js";
import { type Cell, type ColumnModel, tabColumns } from "../../functions/src/domain/tracking-workbook.js";
import type { WorkbookData } from "../../functions/src/domain/workbook-data.js";
import { defaultSet } from "../kit/index.js";

const set = defaultSet();
const TZ = "Asia/Ho_Chi_Minh";
const STORED = defaultCalendar("2025-2026");
const KNOWN = new Set(["T-MN1", "T-TH1"]);
let layout: SheetLayout;
let calendarColumns: ColumnModel[];
let extensionColumns: ColumnModel[];
beforeAll(async () => {
  layout = await loadSheetLayout();
  calendarColumns = tabColumns(layout, "calendar", set, DEFAULT_COMMUNE_LABEL);
  extensionColumns = tabColumns(layout, "extensions", set, DEFAULT_COMMUNE_LABEL);
});

const tabOf = (columns: ColumnModel[], rows: Array<Record<string, Cell>>): SnapshotTab => {
  const values = [columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => r[c.field] ?? null))];
  return { rowCount: values.length, columnCount: columns.length, values };
};

const CALENDAR_ROWS: Array<Record<string, Cell>> = [
  { item: "Đăng ký xây dựng (quý I)", from: "01/01/2026", to: "31/03/2026" },
  { item: "Nộp hồ sơ đề nghị công nhận", from: "01/11/2026", to: "20/11/2026" },
  { item: "Hạn bổ sung hồ sơ", to: "28/11/2026" },
  { item: "Kiểm tra thực tế", from: "21/11/2026", to: "30/11/2026" },
  { item: "Hạn báo cáo Sở", to: "2026-12-10" },
];

describe("the Lịch tab read back", () => {
  it("takes the days the office typed, in its words, whatever the rows' order", () => {
    const read = readCalendarTab(
      calendarColumns,
      tabOf(calendarColumns, [...CALENDAR_ROWS].reverse()),
      STORED,
      TZ,
    );
    expect(read?.taken).toBe(true);
    expect(read?.calendar).toMatchObject({
      dossier: { from: "2026-11-01", to: "2026-11-20" },
      fixBy: "2026-11-28",
      inspection: { from: "2026-11-21", to: "2026-11-30" },
      reminderDays: [7, 3, 1],
    });
    expect(read?.problems.size).toBe(0);
  });

  it("keeps the stored calendar when a day cannot be read or the days are out of order, and says why on the row", () => {
    const bad = CALENDAR_ROWS.map((r) => (r.item === "Hạn bổ sung hồ sơ" ? { ...r, to: "30/02/2026" } : r));
    const read = readCalendarTab(calendarColumns, tabOf(calendarColumns, bad), STORED, TZ);
    expect(read?.taken).toBe(false);
    expect(read?.calendar).toEqual(STORED);
    expect(read?.problems.get("fixBy")).toBe("Ngày “30/02/2026” không đọc được; ghi dạng 15/11/2026");

    const early = CALENDAR_ROWS.map((r) => (r.item === "Hạn bổ sung hồ sơ" ? { ...r, to: "10/11/2026" } : r));
    const order = readCalendarTab(calendarColumns, tabOf(calendarColumns, early), STORED, TZ);
    expect(order?.calendar).toEqual(STORED);
    expect(order?.problems.get("fixBy")).toBe("Lịch chưa được nhận: hạn bổ sung trước hạn nộp hồ sơ");
  });

  it("is not read at all when the tab is missing or its columns are gone", () => {
    expect(readCalendarTab(calendarColumns, undefined, STORED, TZ)).toBeUndefined();
    const headless: SnapshotTab = { rowCount: 2, columnCount: 1, values: [["Ghi chú"], ["x"]] };
    expect(readCalendarTab(calendarColumns, headless, STORED, TZ)).toBeUndefined();
  });

  it("is written with each day, where it stands today, and a refused row as the office typed it", () => {
    const bad = CALENDAR_ROWS.map((r) => (r.item === "Hạn bổ sung hồ sơ" ? { ...r, to: "hôm qua" } : r));
    const input = readCalendarTab(calendarColumns, tabOf(calendarColumns, bad), STORED, TZ);
    const data = {
      layout,
      communeLabel: DEFAULT_COMMUNE_LABEL,
      schoolYear: "2025-2026",
      today: "2026-11-10",
    };
    const [model] = calendarTab({
      ...data,
      calendar: STORED,
      ...(input ? { calendarInput: input } : {}),
    } as WorkbookData);
    const field = (f: string) => calendarColumns.findIndex((c) => c.field === f);
    const rows = model?.rows ?? [];
    expect(rows[1]?.[field("state")]).toBe("đang mở, còn 5 ngày");
    expect(rows[2]?.[field("to")]).toBe("hôm qua");
    expect(rows[2]?.[field("check")]).toMatch(/không đọc được/u);
    expect(rows[0]?.[field("check")]).toBe("Hợp lệ");
  });
});

describe("the Gia hạn tab read back", () => {
  const context = (stored: SchoolExtension[] = []) => ({
    known: KNOWN,
    calendar: STORED,
    timeZone: TZ,
    stored,
  });

  it("takes an extension with its school, deadline, day and reason", () => {
    const tab = tabOf(extensionColumns, [
      { code: "t-mn1", deadline: "Hạn nộp hồ sơ", until: "20/11/2026", reason: "Trường bị ngập sau mưa lớn" },
    ]);
    expect(readExtensionsTab(extensionColumns, tab, context())?.extensions).toEqual([
      { school: "T-MN1", deadline: "dossier", until: "2026-11-20", reason: "Trường bị ngập sau mưa lớn" },
    ]);
  });

  it("refuses a row it cannot use, with the fix, and keeps the school's stored extension", () => {
    const stored: SchoolExtension = {
      school: "T-TH1",
      deadline: "fix",
      until: "2026-11-30",
      reason: "Đã xin",
    };
    const tab = tabOf(extensionColumns, [
      { code: "X-999", deadline: "Hạn nộp hồ sơ", until: "20/11/2026", reason: "a" },
      { code: "T-MN1", deadline: "Hạn kiểm tra", until: "20/11/2026", reason: "a" },
      { code: "T-MN1", deadline: "Hạn nộp hồ sơ", until: "10/11/2026", reason: "a" },
      { code: "T-TH1", deadline: "Hạn bổ sung", until: "30/11/2026", reason: "" },
    ]);
    const read = readExtensionsTab(extensionColumns, tab, context([stored]));
    expect(read?.rows.map((r) => r.problem)).toEqual([
      "Mã trường “X-999” không có trong danh sách trường",
      "Chọn hạn được gia hạn: Hạn đăng ký, Hạn nộp hồ sơ, Hạn bổ sung",
      "Ngày gia hạn phải sau hạn nộp hồ sơ chung (15/11/2026)",
      "Ghi lý do gia hạn",
    ]);
    expect(read?.extensions).toEqual([stored]);
  });

  it("drops an extension whose row the office deleted, and writes its rows back as kept", () => {
    const stored: SchoolExtension = {
      school: "T-TH1",
      deadline: "fix",
      until: "2026-11-30",
      reason: "Đã xin",
    };
    const read = readExtensionsTab(extensionColumns, tabOf(extensionColumns, []), context([stored]));
    expect(read?.extensions).toEqual([]);
    const data = {
      layout,
      communeLabel: DEFAULT_COMMUNE_LABEL,
      schools: [{ code: "T-TH1", name: "Trường TH 1" }],
    };
    const [model] = extensionsTab({ ...data, extensions: [stored] } as unknown as WorkbookData);
    const field = (f: string) => extensionColumns.findIndex((c) => c.field === f);
    expect(model?.rows[0]?.[field("name")]).toBe("Trường TH 1");
    expect(model?.rows[0]?.[field("deadline")]).toBe("Hạn bổ sung");
    expect(model?.rows[0]?.[field("reason")]).toBe("Đã xin");
  });
});
