import { awaitsApproval, isApproved } from "../domain/approval.js";
import { calendarOf, extensionsOf } from "../domain/calendar.js";
import type { Campaign } from "../domain/campaign.js";
import {
  factsReported,
  inspectionRejections,
  schoolResultOf,
  thingsToFix,
} from "../domain/campaign-score.js";
import { dateVi, issuerName } from "../domain/documents.js";
import type { EmailView } from "../domain/email-view.js";
import { prefilledFormUrl } from "../domain/form-spec.js";
import { type MailOutcome, type MailRecord, mailKey } from "../domain/mail.js";
import type { School } from "../domain/school.js";
import { standingForSchool } from "../domain/school-documents.js";
import { hasOutcomeToTell, pendingQuarantine, type SchoolState } from "../domain/school-state.js";
import { SCHOOL_STATUS_LABELS } from "../domain/status.js";
import { formatPoints } from "../domain/text.js";
import { formatDateVi } from "../domain/time.js";
import { logCause, publicMessageOf } from "../errors.js";
import type { OutgoingMail } from "../infra/mail/mailer.js";
import { type OutboxItem, type StoredEvent, StoreUnavailable } from "../infra/store/index.js";
import { acknowledgeResponse } from "./acknowledge.js";
import { loadCampaignView } from "./campaign-view.js";
import {
  ensureRendered,
  NOTICE_DAYS,
  noticeDeadline,
  type PlannedDocument,
  type Progress,
  pdfOf,
  type RenderedDocument,
  schoolDocuments,
} from "./documents.js";
import { sendInspectionPlans } from "./inspection-mail.js";
import { deliverOnce, MailSystemError } from "./mail.js";
import { issuedDecisions } from "./office-documents.js";
import { mailerDeps, officeView, type SendDeps, type SendRun, statusUrlOf } from "./send-deps.js";

/**
 * Email every school whose mail is pending in the outbox its documents, once per recipient. A
 * school's slot is done when every recipient has it (or refused it for good, which is logged).
 */
export const sendSchoolMail = async (
  deps: SendDeps,
  campaignId: string,
  options: { dryRun?: boolean; onProgress?: Progress } = {},
): Promise<SendRun> => {
  const view = await loadCampaignView(deps.store, campaignId);
  const { campaign, schools, stored } = view;
  const run: SendRun = { messages: [], failedSchools: [] };
  // The office's pause switch (Điều khiển): nothing goes to any school; what is pending waits.
  if (campaign.control?.paused) return { ...run, paused: true };
  const pending = await deps.store.outbox.pending(campaignId, "mail");
  // Each recorded decision, as issued: sent to every school it recognised.
  const results = [...schools.values()].map((s) =>
    schoolResultOf(s, campaign.criteriaSet, stored.get(s.code)?.state),
  );
  const decisions = issuedDecisions(deps, campaign, results);
  for (const [i, item] of pending.entries()) {
    options.onProgress?.(i, pending.length);
    const school = schools.get(item.code);
    const state = stored.get(item.code)?.state;
    if (!school || !state) continue;
    try {
      const decision = state.recognition ? decisions.get(state.recognition.number) : undefined;
      const { mailedAt } = stored.get(item.code) ?? {};
      await mailSchool(
        deps,
        campaign,
        { school, state, decision, ...(mailedAt ? { mailedAt } : {}) },
        item,
        run,
        options.dryRun ?? false,
      );
    } catch (error) {
      // One school's trouble (a render, the file store) does not stop the others; a failure no
      // message can get past does.
      if (error instanceof MailSystemError || error instanceof StoreUnavailable) throw error;
      deps.log.error("mail failed for a school", {
        campaign: campaignId,
        school: item.code,
        error: logCause(error),
      });
      run.failedSchools.push({
        code: item.code,
        error: publicMessageOf(error),
      });
    }
  }
  options.onProgress?.(pending.length, pending.length);
  // The same view: the plans are read from the states just loaded, not loaded again.
  await sendInspectionPlans(deps, view, run, options.dryRun ? { dryRun: true } : {});
  return run;
};

