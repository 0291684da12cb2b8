import { loadCalendar } from "../data/calendar-file.js";
import { loadCriteriaSet } from "../data/criteria-file.js";
import { loadOfficeProfile } from "../data/office-file.js";
import { loadRegistry } from "../data/registry-csv.js";
import { type Campaign, isLocalForm, layoutOf } from "../domain/campaign.js";
import type { Stage } from "../domain/criteria.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import { InputError } from "../errors.js";
import type { SheetsGateway } from "../infra/google/sheets.js";
import type { AppDeps, SheetsAccess } from "./deps.js";
import { type StageSetup, setupCampaign } from "./setup.js";
import type { SheetSyncResult } from "./sheet-cycle.js";
import { setupSheet } from "./sheet-setup.js";

export interface SetupRequest {
  campaignId: string;
  schoolYear?: string;
  /** The office's files; a campaign set up before keeps its own where none is given. */
  files: { registry?: string; criteria?: string; office?: string; calendar?: string };
  adopt: Partial<Record<Stage, string>>;
  topicName?: string;
  sheetLayout?: SheetLayout;
  /** People to share the forms (and the sheet) with, as editors, through Drive. */
  share?: { gateway: Pick<SheetsGateway, "share">; with: readonly string[] };
  /** The tracking Google Sheet, created or repaired. */
  sheet?: SheetsAccess;
  /** A trial campaign: the sample office and registry stand in for the files not given. */
  sample?: boolean;
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
  if (!existing && !request.sample) ownFilesGiven(files);
  const [schools, criteriaSet, office, calendar] = await Promise.all([
    files.registry || !existing
      ? loadRegistry(files.registry)
      : deps.store.schools.load(existing.id).then((m) => [...m.values()]),
    files.criteria || !existing ? loadCriteriaSet(files.criteria) : existing.criteriaSet,
    files.office || !existing ? loadOfficeProfile(files.office) : existing.office,
    files.calendar ? loadCalendar(files.calendar) : undefined,
  ]);
  const { campaign, stages } = await setupCampaign(deps, {
    campaignId: request.campaignId,
    schoolYear: request.schoolYear ?? existing?.schoolYear ?? missingYear(),
    office,
    criteriaSet,
    schools,
    adopt: request.adopt,
    ...(request.topicName ? { topicName: request.topicName } : {}),
    ...(request.sheetLayout ? { sheetLayout: request.sheetLayout } : {}),
    ...(calendar ? { calendar } : {}),
  });
  const done: SetupDone = { campaign, stages, schools: schools.length, sharedForms: [] };
  const { sheet, share } = request;
  if (sheet)
    done.sheet = await setupSheet(
      deps,
      campaign.id,
      request.sheetLayout ?? layoutOf(campaign, sheet.layout),
      sheet,
      {
        shareWith: share?.with ?? [],
        // A registry file given now is the registry: the tab is written from it, not read back.
        readRegistry: !files.registry,
      },
    );
  // The forms too, with a sheet or without: the office edits them, and the functions' account reads
  // their responses.
  const formIds = stages.map((s) => s.formId).filter((id) => !isLocalForm(id));
  if (share && share.with.length > 0 && formIds.length > 0) {
    for (const formId of formIds) for (const email of share.with) await share.gateway.share(formId, email);
    done.sharedForms = formIds;
  }
  return done;
};

/**
 * A new campaign is the office's own: its letterhead and its schools, never the sample's by
 * default (a campaign set up without them printed the sample Nhà Bè letterhead on real papers).
 */
const ownFilesGiven = (files: SetupRequest["files"]) => {
  const missing = [
    ...(files.office ? [] : ["hồ sơ phòng (--office TỆP.yaml: tên cơ quan, người ký, thư điện tử)"]),
    ...(files.registry ? [] : ["danh sách trường (--registry TỆP: .csv hoặc .xlsx)"]),
  ];
  if (missing.length > 0)
    throw new InputError(
      `Đợt mới cần ${missing.join(" và ")} của phòng; kiểm tra các tệp trước bằng dienhinh check. ` +
        "Để tạo đợt chạy thử bằng dữ liệu mẫu (mọi văn bản ghi rõ là dữ liệu mẫu), thêm --sample.",
    );
};

/** A new campaign states its school year: it is never taken from the day it is set up. */
const missingYear = (): never => {
  throw new InputError(
    "Đợt mới cần năm học của nó: --school-year 2025-2026 (năm học có kỳ đánh giá từ 16/11/2025 đến 15/11/2026).",
  );
};
