import { mkdir, rename, writeFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { awaitsApproval } from "../domain/approval.js";
import { calendarOf, extensionsOf } from "../domain/calendar.js";
import type { Campaign } from "../domain/campaign.js";
import { factsReported, schoolResultOf, tallyByLevel, thingsToFix } from "../domain/campaign-score.js";
import { indexPage } from "../domain/index-page.js";
import type { Inspection, InspectionOutcome } from "../domain/inspection.js";
import { type IntakeOutcome, responseFates } from "../domain/intake.js";
import { latenessOf } from "../domain/lateness.js";
import { wholeOfficeLabel } from "../domain/office.js";
import { compareSchools } from "../domain/school.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import { SCHOOL_STATUS_LABELS } from "../domain/status.js";
import { roundPoints, upperFirst } from "../domain/text.js";
import type { WorkbookModel } from "../domain/tracking-workbook.js";
import { loadCampaignView } from "./campaign-view.js";
import type { ChaseRun } from "./chase-daily.js";
import { formStandings } from "./form-windows.js";
import { incidentRows, sendIncidentAlerts } from "./incidents.js";
import { renderOfficeDocuments } from "./office-documents.js";
import { sendOfficeReport } from "./office-report.js";
import { type ApprovalTally, mailAll, renderAll, type Unfinished } from "./outputs-steps.js";
import type { SendDeps } from "./send-deps.js";
import { writeStatusPages } from "./status-page.js";
import { workbookFromStore } from "./workbook.js";

/**
 * Everything the office's job produces, as files in one folder: the tracking workbook, every
 * school's PDFs, the summary report and decision, the emails as .eml files, an index.html that
 * links them all, and summary.json (every response's fate, every school's standing and files).
 * The same use cases as in production, with local adapters whatever the environment configures
 * (files, .eml: see `localOnly` in deps.ts).
 */
export type { Unfinished } from "./outputs-steps.js";

export interface OutputsDeps extends SendDeps {
  /** The tracking workbook as an .xlsx file's bytes. */
  xlsx: (model: WorkbookModel) => Promise<Buffer>;
}

export interface OutputsInput {
  campaign: Campaign;
  outDir: string;
  layout: SheetLayout;
  outcomes: readonly IntakeOutcome[];
  /** The keys of the responses stored by this run (the others were deliveries of a stored one). */
  storedKeys: ReadonlySet<string>;
  /** Reports each step, `done` of `total` within the long ones, and how many of them failed. */
  progress?: (step: string, done?: number, total?: number, failed?: number) => void;
}

export interface OutputsSummary {
  files: {
    workbook: string;
    index: string;
    summary: string;
    plan?: string;
    report?: string;
    decision?: string;
  };
  schools: number;
  pdfs: number;
  emails: number;
  /** Schools whose documents or mail could not be made, even on a second try, and why. */
  unfinished: Unfinished[];
  /** Schools with a response sent after their deadline (kept, scored, marked for the office). */
  late: number;
  /** Reminders sent (or deferred) this run. */
  reminders: number;
  /** The office's digest: sent, already sent today, or nothing changed; the overdue schools; the letter. */
  digest: { outcome: string; overdue: number; letter?: string };
  /** Where each form stands on the run's day (what the delivery job would apply to real forms). */
  forms: string[];
  /** Incident reports stored, and the alerts to the office's leader sent this run. */
  incidents: { reports: number; alerts: number };
  /** Acknowledgements of receipt sent; schools whose documents wait for the office's approval. */
  approval: ApprovalTally;
}

export const writeOutputs = async (deps: OutputsDeps, input: OutputsInput): Promise<OutputsSummary> => {
  const { campaign, outDir } = input;
  const say = input.progress ?? (() => {});
  // The office's leader hears of each incident report first (the delivery job does the same).
  const alerts = await sendIncidentAlerts(deps, campaign);
  const rendered = await renderAll(deps, campaign.id, say);
  const mailed = await mailAll(deps, campaign.id, say);
  const unfinished = [...rendered, ...mailed.unfinished];
  const mail = {
    sent: (await deps.store.mail.list(campaign.id)).filter((m) => m.schoolCode && m.state === "sent").length,
  };
  // The workbook after the reports and mail: it links each school's PDF and says when it was emailed.
  say("Bảng theo dõi (.xlsx)");
  const workbookFile = join(outDir, "theo-doi.xlsx");
  const workbookWith = await workbookFromStore(deps.store, campaign.id, input.layout, deps.clock());
  const workbook = await deps.xlsx(workbookWith());
  await mkdir(outDir, { recursive: true });
  await writeWhole(workbookFile, workbook);
  say("Báo cáo, quyết định và thư gửi phòng");
  // The copy mailed to the office links the documents by absolute file: URLs (relative links
  // would resolve against wherever the attachment is saved); the one in the folder keeps them relative.
  const office = await sendOfficeReport(deps, campaign.id, () =>
    deps.xlsx(workbookWith(pathToFileURL(`${resolve(outDir)}${sep}`).href)),
  );
  const report = office.documents.find((d) => d.kind === "bao-cao");
  const decision = office.documents.find((d) => d.kind === "quyet-dinh");
  const proposal = office.documents.find((d) => d.kind === "to-trinh");
  // The office's plan to the schools (Kế hoạch triển khai), and its Word copy.
  const [plan] = await renderOfficeDocuments(deps, campaign.id, ["ke-hoach"]);
  const files: OutputFiles = {
    workbook: relative(outDir, workbookFile),
    index: "index.html",
    ...(plan ? { plan: plan.url, ...(plan.docxUrl ? { planDocx: plan.docxUrl } : {}) } : {}),
    ...(report ? { report: report.url } : {}),
    ...(proposal ? { proposal: proposal.url } : {}),
    ...(decision ? { decision: decision.url } : {}),
  };
  say("Trang tình hình từng trường (truong/)");
  const pages = await writeStatusPages(
    { ...deps, render: (page) => deps.templates.statusPage(page) },
    campaign.id,
    outDir,
  );
  const { summary, pdfs: pdfCount } = await summaryOf(deps, campaign, outDir, files, { ...input, pages });
  const summaryFile = join(outDir, "summary.json");
  const { reminders, digest: digestSummary } = chaseSummary(mailed.chase);
  const incidents = await incidentRows(deps.store, campaign.id);
  await writeWhole(
    summaryFile,
    `${JSON.stringify({ ...summary, reminders, digest: digestSummary, incidents, unfinished }, null, 2)}\n`,
  );
  say("Trang tổng hợp (index.html)");
  await writeIndex(deps, campaign, outDir, summary);
  return {
    files: {
      workbook: workbookFile,
      index: join(outDir, "index.html"),
      summary: summaryFile,
      ...(plan ? { plan: join(outDir, plan.url) } : {}),
      ...(report ? { report: join(outDir, report.url) } : {}),
      ...(proposal ? { proposal: join(outDir, proposal.url) } : {}),
      ...(decision ? { decision: join(outDir, decision.url) } : {}),
    },
    schools: summary.schools.length,
    pdfs: pdfCount,
    emails:
      mail.sent + (office.outcome === "sent" ? 1 : 0) + alerts.filter((a) => a.outcome === "sent").length,
    unfinished,
    late: summary.schools.filter((school) => school.late.length > 0).length,
    reminders: reminders.length,
    digest: {
      outcome: digestSummary.outcome,
      overdue: digestSummary.overdue.length,
      ...(digestSummary.letter ? { letter: join(outDir, digestSummary.letter) } : {}),
    },
    forms: await formStandings(deps, campaign.id),
    incidents: { reports: incidents.length, alerts: alerts.filter((a) => a.outcome === "sent").length },
    approval: mailed.approval,
  };
};

/** index.html: the office's page linking every file of the run. */
const writeIndex = (
  deps: OutputsDeps,
  campaign: Campaign,
  outDir: string,
  summary: Awaited<ReturnType<typeof summaryOf>>["summary"],
) =>
  writeWhole(
    join(outDir, "index.html"),
    deps.templates.index(
      indexPage({
        heading: upperFirst(campaign.criteriaSet.award),
        title: `${campaign.office.issuingBodyName} · ${campaign.office.place} · năm học ${campaign.schoolYear}`,
        sample: campaign.office.sample,
        files: summary.files,
        tally: summary.tally,
        schools: summary.schools,
        ...responseCounts(summary.responses),
      }),
    ),
  );

/**
 * The day's chasing as summary.json lists it: each reminder sent (or deferred to the next day) with
 * its school, deadline and step; the office's digest, the overdue schools and the letter's file.
 */
const chaseSummary = ({ reminders, digest }: ChaseRun) => ({
  reminders: reminders.map(({ school, stage, step, due, outcome }) => ({
    school,
    stage,
    step,
    due,
    outcome,
  })),
  digest: {
    outcome: digest.outcome ?? "nothing-changed",
    overdue: digest.overdue.map((o) => ({
      school: o.school.code,
      daysOver: o.daysOver,
      stages: o.missed.map((r) => r.stage),
    })),
    ...(digest.letter ? { letter: digest.letter.url } : {}),
  },
});

/** The office's files, relative to the output folder. */
interface OutputFiles {
  workbook: string;
  index: string;
  /** The Kế hoạch triển khai and its Word copy. */
  plan?: string;
  planDocx?: string;
  report?: string;
  /** The Tờ trình and the draft Quyết định (only when some school is found Đạt). */
  proposal?: string;
  decision?: string;
}

/** A file is there whole or not at all: written aside, then renamed into place. */
const writeWhole = async (file: string, content: string | Buffer) => {
  await writeFile(`${file}.partial`, content);
  await rename(`${file}.partial`, file);
};

/** A school's inspection as summary.json gives it: when, where, who, and what it concluded. */
const inspectionSummary = (inspection: Inspection, outcome: InspectionOutcome) => ({
  date: inspection.date,
  ...(inspection.time ? { time: inspection.time } : {}),
  place: inspection.place,
  ...(inspection.teamName ? { teamName: inspection.teamName } : {}),
  team: inspection.team,
  verdict: outcome.verdict,
  verdictLabel: outcome.verdict ? SCHOOL_STATUS_LABELS[outcome.verdict] : "Chưa có kết luận",
  rejected: outcome.rejected.map((r) => ({ indicator: r.indicatorId, text: r.text, reason: r.reason })),
  commend: inspection.commend,
});

/** summary.json: every response's fate, every school's standing and what it was sent. */
const summaryOf = async (
  deps: OutputsDeps,
  campaign: Campaign,
  outDir: string,
  files: OutputFiles,
  input: Pick<OutputsInput, "outcomes" | "storedKeys"> & { pages: ReadonlyMap<string, string> },
) => {
  // What each school got: its PDFs (from the report records) and its messages (from the mail records).
  const [records, mailRecords, view, submissions] = await Promise.all([
    deps.store.reports.list(campaign.id),
    deps.store.mail.list(campaign.id),
    loadCampaignView(deps.store, campaign.id),
    deps.store.submissions.list(campaign.id),
  ]);
  const rows = [...view.schools.values()].sort(compareSchools).map((school) => {
    const state = view.stored.get(school.code)?.state;
    // A school with no state has sent nothing: no points, nothing listed as failed yet.
    const result = state && schoolResultOf(school, campaign.criteriaSet, state);
    return { school, state, status: result?.status ?? ("chua-dang-ky" as const), result };
  });
  const calendar = calendarOf(view.campaign);
  const schools = rows.map(({ school, status, result, state }) => ({
    code: school.code,
    name: school.name,
    levels: school.levels,
    commune: school.commune,
    status,
    statusLabel: SCHOOL_STATUS_LABELS[status],
    points: roundPoints(result?.evaluation.points ?? 0),
    maxPoints: result?.evaluation.maxPoints ?? 0,
    failedIndicators: (result?.evaluation.missing ?? []).map((m) => m.indicatorId),
    missing: result ? thingsToFix(result) : [],
    /** Facts of the period the school reported that rule it out. */
    facts: result ? factsReported(result) : [],
    /** Responses sent after its deadline (its extension included): kept, and marked for the office. */
    late: state
      ? latenessOf(state.latest, calendar, extensionsOf(view.campaign.extensions, school.code), deps.timeZone)
      : [],
    /** Its latest response was set aside: it is emailed what to send again, and gets no PDF. */
    responseSetAside: (result?.quarantineReasons.length ?? 0) > 0,
    /** Where its self-assessment alone puts it, before the office's inspection and decision. */
    selfAssessed: view.stored.get(school.code)?.state.assessedStatus ?? ("chua-dang-ky" as const),
    inspection: result?.inspection ? inspectionSummary(result.inspection, result.outcome) : null,
    /** Its documents are made and wait for the office's approval (Theo dõi's Phòng duyệt gửi): not mailed. */
    awaitingApproval: state !== undefined && awaitsApproval(state),
    /** Listed in the office's proposal (Tờ trình) and the draft decision: found Đạt, not yet recognised. */
    proposed: status === "dat" && campaign.office.authority !== undefined,
    recognition: result?.recognition ?? null,
    pdfs: records.filter((d) => d.schoolCode === school.code).map((d) => d.url),
    /** The same documents as Word files, beside the PDFs, for the clerk to edit. */
    docx: records.flatMap((d) => (d.schoolCode === school.code && d.docxUrl ? [d.docxUrl] : [])),
    /** Its status page (truong/CODE.html): the same page the status function serves on its link. */
    page: input.pages.get(school.code) ?? null,
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
    tally: tallyByLevel(rows, wholeOfficeLabel(campaign.office.parentBodyName)),
    responses: responseFates(input.outcomes, input.storedKeys, submissions).map(({ outcome: o, fate }) => ({
      fate,
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

/**
 * index.html counts responses, not deliveries or versions: a redelivery is not counted again, and an
 * edited response counts once, as its latest version stands (an earlier version's quarantine, since
 * replaced by the school, asks nothing of it).
 */
const responseCounts = (responses: ReadonlyArray<{ fate: string; disposition: string }>) => {
  const received = responses.filter((r) => r.fate === "new");
  return {
    responses: received.length,
    quarantined: received.filter((r) => r.disposition === "quarantined").length,
    duplicates: responses.filter((r) => r.fate === "duplicate").length,
  };
};

export type OutputSummaryJson = Awaited<ReturnType<typeof summaryOf>>["summary"];
