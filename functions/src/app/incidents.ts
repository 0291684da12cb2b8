import { assessmentPeriod, type Campaign } from "../domain/campaign.js";
import type { EmailView } from "../domain/email-view.js";
import {
  acceptedIncident,
  type IncidentOutcome,
  type IncidentRecord,
  readIncidentResponse,
} from "../domain/incident.js";
import { futureTimeReasons } from "../domain/intake.js";
import { type MailOutcome, mailKey } from "../domain/mail.js";
import { incidentAlertTo } from "../domain/office.js";
import type { School } from "../domain/school.js";
import { DEFAULT_TIME_ZONE } from "../domain/sheet-layout.js";
import { formatDateTimeVi, formatDateVi } from "../domain/time.js";
import { InputError } from "../errors.js";
import type { AppDeps } from "./deps.js";
import { hashOf } from "./documents.js";
import { type IngestSummary, WATERMARK_OVERLAP_MS } from "./intake.js";
import { mailOfficeOnce, officeView, type SendDeps, type SendRun } from "./send-deps.js";

/**
 * Incident reports (the campaign's third form, open all year): taken in like any response (read,
 * stored exactly once, a quarantined one kept with its reasons), written to the office's log, and
 * each accepted one mailed to the office's leader through the mail outbox (exactly once per report).
 * Nothing here touches a school's state: a report is never scored.
 */
/** An intake's counts, for incident reports (stored one by one: no retried chunks, no run day). */
export type IncidentSummary = Omit<IngestSummary, "retries" | "outcomes" | "notYet"> & {
  outcomes: IncidentOutcome[];
};

export const LOG_KIND = "Báo cáo vụ việc";

/** The campaign's time zone: its sheet layout's, else the deployment's, else Vietnam's. */
export const campaignTimeZone = (deps: Pick<AppDeps, "sheets">, campaign: Campaign): string =>
  campaign.sheetLayout?.timeZone ?? deps.sheets?.layout.timeZone ?? DEFAULT_TIME_ZONE;

export const ingestIncidents = async (
  deps: Pick<AppDeps, "store" | "clock" | "schools" | "sheets">,
  campaign: Campaign,
  payloads: readonly unknown[],
): Promise<IncidentSummary> => {
  const schools = await deps.schools(campaign.id);
  const now = deps.clock();
  const context = {
    set: campaign.criteriaSet,
    bindings: campaign.forms.incident?.bindings ?? [],
    schools,
    receivedAt: now.toISOString(),
    period: assessmentPeriod(campaign),
    timeZone: campaignTimeZone(deps, campaign),
  };
  const outcomes = payloads.map((p) => readIncidentResponse(p, context));
  const storedKeys = await deps.store.incidents.add(campaign.id, outcomes, now);
  // Keyed by the report: recorded once, and still recorded by a redelivery after a crash here.
  await deps.store.events.record(
    campaign.id,
    outcomes.map((o) => ({
      key: `incident|${o.key}`,
      at: now,
      kind: LOG_KIND,
      ...(o.schoolCode ? { schoolCode: o.schoolCode } : {}),
      message: incidentLogMessage(o),
    })),
  );
  return {
    received: payloads.length,
    stored: storedKeys.length,
    storedKeys,
    duplicates: payloads.length - storedKeys.length,
    accepted: outcomes.filter((o) => o.disposition === "accepted").length,
    quarantined: outcomes.filter((o) => o.disposition === "quarantined").length,
    outcomes,
  };
};

/** The log's line: the incident when accepted, else why it was set aside. */
export const incidentLogMessage = (o: IncidentOutcome): string => {
  const from = o.respondentEmail ? ` từ ${o.respondentEmail}` : "";
  const { kindLabel, date, description } = o.incident;
  return o.disposition === "accepted"
    ? `${kindLabel}, ngày ${formatDateVi(date ?? "")}${from}: ${description}`
    : `Báo cáo vụ việc${from} chưa nhận được: ${o.reasons.join("; ")}`;
};

