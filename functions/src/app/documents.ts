import { createHash } from "node:crypto";
import { approvalCells, isApproved } from "../domain/approval.js";
import { type Calendar, calendarOf, type Extension, extensionsOf, fixDeadline } from "../domain/calendar.js";
import { assessmentPeriod, type Campaign } from "../domain/campaign.js";
import { schoolResultOf } from "../domain/campaign-score.js";
import { type DocumentContext, type OfficialDocument, periodInWords } from "../domain/documents.js";
import { prefilledFormUrl } from "../domain/form-spec.js";
import { inspectionRecordDocument } from "../domain/inspection-documents.js";
import type { School } from "../domain/school.js";
import { noticeDocument, schoolResultDocument } from "../domain/school-documents.js";
import { hasOutcomeToTell, pendingQuarantine, type SchoolState } from "../domain/school-state.js";
import { dayIn, fromWallClock } from "../domain/time.js";
import { InternalError, logCause, publicMessageOf } from "../errors.js";
import { renderDocx } from "../infra/docx/index.js";
import { DOCX_TYPE, PDF_TYPE, type ReportStore } from "../infra/report-store.js";
import { type OutboxItem, type ReportRecord, StoreUnavailable } from "../infra/store/index.js";
import type { Templates } from "../infra/templates.js";
import { loadCampaignView } from "./campaign-view.js";
import type { AppDeps } from "./deps.js";

/**
 * The documents of a campaign, each rendered once per content: a school's result (and a notice,
 * when it must fix something), the office's report and decision. A document is planned (what it
 * says, minus the date, and its content hash), then rendered only when no record of the same
 * content exists: to PDF, and to Word (.docx) from the same view model, for the clerk to edit; both
 * files are stored (files, or Drive, which makes a Google Doc of the Word file) and recorded with
 * the date the document printed.
 */
export interface ReportDeps extends Pick<AppDeps, "store" | "clock" | "sleep" | "log"> {
  renderer: { render(html: string): Promise<Buffer> };
  templates: Templates;
  /** Where the PDFs and their Word copies go: files under out/, or a Drive folder. */
  files: ReportStore;
  timeZone: string;
  /** Days a school has to fix its dossier after a notice. */
  noticeDays?: number;
}

/** One document, planned: what it says (minus the date) and its content hash. */
export interface PlannedDocument {
  kind: OfficialDocument["kind"];
  name: string;
  hash: string;
  build: (date: Date) => OfficialDocument;
}

export interface RenderedDocument {
  name: string;
  kind: OfficialDocument["kind"];
  /** Where its PDF is. */
  url: string;
  /** Where its Word copy is (a .docx file, or a Google Doc in Drive). */
  docxUrl?: string;
  /** The date printed on it. */
  date: Date;
  pdf?: Buffer;
  rendered: boolean;
}

export const NOTICE_DAYS = 7;

/**
 * The deadline a notice dated `date` gives (calendar.ts `fixDeadline`: the campaign's Hạn bổ sung,
 * at least `days` after the notice), as the start of that day in the campaign's time zone.
 */
export const noticeDeadline = (
  calendar: Calendar,
  date: Date,
  days: number,
  timeZone: string,
  extensions: readonly Extension[] = [],
): Date =>
  fromWallClock(
    new Date(`${fixDeadline(calendar, dayIn(date, timeZone), days, extensions)}T00:00:00Z`),
    timeZone,
  );

export const hashOf = (...parts: unknown[]) =>
  createHash("sha256").update(JSON.stringify(parts)).digest("hex");

export const contextOf =
  (deps: ReportDeps, campaign: Campaign, number?: number) =>
  (date: Date): DocumentContext => ({
    office: campaign.office,
    schoolYear: campaign.schoolYear,
    period: periodInWords(assessmentPeriod(campaign)),
    award: campaign.criteriaSet.award,
    date,
    timeZone: deps.timeZone,
    ...(number === undefined ? {} : { number }),
  });

/**
 * A school's result for every school with an outcome; a notice too when it must supply something.
 * Nothing official for a response set aside: the school is told by email what to send again.
 */
