import type { Firestore } from "@google-cloud/firestore";
import {
  type ClaimOptions,
  claimBlocked,
  deferredRecord,
  type MailOutcome,
  type MailRecord,
  mailQuotaDay,
} from "../../domain/mail.js";
import { countQuotaSchema, mailRecordSchema, type ReportRecord, reportRecordSchema } from "./codecs.js";
import type { Paths } from "./paths.js";

/** campaigns/{id}/reports/{name}: what was rendered, so a document is rendered once per content. */
export const reportRecordStore = (_db: Firestore, p: Paths) => ({
  async get(campaignId: string, name: string): Promise<ReportRecord | undefined> {
    const snap = await p.reports(campaignId).doc(name).get();
    return snap.exists ? reportRecordSchema.parse(snap.data()) : undefined;
  },
  async put(campaignId: string, record: ReportRecord): Promise<void> {
    await p.reports(campaignId).doc(record.name).set(record);
  },
  async remove(campaignId: string, name: string): Promise<void> {
    await p.reports(campaignId).doc(name).delete();
  },
  async list(campaignId: string): Promise<ReportRecord[]> {
    return (await p.reports(campaignId).get()).docs.map((d) => reportRecordSchema.parse(d.data()));
  },
});

export type ClaimResult = { outcome: MailOutcome | "claimed"; record: MailRecord };

/**
 * campaigns/{id}/mail/{key}: each message's idempotency record, claimed in a transaction before it
 * is sent (the rules are in domain/mail.ts), with the day's counter of messages sent
 * (quotas/mail-YYYY-MM-DD), so the daily limit defers messages instead of dropping them.
 */
export const mailRecordStore = (db: Firestore, p: Paths) => {
  const quotaRef = (now: Date) => p.quota(`mail-${mailQuotaDay(now)}`);
  const sentToday = (data: unknown) => (data === undefined ? 0 : countQuotaSchema.parse(data).sent);
  return {
    async get(campaignId: string, key: string): Promise<MailRecord | undefined> {
      const snap = await p.mail(campaignId).doc(key).get();
      return snap.exists ? mailRecordSchema.parse(snap.data()) : undefined;
    },

    async list(campaignId: string): Promise<MailRecord[]> {
      return (await p.mail(campaignId).get()).docs.map((d) => mailRecordSchema.parse(d.data()));
    },

    /** Claim a message for sending (counting it against the day), or say why not. */
    async claim(
      campaignId: string,
      fresh: MailRecord,
      options: ClaimOptions & { dailyLimit: number; claimId: string },
    ): Promise<ClaimResult> {
      const ref = p.mail(campaignId).doc(fresh.key);
      return db.runTransaction(async (tx): Promise<ClaimResult> => {
        const snap = await tx.get(ref);
        const record = snap.exists ? mailRecordSchema.parse(snap.data()) : undefined;
        const blocked = claimBlocked(record, options);
        if (blocked) {
          if (blocked.write) tx.set(ref, blocked.record);
          return blocked;
        }
        const quota = quotaRef(options.now);
        const used = sentToday((await tx.get(quota)).data());
        if (used >= options.dailyLimit) {
          const deferred = deferredRecord(record ?? fresh, options.now, options.dailyLimit);
          tx.set(ref, deferred);
          return { outcome: "deferred", record: deferred };
        }
        const claimed: MailRecord = {
          ...(record ?? fresh),
          state: "sending",
          claimedAt: options.now,
          claimId: options.claimId,
        };
        tx.set(ref, claimed);
        tx.set(quota, { sent: used + 1 }, { merge: true });
        return { outcome: "claimed", record: claimed };
      });
    },

    /**
     * Record a send's result, only if the claim is still ours (a stale one may have been taken
     * over); `quotaBack` gives the day's count back (the message did not go out).
     */
    async finish(
      campaignId: string,
      claimId: string | undefined,
      record: MailRecord,
      options: { now: Date; quotaBack: boolean },
    ) {
      const ref = p.mail(campaignId).doc(record.key);
      await db.runTransaction(async (tx) => {
        // Reads first: a transaction reads everything before it writes.
        const quota = quotaRef(options.now);
        const [current, counted] = await Promise.all([
          tx.get(ref),
          options.quotaBack ? tx.get(quota) : undefined,
        ]);
        const held = current.exists ? mailRecordSchema.parse(current.data()).claimId : undefined;
        if (held !== claimId) return;
        tx.set(ref, record);
        if (counted)
          tx.set(
            quota,
            { sent: Math.max(0, (counted.exists ? sentToday(counted.data()) : 1) - 1) },
            { merge: true },
          );
      });
    },
  };
};
