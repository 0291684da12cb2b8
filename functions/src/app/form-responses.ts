import { type Campaign, type FormKind, formKindOf } from "../domain/campaign.js";
import { InputError, NotFoundError } from "../errors.js";
import type { AppDeps } from "./deps.js";
import { type IncidentSummary, ingestIncidents, pullIncidents } from "./incidents.js";
import { type IngestSummary, ingestResponses, pullResponses } from "./intake.js";
import { refreshSheet } from "./sheet-cycle.js";

export interface FormIntake {
  campaign: Campaign;
  /** A stage's form, or the incident reports' (stored apart, never scored). */
  stage: FormKind;
  summary: IngestSummary | IncidentSummary;
}

/**
 * Responses of one form, taken in: find the campaign and stage the form belongs to, take the
 * responses (`ingest`), and bring the campaign's sheet up to date when something new was stored.
 * Undefined when the form belongs to no campaign.
 */
const takeForForm = async (
  deps: AppDeps,
  formId: string,
  ingest: (campaign: Campaign, stage: FormKind) => Promise<IngestSummary | IncidentSummary | undefined>,
): Promise<FormIntake | undefined> => {
  const campaign = await deps.store.campaigns.findByForm(formId);
  const stage = campaign && formKindOf(campaign, formId);
  if (!campaign || !stage) return undefined;
  const summary = await ingest(campaign, stage);
  if (!summary) return undefined;
  if (summary.stored > 0) await refreshSheet(deps, campaign);
  return { campaign, stage, summary };
};

/** What the form's Apps Script says: this form has this response. Nothing else it sends is trusted. */
export interface PushNotice {
  formId: string;
  responseId: string;
}

/**
 * One response announced by the form's Apps Script (ingestResponse): find the form's campaign,
 * have the caller prove the notice comes from that campaign's script (`authenticate`, which
 * throws), then read the response itself from the Forms API, as the watch's pull does, and take
 * it in. Undefined when the form belongs to no campaign; a NotFoundError when the Forms API has no
 * such response.
 */
export const takePushedResponse = (
  deps: AppDeps,
  notice: PushNotice,
  authenticate: (campaign: Campaign) => Promise<void>,
) =>
  takeForForm(deps, notice.formId, async (campaign, stage) => {
    await authenticate(campaign);
    if (!deps.forms) throw new InputError("Chưa cấu hình Forms API: không thể lấy câu trả lời.");
    const response = await deps.forms.getResponse(notice.formId, notice.responseId);
    if (!response)
      throw new NotFoundError(
        `Không tìm thấy câu trả lời ${notice.responseId} trong biểu mẫu ${notice.formId}.`,
      );
    const payload = [{ ...response, formId: notice.formId }];
    return stage === "incident"
      ? ingestIncidents(deps, campaign, payload)
      : ingestResponses(deps, campaign, stage, payload);
  });

/** A form's watch said it has new responses (onFormResponses): pull them since the watermark. */
export const handleFormNotification = (deps: AppDeps, formId: string) =>
  takeForForm(deps, formId, (campaign, stage) =>
    stage === "incident" ? pullIncidents(deps, campaign) : pullResponses(deps, campaign, stage),
  );
