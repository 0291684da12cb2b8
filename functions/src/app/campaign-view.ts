import type { Campaign } from "../domain/campaign.js";
import type { School } from "../domain/school.js";
import { deriveSchoolState, officeInputsOf, type SchoolState } from "../domain/school-state.js";
import type { Store, StoredState } from "../infra/store/index.js";

/** A school's stored state, with everything derived from its inputs (see `deriveSchoolState`). */
export interface KnownState extends StoredState {
  state: SchoolState;
}

/** Every stored state of a campaign's registered schools, derived with the campaign's criteria. */
export const deriveStates = (
  campaign: Pick<Campaign, "criteriaSet">,
  schools: ReadonlyMap<string, School>,
  stored: ReadonlyMap<string, StoredState>,
): Map<string, KnownState> => {
  const states = new Map<string, KnownState>();
  for (const [code, s] of stored) {
    const school = schools.get(code);
    if (!school) continue;
    const { latest, quarantine } = s.inputs;
    states.set(code, {
      ...s,
      state: deriveSchoolState(school, campaign.criteriaSet, latest, quarantine, officeInputsOf(s.inputs)),
    });
  }
  return states;
};

export interface CampaignView {
  campaign: Campaign;
  schools: Map<string, School>;
  stored: Map<string, KnownState>;
}

/** A campaign, its registry and every school's state: what most use cases start from. */
export const loadCampaignView = async (store: Store, campaignId: string): Promise<CampaignView> => {
  const campaign = await store.campaigns.get(campaignId);
  const [schools, stored] = await Promise.all([
    store.schools.load(campaignId),
    store.states.load(campaignId),
  ]);
  return { campaign, schools, stored: deriveStates(campaign, schools, stored) };
};

/** Just the derived states, by school. */
export const statesOf = (stored: ReadonlyMap<string, KnownState>): Map<string, SchoolState> =>
  new Map([...stored].map(([code, s]) => [code, s.state]));
