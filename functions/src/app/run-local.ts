import type { Calendar } from "../domain/calendar.js";
import type { Campaign } from "../domain/campaign.js";
import { type SchoolResult, schoolResultOf } from "../domain/campaign-score.js";
import type { CriteriaSet, Stage } from "../domain/criteria.js";
import { submittedBy } from "../domain/intake.js";
import type { OfficeProfile } from "../domain/office.js";
import { compareSchools, type School } from "../domain/school.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import type { SheetSnapshot } from "../domain/sheet-readback.js";
import { buildWorkbook } from "../domain/tracking-workbook.js";
import { sampleIncidentReports } from "../sample/sample-incidents.js";
import { sampleOfficeTables } from "../sample/sample-inspections.js";
import { sampleFormResponses } from "../sample/sample-responses.js";
import { loadCampaignView, statesOf } from "./campaign-view.js";
import type { AppDeps } from "./deps.js";
import { importResponsesFile } from "./import.js";
import { type IncidentSummary, ingestIncidents } from "./incidents.js";
import { type IngestSummary, ingestResponses } from "./intake.js";
import { type OfficeInput, takeOfficeInput } from "./office-input.js";
import { type OutputsDeps, type OutputsSummary, writeOutputs } from "./outputs.js";
import { setupCampaign } from "./setup.js";
import { workbookData } from "./workbook.js";

export interface LocalRunInput {
  campaignId: string;
  /** The campaign's own school year (never the date of the run). */
  schoolYear: string;
  registry: readonly School[];
  criteriaSet: CriteriaSet;
  office: OfficeProfile;
  /** The campaign calendar; the school year's default when absent. */
  calendar?: Calendar;
  layout: SheetLayout;
  /** The office's own layout file was given: kept as the campaign's. */
  ownLayout: boolean;
  /** The office's saved responses (Forms API JSON or the Forms CSV export); the sample when neither is given. */
  files: { dossier?: string; registration?: string };
  /**
   * The office's inspection tables (plan, findings, decisions) as a sheet would hold them; the
   * sample's when it runs on sample responses and none are given.
   */
  officeTables?: SheetSnapshot;
  outDir: string;
  step: (label: string, done?: number, total?: number) => void;
}

export interface LocalRun {
  campaign: Campaign;
  ingest: Record<Stage, IngestSummary>;
  /** The incident reports taken in (the incident form). */
  incidents: IncidentSummary;
  /** What the office's inspection tables brought (absent when there were none). */
  office?: OfficeInput;
  outputs: OutputsSummary;
  /** Every registered school's standing, in registry order. */
  results: SchoolResult[];
}

/**
 * `dienhinh run`: the whole job on this machine. A local campaign from the office's files, the
 * responses (the office's saved ones, or the sample) taken through the functions' own intake path,
 * then every document, message, the workbook, index.html and summary.json in one folder.
 */
export const runLocally = async (
  deps: AppDeps & { outputs: () => Promise<OutputsDeps> },
  input: LocalRunInput,
): Promise<LocalRun> => {
  input.step(`Tạo đợt đánh giá (${deps.store.where})`);
  // A local campaign: forms as dienhinh would create them, under local ids, with no Forms API.
  const { forms: _, ...local } = deps;
  const { campaign } = await setupCampaign(local, {
    campaignId: input.campaignId,
    schoolYear: input.schoolYear,
    office: input.office,
    criteriaSet: input.criteriaSet,
    schools: input.registry,
    ...(input.ownLayout ? { sheetLayout: input.layout } : {}),
    ...(input.calendar ? { calendar: input.calendar } : {}),
  });
  const own = input.files.dossier || input.files.registration;
  const sample = own ? undefined : sampleFormResponses(campaign, input.registry);
  // Only what was submitted by the run's clock has arrived (`run --today` plays an earlier day).
  const asOf = deps.clock();
  const stage = async (stage: Stage, file: string | undefined, payloads: readonly unknown[]) => {
    if (file) return importResponsesFile(deps, campaign, file, { stage, asOf });
    const { due, notYet } = submittedBy(payloads, asOf);
    return { ...(await ingestResponses(deps, campaign, stage, due)), ...(notYet ? { notYet } : {}) };
  };
  input.step("Nhận câu trả lời (như Cloud Functions)");
  const registration = await stage("registration", input.files.registration, sample?.registration ?? []);
  const dossier = await stage("dossier", input.files.dossier, sample?.dossier ?? []);
  const reports = submittedBy(sample ? sampleIncidentReports(campaign, input.registry) : [], asOf);
  const incidents = await ingestIncidents(deps, campaign, reports.due);
  const office = await takeOfficeTables(deps, campaign, input, Boolean(sample));
  const outputs = await writeOutputs(await deps.outputs(), {
    campaign,
    outDir: input.outDir,
    layout: input.layout,
    outcomes: [...registration.outcomes, ...dossier.outcomes],
    storedKeys: new Set([...registration.storedKeys, ...dossier.storedKeys]),
    progress: input.step,
  });
  const { stored } = await loadCampaignView(deps.store, campaign.id);
  const results = [...input.registry]
    .sort(compareSchools)
    .map((school) => schoolResultOf(school, input.criteriaSet, stored.get(school.code)?.state));
  return { campaign, ingest: { registration, dossier }, incidents, office, outputs, results };
};

/** The office's inspection tables taken in, as a sheet cycle would (the sample's on sample data). */
const takeOfficeTables = async (
  deps: AppDeps,
  campaign: Campaign,
  input: LocalRunInput,
  sample: boolean,
): Promise<OfficeInput | undefined> => {
  if (!input.officeTables && !sample) return undefined;
  input.step("Nhận lịch và kết quả kiểm tra của phòng");
  const view = await loadCampaignView(deps.store, campaign.id);
  const tables =
    input.officeTables ??
    sampleOfficeTables(
      campaign,
      [...view.schools.values()],
      statesOf(view.stored),
      buildWorkbook(workbookData(view, input.layout, { events: [], dataTime: null })).tabs,
      deps.clock(),
    );
  return takeOfficeInput(deps, view, input.layout, tables, { readRegistry: false });
};
