import { createHash } from "node:crypto";
import { z } from "zod";
import { type Answer, readYesNo } from "./answers.js";
import { allIndicators, type CriteriaSet, type Indicator, type Stage } from "./criteria.js";
import { FIXED_TITLES, needsEvidence, type QuestionBinding } from "./form-spec.js";
import { questionIdsOf } from "./form-sync.js";
import { parseVietnameseNumber } from "./numbers.js";
import type { School } from "./school.js";
import { cleanText, foldKey, truncateText } from "./text.js";

/**
 * Intake: one response to a campaign form, from any source (the Forms API, the Apps Script push,
 * a CSV export), read into a submission or quarantined with reasons the school can act on.
 * Pure and total: any input gives an outcome, never an exception.
 */

const textAnswers = z.object({ answers: z.array(z.object({ value: z.string().optional() })).optional() });
const fileUploadAnswers = z.object({
  answers: z
    .array(z.object({ fileId: z.string(), fileName: z.string().optional(), mimeType: z.string().optional() }))
    .optional(),
});
const answerBody = { textAnswers: textAnswers.optional(), fileUploadAnswers: fileUploadAnswers.optional() };

/** A Forms API `FormResponse`, plus `titledAnswers` for sources that know titles, not question ids. */
export const formResponseSchema = z.object({
  formId: z.string().min(1).optional(),
  responseId: z
    .string()
    .min(1)
    .max(300)
    .regex(/^[^/]+$/u, "responseId không được chứa dấu /"),
  createTime: z.string().optional(),
  lastSubmittedTime: z.iso.datetime({ offset: true, local: false }),
  respondentEmail: z.string().optional(),
  answers: z.record(z.string(), z.object({ questionId: z.string().optional(), ...answerBody })).default({}),
  titledAnswers: z.array(z.object({ title: z.string(), ...answerBody })).default([]),
});
export type FormResponse = z.input<typeof formResponseSchema>;

export type Disposition = "accepted" | "quarantined";

export interface IntakeOutcome {
  /** Document key: response id and submission time, so an edit is a new version, a redelivery is not. */
  key: string;
  responseId: string;
  formId: string | null;
  stage: Stage;
  /** RFC 3339 in UTC to the millisecond: compares correctly as text. */
  lastSubmittedTime: string;
  respondentEmail: string | null;
  /** The sender's verified email is one the registry has for the school. */
  senderVerified: boolean;
  respondent: { name: string | null; role: string | null };
  schoolCode: string | null;
  disposition: Disposition;
  /** The payload did not have the shape of a form response at all. */
  malformed: boolean;
  /** Why it was quarantined, in Vietnamese the school can act on. */
  reasons: string[];
  answers: Record<string, Answer>;
  raw: unknown;
}

export interface IntakeContext {
  stage: Stage;
  set: CriteriaSet;
  bindings: readonly QuestionBinding[];
  schools: ReadonlyMap<string, School>;
  /** When the response reached us; keys a payload too broken to carry its own id and time. */
  receivedAt: string;
}

/**
 * "2026-11-05T08:30:00.5+07:00" → "2026-11-05T01:30:00.500Z". Milliseconds, because the Apps Script
 * push knows the time only to the millisecond while the Forms API may give micro- or nanoseconds:
 * the same response must get the same key whichever way it arrives.
 */
