import { createHash } from "node:crypto";
import type { Firestore } from "@google-cloud/firestore";
import { type LogEvent, submissionLogEvent } from "../../domain/log.js";
import { eventDocSchema, SUBMISSION_LOG_FIELDS, submissionLogSchema } from "./codecs.js";
import type { Paths } from "./paths.js";

export interface StoredEvent extends LogEvent {
  /** Events with a key are recorded once (a problem seen at every sync is logged the first time). */
  key?: string;
}

/**
 * campaigns/{id}/events/{id}: things that happened outside intake (inspections, decisions, registry edits,
 * mail, errors), for the office's log (Nhật ký). Responses received are not copied into events:
 * the log reads them from the submissions.
 */
export const eventStore = (db: Firestore, p: Paths) => ({
  async record(campaignId: string, events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    const writer = db.bulkWriter();
    writer.onWriteError(() => false); // an event already recorded (same key) is not an error
    for (const { key, ...event } of events) {
      const doc = { ...event, schoolCode: event.schoolCode ?? null };
      const ref = key
        ? p.events(campaignId).doc(createHash("sha256").update(key).digest("hex").slice(0, 32))
        : p.events(campaignId).doc();
      void writer.create(ref, doc).catch(() => {});
    }
    await writer.close();
  },

  /** The newest events of a campaign, responses received included, newest first. */
  async recent(campaignId: string, limit: number): Promise<LogEvent[]> {
    const [submissions, events] = await Promise.all([
      p
        .submissions(campaignId)
        .orderBy("receivedAt", "desc")
        .limit(limit)
        .select(...SUBMISSION_LOG_FIELDS)
        .get(),
      p.events(campaignId).orderBy("at", "desc").limit(limit).get(),
    ]);
    const fromSubmissions = submissions.docs.map((doc) =>
      submissionLogEvent(submissionLogSchema.parse(doc.data())),
    );
    const stored = events.docs.map((doc): LogEvent => {
      const e = eventDocSchema.parse(doc.data());
      return {
        at: e.at,
        kind: e.kind,
        ...(e.schoolCode ? { schoolCode: e.schoolCode } : {}),
        message: e.message,
      };
    });
    return [...fromSubmissions, ...stored].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
  },
});
