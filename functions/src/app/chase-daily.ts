import type { ReminderSent } from "../domain/reminders.js";
import { loadCampaignView } from "./campaign-view.js";
import { type DigestRun, sendDigest } from "./digest.js";
import { sendReminders } from "./reminders.js";
import type { SendDeps, SendRun } from "./send-deps.js";

export interface ChaseRun {
  /** Each reminder due today and what became of it (sent, deferred past the day's quota…). */
  reminders: ReminderSent[];
  /** Every message tried, for the caller to report those that did not go. */
  mail: SendRun;
  digest: DigestRun;
}

/**
 * The day's chasing for a campaign (the daily job in a deployment, the local run): each school's
 * reminders due today, once (none while the office paused mail to schools); then the office's
 * digest of the day, with the Công văn đôn đốc.
 */
export const chaseToday = async (
  deps: SendDeps,
  campaignId: string,
  options: { dryRun?: boolean } = {},
): Promise<ChaseRun> => {
  const view = await loadCampaignView(deps.store, campaignId);
  const mail: SendRun = { messages: [], failedSchools: [] };
  // The office's pause switch stops every message to schools, reminders included; its own digest goes.
  const reminders = view.campaign.control?.paused ? [] : await sendReminders(deps, view, mail, options);
  const digest = await sendDigest(deps, view, options);
  return { reminders, mail, digest };
};
