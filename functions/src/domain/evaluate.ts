import {
  type Answer,
  type Answers,
  matchOption,
  mergeStageAnswers,
  readYesNo,
  type Submission,
} from "./answers.js";
import {
  appliesToLevel,
  type CriteriaSet,
  type Criterion,
  type Indicator,
  isFact,
  meetsThreshold,
  STAGES,
  type Stage,
  thresholdsFor,
} from "./criteria.js";
import type { SchoolLevels } from "./levels.js";
import { parseVietnameseNumber } from "./numbers.js";
import { describeRequirement, withUnit } from "./requirements.js";
import type { SchoolRef } from "./school.js";
import type { IndicatorStatus, SelfAssessedStatus } from "./status.js";
import { criteriaInLevelWords } from "./terms.js";
import { foldKey, formatNumberVi, lowerFirst, upperFirst } from "./text.js";

/**
 * The scoring engine. Pure: the same answers, criteria set and school always give the same
 * evaluation, and nothing here reads a clock, a file or the network.
 */

export interface IndicatorResult {
  id: string;
  criterionId: string;
  text: string;
  kind: Indicator["kind"];
  /** Mandatory for the verdict: both the indicator and its criterion are mandatory. */
  mandatory: boolean;
  /** Answered and not met, this is a fact of the period that rules the school out (see `isFact`). */
  disqualifying: boolean;
  status: IndicatorStatus;
  /** What the school answered, as shown to people ("85%", "Có (2 tệp)"); null when unanswered. */
  seen: string | null;
  /** The answer as read for scoring: a boolean, a number or a choice; null when unusable. */
  value: boolean | number | string | null;
  /** What is required, in words ("Từ 100% trở lên", "0", "Có, kèm minh chứng"). */
  requirement: string;
  files: number;
  points: number;
  maxPoints: number;
  /** Why it is not met, in Vietnamese the school can act on; absent when met or not applicable. */
  message?: string;
}

export interface CriterionResult {
  id: string;
  title: string;
  mandatory: boolean;
  /** Met when every applicable mandatory indicator is met; not applicable when none applies. */
  status: "met" | "not-met" | "not-applicable";
  points: number;
  maxPoints: number;
  indicators: IndicatorResult[];
}

export interface MissingItem {
  criterionId: string;
  indicatorId: string;
  mandatory: boolean;
  /** A fact the school reported, not something it can supply: stated, never asked for. */
  disqualifying: boolean;
  message: string;
}

export interface Evaluation {
  schoolCode: string;
  levels: SchoolLevels;
  criteriaSetId: string;
  criteriaVersion: string;
  stage: Stage;
  /** The stages the school has an accepted submission for. */
  submitted: Stage[];
  /** What the answers say (null until the school has submitted at the stage judged). */
  selfAssessed: SelfAssessedStatus | null;
  points: number;
  maxPoints: number;
  criteria: CriterionResult[];
  /** Every failing indicator, mandatory ones first, in criteria order. */
  missing: MissingItem[];
}

