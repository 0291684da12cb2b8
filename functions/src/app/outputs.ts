import { mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Campaign } from "../domain/campaign.js";
import { schoolResultOf, tallyByLevel, thingsToFix } from "../domain/campaign-score.js";
import { indexPage } from "../domain/index-page.js";
import type { IntakeOutcome } from "../domain/intake.js";
import { compareSchools } from "../domain/school.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import { SCHOOL_STATUS_LABELS } from "../domain/status.js";
import { roundPoints, upperFirst } from "../domain/text.js";
import type { WorkbookModel } from "../domain/tracking-workbook.js";
import { loadCampaignView } from "./campaign-view.js";
import { renderSchoolReports } from "./documents.js";
import { sendOfficeReport } from "./office-report.js";
import { type SendDeps, sendSchoolMail } from "./school-mail.js";
import { currentWorkbook } from "./workbook.js";

/**
 * Everything the office's job produces, as files in one folder: the tracking workbook, every
 * school's PDFs, the summary report and decision, the emails as .eml files, an index.html that
 * links them all, and summary.json (every response's fate, every school's standing and files).
 * The same use cases as in production, with local adapters whatever the environment configures
 * (files, .eml: see `localOnly` in deps.ts).
 */
export interface OutputsDeps extends SendDeps {
  /** The tracking workbook as an .xlsx file's bytes. */
  xlsx: (model: WorkbookModel) => Promise<Buffer>;
}

export interface OutputsInput {
  campaign: Campaign;
  outDir: string;
  layout: SheetLayout;
  outcomes: readonly IntakeOutcome[];
  /** Reports each step, and `done` of `total` within the long ones. */
  progress?: (step: string, done?: number, total?: number) => void;
}

export interface OutputsSummary {
  files: { workbook: string; index: string; summary: string; report?: string; decision?: string };
  schools: number;
  pdfs: number;
  emails: number;
}

export const writeOutputs = async (deps: OutputsDeps, input: OutputsInput): Promise<OutputsSummary> => {
  const { campaign, outDir } = input;
  const say = input.progress ?? (() => {});
  const pdfs = "Kết quả đánh giá từng trường (PDF)";
  say(pdfs);
  await renderSchoolReports(deps, campaign.id, {
    all: true,
    onProgress: (done, total) => say(pdfs, done, total),
  });
  const mails = "Thư gửi các trường (.eml)";
  say(mails);
  const mail = await sendSchoolMail(deps, campaign.id, {
    onProgress: (done, total) => say(mails, done, total),
  });
  // The workbook after the reports and mail: it links each school's PDF and says when it was emailed.
  say("Bảng theo dõi (.xlsx)");
  const workbookFile = join(outDir, "theo-doi.xlsx");
  const workbook = await deps.xlsx(await currentWorkbook(deps.store, campaign.id, input.layout));
  await mkdir(outDir, { recursive: true });
  await writeFile(workbookFile, workbook);
  say("Báo cáo, quyết định và thư gửi phòng");
  const office = await sendOfficeReport(deps, campaign.id, async () => workbook);
  const report = office.documents.find((d) => d.kind === "bao-cao");
  const decision = office.documents.find((d) => d.kind === "quyet-dinh");
  const files: { workbook: string; index: string; report?: string; decision?: string } = {
    workbook: relative(outDir, workbookFile),
    index: "index.html",
    ...(report ? { report: report.url } : {}),
    ...(decision ? { decision: decision.url } : {}),
  };
  const { summary, pdfs: pdfCount } = await summaryOf(deps, campaign, outDir, files, input.outcomes);
  const summaryFile = join(outDir, "summary.json");
  await writeFile(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
  say("Trang tổng hợp (index.html)");
  await writeFile(
    join(outDir, "index.html"),
    deps.templates.index(
      indexPage({
        heading: upperFirst(campaign.criteriaSet.award),
        title: `${campaign.office.issuingBodyName} · ${campaign.office.place} · năm học ${campaign.schoolYear}`,
        sample: campaign.office.sample,
        files: summary.files,
        tally: summary.tally,
        schools: summary.schools,
        responses: summary.responses.length,
        quarantined: summary.responses.filter((r) => r.disposition === "quarantined").length,
      }),
    ),
  );
  return {
    files: {
      workbook: workbookFile,
      index: join(outDir, "index.html"),
      summary: summaryFile,
      ...(report ? { report: join(outDir, report.url) } : {}),
      ...(decision ? { decision: join(outDir, decision.url) } : {}),
    },
    schools: summary.schools.length,
    pdfs: pdfCount,
    emails: mail.messages.filter((m) => m.outcome === "sent").length + (office.outcome === "sent" ? 1 : 0),
  };
};

/** summary.json: every response's fate, every school's standing and what it was sent. */
const summaryOf = async (
  deps: OutputsDeps,
  campaign: Campaign,
  outDir: string,
  files: { workbook: string; index: string; report?: string; decision?: string },
  outcomes: readonly IntakeOutcome[],
) => {
  // What each school got: its PDFs (from the report records) and its messages (from the mail records).
  const [records, mailRecords, view] = await Promise.all([
    deps.store.reports.list(campaign.id),
    deps.store.mail.list(campaign.id),
    loadCampaignView(deps.store, campaign.id),
  ]);
  const rows = [...view.schools.values()].sort(compareSchools).map((school) => {
    const state = view.stored.get(school.code)?.state;
    // A school with no state has sent nothing: no points, nothing listed as failed yet.
    const result = state && schoolResultOf(school, campaign.criteriaSet, state);
    return { school, status: result?.status ?? "chua-nop", result };
  });
  const schools = rows.map(({ school, status, result }) => ({
    code: school.code,
    name: school.name,
    level: school.level,
    commune: school.commune,
    status,
    statusLabel: SCHOOL_STATUS_LABELS[status],
    points: roundPoints(result?.evaluation.points ?? 0),
    maxPoints: result?.evaluation.maxPoints ?? 0,
    failedIndicators: (result?.evaluation.missing ?? []).map((m) => m.indicatorId),
    missing: result ? thingsToFix(result) : [],
    pdfs: records.filter((d) => d.schoolCode === school.code).map((d) => d.url),
    emails: mailRecords
      .filter((m) => m.schoolCode === school.code && m.state === "sent" && m.transportId)
      .map((m) => relative(outDir, m.transportId as string)),
  }));
  const summary = {
    campaign: {
      id: campaign.id,
      schoolYear: campaign.schoolYear,
      office: campaign.office.issuingBodyName,
      criteriaSet: { id: campaign.criteriaSet.id, version: campaign.criteriaSet.version },
    },
    files,
    tally: tallyByLevel(rows),
    responses: outcomes.map((o) => ({
      id: o.key,
      responseId: o.responseId,
      stage: o.stage,
      school: o.schoolCode,
      disposition: o.disposition,
      reasons: o.reasons,
    })),
    schools,
  };
  return { summary, pdfs: records.length };
};
export type OutputSummaryJson = Awaited<ReturnType<typeof summaryOf>>["summary"];
