import { calendarOf } from "../domain/calendar.js";
import { type Campaign, type FormBinding, type FormKind, isLocalForm } from "../domain/campaign.js";
import { issuerName } from "../domain/documents.js";
import {
  closedNotice,
  type FormWindowInput,
  type FormWindowState,
  fixDueDays,
  formStandingInWords,
  formWindowInWords,
  formWindowState,
  withNotice,
  withoutNotice,
} from "../domain/form-windows.js";
import { dayIn } from "../domain/time.js";
import { logCause, publicMessageOf } from "../errors.js";
import type { FormsGateway } from "../infra/google/forms.js";
import { loadCampaignView } from "./campaign-view.js";
import type { AppDeps } from "./deps.js";
import { NOTICE_DAYS } from "./documents.js";
import { noticeDays } from "./notices.js";

/**
 * The calendar applied to the campaign's forms (from the delivery job, every run): each form that
 * should accept responses today and does not (or the reverse) is opened or closed through the Forms
 * API's publish settings, with the closed form's notice at the top of its description. Only a
 * change calls the API: the state applied last is kept with the campaign. One form's failure is
 * logged (Nhật ký and the job's log) and tried again on the next run; it stops nothing else.
 */
export interface FormWindowsDeps extends Pick<AppDeps, "store" | "clock" | "log" | "forms"> {
  timeZone: string;
  /** Days a school has to fix its dossier after a notice (as for its reminders). */
  noticeDays?: number;
}

export interface FormWindowChange {
  stage: FormKind;
  formId: string;
  accepting: boolean;
  /** What the office's log says of it. */
  message: string;
  /** Set when the change could not be made this run (tried again next run). */
  error?: string;
}

/** What decides the forms' state today, read from the store. */
export const formWindowInput = async (deps: FormWindowsDeps, campaignId: string) => {
  const view = await loadCampaignView(deps.store, campaignId);
  const calendar = calendarOf(view.campaign);
  const extensions = view.campaign.extensions ?? [];
  const notices = await noticeDays(deps, campaignId);
  const fixing = [...view.stored.values()].map((s) => ({
    code: s.state.schoolCode,
    status: s.state.status,
    recognised: s.state.recognition !== null,
  }));
  const input: FormWindowInput = {
    calendar,
    extensions,
    fixes: fixDueDays(fixing, calendar, extensions, notices, deps.noticeDays ?? NOTICE_DAYS),
  };
  return { campaign: view.campaign, input };
};

/** Where each of the campaign's forms stands today, in words (a local run has no real forms to change). */
export const formStandings = async (deps: FormWindowsDeps, campaignId: string): Promise<string[]> => {
  const { campaign, input } = await formWindowInput(deps, campaignId);
  const today = dayIn(deps.clock(), deps.timeZone);
  return (Object.keys(campaign.forms) as FormKind[]).map((stage) =>
    formStandingInWords(stage, formWindowState(stage, input, today)),
  );
};

export const applyFormWindows = async (
  deps: FormWindowsDeps,
  campaignId: string,
): Promise<FormWindowChange[]> => {
  const gateway = deps.forms;
  if (!gateway) return [];
  const { campaign, input } = await formWindowInput(deps, campaignId);
  const today = dayIn(deps.clock(), deps.timeZone);
  const changes: FormWindowChange[] = [];
  for (const [stage, form] of Object.entries(campaign.forms) as Array<[FormKind, FormBinding | undefined]>) {
    if (!form || isLocalForm(form.formId)) continue;
    const wanted = formWindowState(stage, input, today);
    const notice = wanted.accepting ? null : closedNotice(wanted, contactOf(campaign));
    const applied = form.publish;
    if (applied && applied.accepting === wanted.accepting && applied.notice === notice) continue;
    const change = await changeForm(deps, gateway, campaign, stage, form, { wanted, notice, today });
    if (change) changes.push(change);
  }
  return changes;
};

const contactOf = (campaign: Campaign) => ({
  name: issuerName(campaign.office),
  email: campaign.office.email,
});

/**
 * Open or close one form; undefined when it already is as wanted. A form with no state applied
 * yet (set up before this, or adopted) is read first: what it says is the state to change from.
 * Closing: first the form (the deadline is what matters), then its notice; opening: first the
 * notice off, then the form, so an open form never says it is closed.
 */
const changeForm = async (
  deps: FormWindowsDeps,
  gateway: FormsGateway,
  campaign: Campaign,
  stage: FormKind,
  form: FormBinding,
  { wanted, notice, today }: { wanted: FormWindowState; notice: string | null; today: string },
): Promise<FormWindowChange | undefined> => {
  const message = formWindowInWords(stage, wanted);
  const change = { stage, formId: form.formId, accepting: wanted.accepting, message };
  const at = deps.clock();
  const applied = { accepting: wanted.accepting, notice, at: at.toISOString() };
  try {
    const read = await gateway.get(form.formId);
    const description = read.info.description ?? "";
    // What the form says wins over what was applied last (someone may have changed it by hand).
    const accepting = read.accepting ?? form.publish?.accepting ?? true;
    const next = notice === null ? withoutNotice(description) : withNotice(description, notice);
    const unchanged = accepting === wanted.accepting && next === description;
    if (wanted.accepting && next !== description) await gateway.setDescription(form.formId, next);
    if (accepting !== wanted.accepting) await gateway.setAcceptingResponses(form.formId, wanted.accepting);
    if (!wanted.accepting && next !== description) await gateway.setDescription(form.formId, next);
    await deps.store.campaigns.setFormPublish(campaign.id, stage, applied);
    if (unchanged) return undefined;
  } catch (error) {
    const cause = publicMessageOf(error);
    deps.log.error("form publish state not changed", {
      campaign: campaign.id,
      stage,
      formId: form.formId,
      accepting: wanted.accepting,
      error: logCause(error),
    });
    await deps.store.events.record(campaign.id, [
      {
        at,
        kind: "Lỗi",
        message: `Chưa ${wanted.accepting ? "mở" : "đóng"} được biểu mẫu (${message}): ${cause}; lần chạy sau sẽ thử lại.`,
        // Once a day, not at every run that fails the same way.
        key: `form-window-error:${form.formId}:${wanted.accepting}:${today}`,
      },
    ]);
    return { ...change, error: cause };
  }
  deps.log.info(wanted.accepting ? "form opened" : "form closed", {
    campaign: campaign.id,
    stage,
    formId: form.formId,
  });
  await deps.store.events.record(campaign.id, [
    {
      at,
      kind: wanted.accepting ? "Mở biểu mẫu" : "Đóng biểu mẫu",
      message,
      key: `form-window:${form.formId}:${wanted.accepting}:${notice ?? ""}:${today}`,
    },
  ]);
  return change;
};
