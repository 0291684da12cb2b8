import { type Campaign, FORM_KINDS, type FormKind, isLocalForm } from "../domain/campaign.js";
import type { FormsGateway } from "../infra/google/forms.js";
import type { AppDeps } from "./deps.js";
import { pullIncidents } from "./incidents.js";
import { pullResponses } from "./intake.js";
import { refreshSheet } from "./sheet-cycle.js";
import { keepWatchAlive } from "./watches.js";

export type WatchOutcome = "ok" | "renewed" | "created" | "none";

export interface StageReconciled {
  stage: FormKind;
  pulled: number;
  watch: WatchOutcome;
}

/**
 * The scheduled safety net for one campaign: pull every form (catching notifications that never
 * came), and keep each form's watch alive: renew it well before expiry, or create it again.
 */
export const reconcileCampaign = async (
  deps: AppDeps,
  campaign: Campaign,
  topicName: string | undefined,
): Promise<StageReconciled[]> => {
  const results: StageReconciled[] = [];
  for (const stage of FORM_KINDS) {
    const form = campaign.forms[stage];
    if (!form || isLocalForm(form.formId)) continue;
    const summary =
      stage === "incident" ? await pullIncidents(deps, campaign) : await pullResponses(deps, campaign, stage);
    let watch: WatchOutcome = "none";
    if (topicName && deps.forms) watch = await renewWatch(deps, deps.forms, campaign, stage, topicName);
    results.push({ stage, pulled: summary?.received ?? 0, watch });
  }
  return results;
};

const renewWatch = async (
  deps: AppDeps,
  forms: FormsGateway,
  campaign: Campaign,
  stage: FormKind,
  topicName: string,
): Promise<WatchOutcome> => {
  const form = campaign.forms[stage];
  if (!form) return "none";
  const { outcome, watch } = await keepWatchAlive(forms, form.formId, topicName, deps.clock());
  if (outcome !== "ok") {
    await deps.store.campaigns.setWatch(campaign.id, stage, watch);
    deps.log.info(`form watch ${outcome}`, {
      campaign: campaign.id,
      stage,
      formId: form.formId,
      expireTime: watch.expireTime,
    });
  }
  return outcome;
};

export interface CampaignReconciled {
  campaign: string;
  stages: StageReconciled[];
  sheet?: { writes: number; changedRows: number; reviews: number; inspections: number; recognised: number };
}

/**
 * Reconcile every campaign (or one): pull its forms, keep its watches alive, and run a cycle of its
 * sheet, which is also when the office's typing (notes, inspections, decisions, registry) is read back.
 */
export const reconcileAll = async (
  deps: AppDeps,
  options: { campaignId?: string; watchTopic?: string },
): Promise<CampaignReconciled[]> => {
  const campaigns = options.campaignId
    ? [await deps.store.campaigns.get(options.campaignId)]
    : await deps.store.campaigns.list();
  const results: CampaignReconciled[] = [];
  for (const campaign of campaigns) {
    const stages = await reconcileCampaign(deps, campaign, options.watchTopic);
    const sheet = await refreshSheet(deps, campaign);
    results.push({
      campaign: campaign.id,
      stages,
      ...(sheet
        ? {
            sheet: {
              writes: sheet.writes,
              changedRows: sheet.changedRows,
              reviews: sheet.reviews,
              inspections: sheet.inspections,
              recognised: sheet.recognised,
            },
          }
        : {}),
    });
  }
  return results;
};
