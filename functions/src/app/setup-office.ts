import { loadCriteriaSet } from "../data/criteria-file.js";
import { loadOfficeProfile } from "../data/office-file.js";
import { loadRegistry } from "../data/registry-csv.js";
import { type Campaign, isLocalForm, layoutOf, schoolYearOf } from "../domain/campaign.js";
import type { Stage } from "../domain/criteria.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import type { SheetsGateway } from "../infra/google/sheets.js";
import type { AppDeps } from "./deps.js";
import { type StageSetup, setupCampaign } from "./setup.js";
import type { SheetSyncResult } from "./sheet-cycle.js";
import { setupSheet } from "./sheet-setup.js";

export interface SetupRequest {
  campaignId: string;
  schoolYear?: string;
  /** The office's files; a campaign set up before keeps its own where none is given. */
  files: { registry?: string; criteria?: string; office?: string };
  adopt: Partial<Record<Stage, string>>;
  topicName?: string;
  sheetLayout?: SheetLayout;
  /** The tracking Google Sheet, created or repaired, shared with these people (and the forms too). */
  sheet?: {
    gateway: SheetsGateway;
    defaultLayout: SheetLayout;
    shareWith: readonly string[];
    minIntervalMs?: number;
  };
}

export interface SetupDone {
  campaign: Campaign;
  stages: StageSetup[];
  schools: number;
  sheet?: SheetSyncResult & { spreadsheetId: string; created: boolean };
  /** Forms shared with the people named. */
  sharedForms: string[];
}

/**
 * `dienhinh setup`: create or repair a campaign (registry, criteria snapshot, office, forms and
 * their watches), then its tracking sheet, then share the forms with the office. Run again on an
 * existing campaign, it keeps its registry, criteria and office unless a file is given: repairing
 * a form or the sheet must not bring back the sample data.
 */
export const setupOffice = async (
  deps: Pick<AppDeps, "store" | "forms" | "log" | "clock" | "sleep">,
  request: SetupRequest,
): Promise<SetupDone> => {
  const existing = await deps.store.campaigns.find(request.campaignId);
  const { files } = request;
  const [schools, criteriaSet, office] = await Promise.all([
    files.registry || !existing
      ? loadRegistry(files.registry)
      : deps.store.schools.load(existing.id).then((m) => [...m.values()]),
    files.criteria || !existing ? loadCriteriaSet(files.criteria) : existing.criteriaSet,
    files.office || !existing ? loadOfficeProfile(files.office) : existing.office,
  ]);
  const { campaign, stages } = await setupCampaign(deps, {
    campaignId: request.campaignId,
    schoolYear: request.schoolYear ?? existing?.schoolYear ?? schoolYearOf(deps.clock()),
    office,
    criteriaSet,
    schools,
    adopt: request.adopt,
    ...(request.topicName ? { topicName: request.topicName } : {}),
    ...(request.sheetLayout ? { sheetLayout: request.sheetLayout } : {}),
  });
  const done: SetupDone = { campaign, stages, schools: schools.length, sharedForms: [] };
  const sheet = request.sheet;
  if (!sheet) return done;
  done.sheet = await setupSheet(
    deps,
    campaign.id,
    request.sheetLayout ?? layoutOf(campaign, sheet.defaultLayout),
    sheet.gateway,
    {
      shareWith: sheet.shareWith,
      // A registry file given now is the registry: the tab is written from it, not read back.
      readRegistry: !files.registry,
      ...(sheet.minIntervalMs === undefined ? {} : { minIntervalMs: sheet.minIntervalMs }),
    },
  );
  // The forms too: the office edits them, and the functions' account reads their responses.
  const formIds = stages.map((s) => s.formId).filter((id) => !isLocalForm(id));
  for (const formId of formIds) for (const email of sheet.shareWith) await sheet.gateway.share(formId, email);
  if (sheet.shareWith.length > 0) done.sharedForms = formIds;
  return done;
};
