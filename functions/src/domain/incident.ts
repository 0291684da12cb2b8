import { createHash } from "node:crypto";
import type { z } from "zod";
import { allIndicators, type CriteriaSet } from "./criteria.js";
import {
  FIXED_TITLES,
  type FormItem,
  type FormQuestion,
  type FormSpec,
  type QuestionBinding,
  type QuestionRole,
  RESPONDENT_ROLES,
  schoolOption,
} from "./form-spec.js";
import { questionIdsOf } from "./form-sync.js";
import { formResponseSchema, type IntakeOutcome } from "./intake.js";
import { readResponse } from "./intake-guard.js";
import type { OfficeProfile } from "./office.js";
import type { School } from "./school.js";
import { cleanMultiline, cleanText, foldKey, truncateText, upperFirst } from "./text.js";
import { dayIn, formatDateVi } from "./time.js";

/**
 * Incident reports: the third form of a campaign, open all year, where a school reports an incident
 * as it happens (the seed's "nắm tình hình … báo cáo kịp thời"). Its kinds are the criteria's
 * incident indicators (the counts that must be 0). A report is stored like any response (accepted,
 * or quarantined with reasons), never scored: it changes no school's result. Pure.
 */

/** The incident form's key among a campaign's forms (beside the stages). */
export const INCIDENT_FORM = "incident" as const;

export const INCIDENT_TITLES = {
  "incident-kind": "Loại vụ việc",
  "incident-date": "Ngày xảy ra",
  "incident-description": "Mô tả ngắn",
} as const;
type IncidentRole = keyof typeof INCIDENT_TITLES;

/** The longest description kept, in characters: a short account; details go by phone or công văn. */
export const INCIDENT_DESCRIPTION_MAX = 1000;

export interface IncidentKind {
  indicatorId: string;
  /** "3.4. Vụ phạm tội nghiêm trọng trở lên": the option the form offers. */
  label: string;
}

/** The criteria's incident indicators (kind zero: a count that must be 0), as the form's choices. */
export const incidentKinds = (set: CriteriaSet): IncidentKind[] =>
  allIndicators(set)
    .filter(({ indicator }) => indicator.kind === "zero")
    .map(({ indicator }) => ({
      indicatorId: indicator.id,
      label: `${indicator.id}. ${upperFirst(indicator.subject)}`,
    }));

const questionId = (role: QuestionRole): string =>
  createHash("sha256").update(`incident|${role}`).digest("hex").slice(0, 8);

/** The incident form: the school and who reports, then the kind, the day and a short account. */
export const buildIncidentFormSpec = (input: {
  set: CriteriaSet;
  schools: readonly School[];
  schoolYear: string;
  office: OfficeProfile;
}): FormSpec => {
  const item = (role: QuestionRole, title: string, q: FormQuestion, description?: string): FormItem => ({
    title,
    ...(description ? { description } : {}),
    questionItem: { question: { questionId: questionId(role), required: true, ...q } },
  });
  const options = (values: readonly string[]) => values.map((value) => ({ value }));
  return {
    info: {
      title: `Báo cáo vụ việc - năm học ${input.schoolYear}`,
      documentTitle: `Báo cáo vụ việc - ${input.schoolYear}`,
      description:
        `${input.office.issuingBody} - ${input.office.parentBody}. Trường báo cáo kịp thời mỗi vụ việc ` +
        `về an ninh, trật tự xảy ra tại đơn vị (${input.set.title}); biểu mẫu mở suốt năm học, mỗi vụ việc một bài.`,
    },
    settings: { emailCollectionType: "VERIFIED" },
    items: [
      item(
        "school",
        FIXED_TITLES.school,
        { choiceQuestion: { type: "DROP_DOWN", options: options(input.schools.map(schoolOption)) } },
        "Chọn đúng trường của mình. Email người gửi phải là email của trường đã đăng ký với Phòng.",
      ),
      item("respondent-name", FIXED_TITLES["respondent-name"], { textQuestion: {} }),
      item("respondent-role", FIXED_TITLES["respondent-role"], {
        choiceQuestion: { type: "RADIO", options: options(RESPONDENT_ROLES) },
      }),
      item("incident-kind", INCIDENT_TITLES["incident-kind"], {
        choiceQuestion: {
          type: "DROP_DOWN",
          options: options(incidentKinds(input.set).map((k) => k.label)),
        },
      }),
      item("incident-date", INCIDENT_TITLES["incident-date"], { dateQuestion: { includeYear: true } }),
      item(
        "incident-description",
        INCIDENT_TITLES["incident-description"],
        { textQuestion: { paragraph: true } },
        `Tóm tắt vụ việc và cách đơn vị đã xử lý (tối đa ${INCIDENT_DESCRIPTION_MAX} ký tự).`,
      ),
    ],
  };
};

