import { type Campaign, isLocalForm } from "../domain/campaign.js";
import { STAGES, type Stage } from "../domain/criteria.js";
import { type IntakeOutcome, readResponse } from "../domain/intake.js";
import { advanceWatermark, campaignRef, storeOutcomes } from "../infra/campaign-store.js";
import type { FormsGateway } from "../infra/forms-api.js";
import type { AppDeps } from "./deps.js";
import { keepWatchAlive } from "./watches.js";

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
    if (!form || isLocalForm(form.formId)) continue;
    const summary = await pullResponses(deps, campaign, stage);
    let watch: "ok" | "renewed" | "created" | "none" = "none";
    if (topicName && deps.forms) watch = await renewWatch(deps, deps.forms, campaign, stage, topicName);
    results.push({ stage, pulled: summary?.received ?? 0, watch });
  }
  return results;
};

const renewWatch = async (
  deps: AppDeps,
  forms: FormsGateway,
  campaign: Campaign,
  stage: Stage,
  topicName: string,
) => {
  const form = campaign.forms[stage];
  if (!form) return "none" as const;
  const { outcome, watch } = await keepWatchAlive(forms, form.formId, topicName, deps.clock());
  if (outcome !== "ok") {
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
