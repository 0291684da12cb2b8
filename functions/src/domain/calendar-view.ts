import { CALENDAR_ITEMS, type Calendar, type CalendarWindow, daysLeft, daysLeftInWords } from "./calendar.js";
import { formatDateVi } from "./time.js";

/**
 * The campaign calendar as the office reads it in Tổng quan: each window or deadline, its days, and
 * where it stands on the day the sheet is written ("đang mở, còn 5 ngày", "đã quá hạn 2 ngày").
 */
export interface CalendarLine {
  label: string;
  days: string;
  /** Empty when the day of writing is not known. */
  standing: string;
}

export const windowStanding = (window: CalendarWindow, today: string): string => {
  if (today < window.from) return `mở sau ${daysLeft(today, window.from)} ngày`;
  if (today > window.to) return "đã kết thúc";
  const left = daysLeft(today, window.to);
  return left === 0 ? "đang mở, hôm nay là ngày cuối" : `đang mở, còn ${left} ngày`;
};

const span = (w: CalendarWindow) => `${formatDateVi(w.from)} – ${formatDateVi(w.to)}`;

export const calendarLines = (calendar: Calendar, today: string | undefined): CalendarLine[] =>
  CALENDAR_ITEMS.map(({ key, label }) => {
    const value = calendar[key];
    return typeof value === "string"
      ? { label, days: formatDateVi(value), standing: today ? daysLeftInWords(today, value) : "" }
      : { label, days: span(value), standing: today ? windowStanding(value, today) : "" };
  });