/** Pull the incident form's responses since its watermark (less the overlap), as for a stage's form. */
export const pullIncidents = async (
  deps: AppDeps,
  campaign: Campaign,
): Promise<IncidentSummary | undefined> => {
  const form = campaign.forms.incident;
  if (!form) return undefined;
  if (!deps.forms) throw new InputError("Chưa cấu hình Forms API: không thể lấy câu trả lời.");
  const since = form.watermark
    ? new Date(Date.parse(form.watermark) - WATERMARK_OVERLAP_MS).toISOString()
    : undefined;
  const summary = await ingestIncidents(deps, campaign, await deps.forms.listResponses(form.formId, since));
  const received = deps.clock().toISOString();
  const newest = summary.outcomes
    .map((o) => o.lastSubmittedTime)
    .filter((time) => futureTimeReasons(time, received).length === 0)
    .sort()
    .at(-1);
  if (newest) await deps.store.campaigns.advanceWatermark(campaign.id, "incident", newest);
  return summary;
};

/** An alert sent, for the run's summary. */
export interface IncidentAlert {
  school: string;
  indicatorId: string;
  date: string;
  to: string;
  outcome: MailOutcome;
}

/**
 * Mail the office's leader of each accepted report not yet told, once per report (an edit of it is
 * in the log, not a new alert): the outbox's key is the school, the report and the recipient, so a
 * run delivered twice, or two runs at once, send one message.
 */
export const sendIncidentAlerts = async (
  deps: SendDeps,
  campaign: Campaign,
  run?: SendRun,
): Promise<IncidentAlert[]> => {
  const pending = await deps.store.incidents.unalerted(campaign.id);
  const schools = await deps.store.schools.load(campaign.id);
  const to = incidentAlertTo(campaign.office);
  const alerts: IncidentAlert[] = [];
  for (const record of pending.sort((a, b) => a.key.localeCompare(b.key))) {
    const incident = acceptedIncident(record);
    const school = record.schoolCode ? schools.get(record.schoolCode) : undefined;
    if (!incident || !school) {
      await deps.store.incidents.setAlert(campaign.id, record.key, "none");
      continue;
    }
    const key = mailKey(school.code, hashOf("vu-viec", record.responseId), to);
    const email = deps.templates.email(alertView(deps, campaign, school, record));
    // A message to the office, not to the school: not among what the school was sent.
    const { outcome } = await mailOfficeOnce(deps, campaign, key, { to, email });
    if (outcome === "sent" || outcome === "already-sent")
      await deps.store.incidents.setAlert(campaign.id, record.key, "sent");
    else if (outcome === "failed") {
      await deps.store.incidents.setAlert(campaign.id, record.key, "failed");
      // Refused for good: the office must hear that its leader was not told.
      await deps.store.events.record(campaign.id, [
        {
          at: deps.clock(),
          kind: "Lỗi",
          schoolCode: school.code,
          message: `Không gửi được thư báo vụ việc đến ${to} (địa chỉ bị từ chối); đề nghị báo trực tiếp cho lãnh đạo phòng và sửa địa chỉ trong hồ sơ phòng`,
          key: `incident-alert-failed:${key}`,
        },
      ]);
    }
    run?.messages.push({ school: school.code, to, outcome });
    alerts.push({ school: school.code, indicatorId: incident.indicatorId, date: incident.date, to, outcome });
  }
  return alerts;
};

const alertView = (deps: SendDeps, campaign: Campaign, school: School, record: IncidentRecord): EmailView => {
  const incident = acceptedIncident(record);
  const who = [record.respondent.name, record.respondent.role && `(${record.respondent.role})`]
    .filter(Boolean)
    .join(" ");
  return {
    kind: "vu-viec",
    office: officeView(campaign),
    schoolYear: campaign.schoolYear,
    to: campaign.office.leader?.name ? `Ông/Bà ${campaign.office.leader.name}` : "Lãnh đạo phòng",
    school: { code: school.code, name: school.name },
    incident: {
      kind: incident?.kindLabel ?? "",
      date: formatDateVi(incident?.date ?? ""),
      description: incident?.description ?? "",
      reportedBy: [who, record.respondentEmail].filter(Boolean).join(", "),
      sentAt: formatDateTimeVi(new Date(record.lastSubmittedTime), deps.timeZone),
    },
    attachments: [],
    sample: campaign.office.sample,
  };
};

/** Every incident report of a campaign, as summary.json lists them. */
export const incidentRows = async (store: Pick<SendDeps["store"], "incidents">, campaignId: string) =>
  (await store.incidents.list(campaignId)).map((r) => ({
    school: r.schoolCode,
    responseId: r.responseId,
    kind: r.incident.indicatorId ?? null,
    kindLabel: r.incident.kindLabel ?? null,
    date: r.incident.date ?? null,
    description: r.incident.description ?? null,
    disposition: r.disposition,
    reasons: r.reasons,
    alert: r.alert,
  }));
