import { createHash } from "node:crypto";
import type { DocumentSnapshot, Firestore, Timestamp } from "@google-cloud/firestore";
import type { Campaign } from "../domain/campaign.js";
import { type SchoolResult, schoolResultOf } from "../domain/campaign-score.js";
import {
  type DocumentContext,
  dateVi,
  decisionDocument,
  type EmailView,
  issuerName,
  noticeDocument,
  type OfficialDocument,
  parentName,
  schoolResultDocument,
  summaryReportDocument,
} from "../domain/documents.js";
import type { School } from "../domain/school.js";
import type { SchoolState } from "../domain/school-state.js";
import { SCHOOL_STATUS_LABELS } from "../domain/status.js";
import { formatNumberVi } from "../domain/text.js";
import {
  campaignRef,
  evaluationsCol,
  loadCampaignView,
  type OutboxEntry,
  outboxCol,
} from "../infra/campaign-store.js";
import type { MailTransport, OutgoingMail } from "../infra/mailer.js";
import type { PdfRenderer } from "../infra/pdf-renderer.js";
import type { ReportStore } from "../infra/report-store.js";
import type { Templates } from "../infra/templates.js";
import { recordEvents } from "../infra/tracking-store.js";
import type { AppDeps } from "./deps.js";
import { deliverOnce, type MailerDeps, type MailOutcome, MailSystemError, mailKey } from "./mail.js";

/**
 * The documents of a campaign: each school's result (and notice, when it must fix something),
 * rendered to PDF when its content changed, stored (files or Drive), linked from the sheet, and
 * emailed exactly once; and the office's summary report and recognition decision.
 *
 *   campaigns/{id}/reports/{name}   what was rendered: kind, school, content hash, where, the date printed
 */
export const reportsCol = (db: Firestore, id: string) => campaignRef(db, id).collection("reports");

export interface ReportDeps extends Pick<AppDeps, "db" | "clock" | "log"> {
  renderer: PdfRenderer;
  templates: Templates;
  store: ReportStore;
  timeZone: string;
  /** Days a school has to fix its dossier after a notice. */
  noticeDays?: number;
}

interface ReportRecord {
  name: string;
  kind: OfficialDocument["kind"];
  schoolCode: string | null;
  hash: string;
  url: string;
  /** The date printed on the document (kept, so a re-send attaches the same paper). */
  date: Timestamp | Date;
  renderedAt: Timestamp | Date;
}

/** One document of a school, planned: what it says (minus the date) and its content hash. */
interface PlannedDocument {
  kind: OfficialDocument["kind"];
  name: string;
  hash: string;
  build: (date: Date) => OfficialDocument;
}

const hashOf = (...parts: unknown[]) => createHash("sha256").update(JSON.stringify(parts)).digest("hex");

const resultOf = (campaign: Campaign, school: School, state: SchoolState | undefined): SchoolResult =>
  schoolResultOf(school, campaign.criteriaSet, state);

/** Kết quả đánh giá for every school with a state; a notice too when it must fix something. */
const schoolDocuments = (
  deps: ReportDeps,
  campaign: Campaign,
  school: School,
  state: SchoolState,
): PlannedDocument[] => {
  const result = { ...resultOf(campaign, school, state), review: state.review };
  const context = (date: Date): DocumentContext => ({
    office: campaign.office,
    schoolYear: campaign.schoolYear,
    date,
    timeZone: deps.timeZone,
  });
  const common = [
    deps.templates.hash,
    campaign.office,
    campaign.schoolYear,
    campaign.criteriaSet,
    school,
    state.contentHash,
  ];
  const docs: PlannedDocument[] = [
    {
      kind: "ket-qua",
      name: "",
      hash: hashOf("ket-qua", ...common),
      build: (date) => schoolResultDocument(context(date), result, campaign.criteriaSet),
    },
  ];
  if (state.status === "can-bo-sung" || state.status === "chua-dat") {
    const days = deps.noticeDays ?? 7;
    const formUrl = campaign.forms.dossier?.responderUri;
    docs.push({
      kind: "thong-bao",
      name: "",
      hash: hashOf("thong-bao", days, formUrl, ...common),
      build: (date) =>
        noticeDocument(context(date), result, {
          deadline: new Date(date.getTime() + days * 86_400_000),
          ...(formUrl ? { formUrl } : {}),
        }),
    });
  }
  return docs.map((d) => ({ ...d, name: `${d.kind}-${school.code}-${d.hash.slice(0, 12)}` }));
};

