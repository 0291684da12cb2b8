import type { Answer } from "../domain/answers.js";
import type { Campaign } from "../domain/campaign.js";
import { allIndicators, type Indicator, type Stage } from "../domain/criteria.js";
import { type QuestionBinding, schoolOption } from "../domain/form-spec.js";
import type { FormResponse } from "../domain/intake.js";
import type { School } from "../domain/school.js";
import { formatNumberVi } from "../domain/text.js";
import { sampleSubmissions, scenarioFor } from "./sample-submissions.js";

/**
 * The sample submissions as Google Forms would deliver them (Forms API `FormResponse`s, answers
 * as the text people type), plus what the office meets in practice: a dossier sent from a personal
 * account, a number written in words, a response delivered twice, and one edited later to correct
 * a mistake. Deterministic.
 */
export const sampleFormResponses = (
  campaign: Campaign,
  schools: readonly School[],
): Record<Stage, FormResponse[]> => {
  const indicators = new Map(
    allIndicators(campaign.criteriaSet).map(({ indicator }) => [indicator.id, indicator]),
  );
  const out: Record<Stage, FormResponse[]> = { registration: [], dossier: [] };
  const submissions = sampleSubmissions(schools, campaign.criteriaSet);
  submissions.forEach((submission) => {
    const form = campaign.forms[submission.stage];
    const school = schools.find((s) => s.code === submission.schoolCode);
    if (!form || !school) return;
    out[submission.stage].push(
      toFormResponse(form.formId, form.bindings, school, submission.answers, indicators, {
        responseId: `mau-${submission.stage === "registration" ? "dk" : "hs"}-${school.code}`.toLowerCase(),
        lastSubmittedTime: new Date(submission.submittedAt).toISOString(),
        respondentEmail: submission.respondentEmail ?? school.emails[0] ?? "",
      }),
    );
  });

  // What happens in a real campaign, on a few schools that otherwise pass.
  const dossiers = out.dossier;
  const complete = new Set(
    schools.filter((_, i) => scenarioFor(i) === "complete").map((s) => `mau-hs-${s.code}`.toLowerCase()),
  );
  const passing = dossiers.filter((r) => complete.has(r.responseId));
  const pick = (k: number) => passing[(k * 7) % passing.length];
  const personal = pick(1);
  if (personal) personal.respondentEmail = "hieupho.canhan@gmail.com";
  const inWords = pick(2);
  const percentQuestion = campaign.forms.dossier?.bindings.find(
    (b) => b.role === "value" && indicators.get(b.indicatorId ?? "")?.kind === "number",
  );
  if (inWords && percentQuestion) {
    inWords.answers = {
      ...inWords.answers,
      [percentQuestion.questionId]: text(percentQuestion.questionId, "một trăm"),
    };
  }
  const twice = pick(3);
  if (twice) dossiers.push(structuredClone(twice));
  const edited = pick(4);
  const incident = campaign.forms.dossier?.bindings.find(
    (b) => b.role === "value" && indicators.get(b.indicatorId ?? "")?.kind === "zero",
  );
  if (edited && incident) {
    // First sent with an incident typed by mistake, then corrected a day later.
    const original = structuredClone(edited);
    original.answers = { ...original.answers, [incident.questionId]: text(incident.questionId, "1") };
    original.lastSubmittedTime = new Date(
      Date.parse(edited.lastSubmittedTime) - 24 * 3600 * 1000,
    ).toISOString();
    original.createTime = original.lastSubmittedTime;
    edited.createTime = original.lastSubmittedTime; // an edit keeps the response's createTime
    dossiers.push(original);
  }
  return out;
};

const text = (questionId: string, value: string) => ({ questionId, textAnswers: { answers: [{ value }] } });

const toFormResponse = (
  formId: string,
  bindings: readonly QuestionBinding[],
  school: School,
  answers: Record<string, Answer>,
  indicators: ReadonlyMap<string, Indicator>,
  meta: { responseId: string; lastSubmittedTime: string; respondentEmail: string },
): FormResponse => {
  const out: Record<string, ReturnType<typeof text>> = {};
  for (const binding of bindings) {
    if (binding.role === "school") out[binding.questionId] = text(binding.questionId, schoolOption(school));
    else if (binding.role === "respondent-name")
      out[binding.questionId] = text(binding.questionId, "Nguyễn Thị Mẫu");
    else if (binding.role === "respondent-role")
      out[binding.questionId] = text(binding.questionId, "Phó Hiệu trưởng");
    else {
      const answer = answers[binding.indicatorId ?? ""];
      const indicator = indicators.get(binding.indicatorId ?? "");
      if (!answer || !indicator) continue;
      const value = binding.role === "evidence" ? answer.files.join("\n") : typed(answer, indicator);
      if (value) out[binding.questionId] = text(binding.questionId, value);
    }
  }
  // Google Forms keeps a response's first submission as createTime: a new response's two times agree.
  return { formId, ...meta, createTime: meta.lastSubmittedTime, answers: out };
};

/** An answer as a person types it into the form. */
const typed = (answer: Answer, indicator: Indicator): string => {
  if (answer.notApplicable) return indicator.notApplicableOption ?? "";
  const v = answer.value;
  if (typeof v === "boolean") return v ? "Có" : "Không";
  if (typeof v === "number")
    return indicator.kind === "number" && indicator.unit === "%"
      ? `${formatNumberVi(v)}%`
      : formatNumberVi(v);
  return v ?? "";
};
