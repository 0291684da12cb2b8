import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import ExcelJS from "exceljs";
import type { SheetSnapshot, SnapshotTab } from "../domain/sheet-readback.js";
import { fromWallClock, wallClock } from "../domain/time.js";
import { type Cell, gridOf, type TabModel, type WorkbookModel } from "../domain/tracking-workbook.js";
import { columnLetter } from "./google/sheets-plan.js";

/**
 * The tracking workbook as an .xlsx file (exceljs): the same tabs, headers, formats, colours,
 * dropdowns and protections as the Google Sheet. It is the local stand-in for the sheet, so it is
 * also read back: what the office typed into its office columns and registry tab is taken in at
 * the next run. exceljs cannot draw charts; the overview's table carries the same figures.
 */

/** Spare rows below the data that stay editable (new schools in the registry, notes). */
const SPARE_ROWS = 200;
/** Excel measures column width in characters of the default font; about 7 pixels each. */
const PIXELS_PER_CHARACTER = 7;

const argb = (hex: string) => `FF${hex.slice(1).toUpperCase()}`;

const FORMAT_PATTERN = (model: WorkbookModel, format: TabModel["columns"][number]["format"]): string =>
  format === "text" || format === "link" ? "@" : model.formats[format];

/** exceljs keeps sheet-wide data validations here; its type declarations leave it out. */
interface DataValidations {
  add(address: string, validation: ExcelJS.DataValidation): void;
}

/** A column's format, wrapping and editability down to the spare rows; its dropdown and colours. */
const formatColumn = (
  sheet: ExcelJS.Worksheet,
  model: WorkbookModel,
  column: TabModel["columns"][number],
  c: number,
  firstDataRow: number,
  lastRow: number,
) => {
  const numFmt = FORMAT_PATTERN(model, column.format);
  for (let r = firstDataRow; r <= lastRow; r++) {
    const cell = sheet.getRow(r).getCell(c + 1);
    cell.numFmt = numFmt;
    if (column.wrap) cell.alignment = { wrapText: true, vertical: "top" };
    if (column.owner === "office") cell.protection = { locked: false };
  }
  const range = `${columnLetter(c)}${firstDataRow}:${columnLetter(c)}${lastRow}`;
  if (column.choices) {
    (sheet as unknown as { dataValidations: DataValidations }).dataValidations.add(range, {
      type: "list",
      allowBlank: true,
      formulae: [`"${column.choices.join(",")}"`],
      showErrorMessage: true,
      errorTitle: "Giá trị không hợp lệ",
      error: `Chọn một trong: ${column.choices.join(", ")}`,
    });
  }
  const colours = Object.entries(column.colors ?? {});
  if (colours.length > 0) {
    sheet.addConditionalFormatting({
      ref: range,
      rules: colours.map(([text, colour], i) => ({
        type: "cellIs",
        operator: "equal",
        priority: i + 1,
        formulae: [`"${text.replace(/"/gu, '""')}"`],
        style: { fill: { type: "pattern", pattern: "solid", bgColor: { argb: argb(colour) } } },
      })),
    });
  }
};

/** Excel's paper size code for A4. */
const A4 = 9;

/**
 * How a tab prints: A4 in its orientation, fitted to the page width (as many pages down as it
 * takes), the header row repeated on every page.
 */
const pageSetupOf = (tab: TabModel): Partial<ExcelJS.PageSetup> => ({
  paperSize: A4 as ExcelJS.PaperSize,
  orientation: tab.print.orientation,
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  ...(tab.header ? { printTitlesRow: "1:1" } : {}),
});

