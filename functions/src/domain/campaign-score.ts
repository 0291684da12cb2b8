import type { Submission } from "./answers.js";
import { allIndicators, type CriteriaSet } from "./criteria.js";
import { type Evaluation, evaluateSchool } from "./evaluate.js";
import { type Inspection, type InspectionOutcome, inspectionOutcome } from "./inspection.js";
import { LEVEL_GROUP_LABELS, LEVEL_GROUPS, levelGroupOf } from "./levels.js";
import { compareSchools, type School } from "./school.js";
import { quarantineReasonsOf, type Recognition, type SchoolState } from "./school-state.js";
import { passedInspection, SCHOOL_STATUSES, type SchoolStatus } from "./status.js";
import { inLevelWords } from "./terms.js";
import { lowerFirst, percentOf } from "./text.js";

export interface SchoolResult {
  school: School;
  /** Where the school stands on its path (see status.ts). */
  status: SchoolStatus;
  evaluation: Evaluation;
  /** Why the latest response was quarantined (when the status is Cần bổ sung). */
  quarantineReasons: string[];
  /** The office's inspection and what it concludes (the rejected indicators with their reasons). */
  inspection: Inspection | null;
  outcome: InspectionOutcome;
  /** The recorded decision that recognised the school. */
  recognition: Recognition | null;
}

/** Where a school stands from its evaluation alone (no quarantine, no inspection). */
export const statusOfEvaluation = (
  evaluation: Pick<Evaluation, "selfAssessed" | "submitted">,
): SchoolStatus =>
  evaluation.selfAssessed ?? (evaluation.submitted.includes("registration") ? "da-dang-ky" : "chua-dang-ky");

/** A school's standing from its evaluation alone: nothing set aside, no inspection, no decision. */
export const selfAssessedResult = (school: School, evaluation: Evaluation): SchoolResult => ({
  school,
  status: statusOfEvaluation(evaluation),
  evaluation,
  quarantineReasons: [],
  inspection: null,
  outcome: inspectionOutcome(null, evaluation),
  recognition: null,
});

/** A school's standing from its stored state (none yet: scored on nothing, so Chưa đăng ký). */
export const schoolResultOf = (
  school: School,
  set: CriteriaSet,
  state: SchoolState | undefined,
): SchoolResult => {
  if (!state) return selfAssessedResult(school, evaluateSchool(school, set, []));
  return {
    school,
    status: state.status,
    evaluation: state.evaluation,
    quarantineReasons: quarantineReasonsOf(state),
    inspection: state.inspection,
    outcome: state.outcome,
    recognition: state.recognition,
  };
};

/**
 * What the inspection team did not confirm, as sentences the school reads: only once the school
 * stands Không đạt by it.
 */
export const inspectionRejections = (
  result: Pick<SchoolResult, "status" | "outcome" | "school">,
  set: CriteriaSet,
): string[] => {
  if (result.status !== "khong-dat") return [];
  const words = (t: string) => inLevelWords(t, set.terms ?? {}, result.school.levels);
  const subjects = new Map(
    allIndicators(set).map(({ indicator }) => [indicator.id, words(indicator.subject)]),
  );
  return result.outcome.rejected.map((r) => {
    const subject = subjects.get(r.indicatorId) ?? r.text.replace(/\?$/u, "");
    const reason = lowerFirst(r.reason.replace(/[.\s]+$/u, ""));
    return `Chỉ tiêu ${r.indicatorId} (${subject}): đoàn kiểm tra không xác nhận; lý do: ${reason}.`;
  });
};

/**
 * What a school must still do, in the words it reads: why its latest response could not be taken
 * (when it must send it again), then each indicator it does not yet meet.
 */
export const thingsToFix = (result: Pick<SchoolResult, "quarantineReasons" | "evaluation">): string[] =>
  // A response set aside is the school's latest word: what it must fix is that response, not what
  // an older (or absent) accepted one lacks.
  result.quarantineReasons.length > 0
    ? [...result.quarantineReasons]
    : result.evaluation.missing.filter((m) => !m.disqualifying).map((m) => m.message);

