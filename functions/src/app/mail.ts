import { createHash } from "node:crypto";
import type { Firestore, Timestamp } from "@google-cloud/firestore";
import { campaignRef } from "../infra/campaign-store.js";
import { buildMime, MailError, type MailTransport, type OutgoingMail } from "../infra/mailer.js";

/**
 * Sending each message exactly once. Before a message goes out, its idempotency record
 * (campaigns/{id}/mail/{key}, key = school + document hash + recipient) is claimed in a
 * transaction; after, it is marked sent. The same work delivered again finds it sent and sends
 * nothing; a send that fails transiently is retried with backoff (here, then by a later run); a
 * permanent failure is recorded and not tried again. The daily quota (2,000 on Workspace) is
 * respected by deferring to the next day, never by dropping.
 */
export type MailOutcome = "sent" | "already-sent" | "in-flight" | "deferred" | "failed" | "retry-later";

export interface MailRecord {
  key: string;
  schoolCode: string | null;
  recipient: string;
  subject: string;
  state: "sending" | "sent" | "retry" | "failed" | "deferred";
  attempts: number;
  claimedAt?: Date | Timestamp;
  sentAt?: Date | Timestamp;
  notBefore?: Date | Timestamp;
  transportId?: string;
  lastError?: string;
}

export const mailCol = (db: Firestore, campaignId: string) => campaignRef(db, campaignId).collection("mail");

export const mailKey = (schoolCode: string | null, documentHash: string, recipient: string): string =>
  createHash("sha256")
    .update(`${schoolCode ?? "-"}|${documentHash}|${recipient.toLowerCase()}`)
    .digest("hex")
    .slice(0, 40);

export interface MailerDeps {
  db: Firestore;
  transport: MailTransport;
  clock: () => Date;
  /** Messages a day the transport allows (Workspace Gmail: 2,000). */
  dailyLimit?: number;
  /** Attempts within one run before the message is left for a later one. */
  attempts?: number;
  /** First backoff delay (ms); doubled each attempt, with jitter. */
  backoffMs?: number;
  /** A claim older than this is taken over (its sender died mid-send). */
  claimTimeoutMs?: number;
}

const millis = (t: Date | Timestamp | undefined): number =>
  t === undefined ? 0 : t instanceof Date ? t.getTime() : t.toMillis();

/** The day's counter of messages sent; days run in Vietnam's time (UTC+7, no daylight saving). */
const quotaRef = (db: Firestore, now: Date) =>
  db.collection("quotas").doc(`mail-${new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)}`);

/** Send one message to one recipient, at most once whatever happens. */
export const deliverOnce = async (
  deps: MailerDeps,
  campaignId: string,
  key: string,
  mail: OutgoingMail,
  meta: { schoolCode: string | null },
): Promise<{ outcome: MailOutcome; record: MailRecord }> => {
  const { db } = deps;
  const ref = mailCol(db, campaignId).doc(key);
  const claimTimeout = deps.claimTimeoutMs ?? 10 * 60_000;
  const limit = deps.dailyLimit ?? 2_000;

  const claim = await db.runTransaction(async (tx) => {
    const now = deps.clock();
    const snap = await tx.get(ref);
    const record = snap.data() as MailRecord | undefined;
    if (record?.state === "sent") return { outcome: "already-sent" as const, record };
    if (record?.state === "failed") return { outcome: "failed" as const, record };
    if (record?.state === "sending" && now.getTime() - millis(record.claimedAt) < claimTimeout)
      return { outcome: "in-flight" as const, record };
    if (record && millis(record.notBefore) > now.getTime())
      return { outcome: "retry-later" as const, record };
    const quota = quotaRef(db, now);
    const used = ((await tx.get(quota)).data() as { sent?: number } | undefined)?.sent ?? 0;
    if (used >= limit) {
      const tomorrow = new Date(now.getTime() + 24 * 3_600_000);
      const deferred: MailRecord = {
        ...(record ?? baseRecord(key, mail, meta)),
        state: "deferred",
        notBefore: tomorrow,
        lastError: `Đã đạt giới hạn ${limit} thư/ngày; gửi lại sau.`,
      };
      tx.set(ref, deferred);
      return { outcome: "deferred" as const, record: deferred };
    }
    const claimed: MailRecord = {
      ...(record ?? baseRecord(key, mail, meta)),
      state: "sending",
      claimedAt: now,
    };
    tx.set(ref, claimed);
    tx.set(quota, { sent: used + 1 }, { merge: true });
    return { outcome: "claimed" as const, record: claimed };
  });
  if (claim.outcome !== "claimed") return { outcome: claim.outcome, record: claim.record };

  const message = await buildMime(mail);
  const attempts = deps.attempts ?? 3;
  const backoff = deps.backoffMs ?? 1_000;
  let attempt = claim.record.attempts;
  for (let i = 0; ; i++) {
    attempt++;
    try {
      const sent = await deps.transport.send(message, { from: mail.from.address, to: mail.to }, key);
      const record: MailRecord = {
        ...claim.record,
        state: "sent",
        attempts: attempt,
        sentAt: deps.clock(),
        transportId: sent.id,
      };
      await ref.set(record);
      return { outcome: "sent", record };
    } catch (error) {
      const transient = error instanceof MailError ? error.transient : true;
      const reason = error instanceof Error ? error.message : String(error);
      if (!transient) {
        const record: MailRecord = { ...claim.record, state: "failed", attempts: attempt, lastError: reason };
        await ref.set(record);
        return { outcome: "failed", record };
      }
      if (i + 1 >= attempts) {
        const record: MailRecord = {
          ...claim.record,
          state: "retry",
          attempts: attempt,
          lastError: reason,
          notBefore: new Date(deps.clock().getTime() + backoff * 2 ** (attempt + 2)),
        };
        await ref.set(record);
        return { outcome: "retry-later", record };
      }
      await new Promise((r) => setTimeout(r, backoff * 2 ** i * (0.5 + Math.random() / 2)));
    }
  }
};

const baseRecord = (key: string, mail: OutgoingMail, meta: { schoolCode: string | null }): MailRecord => ({
  key,
  schoolCode: meta.schoolCode,
  recipient: mail.to,
  subject: mail.subject,
  state: "sending",
  attempts: 0,
});
