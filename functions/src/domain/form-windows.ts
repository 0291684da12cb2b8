import {
  addDays,
  type Calendar,
  type CalendarWindow,
  type Deadline,
  deadlineFor,
  type Extension,
  extensionsOf,
  fixDeadline,
  type SchoolExtension,
} from "./calendar.js";
import { FORM_LABELS, type FormKind } from "./campaign.js";
import type { SchoolStatus } from "./status.js";
import { dayIn, formatDateVi } from "./time.js";

/**
 * Whether each of a campaign's forms accepts responses on a day (its publish settings). A form
 * with a window in the calendar is open within it, and after it while some school still has a
 * later deadline it meets through that form: an extension past the window (Gia hạn tab), or, for
 * the dossier form, the Hạn bổ sung of a school asked to supply something. A reopened form takes
 * every school's response: those past their own deadline are kept and marked late (lateness.ts).
 * A stage with no window in the calendar (an all-year form) is always open. Pure.
 */

/** A school's deadline after a form's window that keeps the form open. */
export interface LaterDeadline {
  school: string;
  deadline: Deadline;
  /** The last day the form must take its response, "YYYY-MM-DD". */
  until: string;
}

export type FormWindowState =
  /** A stage with no window: open all year. */
  | { accepting: true; reason: "all-year" }
  | { accepting: true; reason: "window"; window: CalendarWindow }
  /** Past its window, open for these schools' later deadlines (the latest one last). */
  | { accepting: true; reason: "later-deadline"; window: CalendarWindow; until: string; for: LaterDeadline[] }
  | { accepting: false; reason: "not-yet"; window: CalendarWindow }
  /** Closed since `since` (the day after the last day it had to be open). */
  | { accepting: false; reason: "closed"; window: CalendarWindow; since: string };

/** What decides the forms' state besides the calendar: extensions, and who must still fix what. */
export interface FormWindowInput {
  calendar: Calendar;
  extensions: readonly SchoolExtension[];
  /** Each school asked to supply something, and its Hạn bổ sung (`fixDueDays`). */
  fixes: readonly { school: string; until: string }[];
}

/** A stage's window in the calendar and the deadlines met through its form; none: open all year. */
const stageWindow = (
  calendar: Calendar,
  stage: FormKind,
): { window: CalendarWindow; deadlines: readonly Deadline[] } | undefined => {
  const windows: Partial<Record<FormKind, { window: CalendarWindow; deadlines: readonly Deadline[] }>> = {
    registration: { window: calendar.registration, deadlines: ["registration"] },
    dossier: { window: calendar.dossier, deadlines: ["dossier", "fix"] },
  };
  return windows[stage];
};

const latest = (days: readonly string[]): string => [...days].sort().at(-1) ?? "";

/** Whether a stage's form accepts responses on `today` ("YYYY-MM-DD" in the campaign's zone). */
export const formWindowState = (stage: FormKind, input: FormWindowInput, today: string): FormWindowState => {
  const found = stageWindow(input.calendar, stage);
  if (!found) return { accepting: true, reason: "all-year" };
  const { window, deadlines } = found;
  if (today < window.from) return { accepting: false, reason: "not-yet", window };
  if (today <= window.to) return { accepting: true, reason: "window", window };
  const later: LaterDeadline[] = [
    ...input.extensions
      .filter((e) => deadlines.includes(e.deadline) && e.deadline !== "fix" && e.until > window.to)
      .map((e) => ({ school: e.school, deadline: e.deadline, until: e.until })),
    ...(deadlines.includes("fix")
      ? input.fixes
          .filter((f) => f.until > window.to)
          .map((f) => ({ school: f.school, deadline: "fix" as const, until: f.until }))
      : []),
  ].sort((a, b) => a.until.localeCompare(b.until) || a.school.localeCompare(b.school));
  const running = later.filter((l) => l.until >= today);
  if (running.length > 0)
    return {
      accepting: true,
      reason: "later-deadline",
      window,
      until: latest(running.map((l) => l.until)),
      for: running,
    };
  return {
    accepting: false,
    reason: "closed",
    window,
    since: addDays(latest([window.to, ...later.map((l) => l.until)]), 1),
  };
};

/** The same, at an instant: the day it falls on in the campaign's time zone decides. */
export const formWindowStateAt = (
  stage: FormKind,
  input: FormWindowInput,
  now: Date,
  timeZone: string,
): FormWindowState => formWindowState(stage, input, dayIn(now, timeZone));

/** A school's state as far as its Hạn bổ sung goes. */
export interface FixingSchool {
  code: string;
  status: SchoolStatus;
  recognised: boolean;
}

