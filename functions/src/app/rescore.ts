import { isLocalForm } from "../domain/campaign.js";
import type { CriteriaSet } from "../domain/criteria.js";
import { deriveSchoolState, officeInputsOf } from "../domain/school-state.js";
import type { SchoolStatus } from "../domain/status.js";
import type { StateChange } from "../infra/store/index.js";
import { loadCampaignView } from "./campaign-view.js";
import type { AppDeps } from "./deps.js";

export interface RescoreChange {
  code: string;
  name: string;
  before: { status: SchoolStatus; points: number };
  after: { status: SchoolStatus; points: number };
}

/**
 * Score every school of a campaign again, from its stored inputs: after the office changed the
 * criteria set (given here, and kept as the campaign's new snapshot), or to check nothing drifted.
 * Schools whose result changed are saved and their sheet row, report and email queued again.
 */
export const rescoreCampaign = async (
  deps: Pick<AppDeps, "store" | "clock">,
  campaignId: string,
  criteriaSet?: CriteriaSet,
): Promise<{ schools: number; changes: RescoreChange[]; formsBehind: boolean }> => {
  const { campaign, schools, stored } = await loadCampaignView(deps.store, campaignId);
  // Real forms keep asking the old questions until setup revises them: remember what they ask.
  const realForms = Object.values(campaign.forms).some((f) => !isLocalForm(f.formId));
  const formsCriteriaSet = campaign.formsCriteriaSet ?? campaign.criteriaSet;
  const next = criteriaSet
    ? { ...campaign, criteriaSet, ...(realForms ? { formsCriteriaSet } : {}) }
    : campaign;
  const recomputed: StateChange[] = [];
  const changes: RescoreChange[] = [];
  for (const [code, before] of stored) {
    const school = schools.get(code);
    if (!school) continue;
    const { latest, quarantine } = before.state;
    const state = deriveSchoolState(
      school,
      next.criteriaSet,
      latest,
      quarantine,
      officeInputsOf(before.state),
    );
    if (state.contentHash === before.state.contentHash) continue;
    recomputed.push({ state, before });
    if (state.status !== before.state.status || state.evaluation.points !== before.state.evaluation.points)
      changes.push({
        code,
        name: school.name,
        before: { status: before.state.status, points: before.state.evaluation.points },
        after: { status: state.status, points: state.evaluation.points },
      });
  }
  // The new snapshot first, so intake meanwhile already scores with it; then the states.
  if (criteriaSet) await deps.store.campaigns.save(next);
  await deps.store.states.save(next, recomputed, deps.clock());
  return { schools: stored.size, changes, formsBehind: criteriaSet !== undefined && realForms };
};