export interface RenderedDocument {
  name: string;
  kind: OfficialDocument["kind"];
  url: string;
  /** The date printed on it. */
  date: Date;
  pdf?: Buffer;
  rendered: boolean;
}

/** Render a planned document unless a record of the same content exists; store it; record it. */
const ensureRendered = async (
  deps: ReportDeps,
  campaignId: string,
  planned: PlannedDocument,
  schoolCode: string | null,
): Promise<RenderedDocument> => {
  const ref = reportsCol(deps.db, campaignId).doc(planned.name);
  const existing = await ref.get();
  if (existing.exists) {
    const record = existing.data() as ReportRecord;
    const date = record.date instanceof Date ? record.date : record.date.toDate();
    return { name: planned.name, kind: planned.kind, url: record.url, date, rendered: false };
  }
  const date = deps.clock();
  const pdf = await deps.renderer.render(deps.templates.document(planned.build(date)));
  const url = await deps.store.put(`${planned.name}.pdf`, pdf);
  const record: ReportRecord = {
    name: planned.name,
    kind: planned.kind,
    schoolCode,
    hash: planned.hash,
    url,
    date,
    renderedAt: deps.clock(),
  };
  await ref.set(record);
  return { name: planned.name, kind: planned.kind, url, date, pdf, rendered: true };
};

