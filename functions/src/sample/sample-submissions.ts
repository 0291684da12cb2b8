import type { Answer, Submission } from "../domain/answers.js";
import {
  allIndicators,
  appliesToLevel,
  type CriteriaSet,
  type Indicator,
  meetsThreshold,
  thresholdsFor,
} from "../domain/criteria.js";
import type { School } from "../domain/school.js";

/**
 * The sample campaign's own school year: its registrations are dated March 2026 and its dossiers
 * November 2026, the 2025-2026 cycle (assessment period 16/11/2025 to 15/11/2026). Documents print
 * this year whatever day the sample is run.
 */
export const SAMPLE_SCHOOL_YEAR = "2025-2026";

/**
 * The day the sample is played as (`dienhinh run` without --today): a week after the dossiers were
 * due, three days before Hạn bổ sung. Schools that sent nothing are told their deadlines passed, those
 * asked to supply something are reminded, and the dossier sent on the 18th is marked late.
 */
export const SAMPLE_DAY = "2026-11-22";

/**
 * Deterministic sample submissions for the demo: most schools complete and pass, and a spread of
 * the cases the office meets (evidence missing, a number short of its threshold, an incident, a
 * low rating, registration only, nothing submitted). Works for any criteria set, so a changed set
 * still gets a meaningful demo. Schools are taken in the order given.
 */
export const sampleSubmissions = (schools: readonly School[], set: CriteriaSet): Submission[] =>
  schools.flatMap((school, i) => {
    const scenario = scenarioFor(i);
    if (scenario === "none") return [];
    const answers = goodAnswers(set, school, i);
    spoil(answers, set, school, scenario, i);
    const email = school.emails[0];
    // Registrations through February; dossiers within 1–15 November, but one sent on the 18th,
    // after the deadline: kept, scored and marked late for the office to decide.
    const dayOf = (stage: Indicator["stage"]) =>
      String(stage === "registration" ? 1 + (i % 27) : i === LATE_SCHOOL ? 18 : 1 + (i % 15)).padStart(
        2,
        "0",
      );
    const hour = String(7 + (i % 10)).padStart(2, "0");
    const inStage = (stage: Indicator["stage"]) =>
      Object.fromEntries(
        allIndicators(set)
          .filter(({ indicator }) => indicator.stage === stage && answers[indicator.id])
          .map(({ indicator }) => [indicator.id, answers[indicator.id] as Answer]),
      );
    const submission = (stage: Indicator["stage"], month: string): Submission => ({
      schoolCode: school.code,
      stage,
      submittedAt: `2026-${month}-${dayOf(stage)}T${hour}:15:00+07:00`,
      ...(email ? { respondentEmail: email } : {}),
      answers: inStage(stage),
    });
    const registration = submission("registration", "02");
    return scenario === "registration-only" ? [registration] : [registration, submission("dossier", "11")];
  });

/** The sample school (by its place in the registry, a complete one) whose dossier comes late. */
const LATE_SCHOOL = 14;

type Scenario =
  | "complete"
  | "none"
  | "registration-only"
  | "incident"
  | "evidence-missing"
  | "number-short"
  | "low-rating";

/** The case a school plays in the demo, by its place in the registry. */
export const scenarioFor = (i: number): Scenario => {
  if (i % 11 === 10) return "none";
  if (i % 10 === 2) return "registration-only";
  if (i % 9 === 4) return "incident";
  if (i % 7 === 3) return "evidence-missing";
  if (i % 8 === 5) return "number-short";
  if (i % 13 === 6) return "low-rating";
  return "complete";
};

const fileFor = (school: School, indicator: Indicator) =>
  `https://drive.google.com/open?id=mau-${school.code}-${indicator.id}`.toLowerCase();

/** Answers that meet every indicator, written the varied ways people type them. */
const goodAnswers = (set: CriteriaSet, school: School, i: number): Record<string, Answer> => {
  const typed = i % 3 === 0; // every third school answers in text, as a form export would
  const answers: Record<string, Answer> = {};
  for (const { criterion, indicator } of allIndicators(set)) {
    if (!appliesToLevel(criterion.levels, school.levels) || !appliesToLevel(indicator.levels, school.levels))
      continue;
    const files = [fileFor(school, indicator)];
    const none: Answer = { value: null, files: [], notApplicable: false };
    if (indicator.notApplicableOption && school.ownership === "ngoai-cong-lap") {
      answers[indicator.id] = { ...none, value: indicator.notApplicableOption, notApplicable: true };
      continue;
    }
    switch (indicator.kind) {
      case "evidence":
        answers[indicator.id] = { value: typed ? "Có" : true, files, notApplicable: false };
        break;
      case "zero":
        answers[indicator.id] = { ...none, value: typed ? "0" : 0 };
        break;
      case "number": {
        // On a threshold's boundary, the one that meets all of them (a school of several levels).
        const thresholds = thresholdsFor(indicator, school.levels).map((x) => x.threshold);
        const bounds = thresholds.map((t) =>
          t.op === ">" ? t.value + 1 : t.op === "<" ? t.value - 1 : t.value,
        );
        const value = bounds.find((v) => thresholds.every((t) => meetsThreshold(v, t))) ?? bounds[0] ?? 0;
        const text = indicator.unit === "%" ? `${value} %` : String(value);
        answers[indicator.id] = {
          value: typed ? text : value,
          files: indicator.evidence ? files : [],
          notApplicable: false,
        };
        break;
      }
      case "choice":
        answers[indicator.id] = {
          value: indicator.accepted[i % indicator.accepted.length] ?? null,
          files: indicator.evidence ? files : [],
          notApplicable: false,
        };
        break;
    }
  }
  return answers;
};

/** Make one indicator fail in the way the scenario names. */
const spoil = (
  answers: Record<string, Answer>,
  set: CriteriaSet,
  school: School,
  scenario: Scenario,
  i: number,
) => {
  const candidates = (kind: Indicator["kind"]) =>
    allIndicators(set)
      .map(({ indicator }) => indicator)
      .filter(
        (ind) =>
          ind.kind === kind && ind.stage === "dossier" && answers[ind.id] && !answers[ind.id]?.notApplicable,
      );
  const pick = <T>(list: T[]): T | undefined => list[i % Math.max(list.length, 1)];
  switch (scenario) {
    case "incident": {
      const target = pick(candidates("zero"));
      if (target) answers[target.id] = { value: 1, files: [], notApplicable: false };
      break;
    }
    case "evidence-missing": {
      const target = pick(candidates("evidence"));
      if (target) answers[target.id] = { value: true, files: [], notApplicable: false };
      break;
    }
    case "number-short": {
      const target = pick(
        candidates("number").filter((ind) => ind.kind === "number" && ind.threshold.op === ">="),
      );
      if (target?.kind === "number") {
        const t = Math.min(...thresholdsFor(target, school.levels).map((x) => x.threshold.value));
        const short = target.unit === "%" ? Math.round(t * 0.85) : t - 1;
        answers[target.id] = { value: short, files: answers[target.id]?.files ?? [], notApplicable: false };
      }
      break;
    }
    case "low-rating": {
      const target = pick(candidates("choice"));
      if (target?.kind === "choice") {
        const low = target.options.find(
          (o) => !target.accepted.includes(o) && o !== target.notApplicableOption,
        );
        answers[target.id] = {
          value: low ?? null,
          files: answers[target.id]?.files ?? [],
          notApplicable: false,
        };
      }
      break;
    }
    default:
      break;
  }
};
