import { createHash } from "node:crypto";
import type { Answer, Submission } from "./answers.js";
import { type CriteriaSet, STAGES, type Stage } from "./criteria.js";
import { type Evaluation, evaluateSchool } from "./evaluate.js";
import { type Inspection, type InspectionOutcome, inspectionOutcome } from "./inspection.js";
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
  /**
   * When the school first sent an accepted response of this stage (the earliest version): a later
   * version answers the office's request to supply something, and so is due by Hạn bổ sung.
   */
  firstSubmittedTime?: string;
  answers: Record<string, Answer>;
}

export interface Quarantine {
  key: string;
  lastSubmittedTime: string;
  reasons: string[];
}

/** The competent authority's decision that recognised the school, as the office recorded it. */
export interface Recognition {
  /** "125/QĐ-UBND". */
  number: string;
  /** The decision's date, "YYYY-MM-DD". */
  date: string;
}

/** What the office recorded about a school: its note, its inspection, the decision recognising it. */
export interface OfficeInputs {
  review?: OfficeReview | null;
  inspection?: Inspection | null;
  recognition?: Recognition | null;
}

/** What a school's state is derived from: everything else in `SchoolState` is recomputable. */
export type SchoolInputs = Pick<SchoolState, "latest" | "quarantine"> & OfficeInputs;

/** The office's part of a school's inputs, carried unchanged when the school's own part changes. */
export const officeInputsOf = (inputs: OfficeInputs | undefined): OfficeInputs => ({
  review: inputs?.review ?? null,
  inspection: inputs?.inspection ?? null,
  recognition: inputs?.recognition ?? null,
});

export interface SchoolState {
  schoolCode: string;
  latest: Partial<Record<Stage, StageInput>>;
  quarantine: Quarantine | null;
  /** The office's note on the school, read back from the tracking sheet. */
  review: OfficeReview | null;
  /** The office's inspection (plan and findings), read back from the sheet or a file. */
  inspection: Inspection | null;
  /** What the inspection concludes so far (a verdict once every counted indicator is judged). */
  outcome: InspectionOutcome;
  /** The recorded decision that recognised the school. */
  recognition: Recognition | null;
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
  office: OfficeInputs = {},
): SchoolState => {
  const { review = null, inspection = null, recognition = null } = office;
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
  // The office inspects a school whose self-assessment meets every mandatory criterion; the verdict
  // its findings give is then the school's standing. A decision recorded by the competent
  // authority is final: the school is recognised whatever it sends afterwards.
  const outcome = inspectionOutcome(inspection, evaluation);
  const status: SchoolStatus = recognition
    ? "duoc-cong-nhan"
    : assessedStatus === "cho-kiem-tra" && outcome.verdict
      ? outcome.verdict
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
    // The verdict and its reasons change what the school is told; the office's note, the plan and
    // findings still being typed are its own working text, so they render and email nothing again.
    status === "khong-dat" ? outcome.rejected : [],
    recognition,
  ];
  const contentHash = createHash("sha256").update(JSON.stringify(seen)).digest("hex");
  return {
    schoolCode: school.code,
    latest,
    quarantine,
    review,
    inspection,
    outcome,
    recognition,
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
    ? deriveSchoolState(school, set, current.latest, null, officeInputsOf(current))
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
    // The earliest version's time, whichever order the versions arrive in.
    const earliest = [previous?.firstSubmittedTime ?? previous?.lastSubmittedTime, outcome.lastSubmittedTime]
      .filter((t): t is string => t !== undefined)
      .sort()[0];
    const first = earliest && earliest < outcome.lastSubmittedTime ? { firstSubmittedTime: earliest } : {};
    if (!previous || previous.lastSubmittedTime < outcome.lastSubmittedTime) {
      latest[outcome.stage] = {
        key: outcome.key,
        responseId: outcome.responseId,
        lastSubmittedTime: outcome.lastSubmittedTime,
        ...first,
        answers: outcome.answers,
      };
      superseded = previous?.key;
    } else {
      supersededBy = previous.key;
      if (earliest && earliest < previous.lastSubmittedTime)
        latest[outcome.stage] = { ...previous, firstSubmittedTime: earliest };
    }
  } else if (!outcome.senderVerified && latest[outcome.stage]) {
    // Someone outside the school cannot put a school that has a good submission back to
    // Cần bổ sung: the response is kept (and listed), but the school's standing does not change.
  } else if (!quarantine || quarantine.lastSubmittedTime < outcome.lastSubmittedTime) {
    quarantine = { key: outcome.key, lastSubmittedTime: outcome.lastSubmittedTime, reasons: outcome.reasons };
  }
  return {
    state: deriveSchoolState(school, set, latest, quarantine, officeInputsOf(current)),
    ...(superseded ? { superseded } : {}),
    ...(supersededBy ? { supersededBy } : {}),
  };
};
