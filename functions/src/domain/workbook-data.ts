import type { Calendar, SchoolExtension } from "./calendar.js";
import type { CalendarReadBack, ExtensionsReadBack } from "./calendar-readback.js";
import type { Control } from "./control.js";
import type { CriteriaSet } from "./criteria.js";
import type { IncidentRecord } from "./incident.js";
import type { InspectionReadBack } from "./inspection-readback.js";
import type { LogEvent } from "./log.js";
import type { ReportNarrative } from "./report-document.js";
import type { School } from "./school.js";
import type { SchoolState } from "./school-state.js";
import type { SheetLayout, TabKey } from "./sheet-layout.js";
import { fromWallClock } from "./time.js";
import type { Cell, ColumnModel, Delivery, PrintSetup, RegistryRow } from "./workbook-model.js";

/** What the tracking workbook is built from, and the parts every tab builder shares. */

export interface WorkbookData {
  layout: SheetLayout;
  schoolYear: string;
  place: string;
  /** What the office calls its communes ("Xã/Thị trấn"): the header of commune columns ({commune}). */
  communeLabel: string;
  criteriaSet: CriteriaSet;
  schools: readonly School[];
  states: ReadonlyMap<string, SchoolState>;
  delivery?: ReadonlyMap<string, Delivery>;
  /** The registry tab as the office keeps it (absent: written from the registry, sorted). */
  registryRows?: readonly RegistryRow[];
  /** Rows of the tracking tab whose code the registry does not know, kept as they were. */
  strayTrackingRows?: readonly Cell[][];
  /** The office's cells of Theo dõi as typed, by school and field (they win over the stored review). */
  typedOffice?: ReadonlyMap<string, Readonly<Record<string, Cell>>>;
  /** What the inspection tabs hold as typed (their cells win over the stored inspection). */
  inspectionInput?: InspectionReadBack;
  /** The whole office's row: "Toàn huyện", "Toàn xã" (from the office profile). */
  wholeLabel?: string;
  /** The office's pause switch and document requests (Điều khiển), as stored or read this cycle. */
  control?: Control;
  /** The narrative parts of the office's report: typed this cycle (they win), or as stored. */
  narrative?: ReportNarrative;
  events: readonly LogEvent[];
  /** The incident reports schools sent (the incident form): on each school's row and in Kiểm tra. */
  incidents?: readonly IncidentRecord[];
  /** The assessment period ("YYYY-MM-DD" days): a reported incident within it contradicts a dossier's 0. */
  period?: { from: string; to: string };
  /** The campaign calendar, shown in Tổng quan with the days left, and in the Lịch tab. */
  calendar?: Calendar;
  /** The Lịch tab as read this cycle (a refused row's cells are written back as typed). */
  calendarInput?: CalendarReadBack;
  /** The extensions granted single schools (Gia hạn), as stored. */
  extensions?: readonly SchoolExtension[];
  /** The Gia hạn tab as read this cycle: its rows as the office keeps them. */
  extensionsInput?: ExtensionsReadBack;
  /** The day the workbook is made (YYYY-MM-DD, the campaign's time zone): the days left count from it. */
  today?: string;
  /** When the data shown last changed (null: nothing received yet). */
  dataTime: Date | null;
}

/** A day "YYYY-MM-DD" as the instant its midnight is in the sheet's zone (a date cell). */
export const dayCell = (day: string, timeZone: string): Date =>
  fromWallClock(new Date(`${day}T00:00:00Z`), timeZone);

/** A row of cells in the columns' order, from values by field (a field not given is empty). */
export const rowOf = (columns: readonly { field: string }[], values: Record<string, Cell>): Cell[] =>
  columns.map((c) => values[c.field] ?? null);

/** What "Kiểm tra dữ liệu" says of a row the office typed that was read and taken. */
export const REGISTRY_OK = "Hợp lệ";

/** A pattern's {name} placeholders filled in; an unknown one is left as it is. */
export const fill = (pattern: string, values: Record<string, string>): string =>
  pattern.replace(/\{(\w+)\}/gu, (whole, key: string) => values[key] ?? whole);

/**
 * A tab's columns as configured, their headers filled in with the office's name for its communes.
 * The read-back finds columns by these headers, so it takes them from here too (tabColumns).
 */
export const columnsOf = (layout: SheetLayout, key: TabKey, communeLabel: string): ColumnModel[] =>
  (layout.tabs[key]?.columns ?? []).map((c) => ({
    ...c,
    header: fill(c.header, { commune: communeLabel, communeLower: communeLabel.toLocaleLowerCase("vi") }),
  }));

/** About the printable width of an A4 portrait page, in the layout's pixels: a wider tab prints landscape. */
export const PORTRAIT_MAX_WIDTH = 800;

/** How a tab prints: as the layout says, or landscape when its columns are wider than a portrait page. */
export const printOf = (layout: SheetLayout, key: TabKey, columns: readonly ColumnModel[]): PrintSetup => ({
  orientation:
    layout.tabs[key]?.print?.orientation ??
    (columns.reduce((width, c) => width + c.width, 0) > PORTRAIT_MAX_WIDTH ? "landscape" : "portrait"),
});

/** What every tab model has from its layout: title, panes, colour, its columns and how it prints. */
export const tabBase = (layout: SheetLayout, key: TabKey, columns: ColumnModel[]) => {
  const tab = layout.tabs[key] ?? layout.tabs.log;
  return {
    key,
    title: tab.title,
    frozenRows: tab.frozenRows,
    frozenColumns: tab.frozenColumns,
    ...(tab.color ? { color: tab.color } : {}),
    columns,
    print: printOf(layout, key, columns),
  };
};