/** One school's mail: its documents, one message per recipient, the school's slot settled when all have it. */
const mailSchool = async (
  deps: SendDeps,
  campaign: Campaign,
  {
    school,
    state,
    decision,
    mailedAt,
  }: { school: School; state: SchoolState; decision: PlannedDocument | undefined; mailedAt?: Date },
  item: OutboxItem,
  run: SendRun,
  dryRun: boolean,
) => {
  const code = school.code;
  // One message to all of the school's addresses (the registry's order), never a copy each.
  const to = school.emails.join(", ");
  if (dryRun) {
    // A dry run renders, stores and sends nothing.
    if (hasOutcomeToTell(state) && (isApproved(state) || pendingQuarantine(state)))
      run.messages.push({ school: code, to, outcome: "would-send" });
    return;
  }
  // The school's newest accepted response acknowledged at once (automatic, not official); a
  // response set aside is acknowledged by the message below that says why.
  const acknowledged = pendingQuarantine(state)
    ? undefined
    : await acknowledgeResponse(deps, campaign, school, state, run, mailedAt);
  // Nothing official goes to a school that has not sent its dossier yet (registration only): its
  // slot is done once its acknowledgement is (one deferred past the day's quota, or to retry, waits).
  if (!hasOutcomeToTell(state)) {
    if (acknowledged === "deferred" || acknowledged === "retry-later" || acknowledged === "in-flight") return;
    return void (await deps.store.outbox.settle(campaign.id, item, "mail", state.contentHash, deps.clock()));
  }
  // Its documents wait, pending, for the office's approval (approval.ts); a response set aside
  // gets no document, only what to send again.
  if (awaitsApproval(state)) {
    run.awaitingApproval = [...(run.awaitingApproval ?? []), code];
    return;
  }
  const planned = [...schoolDocuments(deps, campaign, school, state), ...(decision ? [decision] : [])];
  const rendered = await Promise.all(planned.map((d) => ensureRendered(deps, campaign.id, d, code)));
  const attachments = await Promise.all(
    rendered.map(async (d, i) => ({
      filename: attachmentName(d, school),
      // A stored file that went missing is rendered again, never sent empty.
      content: await pdfOf(deps, campaign.id, d, planned[i] as (typeof planned)[number], code),
      contentType: "application/pdf",
    })),
  );
  const email = deps.templates.email(
    schoolEmailView(
      deps,
      campaign,
      school,
      state,
      rendered,
      attachments.map((a) => a.filename),
      await statusUrlOf(deps, campaign, school),
    ),
  );
  // Keyed by what the school is told (its state), not by file names: a template change re-renders
  // the PDFs but does not mail a school a second time.
  const key = mailKey(code, state.contentHash, to);
  const mail: OutgoingMail = {
    from: { name: issuerName(campaign.office), address: campaign.office.email },
    to: school.emails,
    subject: email.subject,
    text: email.text,
    html: email.html,
    attachments,
    messageId: `<${key}@dienhinh>`,
  };
  const { outcome, record } = await deliverOnce(mailerDeps(deps), campaign.id, key, mail, {
    schoolCode: code,
  });
  run.messages.push({ school: code, to, outcome });
  const event = mailEvent(deps.clock(), code, to, key, outcome, record, rendered);
  if (event) await deps.store.events.record(campaign.id, [event]);
  const delivered = outcome === "sent" || outcome === "already-sent";
  if (delivered && record.sentAt) await deps.store.states.setMailedAt(campaign.id, code, record.sentAt);
  if (delivered || outcome === "failed")
    await deps.store.outbox.settle(campaign.id, item, "mail", state.contentHash, deps.clock());
};

/** What each document is called where the school reads it: its kind and the school, no hash. */
const ATTACHMENT_NAMES: Record<RenderedDocument["kind"], string> = {
  "ket-qua": "Thông báo kết quả đánh giá",
  "thong-bao": "Thông báo bổ sung hồ sơ",
  "bien-ban": "Biên bản kiểm tra",
  "quyet-dinh": "Quyết định công nhận",
  "bao-cao": "Báo cáo",
  "to-trinh": "Tờ trình",
  "cong-van": "Công văn đôn đốc",
  "ke-hoach": "Kế hoạch triển khai",
};