export const normalizeTimestamp = (value: string): string | undefined => {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/iu.exec(value.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}.${(m[2] ?? "").slice(0, 3).padEnd(3, "0")}${m[3]}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

/** How far a response's time may run ahead of the moment it reached us (clocks differ a little). */
export const FUTURE_TIME_SKEW_MS = 5 * 60 * 1000;

/**
 * A response dated after it reached us: its time is made up, so it is kept but quarantined, and
 * cannot pass for the school's latest answer above its real later ones.
 */
export const futureTimeReasons = (lastSubmittedTime: string, receivedAt: string): string[] =>
  Date.parse(lastSubmittedTime) > Date.parse(receivedAt) + FUTURE_TIME_SKEW_MS
    ? [
        `Thời điểm gửi ghi trong câu trả lời (${lastSubmittedTime}) muộn hơn lúc hệ thống nhận được ` +
          `(${receivedAt}): thời điểm không hợp lệ. Hãy gửi lại câu trả lời từ biểu mẫu; Phòng sẽ kiểm tra.`,
      ]
    : [];

/** Quote what a person typed, shortened: a reason must stay readable and its document small. */
const quote = (text: string): string => `"${truncateText(text, 81)}"`;

export const submissionKey = (responseId: string, lastSubmittedTime: string): string =>
  `${responseId}@${lastSubmittedTime}`;

const DRIVE_FILE = (fileId: string) => `https://drive.google.com/open?id=${fileId}`;

/** A response read as it is, whatever its size (see intake-guard.ts, which everyone calls). */
export const readFormResponse = (raw: unknown, ctx: IntakeContext): IntakeOutcome => {
  const parsed = formResponseSchema.safeParse(raw);
  if (!parsed.success) return malformed(raw, ctx, parsed.error);
  const response = parsed.data;
  const lastSubmittedTime =
    normalizeTimestamp(response.lastSubmittedTime) ?? (normalizeTimestamp(ctx.receivedAt) as string);
  const reasons: string[] = [...futureTimeReasons(lastSubmittedTime, ctx.receivedAt)];

  // Gather each question's answer, by question id where known, else by title.
  const { byId, byTitle, asked } = indexOf(ctx);
  const given = new Map<QuestionBinding, { texts: string[]; files: string[] }>();
  const take = (binding: QuestionBinding | undefined, body: z.infer<z.ZodObject<typeof answerBody>>) => {
    if (!binding) return;
    const texts = (body.textAnswers?.answers ?? []).map((a) => cleanText(a.value ?? "")).filter(Boolean);
    const files = (body.fileUploadAnswers?.answers ?? []).map((f) => DRIVE_FILE(f.fileId));
    given.set(binding, { texts, files });
  };
  for (const [questionId, body] of Object.entries(response.answers))
    take(byId.get(body.questionId ?? questionId), body);
  for (const body of response.titledAnswers) take(byTitle.get(foldKey(body.title)), body);
  const firstText = (role: QuestionBinding["role"]) =>
    [...given].find(([b]) => b.role === role)?.[1].texts.join(", ") || null;

  // The school, and whether the verified email belongs to it.
  const schoolAnswer = firstText("school");
  const school = schoolAnswer ? findSchool(schoolAnswer, ctx.schools) : undefined;
  if (!schoolAnswer) reasons.push(`Chưa chọn trường ở câu "${FIXED_TITLES.school}".`);
  else if (!school)
    reasons.push(`Trường đã chọn ${quote(schoolAnswer)} không có trong danh sách trường của Phòng.`);
  const email = response.respondentEmail ? cleanText(response.respondentEmail).toLowerCase() : null;
  const senderVerified = email !== null && school?.emails.includes(email) === true;
  if (!email) {
    reasons.push(
      "Không có email người gửi: biểu mẫu phải thu thập email đã xác minh; hãy đăng nhập tài khoản của trường rồi gửi lại.",
    );
  } else if (school && !senderVerified) {
    reasons.push(
      `Email người gửi không thuộc trường đã chọn: ${email} không phải email đã đăng ký của ${school.name}. ` +
        "Hãy gửi lại bằng email của trường, hoặc đề nghị Phòng cập nhật danh sách email.",
    );
  }

  // Every indicator asked at this stage.
  const answers: Record<string, Answer> = {};
  for (const { indicator, value: valueBinding, evidence: evidenceBinding } of asked) {
    const value = valueBinding ? given.get(valueBinding) : undefined;
    const evidence = evidenceBinding ? given.get(evidenceBinding) : undefined;
    if (!value && !evidence) continue;
    const read = readIndicator(
      indicator,
      value?.texts ?? [],
      [...(value?.files ?? []), ...(evidence?.files ?? [])],
      evidence?.texts ?? [],
    );
    reasons.push(...read.problems.map((p) => `Câu ${indicator.id}: ${p}`));
    if (read.answer) answers[indicator.id] = read.answer;
  }

  return {
    key: submissionKey(response.responseId, lastSubmittedTime),
    responseId: response.responseId,
    formId: response.formId ?? null,
    stage: ctx.stage,
    lastSubmittedTime,
    respondentEmail: email,
    senderVerified,
    respondent: { name: firstText("respondent-name"), role: firstText("respondent-role") },
    schoolCode: school?.code ?? null,
    disposition: reasons.length > 0 ? "quarantined" : "accepted",
    malformed: false,
    reasons,
    answers,
    raw,
  };
};

interface ContextIndex {
  byId: Map<string, QuestionBinding>;
  byTitle: Map<string, QuestionBinding>;
  /** Each indicator with the questions that ask its value and its evidence. */
  asked: Array<{ indicator: Indicator; value?: QuestionBinding; evidence?: QuestionBinding }>;
}
const indexes = new WeakMap<readonly QuestionBinding[], WeakMap<CriteriaSet, ContextIndex>>();

/** Lookups built once per form and criteria set, not once per response. */
const indexOf = (ctx: IntakeContext): ContextIndex => {
  let bySet = indexes.get(ctx.bindings);
  if (!bySet) {
    bySet = new WeakMap();
    indexes.set(ctx.bindings, bySet);
  }
  let index = bySet.get(ctx.set);
  if (!index) {
    const find = (role: QuestionBinding["role"], id: string) =>
      ctx.bindings.find((b) => b.role === role && b.indicatorId === id);
    index = {
      // A question re-created by a criteria change still answers to its old ids (a current id wins).
      byId: new Map(
        [...ctx.bindings]
          .flatMap((b) => questionIdsOf(b).map((id, i) => ({ id, b, current: i === 0 })))
          .sort((x, y) => Number(x.current) - Number(y.current))
          .map(({ id, b }) => [id, b]),
      ),
      byTitle: new Map(ctx.bindings.map((b) => [foldKey(b.title), b])),
      asked: allIndicators(ctx.set).flatMap(({ indicator }) => {
        const value = find("value", indicator.id);
        const evidence = find("evidence", indicator.id);
        return value || evidence
          ? [{ indicator, ...(value ? { value } : {}), ...(evidence ? { evidence } : {}) }]
          : [];
      }),
    };
    bySet.set(ctx.set, index);
  }
  return index;
};

/** A payload whose shape is wrong is kept too, under what id and time it has, with the reason. */
const malformed = (raw: unknown, ctx: IntakeContext, error: z.ZodError): IntakeOutcome => {
  const record = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const id =
    typeof record.responseId === "string" && /^[^/]{1,300}$/u.test(record.responseId)
      ? record.responseId
      : null;
  const time =
    typeof record.lastSubmittedTime === "string" ? normalizeTimestamp(record.lastSubmittedTime) : undefined;
  const responseId =
    id ?? `khong-hop-le-${createHash("sha256").update(boundedJson(raw)).digest("hex").slice(0, 24)}`;
  const lastSubmittedTime = time ?? (normalizeTimestamp(ctx.receivedAt) as string);
  const where = error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(toàn bộ)"}: ${i.message}`)
    .join("; ");
  return {
    key: submissionKey(responseId, lastSubmittedTime),
    responseId,
    formId: typeof record.formId === "string" ? record.formId : null,
    stage: ctx.stage,
    lastSubmittedTime,
    respondentEmail: null,
    senderVerified: false,
    respondent: { name: null, role: null },
    schoolCode: null,
    disposition: "quarantined",
    malformed: true,
    reasons: [`Dữ liệu câu trả lời không đúng định dạng (${where}); Phòng sẽ kiểm tra và liên hệ trường.`],
    answers: {},
    raw: raw === undefined ? null : raw,
  };
};

/** JSON of a value, with whatever lies deeper than `depth` levels elided: never throws, never recurses far. */
export const boundedJson = (value: unknown, depth = 32): string => {
  const walk = (v: unknown, left: number): unknown => {
    if (typeof v !== "object" || v === null) return typeof v === "bigint" ? String(v) : v;
    if (left === 0) return "…";
    if (Array.isArray(v)) return v.map((x) => walk(x, left - 1));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, left - 1)]));
  };
  return JSON.stringify(walk(value, depth)) ?? String(value);
};