export const schoolDocuments = (
  deps: ReportDeps,
  campaign: Campaign,
  school: School,
  state: SchoolState,
): PlannedDocument[] => {
  if (pendingQuarantine(state)) return [];
  const result = schoolResultOf(school, campaign.criteriaSet, state);
  const context = contextOf(deps, campaign);
  const common = [
    deps.templates.hash,
    campaign.office,
    campaign.schoolYear,
    campaign.criteriaSet,
    school,
    state.contentHash,
    // Approved, the documents are made again, dated the day they go: a notice's days count from then.
    isApproved(state),
  ];
  // The result notice carries the number the office's văn thư gave it once signed (Theo dõi's
  // "Số văn bản"); until then it says it awaits signature.
  const number = approvalCells(state).number ?? undefined;
  const docs: PlannedDocument[] = [
    {
      kind: "ket-qua",
      name: "",
      hash: hashOf("ket-qua", number, ...common),
      build: (date) => {
        const doc = schoolResultDocument(
          contextOf(deps, campaign, number)(date),
          result,
          campaign.criteriaSet,
        );
        return number === undefined ? { ...doc, header: { ...doc.header, awaitingSignature: true } } : doc;
      },
    },
  ];
  // A notice asks for what the school can still supply: never for a fact it reported.
  if (state.status === "can-bo-sung") {
    const days = deps.noticeDays ?? NOTICE_DAYS;
    const formUrl = prefilledFormUrl(campaign.forms.dossier, school);
    const calendar = calendarOf(campaign);
    // The school's own Hạn bổ sung when the office extended it (Gia hạn).
    const extensions = extensionsOf(campaign.extensions, school.code).filter((e) => e.deadline === "fix");
    docs.push({
      kind: "thong-bao",
      name: "",
      hash: hashOf("thong-bao", days, calendar.fixBy, extensions, formUrl, ...common),
      build: (date) =>
        noticeDocument(context(date), result, {
          deadline: noticeDeadline(calendar, date, days, deps.timeZone, extensions),
          ...(formUrl ? { formUrl } : {}),
        }),
    });
  }
  // The inspection's minutes, with the result that tells its verdict (signed on the day by the team
  // and the school's head; a recognised school is sent the decision instead).
  const { inspection } = state;
  if (inspection && (state.status === "dat" || state.status === "khong-dat"))
    docs.push({
      kind: "bien-ban",
      name: "",
      hash: hashOf("bien-ban", inspection, ...common),
      build: (date) => inspectionRecordDocument(context(date), result, inspection, state.outcome),
    });
  return docs.map((d) => ({ ...d, name: `${d.kind}-${school.code}-${d.hash.slice(0, 12)}` }));
};

/**
 * A document recorded before Word copies were made gets its copy now, built for the date its PDF
 * printed, and its record the copy's link: the same paper in both files.
 */
const withDocx = async (
  deps: ReportDeps,
  campaignId: string,
  planned: PlannedDocument,
  existing: ReportRecord,
): Promise<string> => {
  if (existing.docxUrl) return existing.docxUrl;
  const docx = await renderDocx(planned.build(existing.date));
  const docxUrl = await deps.files.put(`${planned.name}.docx`, docx, DOCX_TYPE);
  await deps.store.reports.put(campaignId, { ...existing, docxUrl });
  return docxUrl;
};

/**
 * Render a planned document unless a record of the same content exists; store its PDF and its Word
 * copy; record them.
 */
export const ensureRendered = async (
  deps: ReportDeps,
  campaignId: string,
  planned: PlannedDocument,
  schoolCode: string | null,
): Promise<RenderedDocument> => {
  const existing = await deps.store.reports.get(campaignId, planned.name);
  if (existing)
    return {
      name: planned.name,
      kind: planned.kind,
      url: existing.url,
      docxUrl: await withDocx(deps, campaignId, planned, existing),
      date: existing.date,
      rendered: false,
    };
  const date = deps.clock();
  const doc = planned.build(date);
  // The Word copy is built while Chromium prints the PDF.
  const [pdf, docx] = await Promise.all([
    deps.renderer.render(deps.templates.document(doc)),
    renderDocx(doc),
  ]);
  const url = await deps.files.put(`${planned.name}.pdf`, pdf, PDF_TYPE);
  const docxUrl = await deps.files.put(`${planned.name}.docx`, docx, DOCX_TYPE);
  await deps.store.reports.put(campaignId, {
    name: planned.name,
    kind: planned.kind,
    schoolCode,
    hash: planned.hash,
    url,
    docxUrl,
    date,
    renderedAt: deps.clock(),
  });
  return { name: planned.name, kind: planned.kind, url, docxUrl, date, pdf, rendered: true };
};

