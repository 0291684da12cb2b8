import { createHash, randomUUID } from "node:crypto";
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
export type MailOutcome =
  | "sent"
  | "already-sent"
  | "in-flight"
  | "deferred"
  | "failed"
  | "retry-later"
  | "unknown";

export interface MailRecord {
  key: string;
  schoolCode: string | null;
  recipient: string;
  subject: string;
  /**
   * "unknown": a sender stopped between claiming and recording the result, so the message may
   * have gone out. It is not sent again by itself (nothing is sent twice); the office checks the
   * sent mailbox and releases it with `dienhinh send --resend-unknown`.
   */
  state: "sending" | "sent" | "retry" | "failed" | "deferred" | "unknown";
  attempts: number;
  claimedAt?: Date | Timestamp;
  sentAt?: Date | Timestamp;
  notBefore?: Date | Timestamp;
  transportId?: string;
  lastError?: string;
  /** Who holds the claim: a result is recorded only by its holder. */
  claimId?: string;
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
  /** A claim older than this is reported as unknown (its sender died mid-send). */
  claimTimeoutMs?: number;
  /** Send messages left unknown again (the office checked they did not go out). */
  resendUnknown?: boolean;
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
    if ((record?.state === "sending" || record?.state === "unknown") && !deps.resendUnknown) {
      const unknown: MailRecord = {
        ...record,
        state: "unknown",
        lastError: "Tiến trình gửi dừng giữa chừng: không rõ thư đã đi hay chưa.",
      };
      if (record.state === "sending") tx.set(ref, unknown);
      return { outcome: "unknown" as const, record: unknown };
    }
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
      claimId: randomUUID(),
    };
    tx.set(ref, claimed);
    tx.set(quota, { sent: used + 1 }, { merge: true });
    return { outcome: "claimed" as const, record: claimed };
  });
  if (claim.outcome !== "claimed") return { outcome: claim.outcome, record: claim.record };

  const message = await buildMime(mail);
  const attempts = deps.attempts ?? 3;
  const backoff = deps.backoffMs ?? 1_000;
  const claimId = claim.record.claimId;
  /** Record the result, only if the claim is still ours (a stale one may have been taken). */
  const finish = async (record: MailRecord, quotaBack = false) => {
    await db.runTransaction(async (tx) => {
      // Reads first: a transaction reads everything before it writes.
      const quota = quotaRef(db, deps.clock());
      const [current, counted] = await Promise.all([tx.get(ref), quotaBack ? tx.get(quota) : undefined]);
      if ((current.data() as MailRecord | undefined)?.claimId !== claimId) return;
      tx.set(ref, record);
      if (counted) {
        const used = (counted.data() as { sent?: number } | undefined)?.sent ?? 1;
        tx.set(quota, { sent: Math.max(0, used - 1) }, { merge: true });
      }
    });
    return record;
  };
  let attempt = claim.record.attempts;
  for (let i = 0; ; i++) {
    attempt++;
    try {
      const sent = await deps.transport.send(message, { from: mail.from.address, to: mail.to }, key);
      const record = await finish({
        ...claim.record,
        state: "sent",
        attempts: attempt,
        sentAt: deps.clock(),
        transportId: sent.id,
      });
      return { outcome: "sent", record };
    } catch (error) {
      const kind = error instanceof MailError ? error.kind : "ambiguous";
      const reason = error instanceof Error ? error.message : String(error);
      const base = { ...claim.record, attempts: attempt, lastError: reason };
      if (kind === "permanent")
        return { outcome: "failed", record: await finish({ ...base, state: "failed" }, true) };
      if (kind === "ambiguous")
        return { outcome: "unknown", record: await finish({ ...base, state: "unknown" }) };
      if (kind === "systemic") {
        // Every message would fail the same way: released, counted back, and the run stops.
        await finish({ ...base, state: "retry", notBefore: deps.clock() }, true);
        throw new MailSystemError(reason);
      }
      if (i + 1 >= attempts) {
        const notBefore = new Date(deps.clock().getTime() + backoff * 2 ** (attempt + 2));
        return { outcome: "retry-later", record: await finish({ ...base, state: "retry", notBefore }, true) };
      }
      await new Promise((r) => setTimeout(r, backoff * 2 ** i * (0.5 + Math.random() / 2)));
    }
  }
};

/** A failure no message can get past (credentials, the account's quota): fix it, then run again. */
export class MailSystemError extends Error {
  override name = "MailSystemError";
  constructor(reason: string) {
    super(
      `Không gửi được thư nào: ${reason}. Kiểm tra tài khoản gửi (mật khẩu, ủy quyền, hạn mức) rồi chạy lại; ` +
        "các thư chưa gửi vẫn được giữ.",
    );
  }
}

const baseRecord = (key: string, mail: OutgoingMail, meta: { schoolCode: string | null }): MailRecord => ({
  key,
  schoolCode: meta.schoolCode,
  recipient: mail.to,
  subject: mail.subject,
  state: "sending",
  attempts: 0,
});
