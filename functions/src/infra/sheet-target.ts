import type { SheetSnapshot } from "../domain/sheet-readback.js";
import type { WorkbookModel } from "../domain/tracking-workbook.js";
import type { SheetsGateway } from "./sheets-api.js";
import { planSheet } from "./sheets-plan.js";
import { readWorkbookFile, writeWorkbookFile } from "./xlsx-workbook.js";

/**
 * Where the tracking workbook lives: a Google Sheet (production) or an .xlsx file (the local
 * default). Either is read (to take back what the office typed) and then brought up to date.
 */
export interface SheetTarget {
  /** A link or a path, for messages. */
  where: string;
  /** Shortest time between two writes: Sheets allows 60 write requests a minute per user. */
  minIntervalMs: number;
  read(): Promise<SheetSnapshot>;
  write(model: WorkbookModel, current: SheetSnapshot, options: { repair: boolean }): Promise<SheetWrite>;
}

export interface SheetWrite {
  /** Write requests sent (Google Sheets: at most two). */
  requests: number;
  changedRows: number;
  /** Tabs whose layout was (re)built. */
  rebuilt: string[];
}

/** Two writes at most per flush: one flush every two seconds keeps within 60 writes a minute. */
export const SHEETS_MIN_INTERVAL_MS = 2_000;

export const googleSheetTarget = (
  gateway: SheetsGateway,
  spreadsheetId: string,
  options: { minIntervalMs?: number } = {},
): SheetTarget => ({
  where: `https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit`,
  minIntervalMs: options.minIntervalMs ?? SHEETS_MIN_INTERVAL_MS,
  read: () => gateway.read(spreadsheetId),
  async write(model, current, options) {
    const plan = planSheet(model, current, options);
    const { requests } = await gateway.apply(spreadsheetId, plan);
    return { requests, changedRows: plan.changedRows, rebuilt: plan.rebuilt };
  },
});

/** The .xlsx file is written whole each time (a few hundred milliseconds for 3,500 schools). */
export const xlsxTarget = (file: string): SheetTarget => ({
  where: file,
  minIntervalMs: 0,
  read: () => readWorkbookFile(file),
  async write(model, current) {
    await writeWorkbookFile(model, file);
    return {
      requests: 1,
      changedRows: model.tabs.reduce((n, t) => n + t.rows.length, 0),
      rebuilt: current.tabs.size === 0 ? model.tabs.map((t) => t.title) : [],
    };
  },
});
