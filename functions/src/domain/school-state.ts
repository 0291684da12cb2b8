import { createHash } from "node:crypto";
import type { Answer, Submission } from "./answers.js";
import { type CriteriaSet, STAGES, type Stage } from "./criteria.js";
import { type Evaluation, evaluateSchool } from "./evaluate.js";
import type { IntakeOutcome } from "./intake.js";
import type { OfficeReview } from "./review.js";
import type { SchoolRef } from "./school.js";
import type { SchoolStatus } from "./status.js";

/**
 * What the campaign knows of one school: its latest accepted submission per stage, its latest
 * quarantined response, and the evaluation derived from them. Everything but `latest` and
 * `quarantine` is recomputable (see `deriveSchoolState`).
 */
export interface StageInput {
  key: string;
  responseId: string;
  lastSubmittedTime: string;
  answers: Record<string, Answer>;
}

export interface Quarantine {
  key: string;
  lastSubmittedTime: string;
  reasons: string[];
}

/** What a school's state is derived from: everything else in `SchoolState` is recomputable. */
export type SchoolInputs = Pick<SchoolState, "latest" | "quarantine"> & { review?: OfficeReview | null };

export interface SchoolState {
  schoolCode: string;
  latest: Partial<Record<Stage, StageInput>>;
  quarantine: Quarantine | null;
  /** The office's inspection verdict and note, read back from the tracking sheet. */
  review: OfficeReview | null;
  /** The status before the office's inspection (equal to `status` until the office inspects). */
  assessedStatus: SchoolStatus;
  status: SchoolStatus;
  evaluation: Evaluation;
  /** Changes whenever anything a school or the office would see changes. */
  contentHash: string;
}

/** Recompute the derived part of a school's state (after a change of input or of criteria). */
export const deriveSchoolState = (
  school: SchoolRef,
  set: CriteriaSet,
  latest: SchoolState["latest"],
  quarantine: Quarantine | null,
  review: OfficeReview | null = null,
): SchoolState => {
  const submissions: Submission[] = STAGES.flatMap((stage) => {
    const input = latest[stage];
    return input
      ? [{ schoolCode: school.code, stage, submittedAt: input.lastSubmittedTime, answers: input.answers }]
      : [];
  });
  const evaluation = evaluateSchool(school, set, submissions);
  const pending = pendingQuarantine({ latest, quarantine });
  const needsFixing = pending !== null;
  const assessedStatus: SchoolStatus = needsFixing
    ? "can-bo-sung"
    : (evaluation.selfAssessed ?? (latest.registration ? "da-dang-ky" : "chua-dang-ky"));
  // The office inspects a school whose self-assessment meets every mandatory criterion; its
  // verdict is then the school's standing.
  const status: SchoolStatus =
    assessedStatus === "cho-kiem-tra" && review && review.verdict !== "chua-kiem-tra"
      ? review.verdict
      : assessedStatus;
  // Hash what people see (status, points, each indicator's result, the messages), compactly: the
  // full evaluation repeats the criteria texts and is ten times larger.
  const seen = [
    status,
    evaluation.criteriaSetId,
    evaluation.criteriaVersion,
    evaluation.submitted,
    evaluation.points,
    evaluation.criteria.map((c) => [
      c.id,
      c.status,
      c.points,
      c.indicators.map((i) => [i.id, i.status, i.seen, i.files]),
    ]),
    evaluation.missing.map((m) => m.message),
    pending?.reasons ?? [],
    // The verdict changes the school's standing; the office's note is its own working text, so
    // correcting it neither renders nor emails anything again.
    review?.verdict ?? "chua-kiem-tra",
  ];
  const contentHash = createHash("sha256").update(JSON.stringify(seen)).digest("hex");
  return {
    schoolCode: school.code,
    latest,
    quarantine,
    review,
    assessedStatus,
    status,
    evaluation,
    contentHash,
  };
};