/** The incident form's questions, mapped by their titles (a form the office edited keeps them). */
export const adoptIncidentForm = (form: FormSpec): { bindings: QuestionBinding[]; missing: string[] } => {
  const asked = Object.entries({ ...FIXED_TITLES, ...INCIDENT_TITLES }) as Array<[QuestionRole, string]>;
  const bindings = form.items.flatMap((item): QuestionBinding[] => {
    const id = item.questionItem?.question.questionId;
    const role = asked.find(([, title]) => foldKey(title) === foldKey(item.title ?? ""))?.[0];
    return id && role ? [{ questionId: id, title: cleanText(item.title ?? ""), role }] : [];
  });
  const missing = asked.filter(([role]) => !bindings.some((b) => b.role === role)).map(([, title]) => title);
  return { bindings, missing };
};

export interface IncidentContext {
  set: CriteriaSet;
  bindings: readonly QuestionBinding[];
  schools: ReadonlyMap<string, School>;
  /** When the report reached us (RFC 3339). */
  receivedAt: string;
  /** The assessment period ("YYYY-MM-DD" days): an incident dated before it is refused as a slip. */
  period: { from: string; to: string };
  timeZone: string;
}

/** What a school reported, read. */
export interface Incident {
  indicatorId: string;
  kindLabel: string;
  /** "YYYY-MM-DD". */
  date: string;
  description: string;
}

/** One incident report as read: a response's identity and checks, and the incident when readable. */
export type IncidentOutcome = Omit<IntakeOutcome, "stage" | "answers"> & { incident: Partial<Incident> };

/** Read one report: the common checks (shape, school, sender, time), then the incident's own. */
export const readIncidentResponse = (raw: unknown, ctx: IncidentContext): IncidentOutcome => {
  const common = readResponse(raw, {
    // The stage only labels a stage's outcome: incident reports are never stored as one.
    stage: "dossier",
    set: ctx.set,
    bindings: ctx.bindings.filter((b) => !(b.role in INCIDENT_TITLES)),
    schools: ctx.schools,
    receivedAt: ctx.receivedAt,
  });
  const { stage: _, answers: __, ...outcome } = common;
  const parsed = formResponseSchema.safeParse(outcome.raw);
  if (outcome.malformed || !parsed.success) return { ...outcome, incident: {} };
  const texts = answerTexts(parsed.data, ctx.bindings);
  const { incident, problems } = readIncident(texts, ctx, outcome.lastSubmittedTime);
  const reasons = [...outcome.reasons, ...problems];
  return { ...outcome, reasons, disposition: reasons.length > 0 ? "quarantined" : "accepted", incident };
};

type Parsed = z.output<typeof formResponseSchema>;

/** Each incident question's answer text, by question id, or by title for sources that know titles. */
const answerTexts = (response: Parsed, bindings: readonly QuestionBinding[]): Map<IncidentRole, string> => {
  const texts = new Map<IncidentRole, string>();
  const textOf = (body: { textAnswers?: { answers?: Array<{ value?: string }> } | undefined }) =>
    (body.textAnswers?.answers ?? []).map((a) => a.value ?? "").join("\n");
  for (const [id, body] of Object.entries(response.answers)) {
    const binding = bindings.find((b) => questionIdsOf(b).includes(body.questionId ?? id));
    if (binding && binding.role in INCIDENT_TITLES) texts.set(binding.role as IncidentRole, textOf(body));
  }
  for (const body of response.titledAnswers) {
    const role = (Object.keys(INCIDENT_TITLES) as IncidentRole[]).find(
      (r) => foldKey(INCIDENT_TITLES[r]) === foldKey(body.title),
    );
    if (role) texts.set(role, textOf(body));
  }
  return texts;
};