/** The facts of the period the school reported that rule it out: stated, never asked to be fixed. */
export const factsReported = (result: Pick<SchoolResult, "evaluation">): string[] =>
  result.evaluation.missing.filter((m) => m.disqualifying).map((m) => m.message);

/**
 * How far a group of schools is from the 100% target, in the two steps that count: found Đạt by
 * the office's inspection ("đạt qua kiểm tra", recognised since or not), and recognised by the
 * competent authority ("được công nhận").
 */
export const recognisedShare = (results: ReadonlyArray<Pick<SchoolResult, "status">>) => {
  const passed = results.filter((r) => passedInspection(r.status)).length;
  const recognised = results.filter((r) => r.status === "duoc-cong-nhan").length;
  return {
    total: results.length,
    passed,
    passedPercent: percentOf(passed, results.length),
    recognised,
    percent: percentOf(recognised, results.length),
  };
};

export interface CampaignScore {
  results: SchoolResult[];
  /** Codes in the submissions that the registry does not know, in order of first appearance. */
  unknownSchoolCodes: string[];
}

/** Score every school of a registry from its submissions (schools with none are Chưa đăng ký). */
export const scoreCampaign = (
  schools: readonly School[],
  set: CriteriaSet,
  submissions: readonly Submission[],
): CampaignScore => {
  const bySchool = new Map<string, Submission[]>();
  for (const s of submissions) bySchool.set(s.schoolCode, [...(bySchool.get(s.schoolCode) ?? []), s]);
  const known = new Set(schools.map((s) => s.code));
  const results = [...schools].sort(compareSchools).map((school): SchoolResult => {
    return selfAssessedResult(school, evaluateSchool(school, set, bySchool.get(school.code) ?? []));
  });
  return { results, unknownSchoolCodes: [...bySchool.keys()].filter((code) => !known.has(code)) };
};

export interface StatusTally {
  /** Level code or commune name, or "all" for the whole campaign. */
  group: string;
  label: string;
  schools: number;
  counts: Record<SchoolStatus, number>;
  /** Share of schools found Đạt by inspection (recognised since or not), 0-100. */
  passedPercent: number;
  /** Share of schools recognised by the competent authority, 0-100, against the 100% target. */
  recognisedPercent: number;
}

type Row = Pick<SchoolResult, "school" | "status">;

const tally = (
  group: string,
  label: string,
  rows: ReadonlyArray<Pick<SchoolResult, "status">>,
): StatusTally => {
  const counts = Object.fromEntries(SCHOOL_STATUSES.map((s) => [s, 0])) as Record<SchoolStatus, number>;
  for (const r of rows) counts[r.status]++;
  const share = recognisedShare(rows);
  return {
    group,
    label,
    schools: rows.length,
    counts,
    passedPercent: share.passedPercent,
    recognisedPercent: share.percent,
  };
};

/** Counts by status for each level present, then for all schools. */
export const tallyByLevel = (results: readonly Row[], whole = "Toàn đơn vị"): StatusTally[] => [
  ...LEVEL_GROUPS.map((level) =>
    tally(
      level,
      LEVEL_GROUP_LABELS[level],
      results.filter((r) => levelGroupOf(r.school.levels) === level),
    ),
  ).filter((t) => t.schools > 0),
  tally("all", whole, results),
];

const collator = new Intl.Collator("vi");

/** Counts by status for each commune (xã, phường), in Vietnamese order, then for all schools. */
export const tallyByCommune = (results: readonly Row[], whole = "Toàn đơn vị"): StatusTally[] => [
  ...[...new Set(results.map((r) => r.school.commune))].sort(collator.compare).map((commune) =>
    tally(
      commune,
      commune,
      results.filter((r) => r.school.commune === commune),
    ),
  ),
  tally("all", whole, results),
];
