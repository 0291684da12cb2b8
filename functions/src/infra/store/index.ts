import type { Firestore } from "@google-cloud/firestore";
import { campaignStore, schoolStore, submissionStore } from "./campaigns.js";
import { StoreUnavailable, storeError } from "./errors.js";
import { eventStore } from "./events.js";
import { incidentStore } from "./incidents.js";
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
  /**
   * Whether Firestore still answers, asked of something outside the client (the emulator's HTTP
   * port): the client itself retries a dead connection for ten minutes. While a call is pending the
   * probe runs every `probeEveryMs`; two failed probes in a row end the call with an UnavailableError.
   */
  probe?: () => Promise<boolean>;
  probeEveryMs?: number;
}

/**
 * Waiting for the client to give up on a dead Firestore (10 minutes) is no answer: the probe decides.
 * Once it has found Firestore gone, a later call asks the probe at once and fails at once if it is
 * still gone (the job's other schools do not each wait two probes more), or goes on if it is back.
 */
const watchdog = (probe: () => Promise<boolean>, everyMs: number, where: string) => {
  const gone = () =>
    new StoreUnavailable(`Không kết nối được kho dữ liệu (${where}): Firestore không trả lời.`, {
      detail: `firestore ${where}: two probes failed in a row`,
    });
  let down = false;
  return async <T>(work: Promise<T>): Promise<T> => {
    // The client's own attempt goes on after we stop waiting for it: its failure is nobody's to handle.
    work.catch(() => {});
    if (down) {
      if (!(await probe().catch(() => false))) throw gone();
      down = false;
    }
    let timer: NodeJS.Timeout | undefined;
    // Once the call has settled no probe is scheduled again, even by one in flight at that moment.
    let settled = false;
    const dead = new Promise<never>((_, reject) => {
      let misses = 0;
      const schedule = () => {
        if (!settled) timer = setTimeout(check, everyMs).unref();
      };
      const check = async () => {
        misses = (await probe().catch(() => false)) ? 0 : misses + 1;
        if (misses < 2) return schedule();
        down = true;
        reject(gone());
      };
      schedule();
    });
    return Promise.race([work, dead]).finally(() => {
      settled = true;
      clearTimeout(timer);
    });
  };
};

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
    incidents: incidentStore(db, p),
    outbox: outboxStore(db, p),
    reports: reportRecordStore(db, p),
    mail: mailRecordStore(db, p),
    events: eventStore(db, p),
    leases: leaseStore(db, p),
    quotas: quotaStore(db, p),
  };
  const watched = options.probe ? watchdog(options.probe, options.probeEveryMs ?? 5_000, where) : undefined;
  return {
    ...guardAll(store, watched),
    /** Where the data lives, for messages: "Firestore emulator 127.0.0.1:8080". */
    where,
    /** Closes the client; a Firestore that no longer answers is not waited for past a few seconds. */
    close: async () => {
      const closed = db.terminate().catch(() => {});
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    },
  };
};
export type Store = ReturnType<typeof firestoreStore>;

type Group = Record<string, (...args: never[]) => Promise<unknown>>;

/** Every method of every group, with its failures translated (see `storeError`) and, when given, watched. */
const guardAll = <T extends Record<string, Group>>(
  groups: T,
  watched: (<R>(work: Promise<R>) => Promise<R>) | undefined,
): T =>
  Object.fromEntries(
    Object.entries(groups).map(([name, group]) => [
      name,
      Object.fromEntries(
        Object.entries(group).map(([method, fn]) => [
          method,
          async (...args: never[]) => {
            try {
              return await (watched ? watched(fn(...args)) : fn(...args));
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
export { StoreUnavailable } from "./errors.js";
export type { StoredEvent } from "./events.js";
export type { IntakePlan, IntakeWrites, SeenChunk, StoredVersion, StoreResult } from "./intake.js";
export type { Lease } from "./locks.js";
export type { OutboxItem } from "./outbox.js";
export type { StateChange, StoredState } from "./states.js";