export interface EvaluateOptions {
  /** "registration" scores only what is asked at registration; "dossier" (default) scores everything. */
  stage?: Stage;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Evaluate one school's answers against a criteria set. */
export const evaluate = (
  answers: Answers,
  set: CriteriaSet,
  school: SchoolRef,
  options: EvaluateOptions = {},
): Evaluation => {
  const stage = options.stage ?? "dossier";
  const criteria = criteriaInLevelWords(set, school.levels)
    .map((criterion) => evaluateCriterion(criterion, answers, school.levels, stage))
    .filter((c): c is CriterionResult => c !== undefined);
  const missing = criteria
    .flatMap((c) => c.indicators)
    .filter((i) => i.message !== undefined)
    .map((i) => ({
      criterionId: i.criterionId,
      indicatorId: i.id,
      mandatory: i.mandatory,
      disqualifying: i.disqualifying,
      message: i.message as string,
    }));
  // What keeps the school from inspection: a mandatory indicator not met, in a mandatory criterion.
  const failing = criteria
    .filter((c) => c.mandatory && c.status === "not-met")
    .flatMap((c) => c.indicators)
    .filter((i) => i.mandatory && (i.status === "not-met" || i.status === "evidence-missing"));
  const selfAssessed: SelfAssessedStatus = failing.some((i) => i.disqualifying)
    ? "khong-du-dieu-kien"
    : failing.length > 0
      ? "can-bo-sung"
      : "cho-kiem-tra";
  return {
    schoolCode: school.code,
    levels: school.levels,
    criteriaSetId: set.id,
    criteriaVersion: set.version,
    stage,
    submitted: [],
    selfAssessed,
    points: round2(criteria.reduce((sum, c) => sum + c.points, 0)),
    maxPoints: round2(criteria.reduce((sum, c) => sum + c.maxPoints, 0)),
    criteria,
    // Mandatory first, criteria order kept within each group (Array.prototype.sort is stable).
    missing: missing.sort((a, b) => Number(b.mandatory) - Number(a.mandatory)),
  };
};

/**
 * A school's evaluation from its accepted submissions. Until it has submitted at the stage judged
 * (the November dossier by default) it has no self-assessment, but what it has answered so far, at
 * registration, still shows in its points and in what is missing.
 */
export const evaluateSchool = (
  school: SchoolRef,
  set: CriteriaSet,
  submissions: readonly Submission[],
  options: EvaluateOptions = {},
): Evaluation => {
  const stage = options.stage ?? "dossier";
  const submitted = STAGES.filter((s) => submissions.some((sub) => sub.stage === s));
  const evaluation = evaluate(mergeStageAnswers(submissions), set, school, { stage });
  return {
    ...evaluation,
    submitted,
    selfAssessed: submitted.includes(stage) ? evaluation.selfAssessed : null,
  };
};

const evaluateCriterion = (
  criterion: Criterion,
  answers: Answers,
  levels: SchoolLevels,
  stage: Stage,
): CriterionResult | undefined => {
  const inScope = criterion.indicators.filter((i) => stage === "dossier" || i.stage === stage);
  if (inScope.length === 0) return undefined;
  const criterionApplies = appliesToLevel(criterion.levels, levels);
  const indicators = inScope.map((indicator) => {
    const applies = criterionApplies && appliesToLevel(indicator.levels, levels);
    return judgeIndicator(indicator, criterion, applies ? answers[indicator.id] : undefined, applies, levels);
  });
  let totalWeight = 0;
  inScope.forEach((indicator, i) => {
    if (indicators[i]?.status !== "not-applicable") totalWeight += indicator.weight;
  });
  // Earned points are summed before rounding, so a criterion fully met shows exactly its points.
  let earned = 0;
  inScope.forEach((indicator, i) => {
    const result = indicators[i] as IndicatorResult;
    if (result.status === "not-applicable") return;
    const share = (criterion.points * indicator.weight) / totalWeight;
    result.maxPoints = round2(share);
    if (result.status === "met") {
      result.points = result.maxPoints;
      earned += share;
    }
  });
  const applicable = indicators.filter((r) => r.status !== "not-applicable");
  const status =
    applicable.length === 0
      ? "not-applicable"
      : inScope.every((indicator, i) => {
            const status = indicators[i]?.status;
            return status === "met" || status === "not-applicable" || !indicator.mandatory;
          })
        ? "met"
        : "not-met";
  return {
    id: criterion.id,
    title: criterion.title,
    mandatory: criterion.mandatory,
    status,
    points: round2(earned),
    maxPoints: applicable.length === 0 ? 0 : criterion.points,
    indicators,
  };
};

/** What judging one answer needs: the indicator, its requirement, and how to word the outcome. */
interface Judging {
  indicator: Indicator;
  levels: SchoolLevels;
  requirement: string;
  files: number;
  needsFile: boolean;
  outcome: (
    status: IndicatorStatus,
    value: IndicatorResult["value"],
    seen: string | null,
    why?: string,
  ) => IndicatorResult;
}

/** What an answer means for one indicator, before points are shared out (they are set to 0). */
const judgeIndicator = (
  indicator: Indicator,
  criterion: Criterion,
  answer: Answer | undefined,
  applies: boolean,
  levels: SchoolLevels,
): IndicatorResult => {
  const requirement = describeRequirement(indicator, levels);
  const files = answer ? answer.files.filter((f) => f.length > 0).length : 0;
  const mandatory = criterion.mandatory && indicator.mandatory;
  const fact = isFact(indicator);
  // One literal, one field order: this runs for every indicator of every response (one shape is fast).
  const outcome: Judging["outcome"] = (status, value, seen, why) => ({
    id: indicator.id,
    criterionId: criterion.id,
    text: indicator.text,
    kind: indicator.kind,
    mandatory,
    // A fact answered and not met (an unreadable answer is the school's to correct).
    disqualifying: fact && status === "not-met" && value !== null,
    status,
    seen,
    value,
    requirement,
    files,
    points: 0,
    maxPoints: 0,
    message:
      why === undefined
        ? undefined
        : `Tiêu chí ${criterion.id}: ${upperFirst(why)}${mandatory ? "" : " (không bắt buộc)"}.`,
  });
  if (!applies) return outcome("not-applicable", null, null);
  if (answer && isNotApplicableAnswer(answer, indicator))
    return outcome("not-applicable", null, indicator.notApplicableOption ?? "Không áp dụng");
  const raw = answer?.value ?? null;
  if (raw === null || raw === "") return outcome("not-met", null, null, `chưa khai báo ${indicator.subject}`);
  const judging: Judging = {
    indicator,
    levels,
    requirement,
    files,
    needsFile: indicator.kind === "evidence" || indicator.evidence,
    outcome,
  };
  switch (indicator.kind) {
    case "evidence":
      return judgeEvidence(judging, raw);
    case "number":
    case "zero":
      return judgeNumber(judging, raw);
    case "choice":
      return judgeChoice(judging, raw);
  }
};

type Raw = NonNullable<Answer["value"]>;

const invalid = (j: Judging, raw: Raw) =>
  j.outcome(
    "not-met",
    null,
    String(raw),
    `câu trả lời “${String(raw)}” không hợp lệ cho ${j.indicator.subject}`,
  );

/** Met, with the files counted when the indicator asks for evidence; or met but the file is missing. */
const metOrFileMissing = (j: Judging, value: IndicatorResult["value"], seen: string) => {
  if (j.needsFile && j.files === 0)
    return j.outcome(
      "evidence-missing",
      value,
      `${seen} (0 tệp)`,
      `${upperFirst(j.indicator.subject)}: chưa nộp tệp minh chứng`,
    );
  return j.outcome("met", value, j.needsFile ? `${seen} (${j.files} tệp)` : seen);
};

const judgeEvidence = (j: Judging, raw: Raw): IndicatorResult => {
  const yes = readYesNo(raw);
  if (yes === undefined) return invalid(j, raw);
  if (!yes) return j.outcome("not-met", false, "Không", `chưa có ${j.indicator.subject}`);
  return metOrFileMissing(j, true, "Có");
};

const judgeNumber = (j: Judging, raw: Raw): IndicatorResult => {
  const { indicator } = j;
  const n = typeof raw === "number" ? raw : typeof raw === "string" ? parseVietnameseNumber(raw) : undefined;
  if (n === undefined || !Number.isFinite(n)) return invalid(j, raw);
  const integer = indicator.kind === "zero" || (indicator.kind === "number" && indicator.integer);
  if ((integer && !Number.isInteger(n)) || (indicator.kind === "zero" && n < 0)) return invalid(j, raw);
  if (indicator.kind === "number" && ((indicator.min ?? -Infinity) > n || n > (indicator.max ?? Infinity)))
    return invalid(j, raw);
  const seen = withUnit(n, indicator.kind === "number" ? indicator.unit : undefined);
  if (indicator.kind === "zero") {
    if (n !== 0)
      return j.outcome("not-met", n, seen, `có ${formatNumberVi(n)} ${indicator.subject}, yêu cầu 0`);
  } else if (indicator.kind === "number") {
    // A school of several levels meets the threshold of each.
    if (!thresholdsFor(indicator, j.levels).every(({ threshold }) => meetsThreshold(n, threshold)))
      return j.outcome(
        "not-met",
        n,
        seen,
        `${upperFirst(indicator.subject)} là ${seen}, yêu cầu ${lowerFirst(j.requirement)}`,
      );
  }
  return metOrFileMissing(j, n, seen);
};

const judgeChoice = (j: Judging, raw: Raw): IndicatorResult => {
  const { indicator } = j;
  if (indicator.kind !== "choice") return invalid(j, raw);
  const chosen = typeof raw === "string" ? matchOption(raw, indicator.options) : undefined;
  if (chosen === undefined) return invalid(j, raw);
  if (!indicator.accepted.includes(chosen))
    return j.outcome(
      "not-met",
      chosen,
      chosen,
      `${upperFirst(indicator.subject)} là “${chosen}”, yêu cầu ${lowerFirst(j.requirement)}`,
    );
  return metOrFileMissing(j, chosen, chosen);
};

const isNotApplicableAnswer = (answer: Answer, indicator: Indicator): boolean =>
  indicator.notApplicableOption !== undefined &&
  (answer.notApplicable ||
    (typeof answer.value === "string" && foldKey(answer.value) === foldKey(indicator.notApplicableOption)));
