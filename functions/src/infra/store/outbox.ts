import { FieldValue, type Firestore, type QueryDocumentSnapshot } from "@google-cloud/firestore";
import {
  type OutboxEntry,
  type OutboxKind,
  outboxEntrySchema,
  timestampOf,
  type Version,
  versionOf,
} from "./codecs.js";
import type { Paths } from "./paths.js";

/** An outbox entry as read: a school's pending work, and the version it was read at. */
export interface OutboxItem {
  code: string;
  entry: OutboxEntry;
  version: Version;
}

/** gRPC FAILED_PRECONDITION: the entry was queued again since it was read. */
const CHANGED = 9;

/**
 * campaigns/{id}/outbox/{code}: what is still to do for each school (its sheet row, its report, its
 * email). A slot is settled only if the entry was not queued again since it was read; then it
 * stays pending for the next run.
 */
const itemOf = (doc: QueryDocumentSnapshot): OutboxItem => ({
  code: doc.id,
  entry: outboxEntrySchema.parse(doc.data()),
  version: versionOf(doc.updateTime),
});

export const outboxStore = (db: Firestore, p: Paths) => {
  const pending = async (campaignId: string, kind: OutboxKind): Promise<OutboxItem[]> =>
    (await p.outbox(campaignId).where(`${kind}.state`, "==", "pending").get()).docs.map(itemOf);

  return {
    pending,

    async list(campaignId: string): Promise<OutboxItem[]> {
      return (await p.outbox(campaignId).get()).docs.map(itemOf);
    },

    async get(campaignId: string, code: string): Promise<OutboxEntry | undefined> {
      const snap = await p.outbox(campaignId).doc(code).get();
      return snap.exists ? outboxEntrySchema.parse(snap.data()) : undefined;
    },

    /**
     * Mark a school's slot done, only if the entry still holds the content that was handled and
     * has not been queued again. False when it stays pending.
     */
    async settle(
      campaignId: string,
      item: OutboxItem | undefined,
      kind: Exclude<OutboxKind, "sheet">,
      contentHash: string,
      now: Date,
    ): Promise<boolean> {
      if (!item || item.entry.contentHash !== contentHash) return false;
      try {
        await p
          .outbox(campaignId)
          .doc(item.code)
          .update(
            { [`${kind}.state`]: "done", [`${kind}.doneAt`]: now },
            { lastUpdateTime: timestampOf(item.version) },
          );
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === CHANGED) return false;
        throw error;
      }
    },

    /**
     * After a flush wrote these states (school → content hash shown), mark their sheet slots done,
     * each only if not queued again meanwhile. An entry for a school the sheet no longer shows (gone
     * from the registry) has nothing left to write: it is settled too.
     */
    async settleSheet(
      campaignId: string,
      written: ReadonlyMap<string, string>,
      now: Date,
    ): Promise<{ settled: number; remaining: number }> {
      const items = await pending(campaignId, "sheet");
      const writer = db.bulkWriter();
      writer.onWriteError(() => false);
      let settled = 0;
      for (const item of items) {
        const shown = written.get(item.entry.schoolCode);
        if (shown !== undefined && shown !== item.entry.contentHash) continue;
        settled++;
        void writer
          .update(
            p.outbox(campaignId).doc(item.code),
            { "sheet.state": "done", "sheet.notBefore": now, "sheet.doneAt": now },
            { lastUpdateTime: timestampOf(item.version) },
          )
          .catch(() => settled--);
      }
      await writer.close();
      return { settled, remaining: items.length - settled };
    },

    /**
     * A sheet cycle failed: its entries stay pending, with the attempt counted and the error kept
     * for the office's log; the next cycle (which plans against the sheet afresh) takes them.
     */
    async deferSheet(campaignId: string, error: string): Promise<void> {
      const items = await pending(campaignId, "sheet");
      const writer = db.bulkWriter();
      writer.onWriteError(() => false);
      for (const item of items) {
        void writer
          .update(p.outbox(campaignId).doc(item.code), {
            "sheet.attempts": FieldValue.increment(1),
            "sheet.lastError": error.slice(0, 500),
          })
          .catch(() => {});
      }
      await writer.close();
    },
  };
};
