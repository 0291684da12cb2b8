import { createHash } from "node:crypto";
import { FieldValue, type Firestore, type Timestamp } from "@google-cloud/firestore";
import { STAGE_LABELS, type Stage } from "../domain/criteria.js";
import type { LogEvent } from "../domain/tracking-workbook.js";
import { campaignRef, type OutboxEntry, outboxCol, submissionsCol } from "./campaign-store.js";

/**
 * What the tracking sheet needs besides the schools' states: the event log (Nhật ký), the sheet
 * slots of the outbox, and a lease so that one flush runs at a time per campaign.
 *
 *   campaigns/{id}/events/{id}      things that happened outside intake (verdicts, registry edits, errors)
 *   campaigns/{id}/locks/{name}     { until, holder }: one sheet cycle at a time per campaign
 *   quotas/{name}                   { nextSlotAt }: write slots shared by all campaigns
 *
 * Responses received are not copied into events: the log reads them from the submissions.
 */
export const eventsCol = (db: Firestore, id: string) => campaignRef(db, id).collection("events");
const lockRef = (db: Firestore, id: string, name: string) =>
  campaignRef(db, id).collection("locks").doc(name);

export interface StoredEvent extends LogEvent {
  /** Events with a key are recorded once (a problem seen at every sync is logged the first time). */
  key?: string;
}

export const recordEvents = async (db: Firestore, campaignId: string, events: readonly StoredEvent[]) => {
  if (events.length === 0) return;
  const writer = db.bulkWriter();
  writer.onWriteError(() => false); // an event already recorded (same key) is not an error
  for (const { key, ...event } of events) {
    const doc = { ...event, schoolCode: event.schoolCode ?? null };
    if (key) {
      const id = createHash("sha256").update(key).digest("hex").slice(0, 32);
      void writer.create(eventsCol(db, campaignId).doc(id), doc).catch(() => {});
    } else {
      void writer.create(eventsCol(db, campaignId).doc(), doc).catch(() => {});
    }
  }
  await writer.close();
};

interface SubmissionLogFields {
  receivedAt: Timestamp;
  stage: Stage;
  schoolCode: string | null;
  disposition: "accepted" | "quarantined";
  reasons: string[];
  respondentEmail: string | null;
  supersededBy: string | null;
}

/** The newest events of a campaign, responses received included, newest first. */
export const recentLog = async (db: Firestore, campaignId: string, limit: number): Promise<LogEvent[]> => {
  const [submissions, events] = await Promise.all([
    submissionsCol(db, campaignId)
      .orderBy("receivedAt", "desc")
      .limit(limit)
      .select(
        "receivedAt",
        "stage",
        "schoolCode",
        "disposition",
        "reasons",
        "respondentEmail",
        "supersededBy",
      )
      .get(),
    eventsCol(db, campaignId).orderBy("at", "desc").limit(limit).get(),
  ]);
  const fromSubmissions = submissions.docs.map((doc): LogEvent => {
    const s = doc.data() as SubmissionLogFields;
    const from = s.respondentEmail ? ` từ ${s.respondentEmail}` : "";
    return {
      at: s.receivedAt.toDate(),
      kind: s.disposition === "accepted" ? "Nhận câu trả lời" : "Cần bổ sung",
      ...(s.schoolCode ? { schoolCode: s.schoolCode } : {}),
      message:
        s.disposition === "accepted"
          ? `${STAGE_LABELS[s.stage]}: đã nhận${from}${s.supersededBy ? " (đã có bản sửa sau)" : ""}`
          : `${STAGE_LABELS[s.stage]}${from}: ${s.reasons.join("; ")}`,
    };
  });
  const stored = events.docs.map((doc): LogEvent => {
    const e = doc.data() as LogEvent & { at: Timestamp; schoolCode: string | null };
    return {
      at: e.at.toDate(),
      kind: e.kind,
      ...(e.schoolCode ? { schoolCode: e.schoolCode } : {}),
      message: e.message,
    };
  });
  return [...fromSubmissions, ...stored].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
};

