import type { Campaign } from "../domain/campaign.js";
import { STAGES, type Stage } from "../domain/criteria.js";
import { type IntakeOutcome, readResponse } from "../domain/intake.js";
import { advanceWatermark, campaignRef, storeOutcomes } from "../infra/campaign-store.js";
import type { AppDeps } from "./deps.js";

export interface IngestSummary {
  received: number;
  stored: number;
  duplicates: number;
  accepted: number;
  quarantined: number;
  retries: number;
  outcomes: IntakeOutcome[];
}

/**
 * The one path every response takes, whatever brought it: read (parse, normalise, identify the
 * school, check the sender), then store exactly once with the school's new evaluation and its
 * outbox entries.
 */
export const ingestResponses = async (
  deps: Pick<AppDeps, "db" | "clock" | "schools">,
  campaign: Campaign,
  stage: Stage,
  payloads: readonly unknown[],
): Promise<IngestSummary> => {
  const schools = await deps.schools(campaign.id);
  const now = deps.clock();
  const context = {
    stage,
    set: campaign.criteriaSet,
    bindings: campaign.forms[stage]?.bindings ?? [],
    schools,
    receivedAt: now.toISOString(),
  };
  const outcomes = payloads.map((p) => readResponse(p, context));
  const stored = await storeOutcomes(deps.db, campaign, schools, outcomes, now);
  return {
    received: payloads.length,
    ...stored,
    accepted: outcomes.filter((o) => o.disposition === "accepted").length,
    quarantined: outcomes.filter((o) => o.disposition === "quarantined").length,
    outcomes,
  };
};

/** Responses can appear in the list a little after their timestamp: look back this far. */
export const WATERMARK_OVERLAP_MS = 10 * 60 * 1000;

/** Pull a form's responses since its watermark (less the overlap) and take them in. */
export const pullResponses = async (
  deps: AppDeps,
  campaign: Campaign,
  stage: Stage,
): Promise<IngestSummary | undefined> => {
  const form = campaign.forms[stage];
  if (!form) return undefined;
  if (!deps.forms) throw new Error("Chưa cấu hình Forms API: không thể lấy câu trả lời.");
  const since = form.watermark
    ? new Date(Date.parse(form.watermark) - WATERMARK_OVERLAP_MS).toISOString()
    : undefined;
  const responses = await deps.forms.listResponses(form.formId, since);
  const summary = await ingestResponses(deps, campaign, stage, responses);
  const newest = summary.outcomes
    .map((o) => o.lastSubmittedTime)
    .sort()
    .at(-1);
  if (newest) await advanceWatermark(deps.db, campaign.id, stage, newest);
  deps.log.info("pulled form responses", {
    campaign: campaign.id,
    stage,
    formId: form.formId,
    since,
    ...countsOf(summary),
  });
  return summary;
};

export const countsOf = (s: IngestSummary) => ({
  received: s.received,
  stored: s.stored,
  duplicates: s.duplicates,
  accepted: s.accepted,
  quarantined: s.quarantined,
});

/** Renew a watch this long before it expires (watches last 7 days). */
export const WATCH_RENEW_BEFORE_MS = 2 * 24 * 3600 * 1000;

/**
 * The scheduled safety net: pull every form of every given campaign (catching notifications that
 * never came), and keep each form's watch alive: renew it well before expiry, or create it again.
 */
export const reconcileCampaign = async (
  deps: AppDeps,
  campaign: Campaign,
  topicName: string | undefined,
): Promise<{ stage: Stage; pulled: number; watch: "ok" | "renewed" | "created" | "none" }[]> => {
  const results = [];
  for (const stage of STAGES) {
    const form = campaign.forms[stage];
    if (!form) continue;
    const summary = await pullResponses(deps, campaign, stage);
    let watch: "ok" | "renewed" | "created" | "none" = "none";
    if (topicName && deps.forms) watch = await keepWatchAlive(deps, campaign, stage, topicName);
    results.push({ stage, pulled: summary?.received ?? 0, watch });
  }
  return results;
};

const keepWatchAlive = async (deps: AppDeps, campaign: Campaign, stage: Stage, topicName: string) => {
  const forms = deps.forms;
  const form = campaign.forms[stage];
  if (!forms || !form) return "none" as const;
  const now = deps.clock().getTime();
  const existing = (await forms.listWatches(form.formId)).find(
    (w) => w.topicName === topicName && w.state !== "SUSPENDED",
  );
  let outcome: "ok" | "renewed" | "created";
  let watch = existing;
  if (!existing) {
    watch = await forms.createWatch(form.formId, topicName);
    outcome = "created";
  } else if (Date.parse(existing.expireTime) - now < WATCH_RENEW_BEFORE_MS) {
    watch = await forms.renewWatch(form.formId, existing.id);
    outcome = "renewed";
  } else {
    outcome = "ok";
  }
  if (watch && outcome !== "ok") {
    await campaignRef(deps.db, campaign.id).update({ [`forms.${stage}.watch`]: watch });
    deps.log.info(`form watch ${outcome}`, {
      campaign: campaign.id,
      stage,
      formId: form.formId,
      expireTime: watch.expireTime,
    });
  }
  return outcome;
};