/** "NB-MN01 – Trường Mầm non Họa Mi", "NB-MN01" or the exact name → the school. */
const findSchool = (answer: string, schools: ReadonlyMap<string, School>): School | undefined => {
  const code = cleanText(answer.split(/\s[–-]\s/u)[0] ?? "");
  const exact =
    schools.get(code) ?? [...schools.values()].find((s) => s.code.toLowerCase() === code.toLowerCase());
  if (exact) return exact;
  const key = foldKey(answer);
  return [...schools.values()].find((s) => foldKey(s.name) === key);
};

const URL_PATTERN = /^https?:\/\/\S+$/iu;

interface ReadIndicator {
  answer?: Answer;
  problems: string[];
}

/** One indicator's answer as typed into the form, checked for what the school must fix. */
const readIndicator = (
  indicator: Indicator,
  texts: string[],
  files: string[],
  evidenceTexts: string[],
): ReadIndicator => {
  const problems: string[] = [];
  const links = evidenceTexts.flatMap((t) => t.split(/[\s,;]+/u)).filter(Boolean);
  const badLinks = links.filter((l) => !URL_PATTERN.test(l));
  if (badLinks.length > 0) {
    problems.push(`minh chứng phải là đường dẫn tệp (https://...), không phải ${quote(badLinks[0] ?? "")}.`);
  }
  const allFiles = [...files, ...links.filter((l) => URL_PATTERN.test(l))];
  const text = texts.join(", ");
  const answer = (value: Answer["value"], notApplicable = false): ReadIndicator => ({
    answer: { value, files: needsEvidence(indicator) ? allFiles : [], notApplicable },
    problems,
  });
  if (!text) return allFiles.length > 0 ? answer(null) : { problems };
  if (indicator.notApplicableOption && foldKey(text) === foldKey(indicator.notApplicableOption)) {
    return answer(indicator.notApplicableOption, true);
  }
  switch (indicator.kind) {
    case "evidence": {
      const yes = readYesNo(text);
      if (yes === undefined) problems.push(`${quote(text)} không hợp lệ; chọn "Có" hoặc "Không".`);
      return answer(yes ?? null);
    }
    case "number":
    case "zero": {
      const n = parseVietnameseNumber(text);
      if (n === undefined) {
        problems.push(
          `${quote(text)} không đọc được thành một số; nhập số không có dấu phân cách hàng nghìn, ví dụ ${indicator.kind === "zero" ? "0" : "100 hoặc 0,5"}.`,
        );
        return answer(null);
      }
      const integer = indicator.kind === "zero" || indicator.integer;
      if (integer && !Number.isInteger(n)) problems.push(`phải là số nguyên (đã nhập ${quote(text)}).`);
      if (indicator.kind === "zero" && n < 0)
        problems.push(`số vụ việc không thể âm (đã nhập ${quote(text)}).`);
      if (indicator.kind === "number" && indicator.min !== undefined && n < indicator.min) {
        problems.push(`${quote(text)} nhỏ hơn giá trị tối thiểu ${indicator.min}.`);
      }
      if (indicator.kind === "number" && indicator.max !== undefined && n > indicator.max) {
        problems.push(`${quote(text)} lớn hơn giá trị tối đa ${indicator.max}.`);
      }
      return answer(n);
    }
    case "choice": {
      const option = indicator.options.find((o) => foldKey(o) === foldKey(text));
      if (!option) problems.push(`${quote(text)} không có trong các lựa chọn.`);
      return answer(option ?? text);
    }
  }
};