/** A rendered document's PDF: as rendered now, from its stored file, or rendered again if the file went missing. */
export const pdfOf = async (
  deps: ReportDeps,
  campaignId: string,
  doc: RenderedDocument,
  planned: PlannedDocument,
  schoolCode: string | null,
): Promise<Buffer> => {
  const pdf = doc.pdf ?? (await deps.files.get(`${doc.name}.pdf`));
  if (pdf) return pdf;
  await deps.store.reports.remove(campaignId, planned.name);
  const again = await ensureRendered(deps, campaignId, planned, schoolCode);
  if (!again.pdf) throw new InternalError(`PDF ${planned.name} không tạo lại được`);
  return again.pdf;
};

/** Progress of a long step: `done` of `total` items handled. */
export type Progress = (done: number, total: number) => void;

export interface ReportRun {
  schools: number;
  rendered: number;
  reused: number;
  failed: Array<{ code: string; error: string }>;
}

/**
 * Run `work` over `items`, `concurrency` at a time, reporting progress after each. The first
 * failure stops every worker from taking more, and is thrown once all have stopped: nothing is
 * still running when this returns (the store may be closed right after).
 */
const eachConcurrently = async <T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
  onProgress?: Progress,
) => {
  let next = 0;
  let handled = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      try {
        await work(items[next++] as T);
      } catch (error) {
        failure ??= { error };
        return;
      }
      onProgress?.(++handled, items.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failure) throw failure.error;
};

/**
 * Schools whose documents are made at once: enough renders waiting for the renderer's pages to
 * print full batches (two pages, eight documents a print: infra/render/pdf-batch.ts), few enough
 * that what waits stays small (a school's documents are built only when its turn comes).
 */
const SCHOOLS_AT_ONCE = 16;

/**
 * Render the documents of the schools whose report is pending in the outbox (or of `codes`, or
 * of every school with a state when `all`), a few at a time (the renderer's page pool), and mark
 * each school's report slot done unless it was queued again meanwhile.
 */
export const renderSchoolReports = async (
  deps: ReportDeps,
  campaignId: string,
  options: { codes?: readonly string[]; all?: boolean; concurrency?: number; onProgress?: Progress } = {},
): Promise<ReportRun> => {
  const { campaign, schools, stored } = await loadCampaignView(deps.store, campaignId);
  const entries = new Map(
    (await deps.store.outbox.pending(campaignId, "report")).map((item) => [item.code, item]),
  );
  const codes = options.codes ?? (options.all ? [...stored.keys()] : [...entries.keys()]);
  const run: ReportRun = { schools: 0, rendered: 0, reused: 0, failed: [] };
  const settle = (code: string, state: SchoolState) =>
    deps.store.outbox.settle(
      campaignId,
      entries.get(code) as OutboxItem | undefined,
      "report",
      state.contentHash,
      deps.clock(),
    );
  const renderOne = async (code: string) => {
    const school = schools.get(code);
    const state = stored.get(code)?.state;
    if (!school || !state) return;
    // Nothing official goes to a school that has not sent its dossier yet (registration only).
    if (!hasOutcomeToTell(state)) return void (await settle(code, state));
    try {
      const planned = schoolDocuments(deps, campaign, school, state);
      const docs = await Promise.all(planned.map((d) => ensureRendered(deps, campaignId, d, code)));
      run.schools++;
      for (const d of docs) d.rendered ? run.rendered++ : run.reused++;
      const result = docs.find((d) => d.kind === "ket-qua");
      if (result) await deps.store.states.setReportUrl(campaignId, code, result.url, result.docxUrl);
      await settle(code, state);
    } catch (error) {
      // Without the store no school can be done: stop, rather than fail each school in turn.
      if (error instanceof StoreUnavailable) throw error;
      run.failed.push({ code, error: publicMessageOf(error) });
      deps.log.error("report failed", { campaign: campaignId, school: code, error: logCause(error) });
    }
  };
  await eachConcurrently(codes, options.concurrency ?? SCHOOLS_AT_ONCE, renderOne, options.onProgress);
  return run;
};
