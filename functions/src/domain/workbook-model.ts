import type { ColumnLayout, SheetLayout, TabKey } from "./sheet-layout.js";

/**
 * The tracking workbook's model: tabs of cells, as the Google Sheets and .xlsx adapters write them
 * (built in tracking-workbook.ts).
 */

/** A cell: text, a number, a date-time, or empty. */
export type Cell = string | number | boolean | Date | null;

export interface ColumnModel extends Omit<ColumnLayout, "field"> {
  field: string;
}

export interface TabModel {
  key: TabKey;
  title: string;
  columns: ColumnModel[];
  frozenRows: number;
  frozenColumns: number;
  color?: string;
  /** How it prints (A4, fitted to the page width, the header row on every page). */
  print: PrintSetup;
  /** Whether row 1 is the column headers (every tab but the overview). */
  header: boolean;
  rows: Cell[][];
  /** Columns that together identify a row (the school code; and the indicator), for keyed tabs. */
  keyColumns?: number[];
  /** Written whole, office columns included: the data was just loaded from a file and replaces the tab's. */
  authoritative?: boolean;
  /**
   * Office columns the system writes back with what it took (an approval that lapsed is cleared, a
   * request taken is emptied), where other office cells in place are never written.
   */
  rewrittenColumns?: number[];
  /** Rows styled as table headers, and rows in bold (0-based, counting the header row if any). */
  headingRows: number[];
  boldRows: number[];
}

/**
 * A tab's print setup. The .xlsx carries it; the Google Sheets API has no stored print settings
 * (they are chosen in the print dialog), so the sheet does not.
 */
export interface PrintSetup {
  orientation: "landscape" | "portrait";
}

export interface WorkbookModel {
  title: string;
  locale: string;
  timeZone: string;
  tabs: TabModel[];
  /** Number format patterns by cell format (Sheets and Excel share the syntax). */
  formats: SheetLayout["formats"];
  headerStyle: SheetLayout["header"];
  warningOnlyProtection: boolean;
  /** The overview's chart: status counts by level. Row and column indexes are 0-based, end exclusive. */
  chart: {
    tab: TabKey;
    title: string;
    headerRow: number;
    firstRow: number;
    endRow: number;
    columns: number[];
  };
}

/** What the office has typed into the registry tab, row by row, as read back. */
export interface RegistryRow {
  code: string;
  /** The row as typed, by field; kept as typed even when invalid, so nothing the office wrote is lost. */
  cells: Record<string, Cell>;
  /** Why the row was not taken into the registry; absent when it was. */
  problem?: string;
}

/** Where a school's report and email stand (filled in by the reports and mail work). */
export interface Delivery {
  reportUrl?: string;
  /** The result's editable copy: a .docx file, or the Google Doc Drive made of it. */
  reportDocxUrl?: string;
  mailedAt?: Date;
}

/** The header row of a tab with column headers. */
export const headerRow = (tab: TabModel): string[] => tab.columns.map((c) => c.header);

/** All rows of a tab as they appear in the sheet (headers first). */
export const gridOf = (tab: TabModel): Cell[][] => (tab.header ? [headerRow(tab), ...tab.rows] : tab.rows);