const quote = (text: string) => `"${truncateText(text, 81)}"`;

const readIncident = (
  texts: ReadonlyMap<IncidentRole, string>,
  ctx: IncidentContext,
  /** When the school sent it (a time after its receipt is refused by the common checks). */
  sentAt: string,
): { incident: Partial<Incident>; problems: string[] } => {
  const problems: string[] = [];
  const incident: Partial<Incident> = {};
  const kindText = cleanText(texts.get("incident-kind") ?? "");
  const kinds = incidentKinds(ctx.set);
  const kind = kinds.find(
    (k) => foldKey(k.label) === foldKey(kindText) || k.indicatorId === kindText.split(/[.\s]/u)[0],
  );
  if (!kindText) problems.push(`Chưa chọn "${INCIDENT_TITLES["incident-kind"]}".`);
  else if (!kind) problems.push(`Loại vụ việc ${quote(kindText)} không có trong danh sách của biểu mẫu.`);
  else Object.assign(incident, { indicatorId: kind.indicatorId, kindLabel: kind.label });

  const dateText = cleanText(texts.get("incident-date") ?? "");
  const date = readDay(dateText);
  const today = dayIn(new Date(sentAt < ctx.receivedAt ? sentAt : ctx.receivedAt), ctx.timeZone);
  if (!dateText) problems.push(`Chưa nhập "${INCIDENT_TITLES["incident-date"]}".`);
  else if (!date)
    problems.push(`Ngày xảy ra ${quote(dateText)} không hợp lệ; nhập theo dạng ngày/tháng/năm.`);
  else if (date > today)
    problems.push(
      `Ngày xảy ra ${formatDateVi(date)} ở sau ngày gửi báo cáo (${formatDateVi(today)}): ` +
        "chỉ báo cáo vụ việc đã xảy ra; hãy sửa lại ngày rồi gửi lại.",
    );
  else if (date < ctx.period.from)
    problems.push(
      `Ngày xảy ra ${formatDateVi(date)} ở trước kỳ đánh giá (từ ${formatDateVi(ctx.period.from)}): ` +
        "hãy kiểm tra lại năm; vụ việc của kỳ trước báo cáo trực tiếp với Phòng.",
    );
  if (date) incident.date = date;

  const description = cleanMultiline(texts.get("incident-description") ?? "");
  if (!description) problems.push(`Chưa nhập "${INCIDENT_TITLES["incident-description"]}".`);
  else if (description.length > INCIDENT_DESCRIPTION_MAX)
    problems.push(
      `Mô tả dài ${description.length} ký tự, tối đa ${INCIDENT_DESCRIPTION_MAX}: hãy tóm tắt ngắn hơn ` +
        "(chi tiết gửi Phòng bằng văn bản) rồi gửi lại.",
    );
  if (description) incident.description = truncateText(description, INCIDENT_DESCRIPTION_MAX);
  return { incident, problems };
};

/** "2026-10-05" (Google Forms' date answer) or "05/10/2026" → "2026-10-05"; anything else undefined. */
export const readDay = (text: string): string | undefined => {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(text);
  const vi = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/u.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : vi ? [vi[3], vi[2], vi[1]] : [];
  if (!y || !m || !d) return undefined;
  const day = `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day ? undefined : day;
};

/** Whether the office's leader was mailed of a report: `none` for one set aside (not alerted). */
export const ALERT_STATES = ["pending", "sent", "failed", "none"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** An incident report as stored (campaigns/{id}/incidents/{key}). */
export interface IncidentRecord {
  key: string;
  responseId: string;
  schoolCode: string | null;
  lastSubmittedTime: string;
  receivedAt: Date;
  respondentEmail: string | null;
  respondent: { name: string | null; role: string | null };
  disposition: IntakeOutcome["disposition"];
  reasons: string[];
  incident: Partial<Incident>;
  alert: AlertState;
}

/** A stored report's incident, when it was accepted (then every field was read). */
export const acceptedIncident = (record: Pick<IncidentRecord, "disposition" | "incident">) =>
  record.disposition === "accepted" ? (record.incident as Incident) : undefined;