/** "Thông báo kết quả đánh giá - Trường Mầm non Bông Sen.pdf" (no character a file system refuses). */
export const attachmentName = (doc: Pick<RenderedDocument, "kind">, school: { name: string }): string =>
  `${ATTACHMENT_NAMES[doc.kind]} - ${school.name}.pdf`.replace(/[\\/:*?"<>|]/gu, "-");

/** What the school's email says: its standing, what to fix and by when, what is attached. */
const schoolEmailView = (
  deps: SendDeps,
  campaign: Campaign,
  school: School,
  state: SchoolState,
  rendered: readonly RenderedDocument[],
  attachments: string[],
  link: { statusUrl?: string },
): EmailView => {
  const notice = rendered.find((d) => d.kind === "thong-bao");
  const days = deps.noticeDays ?? NOTICE_DAYS;
  const { recognition } = state;
  const authority = campaign.office.authority;
  const standing = recognition
    ? `Chúc mừng đơn vị đã được công nhận ${campaign.criteriaSet.award} theo Quyết định số ${recognition.number} ngày ${formatDateVi(recognition.date)}${authority ? ` của ${authority.name}` : ""} (gửi kèm thư này).`
    : standingForSchool(state.status, campaign.criteriaSet.award);
  const from = notice?.date ?? (pendingQuarantine(state) ? deps.clock() : undefined);
  const result = schoolResultOf(school, campaign.criteriaSet, state);
  const formUrl = prefilledFormUrl(campaign.forms.dossier, school);
  return {
    kind: "ket-qua",
    office: officeView(campaign),
    schoolYear: campaign.schoolYear,
    to: school.name,
    school: { code: school.code, name: school.name },
    ...(standing ? { standing } : {}),
    ...(pendingQuarantine(state) ? { setAside: true } : {}),
    status: SCHOOL_STATUS_LABELS[state.status],
    points: formatPoints(state.evaluation.points),
    maxPoints: formatPoints(state.evaluation.maxPoints),
    missing: thingsToFix(result),
    facts: factsReported(result),
    rejected: inspectionRejections(result, campaign.criteriaSet),
    // The deadline printed on the notice (the campaign's Hạn bổ sung, at least the days given after
    // it); for a response set aside, which has no notice, counted from now.
    ...(from
      ? {
          deadline: dateVi(
            noticeDeadline(
              calendarOf(campaign),
              from,
              days,
              deps.timeZone,
              extensionsOf(campaign.extensions, school.code),
            ),
            deps.timeZone,
          ),
        }
      : {}),
    ...(formUrl ? { formUrl } : {}),
    attachments,
    ...link,
    sample: campaign.office.sample,
  };
};

/** What the log calls each document a school is sent. */
const DOCUMENT_NAMES: Partial<Record<RenderedDocument["kind"], string>> = {
  "ket-qua": "kết quả đánh giá",
  "thong-bao": "thông báo cần bổ sung",
  "bien-ban": "biên bản kiểm tra",
  "quyet-dinh": "quyết định công nhận",
};

/** The log line for what became of a message (none while it waits). */
const mailEvent = (
  at: Date,
  code: string,
  to: string,
  key: string,
  outcome: MailOutcome,
  record: MailRecord,
  rendered: readonly RenderedDocument[],
): StoredEvent | undefined => {
  const what = rendered.map((d) => DOCUMENT_NAMES[d.kind] ?? d.kind).join(", ");
  switch (outcome) {
    case "sent":
      return {
        at,
        kind: "Gửi thư",
        schoolCode: code,
        message: `Đã gửi ${what} đến ${to}`,
        key: `mail-sent:${key}`,
      };
    case "failed":
      return {
        at,
        kind: "Lỗi gửi thư",
        schoolCode: code,
        message: `Không gửi được thư đến ${to}: ${record.lastError ?? ""}`.slice(0, 500),
        key: `mail-failed:${key}`,
      };
    case "unknown":
      return {
        at,
        kind: "Lỗi gửi thư",
        schoolCode: code,
        message:
          `Không rõ thư đến ${to} đã gửi hay chưa (việc gửi bị ngắt khi máy chủ thư có thể đã nhận thư). ` +
          `Xem hộp thư đã gửi; nếu chưa có, chạy dienhinh send --resend-unknown ${to}.`,
        key: `mail-unknown:${key}`,
      };
    default:
      return undefined;
  }
};
