import { z } from "zod";
import { formatDateVi } from "./time.js";

/**
 * The campaign calendar (lịch của đợt): the windows and deadlines a school must meet, as days
 * ("YYYY-MM-DD") in the campaign's time zone. Set with the campaign (a file for `setup`), kept in
 * the sheet's Lịch tab, and read by everything that names a deadline: the forms that open and
 * close, the reminders, the documents and the emails.
 */

const day = z.iso.date({ error: "ngày dạng YYYY-MM-DD, ví dụ 2026-11-15" });

const windowSchema = z
  .strictObject({ from: day, to: day })
  .refine((w) => w.from <= w.to, { error: "ngày mở sau ngày đóng", path: ["to"] });
export type CalendarWindow = z.infer<typeof windowSchema>;

/** The deadlines a school can miss: each stage's and the one to supply what was asked. */
export const DEADLINES = ["registration", "dossier", "fix"] as const;
export type Deadline = (typeof DEADLINES)[number];

export const DEADLINE_LABELS: Record<Deadline, string> = {
  registration: "Hạn đăng ký",
  dossier: "Hạn nộp hồ sơ",
  fix: "Hạn bổ sung",
};

/** Reminders a number of days before a deadline, by default a week, three days and the day before. */
export const DEFAULT_REMINDER_DAYS = [7, 3, 1] as const;

export const calendarSchema = z
  .strictObject({
    /** Đăng ký xây dựng (quý I): the registration form is open. */
    registration: windowSchema,
    /** Nộp hồ sơ đề nghị công nhận (tháng 11): the dossier form is open. */
    dossier: windowSchema,
    /** Hạn bổ sung: by when a school asked to supply something sends it again. */
    fixBy: day,
    /** Kiểm tra thực tế: the office and the police inspect the schools. */
    inspection: windowSchema,
    /** Hạn báo cáo Sở: the report to the city Department is due. */
    reportDue: day,
    /** Days before each deadline a school that has not done what it asks is reminded. */
    reminderDays: z
      .array(z.int().min(1, "số ngày nhắc từ 1").max(60, "số ngày nhắc tối đa 60"))
      .min(1)
      .default([...DEFAULT_REMINDER_DAYS])
      .transform((days) => [...new Set(days)].sort((a, b) => b - a)),
  })
  .superRefine((c, ctx) => {
    const order: Array<[string, string, string[], string]> = [
      [c.registration.to, c.dossier.from, ["dossier", "from"], "hồ sơ mở trước khi hết hạn đăng ký"],
      [c.dossier.to, c.fixBy, ["fixBy"], "hạn bổ sung trước hạn nộp hồ sơ"],
      [c.dossier.from, c.inspection.from, ["inspection", "from"], "kiểm tra bắt đầu trước khi mở nhận hồ sơ"],
      [c.fixBy, c.inspection.to, ["inspection", "to"], "kiểm tra kết thúc trước hạn bổ sung"],
      [c.inspection.to, c.reportDue, ["reportDue"], "hạn báo cáo Sở trước khi kết thúc kiểm tra"],
    ];
    for (const [before, after, path, message] of order)
      if (before > after) ctx.addIssue({ code: "custom", message, path });
  });
export type Calendar = z.output<typeof calendarSchema>;
export type CalendarInput = z.input<typeof calendarSchema>;

/**
 * The calendar of a school year's campaign when the office has not set one: registration in the
 * first quarter of its second year, dossiers from 1 to 15 November (the period ends on the 15th),
 * supplements by the 25th, inspections from the 16th to the end of November, the report to the Sở
 * by 10 December.
 */
export const defaultCalendar = (schoolYear: string): Calendar => {
  const y = schoolYear.slice(5);
  return calendarSchema.parse({
    registration: { from: `${y}-01-01`, to: `${y}-03-31` },
    dossier: { from: `${y}-11-01`, to: `${y}-11-15` },
    fixBy: `${y}-11-25`,
    inspection: { from: `${y}-11-16`, to: `${y}-11-30` },
    reportDue: `${y}-12-10`,
  });
};

/** An extension the office granted one school, with its reason (recorded in the sheet). */
export const extensionSchema = z.strictObject({
  deadline: z.enum(DEADLINES),
  until: day,
  reason: z.string().trim().min(1, "ghi lý do gia hạn"),
});
export type Extension = z.infer<typeof extensionSchema>;