/** Render a document again whose stored file went missing, replacing its record. */
const rerender = async (
  deps: ReportDeps,
  campaignId: string,
  planned: PlannedDocument,
  schoolCode: string | null,
): Promise<Buffer> => {
  await reportsCol(deps.db, campaignId).doc(planned.name).delete();
  const again = await ensureRendered(deps, campaignId, planned, schoolCode);
  if (!again.pdf) throw new Error(`PDF ${planned.name} không tạo lại được`);
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
 * Render the documents of the schools whose report is pending in the outbox (or of `codes`, or
 * of every school with a state when `all`), a few at a time (the renderer's page pool), and mark
 * each school's report slot done unless it was queued again meanwhile.
 */
export const renderSchoolReports = async (
  deps: ReportDeps,
  campaignId: string,
  options: {
    codes?: readonly string[];
    all?: boolean;
    concurrency?: number;
    /** Called after each school: how many of how many are handled. */
    onProgress?: Progress;
  } = {},
): Promise<ReportRun> => {
  const { campaign, schools, stored } = await loadCampaignView(deps.db, campaignId);
  const pending = await outboxCol(deps.db, campaignId).where("report.state", "==", "pending").get();
  const entries = new Map(pending.docs.map((d) => [d.id, d]));
  const codes = options.codes ?? (options.all ? [...stored.keys()] : [...entries.keys()]);
  const run: ReportRun = { schools: 0, rendered: 0, reused: 0, failed: [] };
  const renderOne = async (code: string) => {
    const school = schools.get(code);
    const state = stored.get(code)?.state;
    if (!school || !state) return;
    // Nothing official goes to a school that has not sent its dossier yet (registration only).
    if (state.status === "chua-nop") {
      await settleSlot(entries.get(code), "report", state.contentHash, deps.clock());
      return;
    }
    try {
      const docs = await Promise.all(
        schoolDocuments(deps, campaign, school, state).map((d) => ensureRendered(deps, campaignId, d, code)),
      );
      run.schools++;
      for (const d of docs) d.rendered ? run.rendered++ : run.reused++;
      const result = docs.find((d) => d.kind === "ket-qua");
      if (result) await evaluationsCol(deps.db, campaignId).doc(code).update({ reportUrl: result.url });
      await settleSlot(entries.get(code), "report", state.contentHash, deps.clock());
    } catch (error) {
      run.failed.push({ code, error: String(error) });
      deps.log.error("report failed", { campaign: campaignId, school: code, error: String(error) });
    }
  };
  let next = 0;
  let handled = 0;
  const worker = async () => {
    while (next < codes.length) {
      await renderOne(codes[next++] as string);
      options.onProgress?.(++handled, codes.length);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return run;
};

/** Mark an outbox slot done, only if the entry still holds the content that was handled. */
const settleSlot = async (
  entry: DocumentSnapshot | undefined,
  slot: "report" | "mail",
  contentHash: string,
  now: Date,
) => {
  if (!entry?.exists || (entry.data() as OutboxEntry).contentHash !== contentHash) return;
  await entry.ref
    .update(
      { [`${slot}.state`]: "done", [`${slot}.doneAt`]: now },
      { lastUpdateTime: entry.updateTime as Timestamp },
    )
    .catch((error: { code?: number }) => {
      // Queued again meanwhile (the precondition failed): the next run takes it.
      if (error.code !== 9) throw error;
    });
};

export interface SendDeps extends ReportDeps {
  transport: MailTransport;
  dailyLimit?: number;
  backoffMs?: number;
  resendUnknown?: boolean;
  claimTimeoutMs?: number;
}

/** Who writes, as the email templates name it. */
const officeView = (campaign: Campaign): EmailView["office"] => ({
  issuingBody: officeName(campaign),
  parentBody: parentName(campaign.office),
  email: campaign.office.email,
  place: campaign.office.place,
});

const mailerDeps = (deps: SendDeps): MailerDeps => ({
  db: deps.db,
  transport: deps.transport,
  clock: deps.clock,
  ...(deps.dailyLimit === undefined ? {} : { dailyLimit: deps.dailyLimit }),
  ...(deps.backoffMs === undefined ? {} : { backoffMs: deps.backoffMs }),
  ...(deps.resendUnknown ? { resendUnknown: true } : {}),
  ...(deps.claimTimeoutMs === undefined ? {} : { claimTimeoutMs: deps.claimTimeoutMs }),
});

export interface SendRun {
  messages: Array<{ school: string; to: string; outcome: MailOutcome | "would-send" }>;
  failedSchools: Array<{ code: string; error: string }>;
}

const officeName = (campaign: Campaign) => issuerName(campaign.office);

/**
 * Email every school whose mail is pending in the outbox its documents, once per recipient. A
 * school's slot is done when every recipient has it (or refused it for good, which is logged).
 */
export const sendSchoolMail = async (
  deps: SendDeps,
  campaignId: string,
  options: { dryRun?: boolean; onProgress?: Progress } = {},
): Promise<SendRun> => {
  const { campaign, schools, stored } = await loadCampaignView(deps.db, campaignId);
  const pending = await outboxCol(deps.db, campaignId).where("mail.state", "==", "pending").get();
  const run: SendRun = { messages: [], failedSchools: [] };
  const one = async (entry: (typeof pending.docs)[number]) => {
    const code = entry.id;
    const school = schools.get(code);
    const state = stored.get(code)?.state;
    if (!school || !state) return;
    if (state.status === "chua-nop") {
      await settleSlot(entry, "mail", state.contentHash, deps.clock());
      return;
    }
    if (options.dryRun) {
      // A dry run renders, stores and sends nothing.
      for (const to of school.emails) run.messages.push({ school: code, to, outcome: "would-send" });
      return;
    }
    const planned = schoolDocuments(deps, campaign, school, state);
    const rendered = await Promise.all(planned.map((d) => ensureRendered(deps, campaignId, d, code)));
    const attachments = await Promise.all(
      rendered.map(async (d, i) => ({
        filename: `${d.name}.pdf`,
        // A stored file that went missing is rendered again, never sent empty.
        content:
          d.pdf ??
          (await deps.store.get(`${d.name}.pdf`)) ??
          (await rerender(deps, campaignId, planned[i] as PlannedDocument, code)),
        contentType: "application/pdf",
      })),
    );
    const result = resultOf(campaign, school, state);
    const notice = rendered.find((d) => d.kind === "thong-bao");
    const view: EmailView = {
      kind: "ket-qua",
      office: officeView(campaign),
      schoolYear: campaign.schoolYear,
      to: school.name,
      school: { code, name: school.name },
      recognised: state.status === "dien-hinh",
      status: SCHOOL_STATUS_LABELS[state.status],
      points: formatNumberVi(Math.round(state.evaluation.points * 100) / 100),
      maxPoints: formatNumberVi(state.evaluation.maxPoints),
      missing: [...result.quarantineReasons, ...state.evaluation.missing.map((m) => m.message)],
      // The deadline printed on the notice: its date plus the days given.
      ...(notice
        ? {
            deadline: dateVi(
              new Date(notice.date.getTime() + (deps.noticeDays ?? 7) * 86_400_000),
              deps.timeZone,
            ),
          }
        : {}),
      ...(campaign.forms.dossier?.responderUri ? { formUrl: campaign.forms.dossier.responderUri } : {}),
      attachments: attachments.map((a) => a.filename),
      sample: campaign.office.sample,
    };
    const email = deps.templates.email(view);
    let complete = true;
    let sentAt: Date | undefined;
    for (const to of school.emails) {
      // Keyed by what the school is told (its state), not by file names: a template change
      // re-renders the PDFs but does not mail a school a second time.
      const key = mailKey(code, state.contentHash, to);
      const mail: OutgoingMail = {
        from: { name: officeName(campaign), address: campaign.office.email },
        to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        attachments,
        messageId: `<${key}@dienhinh>`,
      };
      const { outcome, record } = await deliverOnce(mailerDeps(deps), campaignId, key, mail, {
        schoolCode: code,
      });
      run.messages.push({ school: code, to, outcome });
      if (outcome === "sent")
        await recordEvents(deps.db, campaignId, [
          {
            at: deps.clock(),
            kind: "Gửi thư",
            schoolCode: code,
            message: `Đã gửi ${rendered.map((d) => (d.kind === "ket-qua" ? "kết quả đánh giá" : "thông báo cần bổ sung")).join(" và ")} đến ${to}`,
            key: `mail-sent:${key}`,
          },
        ]);
      if (outcome === "sent" || outcome === "already-sent") {
        const at = record.sentAt instanceof Date ? record.sentAt : record.sentAt?.toDate();
        if (at && (!sentAt || at > sentAt)) sentAt = at;
      } else if (outcome === "failed") {
        await recordEvents(deps.db, campaignId, [
          {
            at: deps.clock(),
            kind: "Lỗi gửi thư",
            schoolCode: code,
            message: `Không gửi được thư đến ${to}: ${record.lastError ?? ""}`.slice(0, 500),
            key: `mail-failed:${key}`,
          },
        ]);
      } else {
        complete = false;
        if (outcome === "unknown")
          await recordEvents(deps.db, campaignId, [
            {
              at: deps.clock(),
              kind: "Lỗi gửi thư",
              schoolCode: code,
              message: `Không rõ thư đến ${to} đã gửi hay chưa (tiến trình dừng giữa chừng). Xem hộp thư đã gửi; nếu chưa có, chạy dienhinh send --resend-unknown.`,
              key: `mail-unknown:${key}`,
            },
          ]);
      }
    }
    if (sentAt) await evaluationsCol(deps.db, campaignId).doc(code).update({ mailedAt: sentAt });
    if (complete) await settleSlot(entry, "mail", state.contentHash, deps.clock());
  };
  for (const [i, entry] of pending.docs.entries()) {
    options.onProgress?.(i, pending.size);
    try {
      await one(entry);
    } catch (error) {
      // One school's trouble (a render, the store) does not stop the others; a failure no
      // message can get past does.
      if (error instanceof MailSystemError) throw error;
      deps.log.error("mail failed for a school", {
        campaign: campaignId,
        school: entry.id,
        error: String(error),
      });
      run.failedSchools.push({ code: entry.id, error: String(error) });
    }
  }
  options.onProgress?.(pending.size, pending.size);
  return run;
};

/** The office's summary report to the Department and the recognition decision, rendered now. */
export const renderOfficeDocuments = async (
  deps: ReportDeps,
  campaignId: string,
  kinds: ReadonlyArray<"bao-cao" | "quyet-dinh">,
  options: { number?: number } = {},
): Promise<RenderedDocument[]> => {
  const { campaign, schools, stored } = await loadCampaignView(deps.db, campaignId);
  const results = [...schools.values()].map((s) => resultOf(campaign, s, stored.get(s.code)?.state));
  const context = (date: Date): DocumentContext => ({
    office: campaign.office,
    schoolYear: campaign.schoolYear,
    date,
    timeZone: deps.timeZone,
    ...(options.number === undefined ? {} : { number: options.number }),
  });
  const content = [
    deps.templates.hash,
    campaign.office,
    campaign.schoolYear,
    campaign.criteriaSet,
    options.number,
    results.map((r) => [r.school, stored.get(r.school.code)?.state.contentHash]),
  ];
  const docs = kinds.map((kind): PlannedDocument => {
    const hash = hashOf(kind, ...content);
    return {
      kind,
      name: `${kind}-${campaign.id}-${hash.slice(0, 12)}`,
      hash,
      build: (date) =>
        kind === "bao-cao"
          ? summaryReportDocument(context(date), results, campaign.criteriaSet.title)
          : decisionDocument(context(date), results, campaign.criteriaSet.legalBasis),
    };
  });
  return Promise.all(docs.map((d) => ensureRendered(deps, campaignId, d, null)));
};

/**
 * The office's summary: the report to the Department and (when any school is recognised) the
 * decision, with the tracking workbook as .xlsx, emailed once to the office's own address (the
 * office sends it on through its document system). Sent again only when the documents change.
 */
export const sendOfficeReport = async (
  deps: SendDeps,
  campaignId: string,
  workbook: () => Promise<Buffer>,
  options: { number?: number; dryRun?: boolean } = {},
): Promise<{ documents: RenderedDocument[]; outcome: MailOutcome | "would-send" }> => {
  const { campaign, schools, stored } = await loadCampaignView(deps.db, campaignId);
  const results = [...schools.values()].map((s) => resultOf(campaign, s, stored.get(s.code)?.state));
  const recognised = results.filter((r) => r.status === "dien-hinh").length;
  const kinds = recognised > 0 ? (["bao-cao", "quyet-dinh"] as const) : (["bao-cao"] as const);
  if (options.dryRun) return { documents: [], outcome: "would-send" };
  const documents = await renderOfficeDocuments(deps, campaignId, kinds, options);
  const to = campaign.office.email;
  const attachments = [
    ...(await Promise.all(
      documents.map(async (d) => ({
        filename: `${d.name}.pdf`,
        content: d.pdf ?? (await deps.store.get(`${d.name}.pdf`)) ?? Buffer.alloc(0),
        contentType: "application/pdf",
      })),
    )),
    {
      filename: `theo-doi-${campaign.id}.xlsx`,
      content: await workbook(),
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    },
  ];
  const total = results.length;
  const view: EmailView = {
    kind: "bao-cao",
    office: officeView(campaign),
    schoolYear: campaign.schoolYear,
    to: officeName(campaign),
    figures: {
      schools: formatNumberVi(total),
      recognised: formatNumberVi(recognised),
      percent: `${formatNumberVi(total === 0 ? 0 : Math.round((recognised * 1000) / total) / 10)}%`,
      remaining: formatNumberVi(total - recognised),
    },
    attachments: attachments.map((a) => a.filename),
    sample: campaign.office.sample,
  };
  const email = deps.templates.email(view);
  // Keyed by the documents, not the workbook (its log changes all the time).
  const key = mailKey(null, hashOf(documents.map((d) => d.name)), to);
  const { outcome } = await deliverOnce(
    mailerDeps(deps),
    campaignId,
    key,
    {
      from: { name: officeName(campaign), address: to },
      to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      attachments,
      messageId: `<${key}@dienhinh>`,
    },
    { schoolCode: null },
  );
  return { documents, outcome };
};
