import { type Calendar, extensionsOf, type SchoolExtension } from "./calendar.js";
import { type Reminder, remindersFor } from "./reminders.js";
import { compareSchools, type School } from "./school.js";
import type { SchoolState } from "./school-state.js";

/**
 * The schools past a deadline on a day, with what they still owe: the chase list (Đôn đốc), the
 * Công văn đôn đốc and the office's daily digest all say the same. Pure.
 */
export interface OverdueInput {
  schools: readonly School[];
  states: ReadonlyMap<string, SchoolState>;
  calendar: Calendar;
  extensions?: readonly SchoolExtension[] | undefined;
  /** "YYYY-MM-DD", in the campaign's time zone. */
  today: string;
  /**
   * The day each school was last asked to supply something (its Thông báo cần bổ sung), and the
   * days a notice gives at least. A school asked to fix is overdue only against the Hạn bổ sung it
   * was given: without its notice day it is not counted here.
   */
  notices?: { days: ReadonlyMap<string, string>; minimumDays: number };
}

export interface OverdueSchool {
  school: School;
  /** Each deadline it has missed, most overdue first. */
  missed: Reminder[];
  /** Days past its most overdue deadline. */
  daysOver: number;
}

/** Overdue schools, most overdue first (then in the registry's order). */
export const overdueSchools = (input: OverdueInput): OverdueSchool[] =>
  [...input.schools]
    .sort(compareSchools)
    .flatMap((school): OverdueSchool[] => {
      const notice = input.notices?.days.get(school.code);
      const missed = remindersFor(
        school.code,
        input.states.get(school.code),
        input.calendar,
        extensionsOf(input.extensions, school.code),
        input.today,
        notice && input.notices ? { day: notice, minimumDays: input.notices.minimumDays } : undefined,
      )
        .filter((r) => r.step === "qua-han" && (r.stage !== "fix" || notice !== undefined))
        .sort((a, b) => a.daysLeft - b.daysLeft);
      const first = missed[0];
      return first ? [{ school, missed, daysOver: -first.daysLeft }] : [];
    })
    .sort((a, b) => b.daysOver - a.daysOver);
