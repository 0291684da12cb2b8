import { addDays, calendarOf } from "../domain/calendar.js";
import { chaseLetterDocument } from "../domain/chase-letter.js";
import { changesSince, DIGEST_EVENT, type DigestView, digestView } from "../domain/digest.js";
import { issuerName } from "../domain/documents.js";
import type { EmailView } from "../domain/email-view.js";
import { type MailOutcome, mailKey } from "../domain/mail.js";
import { type OverdueSchool, overdueSchools } from "../domain/overdue.js";
import { dayIn, fromWallClock } from "../domain/time.js";
import { renderDocx } from "../infra/docx/index.js";
import { DOCX_TYPE } from "../infra/report-store.js";
import { type CampaignView, statesOf } from "./campaign-view.js";
import {
  contextOf,
  ensureRendered,
  hashOf,
  NOTICE_DAYS,
  type PlannedDocument,
  pdfOf,
  type RenderedDocument,
} from "./documents.js";
import { noticeDays } from "./notices.js";
import { mailOfficeOnce, officeView, type SendDeps } from "./send-deps.js";

/**
 * The office's daily digest, and the Công văn đôn đốc it carries: on a day something changed
 * (responses, reminders, documents, the office's own input: the log since the last digest), one
 * message to the office's mailbox with who is behind, by commune, and the letter listing the
 * overdue schools for the head to sign (PDF, and Word to edit). Keyed by the day: once a day at most.
 */
export interface DigestRun {
  /** Whether a digest was due today (something changed). */
  due: boolean;
  outcome?: MailOutcome | "would-send";
  overdue: OverdueSchool[];
  /** The Công văn đôn đốc, when some school is overdue. */
  letter?: RenderedDocument;
}

/** The days the Công văn gives the schools it chases: as a notice gives. */
const letterDays = (deps: SendDeps) => deps.noticeDays ?? NOTICE_DAYS;

export const sendDigest = async (
  deps: SendDeps,
  view: CampaignView,
  options: { dryRun?: boolean } = {},
): Promise<DigestRun> => {
  const { campaign } = view;
  const today = dayIn(deps.clock(), deps.timeZone);
  const [notices, events] = await Promise.all([
    noticeDays(deps, campaign.id),
    deps.store.events.recent(campaign.id, 1_000),
  ]);
  const overdue = overdueSchools({
    schools: [...view.schools.values()],
    states: statesOf(view.stored),
    calendar: calendarOf(campaign),
    extensions: campaign.extensions,
    today,
    notices: { days: notices, minimumDays: deps.noticeDays ?? NOTICE_DAYS },
  });
  // The last digest sent, by its own record in the log (newest first).
  const last = events.find((e) => e.kind === DIGEST_EVENT)?.at;
  const changes = changesSince(events, last);
  if (changes.length === 0) return { due: false, overdue };
  if (options.dryRun) return { due: true, outcome: "would-send", overdue };
  // The letter gives the schools it lists the days a notice gives; the office grants them in Gia hạn.
  const answerBy = addDays(today, letterDays(deps));
  const planned = overdue.length > 0 ? chaseLetter(deps, view, today, answerBy, overdue) : undefined;
  const letter = planned ? await ensureRendered(deps, campaign.id, planned, null) : undefined;
  const attachments =
    planned && letter
      ? [
          {
            filename: "Dự thảo Công văn đôn đốc.pdf",
            content: await pdfOf(deps, campaign.id, letter, planned, null),
            contentType: "application/pdf",
          },
          {
            // The same view model on the same date as the stored copy (a Google Doc in Drive cannot
            // be downloaded as it was uploaded): built again, it is the same file.
            filename: "Dự thảo Công văn đôn đốc.docx",
            content: await renderDocx(planned.build(letter.date)),
            contentType: DOCX_TYPE,
          },
        ]
      : [];
  const email = deps.templates.email(
    digestEmail(view, digestView(today, changes, overdue, letter ? answerBy : undefined), attachments),
  );
  const to = campaign.office.email;
  const key = mailKey(null, hashOf("tong-hop", today), to);
  const { outcome } = await mailOfficeOnce(deps, campaign, key, { to, email, attachments });
  if (outcome === "sent")
    await deps.store.events.record(campaign.id, [
      {
        at: deps.clock(),
        kind: DIGEST_EVENT,
        message: `Đã gửi thư tổng hợp ngày ${today.split("-").reverse().join("/")} đến ${to}: ${overdue.length} trường quá hạn`,
        key: `digest:${key}`,
      },
    ]);
  return { due: true, outcome, overdue, ...(letter ? { letter } : {}) };
};

/** The Công văn đôn đốc of the day: the same overdue schools on the same day are one document. */
const chaseLetter = (
  deps: SendDeps,
  { campaign }: CampaignView,
  today: string,
  answerBy: string,
  overdue: readonly OverdueSchool[],
): PlannedDocument => {
  const calendar = calendarOf(campaign);
  const hash = hashOf(
    "cong-van",
    deps.templates.hash,
    campaign.office,
    campaign.schoolYear,
    calendar,
    today,
    letterDays(deps),
    overdue.map((o) => [o.school, o.missed]),
  );
  return {
    kind: "cong-van",
    name: `cong-van-${campaign.id}-${hash.slice(0, 12)}`,
    hash,
    build: (date) =>
      chaseLetterDocument(contextOf(deps, campaign)(date), overdue, calendar, {
        today,
        // Noon of that day in the office's zone: the letter prints the day.
        answerBy: fromWallClock(new Date(`${answerBy}T12:00:00Z`), deps.timeZone),
      }),
  };
};

const digestEmail = (
  { campaign }: CampaignView,
  digest: DigestView,
  attachments: ReadonlyArray<{ filename: string }>,
): EmailView => ({
  kind: "tong-hop",
  office: officeView(campaign),
  schoolYear: campaign.schoolYear,
  to: `Lãnh đạo và cán bộ phụ trách phong trào của ${issuerName(campaign.office)}`,
  digest,
  attachments: attachments.map((a) => a.filename),
  sample: campaign.office.sample,
});