/** Outbox entries whose sheet row is not yet known to be written. */
export const pendingSheetEntries = async (db: Firestore, campaignId: string) =>
  (await outboxCol(db, campaignId).where("sheet.state", "==", "pending").get()).docs;

/**
 * After a flush wrote these states, mark their sheet slots done, each only if the entry was not
 * queued again meanwhile (then it stays pending for the next flush). An entry for a school the
 * sheet no longer shows (gone from the registry) has nothing left to write: it is settled too.
 */
export const settleSheetSlots = async (
  db: Firestore,
  campaignId: string,
  written: ReadonlyMap<string, string>,
  now: Date,
): Promise<{ settled: number; remaining: number }> => {
  const pending = await pendingSheetEntries(db, campaignId);
  const writer = db.bulkWriter();
  writer.onWriteError(() => false);
  let settled = 0;
  for (const doc of pending) {
    const entry = doc.data() as OutboxEntry;
    const shown = written.get(entry.schoolCode);
    if (shown !== undefined && shown !== entry.contentHash) continue;
    settled++;
    void writer
      .update(
        doc.ref,
        { "sheet.state": "done", "sheet.notBefore": now, "sheet.doneAt": now },
        { lastUpdateTime: doc.updateTime },
      )
      .catch(() => settled--);
  }
  await writer.close();
  return { settled, remaining: pending.length - settled };
};

/**
 * A cycle failed: its entries stay pending, with the attempt counted and the error kept for the
 * office's log. They are retried by the next cycle (after the next response, or the scheduled
 * reconcile), which plans against the sheet afresh.
 */
export const deferSheetSlots = async (db: Firestore, campaignId: string, error: string) => {
  const pending = await pendingSheetEntries(db, campaignId);
  const writer = db.bulkWriter();
  writer.onWriteError(() => false);
  for (const doc of pending) {
    void writer
      .update(doc.ref, { "sheet.attempts": FieldValue.increment(1), "sheet.lastError": error.slice(0, 500) })
      .catch(() => {});
  }
  await writer.close();
};

export interface Lease {
  release: () => Promise<void>;
}

/**
 * Take the named lease of a campaign for `ms` (a crashed holder's lease simply expires), or
 * undefined when someone else holds it.
 */
export const acquireLease = async (
  db: Firestore,
  campaignId: string,
  name: string,
  now: Date,
  ms: number,
): Promise<Lease | undefined> => {
  const ref = lockRef(db, campaignId, name);
  const holder = createHash("sha256")
    .update(`${process.pid}:${Math.random()}:${now.toISOString()}`)
    .digest("hex");
  const taken = await db.runTransaction(async (tx) => {
    const data = (await tx.get(ref)).data() as { until?: Timestamp } | undefined;
    if (data?.until && data.until.toMillis() > now.getTime()) return false;
    tx.set(ref, { until: new Date(now.getTime() + ms), holder });
    return true;
  });
  if (!taken) return undefined;
  return {
    release: async () => {
      await db.runTransaction(async (tx) => {
        const data = (await tx.get(ref)).data() as { holder?: string } | undefined;
        if (data?.holder === holder) tx.set(ref, { until: new Date(0), holder: null });
      });
    },
  };
};

/**
 * Reserve the next write slot of a quota shared by every campaign of the deployment (Sheets
 * counts 60 write requests a minute per user, and all campaigns write as one service account):
 * slots are `intervalMs` apart. Returns when the slot starts; the caller waits until then.
 */
export const reserveSlot = async (
  db: Firestore,
  quota: string,
  now: Date,
  intervalMs: number,
): Promise<Date> => {
  const ref = db.collection("quotas").doc(quota);
  return db.runTransaction(async (tx) => {
    const next =
      ((await tx.get(ref)).data() as { nextSlotAt?: Timestamp } | undefined)?.nextSlotAt?.toMillis() ?? 0;
    const slot = Math.max(now.getTime(), next);
    tx.set(ref, { nextSlotAt: new Date(slot + intervalMs) });
    return new Date(slot);
  });
};
