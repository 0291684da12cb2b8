import { awaitsApproval } from "../domain/approval.js";
import { calendarOf, extensionsOf } from "../domain/calendar.js";
import type { Campaign } from "../domain/campaign.js";
import { schoolResultOf, thingsToFix } from "../domain/campaign-score.js";
import type { EmailView } from "../domain/email-view.js";
import { prefilledFormUrl } from "../domain/form-spec.js";
import { mailKey } from "../domain/mail.js";
import {
  REMINDER_ASKS,
  type Reminder,
  type ReminderSent,
  remindersFor,
  reminderTitle,
  stepInWords,
} from "../domain/reminders.js";
import { compareSchools, type School } from "../domain/school.js";
import type { SchoolState } from "../domain/school-state.js";
import { dayIn, formatDateVi } from "../domain/time.js";
import type { CampaignView } from "./campaign-view.js";
import { hashOf, NOTICE_DAYS } from "./documents.js";
import { noticeDays } from "./notices.js";
import { mailSchoolOnce, officeView, type SendDeps, type SendRun, statusUrlOf } from "./send-deps.js";

/**
 * Each reminder due today, mailed once: a school, a deadline and a step are one message, keyed by
 * them, so running the same day again (or the next, at the same step) sends nothing new. Within the
 * daily mail quota: what does not fit is deferred to the next day by the mail outbox, never dropped.
 */
export const sendReminders = async (
  deps: SendDeps,
  { campaign, schools, stored }: CampaignView,
  run: SendRun,
  options: { dryRun?: boolean } = {},
): Promise<ReminderSent[]> => {
  const today = dayIn(deps.clock(), deps.timeZone);
  const calendar = calendarOf(campaign);
  const sent: ReminderSent[] = [];
  const notices = await noticeDays(deps, campaign.id);
  const minimumDays = deps.noticeDays ?? NOTICE_DAYS;
  for (const school of [...schools.values()].sort(compareSchools)) {
    if (school.emails.length === 0) continue;
    const state = stored.get(school.code)?.state;
    const due = remindersFor(
      school.code,
      state,
      calendar,
      extensionsOf(campaign.extensions, school.code),
      today,
      notices.has(school.code) ? { day: notices.get(school.code) as string, minimumDays } : undefined,
    );
    for (const reminder of due) {
      // The notice asking for more waits for the office's approval: nothing is chased before it goes.
      if (reminder.stage === "fix" && state && awaitsApproval(state)) continue;
      const to = school.emails.join(", ");
      if (options.dryRun) {
        run.messages.push({ school: school.code, to, outcome: "would-send" });
        continue;
      }
      const key = mailKey(school.code, hashOf("nhac-han", reminder.stage, reminder.step), "");
      const email = deps.templates.email({
        ...reminderView(campaign, school, state, reminder),
        ...(await statusUrlOf(deps, campaign, school)),
      });
      const { outcome } = await mailSchoolOnce(deps, campaign, school, key, email);
      run.messages.push({ school: school.code, to, outcome });
      if (outcome === "already-sent") continue;
      sent.push({ ...reminder, outcome });
      if (outcome === "sent")
        await deps.store.events.record(campaign.id, [
          {
            at: deps.clock(),
            kind: "Nhắc hạn",
            schoolCode: school.code,
            message: `Đã nhắc ${reminderTitle(reminder).toLocaleLowerCase("vi")} ${formatDateVi(reminder.due)} (${stepInWords(reminder)}) đến ${to}`,
            key: `reminder:${key}`,
          },
        ]);
    }
  }
  return sent;
};

/** What the school still lacks for this deadline, in words it can act on. */
const lacking = (campaign: Campaign, school: School, state: SchoolState | undefined, reminder: Reminder) => {
  if (reminder.stage !== "fix" || !state) return [REMINDER_ASKS[reminder.stage]];
  const things = thingsToFix(schoolResultOf(school, campaign.criteriaSet, state));
  return things.length > 0 ? things : [REMINDER_ASKS.fix];
};

const reminderView = (
  campaign: Campaign,
  school: School,
  state: SchoolState | undefined,
  reminder: Reminder,
): EmailView => {
  const form = campaign.forms[reminder.stage === "registration" ? "registration" : "dossier"];
  const formUrl = prefilledFormUrl(form, school);
  return {
    kind: "nhac-han",
    office: officeView(campaign),
    schoolYear: campaign.schoolYear,
    to: school.name,
    school: { code: school.code, name: school.name },
    missing: lacking(campaign, school, state, reminder),
    ...(formUrl ? { formUrl } : {}),
    reminder: {
      title: reminderTitle(reminder).toLocaleLowerCase("vi"),
      due: formatDateVi(reminder.due),
      when: stepInWords(reminder),
      overdue: reminder.step === "qua-han",
      ...(reminder.extended ? { extendedBecause: reminder.extended.reason } : {}),
    },
    attachments: [],
    sample: campaign.office.sample,
  };
};
