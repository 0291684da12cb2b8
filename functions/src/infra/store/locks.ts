import { randomUUID } from "node:crypto";
import type { Firestore } from "@google-cloud/firestore";
import { leaseDocSchema, slotQuotaSchema } from "./codecs.js";
import { storeError } from "./errors.js";
import type { Paths } from "./paths.js";

export interface Lease {
  release: () => Promise<void>;
}

/** campaigns/{id}/locks/{name}: { until, holder }. One sheet cycle, one delivery at a time per campaign. */
export const leaseStore = (db: Firestore, p: Paths) => ({
  /**
   * Take the named lease of a campaign for `ms` (a crashed holder's lease simply expires), or
   * undefined when someone else holds it.
   */
  async acquire(campaignId: string, name: string, now: Date, ms: number): Promise<Lease | undefined> {
    const ref = p.lock(campaignId, name);
    const holder = randomUUID();
    const taken = await db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const lease = snap.exists ? leaseDocSchema.parse(snap.data()) : undefined;
      if (lease && lease.until.getTime() > now.getTime()) return false;
      tx.set(ref, { until: new Date(now.getTime() + ms), holder });
      return true;
    });
    if (!taken) return undefined;
    return {
      release: async () => {
        try {
          await db.runTransaction(async (tx) => {
            const snap = await tx.get(ref);
            if (snap.exists && leaseDocSchema.parse(snap.data()).holder === holder)
              tx.set(ref, { until: new Date(0), holder: null });
          });
        } catch (error) {
          throw storeError(error, "leases.release");
        }
      },
    };
  },
});

/** quotas/{name}: { nextSlotAt }, write slots shared by every campaign of the deployment. */
export const quotaStore = (db: Firestore, p: Paths) => ({
  /**
   * Reserve the next slot of a quota (Sheets counts 60 write requests a minute per user, and all
   * campaigns write as one service account): slots are `intervalMs` apart. Returns when the slot
   * starts; the caller waits until then.
   */
  async reserveSlot(quota: string, now: Date, intervalMs: number): Promise<Date> {
    const ref = p.quota(quota);
    return db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const next = snap.exists ? slotQuotaSchema.parse(snap.data()).nextSlotAt.getTime() : 0;
      const slot = Math.max(now.getTime(), next);
      tx.set(ref, { nextSlotAt: new Date(slot + intervalMs) });
      return new Date(slot);
    });
  },
});
