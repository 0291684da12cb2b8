import type { sheets_v4 } from "googleapis/build/src/apis/sheets/index.js";
import { TAB_IDS } from "../../domain/sheet-layout.js";
import {
  cellText,
  headerMatches,
  type SheetSnapshot,
  type SnapshotTab,
} from "../../domain/sheet-readback.js";
import { truncateText } from "../../domain/text.js";
import { toSerial } from "../../domain/time.js";
import { type Cell, gridOf, type TabModel, type WorkbookModel } from "../../domain/tracking-workbook.js";
import { chartRequest, runsOf, tabStructure } from "./sheets-layout.js";

/**
 * From the workbook as it should be and the sheet as it is, the Google Sheets API requests that
 * bring one to the other: at most one `spreadsheets.batchUpdate` (only when the structure must
 * change: a missing tab, a drifted header, rows styled by position that moved, a grid too small, or a
 * repair) and one
 * `values.batchUpdate` with every cell that differs, however many schools changed. Pure.
 *
 * - Values are written RAW, so text that came from a form ("=1+1", "+84…") is stored as text,
 *   never as a formula; dates are written as serial numbers and shown by the column's format.
 * - Office-owned cells are written only when their row moved (a school was added, or the rows
 *   were re-sorted by hand), carrying what was read, so they are never overwritten by the system.
 */

export interface SheetsPlan {
  structure: sheets_v4.Schema$Request[];
  data: sheets_v4.Schema$ValueRange[];
  /** Tabs whose layout was (re)built: created, drifted, or repaired on request. */
  rebuilt: string[];
  /** Rows with at least one cell written. */
  changedRows: number;
  /** Whether office cells are written (rows that moved), carrying what was read. */
  carriesOfficeCells: boolean;
}

/** Sheets refuses a cell over 50,000 characters; a longer text is cut, so one cell cannot block every flush. */
export const MAX_CELL_CHARS = 50_000;

/** Spare rows added when a tab grows, so a few new schools do not need a structural request. */
const SPARE_ROWS = 100;

export const quoteTitle = (title: string): string => `'${title.replace(/'/gu, "''")}'`;

export const columnLetter = (index: number): string => {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
};

const a1 = (title: string, row: number, col: number, endRow: number, endCol: number) =>
  `${quoteTitle(title)}!${columnLetter(col)}${row + 1}:${columnLetter(endCol - 1)}${endRow}`;

/** The value sent for a cell: "" clears it. */
export const sheetValue = (cell: Cell, timeZone: string): string | number | boolean => {
  if (cell === null) return "";
  if (cell instanceof Date) return toSerial(cell, timeZone);
  // Cut at a grapheme boundary: never half an emoji's surrogate pair, or a letter without its accent.
  if (typeof cell === "string") return truncateText(cell, MAX_CELL_CHARS);
  return cell;
};

/** Whether the sheet already shows what it should (dates within a second, numbers within rounding). */
export const sameCell = (want: Cell, have: Cell | undefined, timeZone: string): boolean => {
  const value = sheetValue(want, timeZone);
  const current = have instanceof Date ? toSerial(have, timeZone) : (have ?? "");
  if (typeof value === "number" && typeof current === "number") {
    return Math.abs(value - current) < (want instanceof Date ? 1 / 86_400 : 1e-9);
  }
  return value === current;
};

interface RowWrite {
  row: number;
  runs: Array<[number, number]>;
}

