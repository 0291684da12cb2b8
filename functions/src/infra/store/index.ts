import type { Firestore } from "@google-cloud/firestore";
import { campaignStore, schoolStore, submissionStore } from "./campaigns.js";
import { storeError } from "./errors.js";
import { eventStore } from "./events.js";
import { intakeStore } from "./intake.js";
import { leaseStore, quotaStore } from "./locks.js";
import { outboxStore } from "./outbox.js";
import { paths } from "./paths.js";
import { mailRecordStore, reportRecordStore } from "./records.js";
import { stateStore } from "./states.js";

/**
 * The one persistence port: every Firestore path, transaction, lease, quota and claim of dienhinh
 * lives under infra/store/. The rest of the program calls these methods with domain values and gets
 * parsed domain values back; it never sees a Firestore type, a path or a gRPC code. Failures come
 * out as dienhinh's errors: Firestore unavailable, overloaded or contended is an UnavailableError
 * (retryable), anything else an InternalError; a ConflictError or BusyError says a precondition
 * or a race was lost.
 */
export interface StoreOptions {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const firestoreStore = (db: Firestore, where: string, options: StoreOptions = {}) => {
  const p = paths(db);
  const store = {
    campaigns: campaignStore(db, p),
    schools: schoolStore(db, p),
    submissions: submissionStore(db, p),
    intake: intakeStore(db, p, {
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random: options.random ?? Math.random,
    }),
    states: stateStore(db, p),
    outbox: outboxStore(db, p),
    reports: reportRecordStore(db, p),
    mail: mailRecordStore(db, p),
    events: eventStore(db, p),
    leases: leaseStore(db, p),
    quotas: quotaStore(db, p),
  };
  return {
    ...guardAll(store),
    /** Where the data lives, for messages: "Firestore emulator 127.0.0.1:8080". */
    where,
    close: () => db.terminate(),
  };
};
export type Store = ReturnType<typeof firestoreStore>;

type Group = Record<string, (...args: never[]) => Promise<unknown>>;

/** Every method of every group, with its failures translated (see `storeError`). */
const guardAll = <T extends Record<string, Group>>(groups: T): T =>
  Object.fromEntries(
    Object.entries(groups).map(([name, group]) => [
      name,
      Object.fromEntries(
        Object.entries(group).map(([method, fn]) => [
          method,
          async (...args: never[]) => {
            try {
              return await fn(...args);
            } catch (error) {
              throw storeError(error, `${name}.${method}`);
            }
          },
        ]),
      ),
    ]),
  ) as T;

export { CampaignNotFound } from "./campaigns.js";
export type { OutboxEntry, OutboxKind, ReportRecord, SubmissionRecord, Version } from "./codecs.js";
export { OUTBOX_KINDS } from "./codecs.js";
export type { StoredEvent } from "./events.js";
export type { IntakePlan, IntakeWrites, SeenChunk, StoredVersion, StoreResult } from "./intake.js";
export type { Lease } from "./locks.js";
export type { OutboxItem } from "./outbox.js";
export type { StateChange, StoredState } from "./states.js";