/** An extension as the campaign keeps it: the school it was granted to, and the extension. */
export const schoolExtensionSchema = extensionSchema.extend({ school: z.string().min(1) });
export type SchoolExtension = z.infer<typeof schoolExtensionSchema>;

/** A school's extensions among the campaign's. */
export const extensionsOf = (all: readonly SchoolExtension[] | undefined, school: string): Extension[] =>
  (all ?? [])
    .filter((e) => e.school === school)
    .map(({ deadline, until, reason }) => ({ deadline, until, reason }));

/** The windows and deadlines of a calendar, in the order of the campaign, as the office names them. */
export const CALENDAR_ITEMS = [
  { key: "registration", label: "Đăng ký xây dựng (quý I)", window: true },
  { key: "dossier", label: "Nộp hồ sơ đề nghị công nhận", window: true },
  { key: "fixBy", label: "Hạn bổ sung hồ sơ", window: false },
  { key: "inspection", label: "Kiểm tra thực tế", window: true },
  { key: "reportDue", label: "Hạn báo cáo Sở", window: false },
] as const;
export type CalendarItem = (typeof CALENDAR_ITEMS)[number]["key"];

/** The calendar's own date for a deadline. */
export const calendarDeadline = (calendar: Calendar, deadline: Deadline): string =>
  deadline === "registration"
    ? calendar.registration.to
    : deadline === "dossier"
      ? calendar.dossier.to
      : calendar.fixBy;

/** A school's deadline: the calendar's, or its own extension when later. */
export const deadlineFor = (
  calendar: Calendar,
  deadline: Deadline,
  extensions: readonly Extension[] = [],
): { day: string; extended?: Extension } => {
  const own = calendarDeadline(calendar, deadline);
  const extended = extensions
    .filter((e) => e.deadline === deadline && e.until > own)
    .sort((a, b) => (a.until < b.until ? 1 : -1))[0];
  return extended ? { day: extended.until, extended } : { day: own };
};

/** The day `days` after `day` (both "YYYY-MM-DD"). */
export const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * By when a school supplies what a notice asks: the calendar's Hạn bổ sung (or the school's own
 * extension), but never less than `minimumDays` after the notice (a school told on the 24th cannot
 * be asked for the 25th; once the calendar's day has passed, the notice gives the days itself).
 */
export const fixDeadline = (
  calendar: Calendar,
  noticeDay: string,
  minimumDays: number,
  extensions: readonly Extension[] = [],
): string => {
  const own = deadlineFor(calendar, "fix", extensions).day;
  const earliest = addDays(noticeDay, minimumDays);
  // biome-ignore lint/complexity/useMathMinMax: days as "YYYY-MM-DD" text, which Math.max cannot compare.
  return own > earliest ? own : earliest;
};

/** Whole days from `today` to `deadline` (both days): 0 on the day itself, negative once past. */
export const daysLeft = (today: string, deadline: string): number =>
  Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);

/** "còn 3 ngày", "hôm nay là hạn cuối", "đã quá hạn 2 ngày". */
export const daysLeftInWords = (today: string, deadline: string): string => {
  const n = daysLeft(today, deadline);
  if (n > 0) return `còn ${n} ngày`;
  if (n === 0) return "hôm nay là hạn cuối";
  return `đã quá hạn ${-n} ngày`;
};

/** "Hạn nộp hồ sơ: 15/11/2026 (gia hạn đến 20/11/2026: lý do)". */
export const deadlineInWords = (
  calendar: Calendar,
  deadline: Deadline,
  extensions: readonly Extension[] = [],
) => {
  const { day: until, extended } = deadlineFor(calendar, deadline, extensions);
  return extended
    ? `${DEADLINE_LABELS[deadline]}: ${formatDateVi(until)} (được gia hạn: ${extended.reason})`
    : `${DEADLINE_LABELS[deadline]}: ${formatDateVi(until)}`;
};

/** Whether a window is open on a day. */
export const isOpen = (window: CalendarWindow, today: string): boolean =>
  window.from <= today && today <= window.to;

/** The campaign's calendar: its own, or the school year's default. */
export const calendarOf = (campaign: { schoolYear: string; calendar?: Calendar | undefined }): Calendar =>
  campaign.calendar ?? defaultCalendar(campaign.schoolYear);
