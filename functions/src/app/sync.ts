import { type Campaign, isLocalForm } from "../domain/campaign.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import type { SheetTarget } from "../infra/sheet-target.js";
import type { AppDeps } from "./deps.js";
import { type SchoolListChange, syncSchoolLists } from "./form-sync.js";
import { reconcileCampaign, type StageReconciled } from "./reconcile.js";
import { type SheetSyncResult, syncSheet } from "./sheet-cycle.js";

/**
 * `dienhinh sync`: pull new responses from the campaign's Google Forms (when it has real forms),
 * then run one cycle of its tracking sheet: the Google Sheet, or a workbook file that the office
 * edits in Excel (its notes, inspections, decisions and registry rows are taken back); then the
 * forms' school lists follow the registry (form-sync.ts).
 */
export const syncCampaign = async (
  deps: AppDeps,
  campaign: Campaign,
  layout: SheetLayout,
  target: SheetTarget,
  options: { repair?: boolean } = {},
): Promise<{ pulled: StageReconciled[]; sheet: SheetSyncResult; schoolLists: SchoolListChange[] }> => {
  const remoteForms = Object.values(campaign.forms).some((f) => !isLocalForm(f.formId));
  const pulled = remoteForms ? await reconcileCampaign(deps, campaign, undefined) : [];
  const sheet = await syncSheet(deps, campaign.id, layout, target, { repair: options.repair ?? false });
  const schoolLists = await syncSchoolLists(deps, campaign);
  return { pulled, sheet, schoolLists };
};
