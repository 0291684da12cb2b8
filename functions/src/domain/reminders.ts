import {
  type Calendar,
  DEADLINE_LABELS,
  type Deadline,
  daysLeft,
  deadlineFor,
  type Extension,
  fixDeadline,
} from "./calendar.js";
import type { SchoolState } from "./school-state.js";

/**
 * Reminders that chase (đôn đốc): for each deadline, a school that has not done what it asks is
 * reminded a configured number of days before it (by default 7, 3 and 1), and told once when it has
 * passed. Each step goes once per school and deadline: a day the job did not run is caught up by
 * the most urgent step reached, never by all of them at once. Pure: which reminders are due today.
 */

/** A step: the days before the deadline it was reached at, or "qua-han" once it has passed. */
export type ReminderStep = number | "qua-han";

export interface Reminder {
  school: string;
  stage: Deadline;
  step: ReminderStep;
  /** The school's deadline (its extension's when it has one), "YYYY-MM-DD". */
  due: string;
  /** Days from today to `due`: negative once past. */
  daysLeft: number;
  /** The deadline was extended for this school, and why. */
  extended?: Extension;
}

/** A reminder and what became of its message (a MailOutcome: "sent", "deferred", …). */
export interface ReminderSent extends Reminder {
  outcome: string;
}

/** The step reached `days` before a deadline: the most urgent of the reminder days, or past. */
export const stepAt = (days: number, reminderDays: readonly number[]): ReminderStep | undefined => {
  if (days < 0) return "qua-han";
  const reached = reminderDays.filter((n) => days <= n);
  return reached.length > 0 ? Math.min(...reached) : undefined;
};

/** Whether a school still owes what a deadline asks. */
const owes = (stage: Deadline, state: SchoolState | undefined): boolean => {
  // A response set aside was sent: what to send again is the Hạn bổ sung's, not "nothing received".
  if (stage === "registration") return !state?.latest.registration && !state?.quarantine;
  if (stage === "dossier") return !state?.latest.dossier && !state?.quarantine;
  return state?.status === "can-bo-sung";
};

/** When a deadline's reminders may start: its form's window opened (Hạn bổ sung: the dossier's). */
const opensOn = (calendar: Calendar, stage: Deadline): string =>
  stage === "registration" ? calendar.registration.from : calendar.dossier.from;

/**
 * The reminders due today for one school, at most one per deadline. `notice` is the Thông báo cần
 * bổ sung the school was sent (its day, and the days it gives at least): its Hạn bổ sung is the one
 * printed there, never an earlier one.
 */
export const remindersFor = (
  school: string,
  state: SchoolState | undefined,
  calendar: Calendar,
  extensions: readonly Extension[],
  today: string,
  notice?: { day: string; minimumDays: number },
): Reminder[] => {
  // Recognised, or done with the campaign's stages: nothing to chase.
  if (state?.recognition) return [];
  return (["registration", "dossier", "fix"] as const).flatMap((stage) => {
    if (today < opensOn(calendar, stage) || !owes(stage, state)) return [];
    const { day: own, extended } = deadlineFor(calendar, stage, extensions);
    const due =
      stage === "fix" && notice ? fixDeadline(calendar, notice.day, notice.minimumDays, extensions) : own;
    const days = daysLeft(today, due);
    const step = stepAt(days, calendar.reminderDays);
    if (step === undefined) return [];
    // The notice itself told the school its deadline: the step it was sent at is not repeated.
    if (stage === "fix" && notice && step === stepAt(daysLeft(notice.day, due), calendar.reminderDays))
      return [];
    return [{ school, stage, step, due, daysLeft: days, ...(extended && due === own ? { extended } : {}) }];
  });
};

/** "còn 3 ngày" or "đã quá hạn": the step in the office's words, for the subject and the records. */
export const stepInWords = (r: Pick<Reminder, "step" | "daysLeft">): string =>
  r.step === "qua-han" ? "đã quá hạn" : r.daysLeft === 0 ? "hôm nay là hạn cuối" : `còn ${r.daysLeft} ngày`;

/** What the stage asks, as the reminder says it is still lacking. */
export const REMINDER_ASKS: Record<Deadline, string> = {
  registration: "Đăng ký xây dựng trường học điển hình (phiếu đăng ký)",
  dossier: "Hồ sơ đề nghị công nhận (phiếu tự đánh giá kèm minh chứng)",
  fix: "Bổ sung hồ sơ theo thông báo của phòng",
};

export const reminderTitle = (r: Pick<Reminder, "stage">): string => DEADLINE_LABELS[r.stage];
