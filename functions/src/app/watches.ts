import type { FormsGateway } from "../infra/google/forms.js";

/** Forms watches last 7 days: renew this long before expiry. */
export const WATCH_RENEW_BEFORE_MS = 2 * 24 * 3600 * 1000;

export interface StoredWatch {
  id: string;
  topicName: string;
  expireTime: string;
}

/**
 * Make sure a form has a live watch publishing to the topic: keep it, renew it when it expires
 * within two days, or create it when there is none (or it was suspended).
 */
export const keepWatchAlive = async (
  forms: FormsGateway,
  formId: string,
  topicName: string,
  now: Date,
): Promise<{ outcome: "ok" | "renewed" | "created"; watch: StoredWatch }> => {
  const existing = (await forms.listWatches(formId)).find(
    (w) => w.topicName === topicName && w.state !== "SUSPENDED",
  );
  const stored = (w: StoredWatch): StoredWatch => ({
    id: w.id,
    topicName: w.topicName,
    expireTime: w.expireTime,
  });
  if (!existing) return { outcome: "created", watch: stored(await forms.createWatch(formId, topicName)) };
  if (Date.parse(existing.expireTime) - now.getTime() < WATCH_RENEW_BEFORE_MS) {
    return { outcome: "renewed", watch: stored(await forms.renewWatch(formId, existing.id)) };
  }
  return { outcome: "ok", watch: stored(existing) };
};