/** The cells of one tab that differ, as value ranges (consecutive rows with the same runs share one). */
export const planValues = (
  tab: TabModel,
  current: SnapshotTab | undefined,
  timeZone: string,
): { data: sheets_v4.Schema$ValueRange[]; changedRows: number; carriesOfficeCells: boolean } => {
  const grid = gridOf(tab);
  const have = current?.values ?? [];
  const drifted = tab.header && !headerMatches(tab.columns, have[0]);
  // A drifted tab is rewritten in the configured order; columns beyond it (left over from a larger
  // criteria set, say) are cleared, so nobody types into a column that is no longer read.
  const width = drifted ? Math.max(tab.columns.length, ...have.map((row) => row.length)) : tab.columns.length;
  const office = tab.columns.map(
    (c, i) => c.owner === "office" && !tab.authoritative && !tab.rewrittenColumns?.includes(i),
  );
  let carriesOfficeCells = false;
  const keys = tab.keyColumns;
  const writes: RowWrite[] = [];
  const rows = Math.max(grid.length, have.length);
  for (let r = 0; r < rows; r++) {
    const want = grid[r] ?? [];
    const row = have[r] ?? [];
    const inPlace =
      !drifted &&
      (keys === undefined ||
        r === 0 ||
        (keys.every((k) => cellText(want[k] ?? null) === cellText(row[k])) && r < grid.length));
    const flags = Array.from(
      { length: width },
      (_, c) => !(inPlace && office[c] && r > 0) && !sameCell(want[c] ?? null, row[c], timeZone),
    );
    // A moved row is written whole, office cells included (carrying what was read), so its
    // cells never end up beside another school's.
    if (!inPlace && flags.some(Boolean)) {
      flags.fill(true);
      if (r > 0 && office.some((isOffice, c) => isOffice && cellText(want[c] ?? null) !== ""))
        carriesOfficeCells = true;
    }
    const runs = runsOf(flags);
    if (runs.length > 0) writes.push({ row: r, runs });
  }
  const data: sheets_v4.Schema$ValueRange[] = [];
  let i = 0;
  while (i < writes.length) {
    const first = writes[i] as RowWrite;
    const signature = JSON.stringify(first.runs);
    let end = i + 1;
    while (
      end < writes.length &&
      (writes[end] as RowWrite).row === first.row + (end - i) &&
      JSON.stringify((writes[end] as RowWrite).runs) === signature
    )
      end++;
    const lastRow = first.row + (end - i);
    for (const [from, to] of first.runs) {
      const values: Array<Array<string | number | boolean>> = [];
      for (let r = first.row; r < lastRow; r++) {
        const want = grid[r] ?? [];
        values.push(
          Array.from({ length: to - from }, (_, c) => sheetValue(want[from + c] ?? null, timeZone)),
        );
      }
      data.push({ range: a1(tab.title, first.row, from, lastRow, to), majorDimension: "ROWS", values });
    }
    i = end;
  }
  return { data, changedRows: writes.length, carriesOfficeCells };
};

/**
 * Whether a row styled by its position (a heading, a total) is not where the sheet has it: the
 * overview's rows by level or by commune changed in number, so its styles and chart are laid out again.
 */
export const styledRowsMoved = (tab: TabModel, current: SnapshotTab): boolean => {
  const grid = gridOf(tab);
  return [...tab.headingRows, ...tab.boldRows].some(
    (r) => cellText(grid[r]?.[0] ?? null) !== cellText(current.values[r]?.[0]),
  );
};

/** The whole plan for a flush (or, with `repair`, for setting the sheet up again). */
export const planSheet = (
  model: WorkbookModel,
  snapshot: SheetSnapshot,
  options: { repair?: boolean } = {},
): SheetsPlan => {
  const plan: SheetsPlan = {
    structure: [],
    data: [],
    rebuilt: [],
    changedRows: 0,
    carriesOfficeCells: false,
  };
  const usedIds = new Set([...snapshot.tabs.values()].map((t) => t.sheetId));
  const titles = new Set(model.tabs.map((t) => t.title));
  model.tabs.forEach((tab, index) => {
    // By title, or a tab the office renamed by the id dienhinh gave it (its title is put back).
    const current =
      snapshot.tabs.get(tab.title) ??
      [...snapshot.tabs].find(([title, t]) => t.sheetId === TAB_IDS[tab.key] && !titles.has(title))?.[1];
    const renamed = current !== undefined && !snapshot.tabs.has(tab.title);
    const rowsNeeded = gridOf(tab).length + 1;
    let sheetId = current?.sheetId;
    const rebuild =
      !current ||
      renamed ||
      options.repair ||
      (tab.header && !headerMatches(tab.columns, current.values[0])) ||
      styledRowsMoved(tab, current);
    if (sheetId === undefined) {
      sheetId = TAB_IDS[tab.key];
      while (usedIds.has(sheetId)) sheetId++;
      usedIds.add(sheetId);
      plan.structure.push({
        addSheet: {
          properties: { sheetId, title: tab.title, index, gridProperties: { rowCount: 1, columnCount: 1 } },
        },
      });
    }
    const rowCount = current && current.rowCount >= rowsNeeded ? current.rowCount : rowsNeeded + SPARE_ROWS;
    if (rebuild) {
      plan.rebuilt.push(tab.title);
      plan.structure.push(...tabStructure(tab, model, sheetId, index, current, rowCount));
      if (tab.key === model.chart.tab)
        plan.structure.push(chartRequest(model, sheetId, tab.columns.length + 1));
    } else if (current && (current.rowCount < rowsNeeded || current.columnCount < tab.columns.length)) {
      plan.structure.push({
        updateSheetProperties: {
          properties: {
            sheetId,
            gridProperties: { rowCount, columnCount: Math.max(current.columnCount, tab.columns.length) },
          },
          fields: "gridProperties(rowCount,columnCount)",
        },
      });
    }
    const values = planValues(tab, current, model.timeZone);
    plan.data.push(...values.data);
    plan.changedRows += values.changedRows;
    plan.carriesOfficeCells ||= values.carriesOfficeCells;
  });
  return plan;
};