/**
 * What became of each response delivered: `new` (stored now, the school's latest of its kind),
 * `superseded` (stored now, then replaced by a later version), `duplicate` (a delivery of a response
 * already stored, before or earlier in this run).
 */
export const responseFates = (
  outcomes: readonly IntakeOutcome[],
  storedKeys: ReadonlySet<string>,
  submissions: ReadonlyArray<{ key: string; supersededBy: string | null }>,
) => {
  const replaced = new Set(submissions.filter((s) => s.supersededBy !== null).map((s) => s.key));
  const seen = new Set<string>();
  return outcomes.map((outcome) => {
    const first = !seen.has(outcome.key);
    seen.add(outcome.key);
    const fate: "new" | "superseded" | "duplicate" =
      !first || !storedKeys.has(outcome.key) ? "duplicate" : replaced.has(outcome.key) ? "superseded" : "new";
    return { outcome, fate };
  });
};

/**
 * Whether a response may have a version stored before: Google Forms keeps a response's `createTime`
 * and moves its `lastSubmittedTime` at each edit, so a response whose two times agree was never
 * edited and has no earlier version to look for (intake then spares a query per response). One
 * without `createTime` (a CSV export, a payload too broken to keep) may have.
 */
export const mayHaveEarlierVersions = (
  outcome: Pick<IntakeOutcome, "raw" | "lastSubmittedTime">,
): boolean => {
  const raw = outcome.raw;
  const created = raw && typeof raw === "object" ? (raw as { createTime?: unknown }).createTime : undefined;
  if (typeof created !== "string") return true;
  const gap = Date.parse(outcome.lastSubmittedTime) - Date.parse(created);
  return !(Number.isFinite(gap) && Math.abs(gap) < 1_000);
};

/**
 * The payloads already submitted at `now`, and how many are not yet (a run played as of an earlier
 * day has not received them). A payload without a readable submission time is kept: intake says
 * what is wrong with it.
 */
export const submittedBy = (payloads: readonly unknown[], now: Date): { due: unknown[]; notYet: number } => {
  const due = payloads.filter((p) => {
    const time =
      p && typeof p === "object" ? (p as { lastSubmittedTime?: unknown }).lastSubmittedTime : undefined;
    const at = typeof time === "string" ? Date.parse(time) : Number.NaN;
    return !(at > now.getTime());
  });
  return { due, notYet: payloads.length - due.length };
};
