import type { SheetSnapshot } from "../domain/sheet-readback.js";
import type { WorkbookModel } from "../domain/tracking-workbook.js";
import type { SheetsGateway } from "./google/sheets.js";
import { planSheet } from "./google/sheets-plan.js";
import { readWorkbookFile, writeWorkbookFile } from "./xlsx-workbook.js";

/**
 * Where the tracking workbook lives: a Google Sheet (production) or an .xlsx file (the local
 * default). Either is read (to take back what the office typed), then planned against, then
 * brought up to date.
 */
export interface SheetTarget {
  /** A link or a path, for messages. */
  where: string;
  /** Shortest time between two writes of the deployment: Sheets allows 60 write requests a minute per user. */
  minIntervalMs: number;
  read(): Promise<SheetSnapshot>;
  plan(model: WorkbookModel, current: SheetSnapshot, options: { repair: boolean }): TargetPlan;
}

/** What a flush will do, and the doing of it. */
export interface TargetPlan {
  /** Write requests it takes (Google Sheets: at most two; none when the sheet is up to date). */
  requests: number;
  changedRows: number;
  /** Tabs whose layout is (re)built. */
  rebuilt: string[];
  /** Whether cells the office typed are written (rows that moved), carrying what was read. */
  carriesOfficeCells: boolean;
  apply(): Promise<{ requests: number }>;
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
  plan(model, current, options) {
    const plan = planSheet(model, current, options);
    return {
      requests: (plan.structure.length > 0 ? 1 : 0) + (plan.data.length > 0 ? 1 : 0),
      changedRows: plan.changedRows,
      rebuilt: plan.rebuilt,
      carriesOfficeCells: plan.carriesOfficeCells,
      apply: () => gateway.apply(spreadsheetId, plan),
    };
  },
});

/** The .xlsx file is written whole each time (about 1.5 s for 3,500 schools). */
export const xlsxTarget = (file: string, timeZone: string): SheetTarget => ({
  where: file,
  minIntervalMs: 0,
  read: () => readWorkbookFile(file, timeZone),
  plan(model, current) {
    return {
      requests: 1,
      changedRows: model.tabs.reduce((n, t) => n + t.rows.length, 0),
      rebuilt: current.tabs.size === 0 ? model.tabs.map((t) => t.title) : [],
      carriesOfficeCells: false,
      apply: async () => {
        await writeWorkbookFile(model, file);
        return { requests: 1 };
      },
    };
  },
});
