import type { Campaign } from "../domain/campaign.js";
import type { Stage } from "../domain/criteria.js";
import { futureTimeReasons, type IntakeOutcome } from "../domain/intake.js";
import { readResponse } from "../domain/intake-guard.js";
import type { School } from "../domain/school.js";
import {
  applyOutcome,
  type SchoolInputs,
  type SchoolState,
  withdrawQuarantine,
} from "../domain/school-state.js";
import { InputError } from "../errors.js";
import type { IntakePlan, IntakeWrites, SeenChunk, StoredVersion } from "../infra/store/index.js";
import type { AppDeps } from "./deps.js";

export interface IngestSummary {
  received: number;
  stored: number;
  /** Keys of the responses stored now; a response delivered again is not among them. */
  storedKeys: string[];
  duplicates: number;
  accepted: number;
  quarantined: number;
  retries: number;
  outcomes: IntakeOutcome[];
  /** Responses submitted after the run's day (`run --today`): not received yet, not counted. */
  notYet?: number;
}

/**
 * The one path every response takes, whatever brought it: read (parse, normalise, identify the
 * school, check the sender), then store exactly once with the school's new state and its outbox
 * entry.
 */
export const ingestResponses = async (
  deps: Pick<AppDeps, "store" | "clock" | "schools">,
  campaign: Campaign,
  stage: Stage,
  payloads: readonly unknown[],
): Promise<IngestSummary> => {
  const schools = await deps.schools(campaign.id);
  const now = deps.clock();
  const context = {
    stage,
    set: campaign.criteriaSet,
    bindings: campaign.forms[stage]?.bindings ?? [],
    schools,
    receivedAt: now.toISOString(),
  };
  const read = payloads.map((p) => readResponse(p, context));
  const { replaced, ...stored } = await deps.store.intake.commit(
    { id: campaign.id, criteriaVersion: campaign.criteriaSet.version },
    read,
    intakePlan(campaign, schools),
    now,
  );
  // What was stored is what is reported: a response Firestore refused as read was kept quarantined.
  const keptAs = new Map(replaced.map((o) => [o.key, o]));
  const outcomes = read.map((o) => keptAs.get(o.key) ?? o);
  return {
    received: payloads.length,
    ...stored,
    accepted: outcomes.filter((o) => o.disposition === "accepted").length,
    quarantined: outcomes.filter((o) => o.disposition === "quarantined").length,
    outcomes,
  };
};

/**
 * What intake writes for a chunk of responses, given what is stored: the new submissions, and each
 * school's state with every new response applied (in submission order, so the history reads
 * naturally; the result does not depend on it). Pure.
 */
export const intakePlan = (campaign: Campaign, schools: ReadonlyMap<string, School>): IntakePlan => ({
  keepsState: (code) => schools.has(code),
  decide: (chunk, seen): IntakeWrites => {
    const fresh = chunk.filter((o) => !seen.existing.has(o.key));
    const inputs = new Map<string, SchoolInputs | undefined>(
      [...seen.states].map(([code, s]) => [code, s?.inputs]),
    );
    const changed = new Map<string, SchoolState>();
    const supersededLater = new Map<string, string>(); // an older submission → the one that replaced it
    const supersededBy = new Map<string, string>(); // a late arrival → the later one already stored
    for (const outcome of [...fresh].sort((a, b) => a.lastSubmittedTime.localeCompare(b.lastSubmittedTime))) {
      const school = outcome.schoolCode ? schools.get(outcome.schoolCode) : undefined;
      if (!school) continue;
      const applied = applyOutcome(inputs.get(school.code), outcome, school, campaign.criteriaSet);
      inputs.set(school.code, applied.state);
      changed.set(school.code, applied.state);
      if (applied.superseded) supersededLater.set(applied.superseded, outcome.key);
      if (applied.supersededBy) supersededBy.set(outcome.key, applied.supersededBy);
    }
    for (const [code, state] of withdrawn(fresh, seen, inputs, campaign, schools)) {
      inputs.set(code, state);
      changed.set(code, state);
    }
    const freshKeys = new Set(fresh.map((o) => o.key));
    return {
      submissions: fresh.map((outcome) => {
        const by = supersededLater.get(outcome.key) ?? supersededBy.get(outcome.key);
        return by ? { outcome, supersededBy: by } : { outcome };
      }),
      superseded: [...supersededLater]
        .filter(([older]) => !freshKeys.has(older))
        .map(([key, by]) => ({ key, by })),
      states: [...changed.values()],
    };
  },
});

/**
 * Schools named by an earlier version of a response that its latest version no longer names: a
 * quarantine that came from that earlier version is withdrawn (a response sent for the wrong school,
 * then edited to the right one, leaves the first school as it was).
 */
const withdrawn = (
  fresh: readonly IntakeOutcome[],
  seen: SeenChunk,
  inputs: ReadonlyMap<string, SchoolInputs | undefined>,
  campaign: Campaign,
  schools: ReadonlyMap<string, School>,
): Map<string, SchoolState> => {
  const versions = new Map<string, readonly StoredVersion[]>(seen.earlier);
  for (const o of fresh) versions.set(o.responseId, [...(versions.get(o.responseId) ?? []), o]);
  const states = new Map<string, SchoolState>();
  for (const all of versions.values()) {
    const latest = all.reduce((a, b) => (b.lastSubmittedTime > a.lastSubmittedTime ? b : a));
    for (const v of all) {
      const school = v.schoolCode ? schools.get(v.schoolCode) : undefined;
      if (!school || v.schoolCode === latest.schoolCode) continue;
      const state = withdrawQuarantine(
        states.get(school.code) ?? inputs.get(school.code),
        v.key,
        school,
        campaign.criteriaSet,
      );
      if (state) states.set(school.code, state);
    }
  }
  return states;
};

/** Responses can appear in the list a little after their timestamp: look back this far. */
export const WATERMARK_OVERLAP_MS = 10 * 60 * 1000;

/** Pull a form's responses since its watermark (less the overlap) and take them in. */
export const pullResponses = async (
  deps: AppDeps,
  campaign: Campaign,
  stage: Stage,
): Promise<IngestSummary | undefined> => {
  const form = campaign.forms[stage];
  if (!form) return undefined;
  if (!deps.forms) throw new InputError("Chưa cấu hình Forms API: không thể lấy câu trả lời.");
  const since = form.watermark
    ? new Date(Date.parse(form.watermark) - WATERMARK_OVERLAP_MS).toISOString()
    : undefined;
  const responses = await deps.forms.listResponses(form.formId, since);
  const summary = await ingestResponses(deps, campaign, stage, responses);
  const received = deps.clock().toISOString();
  const newest = summary.outcomes
    .map((o) => o.lastSubmittedTime)
    // A time ahead of ours is made up (and quarantined): the watermark must not leap past real answers.
    .filter((time) => futureTimeReasons(time, received).length === 0)
    .sort()
    .at(-1);
  if (newest) await deps.store.campaigns.advanceWatermark(campaign.id, stage, newest);
  deps.log.info("pulled form responses", {
    campaign: campaign.id,
    stage,
    formId: form.formId,
    since,
    ...countsOf(summary),
  });
  return summary;
};

export const countsOf = (
  s: Pick<IngestSummary, "received" | "stored" | "duplicates" | "accepted" | "quarantined">,
) => ({
  received: s.received,
  stored: s.stored,
  duplicates: s.duplicates,
  accepted: s.accepted,
  quarantined: s.quarantined,
});