const writeTab = async (workbook: ExcelJS.Workbook, model: WorkbookModel, tab: TabModel) => {
  const sheet = workbook.addWorksheet(tab.title, {
    ...(tab.color ? { properties: { tabColor: { argb: argb(tab.color) } } } : {}),
    pageSetup: pageSetupOf(tab),
    views: [
      tab.frozenRows || tab.frozenColumns
        ? { state: "frozen", xSplit: tab.frozenColumns, ySplit: tab.frozenRows }
        : { state: "normal" },
    ],
  });
  const firstDataRow = tab.header ? 2 : 1; // 1-based
  const grid = gridOf(tab);
  const lastRow = grid.length + SPARE_ROWS;
  tab.columns.forEach((column, c) => {
    sheet.getColumn(c + 1).width = Math.round((column.width / PIXELS_PER_CHARACTER) * 10) / 10;
  });
  grid.forEach((cells, r) => {
    const row = sheet.getRow(r + 1);
    tab.columns.forEach((column, c) => {
      const value = cells[c] ?? null;
      const cell = row.getCell(c + 1);
      if (value instanceof Date) cell.value = wallClock(value, model.timeZone);
      else if (column.format === "link" && typeof value === "string" && value && r + 1 >= firstDataRow) {
        cell.value = { text: value, hyperlink: value };
        cell.font = { color: { argb: "FF1155CC" }, underline: true };
      } else cell.value = value;
    });
  });
  for (const [c, column] of tab.columns.entries())
    formatColumn(sheet, model, column, c, firstDataRow, lastRow);
  for (const r of tab.headingRows) {
    const row = sheet.getRow(r + 1);
    tab.columns.forEach((_, c) => {
      const cell = row.getCell(c + 1);
      cell.fill = {
        type: "pattern",
        pattern: "solid",
        fgColor: { argb: argb(model.headerStyle.background) },
      };
      cell.font = { bold: true, color: { argb: argb(model.headerStyle.color) } };
      cell.alignment = { wrapText: true, vertical: "middle" };
    });
  }
  for (const r of tab.boldRows) sheet.getRow(r + 1).font = { bold: true };
  // A filter on every table, over its header and rows (usable in the protected sheet: autoFilter below).
  if (tab.header)
    sheet.autoFilter = {
      from: { row: 1, column: 1 },
      to: { row: grid.length, column: tab.columns.length },
    };
  if (!model.warningOnlyProtection) {
    // No password: protection guards against slips, as in the Google Sheet, not against people.
    await sheet.protect("", {
      selectLockedCells: true,
      selectUnlockedCells: true,
      formatColumns: true,
      formatRows: true,
      autoFilter: true,
      sort: true,
    });
  }
};

/** The workbook as .xlsx bytes. */
export const workbookToXlsx = async (model: WorkbookModel): Promise<Buffer> => {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "dienhinh";
  workbook.title = model.title;
  for (const tab of model.tabs) await writeTab(workbook, model, tab);
  return Buffer.from(await workbook.xlsx.writeBuffer());
};

/** Write the workbook to a file, atomically (a reader never sees half a file). */
export const writeWorkbookFile = async (model: WorkbookModel, file: string): Promise<void> => {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  const workbook = await workbookToXlsx(model);
  await writeFile(partial, workbook);
  await rename(partial, file);
};

const readCell = (value: ExcelJS.CellValue, timeZone: string): Cell => {
  if (value === null || value === undefined) return null;
  // Excel keeps wall-clock times: back to the instant they stand for in the workbook's zone.
  if (value instanceof Date) return fromWallClock(value, timeZone);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("hyperlink" in value) return typeof value.text === "string" ? value.text : value.hyperlink;
  if ("formula" in value || "sharedFormula" in value)
    return readCell(value.result as ExcelJS.CellValue, timeZone);
  if ("error" in value) return value.error;
  return null;
};

/** What an .xlsx workbook holds (empty when the file does not exist yet); its times are in `timeZone`. */
export const readWorkbookFile = async (file: string, timeZone: string): Promise<SheetSnapshot> => {
  const tabs = new Map<string, SnapshotTab>();
  if (!(await stat(file).catch(() => undefined))) return { tabs };
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  workbook.eachSheet((sheet) => {
    const values: Cell[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row, r) => {
      const cells: Cell[] = [];
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        cells[c - 1] = readCell(cell.value, timeZone);
      });
      values[r - 1] = Array.from(cells, (c) => c ?? null);
    });
    tabs.set(sheet.name, {
      rowCount: sheet.rowCount,
      columnCount: sheet.columnCount,
      values: Array.from(values, (row) => row ?? []),
    });
  });
  return { tabs };
};
