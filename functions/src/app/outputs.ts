import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import Handlebars from "handlebars";
import type { Campaign } from "../domain/campaign.js";
import { tallyByLevel } from "../domain/campaign-score.js";
import type { IntakeOutcome } from "../domain/intake.js";
import { LEVEL_LABELS } from "../domain/levels.js";
import { compareSchools } from "../domain/school.js";
import { SCHOOL_STATUS_LABELS } from "../domain/status.js";
import { loadSchools, loadStoredStates } from "../infra/campaign-store.js";
import { fileTransport } from "../infra/mailer.js";
import { localReportStore } from "../infra/report-store.js";
import { DEFAULT_TEMPLATES_DIR } from "../infra/templates.js";
import { workbookToXlsx } from "../infra/xlsx-workbook.js";
import { type MailRecord, mailCol } from "./mail.js";
import type { ReportDeps } from "./reports.js";
import { renderSchoolReports, reportsCol, sendOfficeReport, sendSchoolMail } from "./reports.js";
import { currentWorkbook } from "./sheet-sync.js";

/**
 * Everything the office's job produces, as files in one folder: the tracking workbook, every
 * school's PDFs, the summary report and decision, the emails as .eml files, an index.html that
 * links them all, and summary.json (every response's fate, every school's standing and files).
 * The same use cases as in production; only the adapters are local.
 */
export interface OutputsInput {
  campaign: Campaign;
  outDir: string;
  layout: Parameters<typeof currentWorkbook>[2];
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

export const writeOutputs = async (
  deps: Omit<ReportDeps, "store">,
  input: OutputsInput,
): Promise<OutputsSummary> => {
  const { campaign, outDir } = input;
  const say = input.progress ?? (() => {});
  const rel = (path: string) => relative(outDir, path);
  // Links in the workbook and the index are relative to the output folder, so it can be moved.
  const reportDeps: ReportDeps = {
    ...deps,
    store: localReportStore(join(outDir, "reports"), { linkFrom: outDir }),
  };
  const sendDeps = { ...reportDeps, transport: fileTransport(join(outDir, "outbox")), backoffMs: 10 };

  const pdfs = "Kết quả đánh giá từng trường (PDF)";
  say(pdfs);
  await renderSchoolReports(reportDeps, campaign.id, {
    all: true,
    onProgress: (done, total) => say(pdfs, done, total),
  });
  const mails = "Thư gửi các trường (.eml)";
  say(mails);
  const mail = await sendSchoolMail(sendDeps, campaign.id, {
    onProgress: (done, total) => say(mails, done, total),
  });
  // The workbook after the reports and mail: it links each school's PDF and says when it was emailed.
  say("Bảng theo dõi (.xlsx)");
  const workbookFile = join(outDir, "theo-doi.xlsx");
  const workbook = await workbookToXlsx(await currentWorkbook(deps.db, campaign.id, input.layout));
  await mkdir(outDir, { recursive: true });
  await writeFile(workbookFile, workbook);
  say("Báo cáo, quyết định và thư gửi phòng");
  const office = await sendOfficeReport(sendDeps, campaign.id, async () => workbook);

  // What each school got: its PDFs (from the report records) and its messages (from the mail records).
  const records = (await reportsCol(deps.db, campaign.id).get()).docs.map(
    (d) => d.data() as { kind: string; schoolCode: string | null; url: string },
  );
  const mailRecords = (await mailCol(deps.db, campaign.id).get()).docs.map((d) => d.data() as MailRecord);
  const schools = await loadSchools(deps.db, campaign.id);
  const stored = await loadStoredStates(deps.db, campaign, schools);
  const results = [...schools.values()].sort(compareSchools).map((school) => {
    const state = stored.get(school.code)?.state;
    return { school, state };
  });
  const schoolRows = results.map(({ school, state }) => ({
    code: school.code,
    name: school.name,
    level: school.level,
    commune: school.commune,
    status: state?.status ?? "chua-nop",
    statusLabel: SCHOOL_STATUS_LABELS[state?.status ?? "chua-nop"],
    points: Math.round((state?.evaluation.points ?? 0) * 100) / 100,
    maxPoints: state?.evaluation.maxPoints ?? 0,
    failedIndicators: (state?.evaluation.missing ?? []).map((m) => m.indicatorId),
    missing: [
      ...(state?.status === "can-bo-sung" ? (state.quarantine?.reasons ?? []) : []),
      ...(state?.evaluation.missing ?? []).map((m) => m.message),
    ],
    pdfs: records.filter((r) => r.schoolCode === school.code).map((r) => r.url),
    emails: mailRecords
      .filter((m) => m.schoolCode === school.code && m.state === "sent" && m.transportId)
      .map((m) => rel(m.transportId as string)),
  }));
  const report = office.documents.find((d) => d.kind === "bao-cao");
  const decision = office.documents.find((d) => d.kind === "quyet-dinh");
  const tally = tallyByLevel(
    results.map(({ school, state }) => ({ school, status: state?.status ?? "chua-nop" })),
  );
  const summary = {
    campaign: {
      id: campaign.id,
      schoolYear: campaign.schoolYear,
      office: campaign.office.issuingBodyName,
      criteriaSet: { id: campaign.criteriaSet.id, version: campaign.criteriaSet.version },
    },
    files: {
      workbook: rel(workbookFile),
      index: "index.html",
      ...(report ? { report: report.url } : {}),
      ...(decision ? { decision: decision.url } : {}),
    },
    tally,
    responses: input.outcomes.map((o) => ({
      id: o.key,
      responseId: o.responseId,
      stage: o.stage,
      school: o.schoolCode,
      disposition: o.disposition,
      reasons: o.reasons,
    })),
    schools: schoolRows,
  };
  const summaryFile = join(outDir, "summary.json");
  await writeFile(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);

  say("Trang tổng hợp (index.html)");
  const page = Handlebars.compile(await readFile(join(DEFAULT_TEMPLATES_DIR, "index.hbs"), "utf8"));
  await writeFile(
    join(outDir, "index.html"),
    page({
      title: `${campaign.office.issuingBodyName} · ${campaign.office.place} · năm học ${campaign.schoolYear}`,
      sample: campaign.office.sample,
      files: summary.files,
      tally: tally.map((t) => ({
        ...t,
        total: t.group === "all",
        percent: `${t.recognisedPercent.toLocaleString("vi-VN")}%`,
        counts: Object.values(t.counts),
      })),
      statuses: Object.values(SCHOOL_STATUS_LABELS),
      schools: schoolRows.map((s) => ({
        ...s,
        levelLabel: LEVEL_LABELS[s.level],
        pointsLabel: s.points.toLocaleString("vi-VN"),
      })),
      responses: summary.responses.length,
      quarantined: summary.responses.filter((r) => r.disposition === "quarantined").length,
    }),
  );
  return {
    files: {
      workbook: workbookFile,
      index: join(outDir, "index.html"),
      summary: summaryFile,
      ...(report ? { report: join(outDir, report.url) } : {}),
      ...(decision ? { decision: join(outDir, decision.url) } : {}),
    },
    schools: schoolRows.length,
    pdfs: records.length,
    emails: mail.messages.filter((m) => m.outcome === "sent").length + (office.outcome === "sent" ? 1 : 0),
  };
};
