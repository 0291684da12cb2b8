import type { School } from "../domain/school.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import type { FormsGateway } from "../infra/google/forms.js";
import type { SheetsGateway } from "../infra/google/sheets.js";
import type { Logger } from "../infra/log.js";
import type { SheetTarget } from "../infra/sheet-target.js";
import type { Store } from "../infra/store/index.js";

export type { Logger } from "../infra/log.js";

/** What the use cases need from the outside, built once per process (see deps.ts, `buildDeps`). */
export interface AppDeps {
  store: Store;
  forms?: FormsGateway;
  /** The tracking sheets' API and layout; absent where campaigns have no Google Sheet. */
  sheets?: SheetsAccess;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
  /** The registry of a campaign; cached briefly, as every delivery needs it and it rarely changes. */
  schools: (campaignId: string) => Promise<ReadonlyMap<string, School>>;
}

/** The Google Sheets side of a deployment: the API, the default layout, and a spreadsheet as a target. */
export interface SheetsAccess {
  gateway: SheetsGateway;
  layout: SheetLayout;
  /** A campaign's spreadsheet, read and written at the deployment's pace. */
  target: (spreadsheetId: string) => SheetTarget;
}

/** A campaign's registry, kept `ttlMs` (a response needs it; it rarely changes). */
export const cachedSchools = (
  store: Pick<Store, "schools">,
  clock: () => Date,
  ttlMs = 30_000,
): AppDeps["schools"] => {
  const cache = new Map<string, { at: number; schools: Promise<ReadonlyMap<string, School>> }>();
  return (campaignId) => {
    const now = clock().getTime();
    const hit = cache.get(campaignId);
    if (hit && now - hit.at < ttlMs) return hit.schools;
    const schools = store.schools.load(campaignId);
    cache.set(campaignId, { at: now, schools });
    schools.catch(() => cache.delete(campaignId));
    return schools;
  };
};
