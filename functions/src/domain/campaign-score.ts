import type { Submission } from "./answers.js";
import type { CriteriaSet } from "./criteria.js";
import { type Evaluation, evaluateSchool } from "./evaluate.js";
import { LEVEL_LABELS, SCHOOL_LEVELS, type SchoolLevel } from "./levels.js";
import { compareSchools, type School } from "./school.js";
import { quarantineReasonsOf, type SchoolState } from "./school-state.js";
import { SCHOOL_STATUSES, type SchoolStatus } from "./status.js";
import { percentOf } from "./text.js";

export interface SchoolResult {
  school: School;
  /** The evaluation's verdict, or Cần bổ sung when the school's latest response was quarantined. */
  status: SchoolStatus;
  evaluation: Evaluation;
  /** Why the latest response was quarantined (when the status is Cần bổ sung). */
  quarantineReasons: string[];
}

/** A school's standing from its stored state (none yet: scored on nothing, so Chưa nộp). */
export const schoolResultOf = (
  school: School,
  set: CriteriaSet,
  state: SchoolState | undefined,
): SchoolResult => {
  if (!state) {
    const evaluation = evaluateSchool(school, set, []);
    return { school, status: evaluation.status, evaluation, quarantineReasons: [] };
  }
  return {
    school,
    status: state.status,
    evaluation: state.evaluation,
    quarantineReasons: quarantineReasonsOf(state),
  };
};

/**
 * What a school must still do, in the words it reads: why its latest response could not be taken
 * (when it must send it again), then each indicator it does not yet meet.
 */
export const thingsToFix = (result: Pick<SchoolResult, "quarantineReasons" | "evaluation">): string[] => [
  ...result.quarantineReasons,
  ...result.evaluation.missing.map((m) => m.message),
];

/** How far a group of schools is from the 100% target: recognised (Điển hình) of all. */
export const recognisedShare = (results: ReadonlyArray<Pick<SchoolResult, "status">>) => {
  const recognised = results.filter((r) => r.status === "dien-hinh").length;
  return { total: results.length, recognised, percent: percentOf(recognised, results.length) };
};

export interface CampaignScore {
  results: SchoolResult[];
  /** Codes in the submissions that the registry does not know, in order of first appearance. */
  unknownSchoolCodes: string[];
}

/** Score every school of a registry from its submissions (schools with none are Chưa nộp). */
export const scoreCampaign = (
  schools: readonly School[],
  set: CriteriaSet,
  submissions: readonly Submission[],
): CampaignScore => {
  const bySchool = new Map<string, Submission[]>();
  for (const s of submissions) bySchool.set(s.schoolCode, [...(bySchool.get(s.schoolCode) ?? []), s]);
  const known = new Set(schools.map((s) => s.code));
  const results = [...schools].sort(compareSchools).map((school): SchoolResult => {
    const evaluation = evaluateSchool(school, set, bySchool.get(school.code) ?? []);
    return { school, status: evaluation.status, evaluation, quarantineReasons: [] };
  });
  return { results, unknownSchoolCodes: [...bySchool.keys()].filter((code) => !known.has(code)) };
};

export interface StatusTally {
  /** Level code, or "all" for the whole campaign. */
  group: SchoolLevel | "all";
  label: string;
  schools: number;
  counts: Record<SchoolStatus, number>;
  /** Share of schools recognised as Điển hình, 0-100, against the 100% target. */
  recognisedPercent: number;
}

/** Counts by status for each level present, then for all schools. */
export const tallyByLevel = (
  results: ReadonlyArray<Pick<SchoolResult, "school" | "status">>,
): StatusTally[] => {
  const tally = (
    group: StatusTally["group"],
    label: string,
    rows: ReadonlyArray<Pick<SchoolResult, "status">>,
  ): StatusTally => {
    const counts = Object.fromEntries(SCHOOL_STATUSES.map((s) => [s, 0])) as Record<SchoolStatus, number>;
    for (const r of rows) counts[r.status]++;
    return { group, label, schools: rows.length, counts, recognisedPercent: recognisedShare(rows).percent };
  };
  return [
    ...SCHOOL_LEVELS.map((level) =>
      tally(
        level,
        LEVEL_LABELS[level],
        results.filter((r) => r.school.level === level),
      ),
    ).filter((t) => t.schools > 0),
    tally("all", "Toàn đơn vị", results),
  ];
};