/**
 * The Hạn bổ sung of each school asked to supply something (status Cần bổ sung, not recognised),
 * as its reminders count it: from its latest notice (`notices`, the day it was asked), never less
 * than `minimumDays` after it; without a notice, the calendar's (or its extension's).
 */
export const fixDueDays = (
  schools: readonly FixingSchool[],
  calendar: Calendar,
  extensions: readonly SchoolExtension[],
  notices: ReadonlyMap<string, string>,
  minimumDays: number,
): Array<{ school: string; until: string }> =>
  schools
    .filter((s) => s.status === "can-bo-sung" && !s.recognised)
    .map((s) => {
      const own: Extension[] = extensionsOf(extensions, s.code);
      const notice = notices.get(s.code);
      return {
        school: s.code,
        until: notice
          ? fixDeadline(calendar, notice, minimumDays, own)
          : deadlineFor(calendar, "fix", own).day,
      };
    });

/** Who a closed form tells the schools to contact. */
export interface OfficeContact {
  /** "Phòng Giáo dục và Đào tạo huyện Nhà Bè". */
  name: string;
  email: string;
}

/**
 * What a closed form says at the top of its description (the Forms API has no field for the
 * closed form's own message): one paragraph, so reopening can take it off again (`withoutNotice`).
 */
export const closedNotice = (
  state: Extract<FormWindowState, { accepting: false }>,
  contact: OfficeContact,
): string => {
  const { from, to } = state.window;
  const ask = `xin liên hệ ${contact.name} (${contact.email}).`;
  return state.reason === "not-yet"
    ? `${NOT_YET} ${formatDateVi(from)} đến hết ngày ${formatDateVi(to)}; trước ngày mở biểu mẫu chưa nhận câu trả lời. Cần hỗ trợ ${ask}`
    : `${CLOSED} ${formatDateVi(state.since)} (hạn cuối ${formatDateVi(addDays(state.since, -1))}); trường cần gia hạn hoặc cần bổ sung hồ sơ ${ask}`;
};

const CLOSED = "Biểu mẫu đã đóng từ ngày";
const NOT_YET = "Biểu mẫu nhận câu trả lời từ ngày";

/** A description without the closed-form notice at its top (the form's own description). */
export const withoutNotice = (description: string): string => {
  if (!description.startsWith(CLOSED) && !description.startsWith(NOT_YET)) return description;
  const end = description.indexOf("\n\n");
  return end < 0 ? "" : description.slice(end + 2);
};

/** The description a closed form shows: the notice, then the form's own description. */
export const withNotice = (description: string, notice: string): string => {
  const own = withoutNotice(description);
  return own ? `${notice}\n\n${own}` : notice;
};

/** "Đóng biểu mẫu Hồ sơ công nhận (tháng 11): …", for the office's log (Nhật ký). */
export const formWindowInWords = (stage: FormKind, state: FormWindowState): string => {
  const form = `biểu mẫu ${FORM_LABELS[stage]}`;
  switch (state.reason) {
    case "all-year":
      return `Mở ${form}: nhận câu trả lời cả năm`;
    case "window":
      return `Mở ${form}: trong thời hạn ${formatDateVi(state.window.from)} – ${formatDateVi(state.window.to)}`;
    case "later-deadline":
      return `Mở lại ${form} đến hết ngày ${formatDateVi(state.until)}: ${state.for
        .map(
          (l) =>
            `${l.school} ${l.deadline === "fix" ? "cần bổ sung" : "được gia hạn"} đến ${formatDateVi(l.until)}`,
        )
        .join("; ")}; câu trả lời của trường khác sau hạn được giữ và ghi nộp muộn`;
    case "not-yet":
      return `Đóng ${form}: chưa đến ngày mở ${formatDateVi(state.window.from)}`;
    case "closed":
      return `Đóng ${form}: đã hết hạn ngày ${formatDateVi(addDays(state.since, -1))}`;
  }
};

/** "Hồ sơ công nhận (tháng 11): đóng từ ngày 16/11/2026", where a form stands on a day. */
export const formStandingInWords = (stage: FormKind, state: FormWindowState): string => {
  const form = FORM_LABELS[stage];
  switch (state.reason) {
    case "all-year":
      return `${form}: mở cả năm`;
    case "window":
      return `${form}: mở đến hết ngày ${formatDateVi(state.window.to)}`;
    case "later-deadline":
      return `${form}: mở lại đến hết ngày ${formatDateVi(state.until)} (${[...new Set(state.for.map((l) => l.school))].join(", ")})`;
    case "not-yet":
      return `${form}: đóng, mở từ ngày ${formatDateVi(state.window.from)}`;
    case "closed":
      return `${form}: đóng từ ngày ${formatDateVi(state.since)}`;
  }
};
