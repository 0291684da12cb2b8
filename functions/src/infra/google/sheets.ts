import { drive as driveApi } from "googleapis/build/src/apis/drive/index.js";
import {
  auth as googleAuth,
  type sheets_v4,
  sheets as sheetsApi,
} from "googleapis/build/src/apis/sheets/index.js";
import { TAB_IDS } from "../../domain/sheet-layout.js";
import type { SheetSnapshot, SnapshotTab } from "../../domain/sheet-readback.js";
import type { Cell, WorkbookModel } from "../../domain/tracking-workbook.js";
import { guardGoogle } from "./errors.js";
import type { GoogleClientOptions } from "./forms.js";
import type { SheetsPlan } from "./sheets-plan.js";

/** What dienhinh needs of the Google Sheets API (and of Drive, to share the sheet). */
export interface SheetsGateway {
  /** Create the spreadsheet with its tabs, empty: their layout and values come with the first flush. */
  create(model: WorkbookModel): Promise<{ spreadsheetId: string; url: string }>;
  /** Every tab: size, values, protections, conditional formats, charts. One read request. */
  read(spreadsheetId: string): Promise<SheetSnapshot>;
  /** At most two write requests: the structure (if any), then the values (if any). */
  apply(spreadsheetId: string, plan: SheetsPlan): Promise<{ requests: number }>;
  /** Give a person edit rights (Drive permissions.create). */
  share(spreadsheetId: string, email: string): Promise<void>;
}

export const SHEETS_SCOPES = [
  "https://www.googleapis.com/auth/spreadsheets",
  "https://www.googleapis.com/auth/drive.file",
];

export interface RetryOptions {
  /** Attempts after the first. */
  retries?: number;
  /** First delay in ms; each retry doubles it, up to `maxDelayMs`, plus random jitter up to the same. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * googleapis retries only idempotent methods by default; every Sheets write is a POST. Writing
 * values is safe to repeat (they are absolute), so 429 and 5xx are retried for every method, with
 * exponential backoff and jitter (gaxios has no jitter of its own: it is added before each retry).
 * The structural batch is not: after a 5xx it may have been applied, and again would add a second
 * chart or protection. It is retried on 429 only (refused, so not applied); otherwise the cycle
 * fails and the next one plans against what the sheet then holds.
 */
export const retryConfigFor = (options: RetryOptions = {}) => {
  const base = options.baseDelayMs ?? 1_000;
  return {
    retry: options.retries ?? 6,
    noResponseRetries: 2,
    retryDelay: base,
    retryDelayMultiplier: 2,
    maxRetryDelay: options.maxDelayMs ?? 32_000,
    httpMethodsToRetry: ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"],
    statusCodesToRetry: [
      [429, 429],
      [500, 599],
    ],
    onRetryAttempt: () => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * base)),
  };
};

const cellOf = (value: sheets_v4.Schema$ExtendedValue | undefined): Cell => {
  if (!value) return null;
  if (value.stringValue !== undefined && value.stringValue !== null) return value.stringValue;
  if (value.numberValue !== undefined && value.numberValue !== null) return value.numberValue;
  if (value.boolValue !== undefined && value.boolValue !== null) return value.boolValue;
  if (value.errorValue) return value.errorValue.message ?? "#ERROR";
  return null;
};

const READ_FIELDS =
  "sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount))," +
  "protectedRanges(protectedRangeId),conditionalFormats(ranges(sheetId)),charts(chartId)," +
  "data(startRow,startColumn,rowData(values(effectiveValue))))";

/** A spreadsheet as Sheets returns it (grid data included) as what a cycle plans against. */
const snapshotOf = (data: sheets_v4.Schema$Spreadsheet): SheetSnapshot => {
  const tabs = new Map<string, SnapshotTab>();
  for (const sheet of data.sheets ?? []) {
    const p = sheet.properties ?? {};
    const values: Cell[][] = [];
    for (const block of sheet.data ?? []) {
      (block.rowData ?? []).forEach((row, r) => {
        const at = (block.startRow ?? 0) + r;
        const target = values[at] ?? [];
        values[at] = target;
        (row.values ?? []).forEach((cell, c) => {
          target[(block.startColumn ?? 0) + c] = cellOf(cell.effectiveValue);
        });
      });
    }
    for (let r = 0; r < values.length; r++) values[r] = Array.from(values[r] ?? [], (c) => c ?? null);
    tabs.set(p.title ?? "", {
      sheetId: p.sheetId ?? 0,
      rowCount: p.gridProperties?.rowCount ?? 0,
      columnCount: p.gridProperties?.columnCount ?? 0,
      values,
      protectedRangeIds: (sheet.protectedRanges ?? []).flatMap((r) =>
        r.protectedRangeId === undefined || r.protectedRangeId === null ? [] : [r.protectedRangeId],
      ),
      conditionalFormatCount: sheet.conditionalFormats?.length ?? 0,
      chartIds: (sheet.charts ?? []).flatMap((c) =>
        c.chartId === undefined || c.chartId === null ? [] : [c.chartId],
      ),
    });
  }
  return { tabs };
};

export const googleSheetsGateway = (
  options: GoogleClientOptions & { retry?: RetryOptions } = {},
): SheetsGateway => {
  const auth = options.auth ?? new googleAuth.GoogleAuth({ scopes: SHEETS_SCOPES });
  const retryConfig = retryConfigFor(options.retry);
  const common = {
    auth,
    retryConfig,
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
  };
  const sheets = sheetsApi({ version: "v4", ...common });
  const drive = driveApi({ version: "v3", ...common });

  return guardGoogle("Google Sheets API", {
    async create(model) {
      const created = await sheets.spreadsheets.create({
        requestBody: {
          properties: { title: model.title, locale: model.locale, timeZone: model.timeZone },
          sheets: model.tabs.map((tab, index) => ({
            properties: { sheetId: TAB_IDS[tab.key], title: tab.title, index },
          })),
        },
        fields: "spreadsheetId,spreadsheetUrl",
      });
      const spreadsheetId = created.data.spreadsheetId;
      if (!spreadsheetId) throw new Error("spreadsheets.create answered without a spreadsheetId");
      return { spreadsheetId, url: created.data.spreadsheetUrl ?? "" };
    },

    async read(spreadsheetId) {
      const { data } = await sheets.spreadsheets.get({
        spreadsheetId,
        includeGridData: true,
        fields: READ_FIELDS,
      });
      return snapshotOf(data);
    },

    async apply(spreadsheetId, plan) {
      let requests = 0;
      if (plan.structure.length > 0) {
        await sheets.spreadsheets.batchUpdate(
          { spreadsheetId, requestBody: { requests: plan.structure } },
          { retryConfig: { ...retryConfig, statusCodesToRetry: [[429, 429]] } },
        );
        requests++;
      }
      if (plan.data.length > 0) {
        await sheets.spreadsheets.values.batchUpdate({
          spreadsheetId,
          requestBody: { valueInputOption: "RAW", data: plan.data },
        });
        requests++;
      }
      return { requests };
    },

    async share(spreadsheetId, email) {
      await drive.permissions.create({
        fileId: spreadsheetId,
        sendNotificationEmail: false,
        requestBody: { type: "user", role: "writer", emailAddress: email },
      });
    },
  } satisfies SheetsGateway);
};
