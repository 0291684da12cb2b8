import { type Campaign, stageOfForm } from "../domain/campaign.js";
import type { Stage } from "../domain/criteria.js";
import type { AppDeps } from "./deps.js";
import { type IngestSummary, ingestResponses, pullResponses } from "./intake.js";
import { refreshSheet } from "./sheet-cycle.js";

export interface FormIntake {
  campaign: Campaign;
  stage: Stage;
  summary: IngestSummary;
}

/**
 * Responses of one form, taken in: find the campaign and stage the form belongs to, take the
 * responses (`ingest`), and bring the campaign's sheet up to date when something new was stored.
 * Undefined when the form belongs to no campaign.
 */
const takeForForm = async (
  deps: AppDeps,
  formId: string,
  ingest: (campaign: Campaign, stage: Stage) => Promise<IngestSummary | undefined>,
): Promise<FormIntake | undefined> => {
  const campaign = await deps.store.campaigns.findByForm(formId);
  const stage = campaign && stageOfForm(campaign, formId);
  if (!campaign || !stage) return undefined;
  const summary = await ingest(campaign, stage);
  if (!summary) return undefined;
  if (summary.stored > 0) await refreshSheet(deps, campaign);
  return { campaign, stage, summary };
};

/** One response pushed by the form's Apps Script (ingestResponse). */
export const takePushedResponse = (deps: AppDeps, formId: string, response: unknown) =>
  takeForForm(deps, formId, (campaign, stage) => ingestResponses(deps, campaign, stage, [response]));

/** A form's watch said it has new responses (onFormResponses): pull them since the watermark. */
export const handleFormNotification = (deps: AppDeps, formId: string) =>
  takeForForm(deps, formId, (campaign, stage) => pullResponses(deps, campaign, stage));
