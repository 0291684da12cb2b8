import type { Firestore } from "@google-cloud/firestore";
import { ZodError } from "zod";
import { DienhinhError, InternalError, UnavailableError } from "../../errors.js";
import { campaignStore, schoolStore, submissionStore } from "./campaigns.js";
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

/** gRPC codes worth retrying: CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE. */
const RETRYABLE_GRPC = new Set([1, 4, 8, 10, 13, 14]);

/** What a failure of Firestore means, as one of dienhinh's errors. */
export const storeError = (error: unknown, where: string): DienhinhError => {
  if (error instanceof DienhinhError) return error;
  const detail = `firestore ${where}: ${error instanceof Error ? error.message : String(error)}`;
  if (error instanceof ZodError)
    return new InternalError("Dữ liệu lưu trữ không đọc được; Phòng đã được thông báo.", {
      cause: error,
      detail: `${detail} (a stored document does not have the expected shape)`,
    });
  const code = (error as { code?: unknown }).code;
  if (typeof code === "number" && RETRYABLE_GRPC.has(code))
    return new UnavailableError("Kho dữ liệu tạm thời không truy cập được; vui lòng thử lại sau.", {
      cause: error,
      detail,
    });
  return new InternalError("Lỗi hệ thống khi đọc hoặc ghi dữ liệu; Phòng đã được thông báo.", {
    cause: error,
    detail,
  });
};

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
export type { IntakePlan, IntakeWrites, SeenChunk, StoreResult } from "./intake.js";
export type { Lease } from "./locks.js";
export type { OutboxItem } from "./outbox.js";
export type { StateChange, StoredState } from "./states.js";
