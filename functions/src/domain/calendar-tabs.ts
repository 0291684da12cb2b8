import { CALENDAR_ITEMS, DEADLINE_LABELS, daysLeftInWords, defaultCalendar } from "./calendar.js";
import { windowStanding } from "./calendar-view.js";
import { columnsOf, dayCell, REGISTRY_OK, rowOf, tabBase, type WorkbookData } from "./workbook-data.js";
import type { Cell, ColumnModel, TabModel } from "./workbook-model.js";

/** The Lịch and Gia hạn tabs: the campaign calendar and the schools' extensions, typed by the office. */

const model = (
  data: WorkbookData,
  key: "calendar" | "extensions",
  columns: ColumnModel[],
  rows: Cell[][],
) => ({
  ...tabBase(data.layout, key, columns),
  header: true,
  rows,
  headingRows: [0],
  boldRows: [],
});

/** Lịch: a row per window or deadline; a refused row keeps what the office typed, and says why. */
export const calendarTab = (data: WorkbookData): TabModel[] => {
  const calendar = data.calendarInput?.calendar ?? data.calendar ?? defaultCalendar(data.schoolYear);
  if (!data.layout.tabs.calendar) return [];
  const columns = columnsOf(data.layout, "calendar", data.communeLabel);
  const zone = data.layout.timeZone;
  const rows = CALENDAR_ITEMS.map((item) => {
    const value = calendar[item.key];
    const problem = data.calendarInput?.problems.get(item.key);
    const typed = problem ? data.calendarInput?.typed.get(item.key) : undefined;
    const [from, to] = typeof value === "string" ? [undefined, value] : [value.from, value.to];
    const state =
      !data.today || problem
        ? null
        : typeof value === "string"
          ? daysLeftInWords(data.today, value)
          : windowStanding(value, data.today);
    return rowOf(columns, {
      item: item.label,
      from: typed ? typed.from : from ? dayCell(from, zone) : null,
      to: typed ? typed.to : dayCell(to, zone),
      state,
      check: problem ?? REGISTRY_OK,
    });
  });
  const keyColumns = [columns.findIndex((c) => c.field === "item")];
  return [{ ...model(data, "calendar", columns, rows), keyColumns }];
};

/** Gia hạn: the rows as the office keeps them (refused ones with why), or the stored extensions. */
export const extensionsTab = (data: WorkbookData): TabModel[] => {
  if (!data.layout.tabs.extensions) return [];
  const columns = columnsOf(data.layout, "extensions", data.communeLabel);
  const names = new Map(data.schools.map((s) => [s.code, s.name]));
  const zone = data.layout.timeZone;
  const rows = data.extensionsInput
    ? data.extensionsInput.rows.map((r) =>
        rowOf(columns, { ...r.cells, name: names.get(r.code) ?? null, check: r.problem ?? REGISTRY_OK }),
      )
    : (data.extensions ?? []).map((e) =>
        rowOf(columns, {
          code: e.school,
          name: names.get(e.school) ?? null,
          deadline: DEADLINE_LABELS[e.deadline],
          until: dayCell(e.until, zone),
          reason: e.reason,
          check: REGISTRY_OK,
        }),
      );
  return [model(data, "extensions", columns, rows)];
};