/**
 * A response this school was named in was edited to name another school: the school's quarantine,
 * when it came from that response, no longer counts (the school did not send it). Undefined when
 * the school's state does not change.
 */
export const withdrawQuarantine = (
  current: SchoolInputs | undefined,
  key: string,
  school: SchoolRef,
  set: CriteriaSet,
): SchoolState | undefined =>
  current?.quarantine?.key === key
    ? deriveSchoolState(school, set, current.latest, null, current.review ?? null)
    : undefined;

/**
 * Whether the school has an outcome to be told: its dossier was judged, or its latest response must
 * be fixed. A school that has only registered is sent nothing.
 */
export const hasOutcomeToTell = (state: Pick<SchoolState, "status" | "evaluation">): boolean =>
  state.evaluation.submitted.includes("dossier") || state.status === "can-bo-sung";

/** When the school last sent anything, accepted or not (RFC 3339), or null. */
export const lastSubmittedTimeOf = (state: Pick<SchoolState, "latest" | "quarantine">): string | null =>
  [
    state.latest.registration?.lastSubmittedTime,
    state.latest.dossier?.lastSubmittedTime,
    state.quarantine?.lastSubmittedTime,
  ]
    .filter((t): t is string => t !== undefined)
    .sort()
    .at(-1) ?? null;

/**
 * The school's quarantined response when it is its latest word (newer than anything accepted): then
 * that response is what the school must send again, and nothing else is asked of it yet.
 */
export const pendingQuarantine = (state: Pick<SchoolState, "latest" | "quarantine">): Quarantine | null => {
  // Timestamps are normalised RFC 3339 in UTC, so text order is time order.
  const newestAccepted =
    STAGES.map((s) => state.latest[s]?.lastSubmittedTime ?? "")
      .sort()
      .at(-1) ?? "";
  return state.quarantine !== null && state.quarantine.lastSubmittedTime > newestAccepted
    ? state.quarantine
    : null;
};

/** Why the school's latest response could not be taken, while that is what it must fix. */
export const quarantineReasonsOf = (state: Pick<SchoolState, "latest" | "quarantine">): string[] =>
  pendingQuarantine(state)?.reasons ?? [];

export interface Applied {
  state: SchoolState;
  /** Key of the submission the new one replaced as the latest of its stage. */
  superseded?: string;
  /** Set when the new submission arrived after a later one: it is history from the start. */
  supersededBy?: string;
}

/** Take one intake outcome into a school's state. Pure; order of arrival does not matter. */
export const applyOutcome = (
  current: SchoolInputs | undefined,
  outcome: IntakeOutcome,
  school: SchoolRef,
  set: CriteriaSet,
): Applied => {
  const latest = { ...current?.latest };
  let quarantine = current?.quarantine ?? null;
  let superseded: string | undefined;
  let supersededBy: string | undefined;
  if (outcome.disposition === "accepted") {
    const previous = latest[outcome.stage];
    if (!previous || previous.lastSubmittedTime < outcome.lastSubmittedTime) {
      latest[outcome.stage] = {
        key: outcome.key,
        responseId: outcome.responseId,
        lastSubmittedTime: outcome.lastSubmittedTime,
        answers: outcome.answers,
      };
      superseded = previous?.key;
    } else {
      supersededBy = previous.key;
    }
  } else if (!outcome.senderVerified && latest[outcome.stage]) {
    // Someone outside the school cannot put a school that has a good submission back to
    // Cần bổ sung: the response is kept (and listed), but the school's standing does not change.
  } else if (!quarantine || quarantine.lastSubmittedTime < outcome.lastSubmittedTime) {
    quarantine = { key: outcome.key, lastSubmittedTime: outcome.lastSubmittedTime, reasons: outcome.reasons };
  }
  return {
    state: deriveSchoolState(school, set, latest, quarantine, current?.review ?? null),
    ...(superseded ? { superseded } : {}),
    ...(supersededBy ? { supersededBy } : {}),
  };
};
