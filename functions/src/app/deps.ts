import type { Firestore } from "@google-cloud/firestore";
import type { School } from "../domain/school.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import { loadSchools } from "../infra/campaign-store.js";
import type { FormsGateway } from "../infra/forms-api.js";
import type { SheetsGateway } from "../infra/sheets-api.js";

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** JSON lines with a `severity`, the shape Cloud Logging reads from a function's output. */
export const jsonLogger = (write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger => {
  const at = (severity: string) => (message: string, fields?: Record<string, unknown>) =>
    write(JSON.stringify({ severity, message, ...fields }));
  return { info: at("INFO"), warn: at("WARNING"), error: at("ERROR") };
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** What the use cases need from the outside, built once per process from the configuration. */
export interface AppDeps {
  db: Firestore;
  forms?: FormsGateway;
  /** The tracking sheets' API and layout; absent where campaigns have no Google Sheet. */
  sheets?: { gateway: SheetsGateway; layout: SheetLayout; minIntervalMs?: number };
  clock: () => Date;
  log: Logger;
  /** The registry of a campaign; cached briefly, as every delivery needs it and it rarely changes. */
  schools: (campaignId: string) => Promise<ReadonlyMap<string, School>>;
}

export const cachedSchools = (db: Firestore, ttlMs = 30_000): AppDeps["schools"] => {
  const cache = new Map<string, { at: number; schools: Promise<ReadonlyMap<string, School>> }>();
  return (campaignId) => {
    const hit = cache.get(campaignId);
    if (hit && Date.now() - hit.at < ttlMs) return hit.schools;
    const schools = loadSchools(db, campaignId);
    cache.set(campaignId, { at: Date.now(), schools });
    schools.catch(() => cache.delete(campaignId));
    return schools;
  };
};
