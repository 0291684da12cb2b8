import {
  CALENDAR_ITEMS,
  type Calendar,
  type CalendarItem,
  calendarDeadline,
  calendarSchema,
  DEADLINE_LABELS,
  DEADLINES,
  type Deadline,
  type SchoolExtension,
} from "./calendar.js";
import { parseDay } from "./inspection-readback.js";
import { cellText, locateColumns, type SnapshotTab } from "./sheet-readback.js";
import { cleanText, foldKey, truncateText } from "./text.js";
import { formatDateVi } from "./time.js";
import type { Cell, ColumnModel } from "./workbook-model.js";

/**
 * The Lịch and Gia hạn tabs read back: the campaign calendar and the schools' extensions as the
 * office typed them. What cannot be read keeps what is stored, and says why on its row.
 */

export interface CalendarReadBack {
  /** The calendar as typed: every row read and the order of the days holds. Otherwise the stored one. */
  calendar: Calendar;
  /** Whether `calendar` is the typed one (false: something was refused, the stored one stays). */
  taken: boolean;
  /** The office's cells as typed, by item (they are written back as they are). */
  typed: Map<CalendarItem, { from: Cell; to: Cell }>;
  /** Why an item's row was refused, by item. */
  problems: Map<CalendarItem, string>;
}

const unreadable = (text: string) => `Ngày “${truncateText(text, 30)}” không đọc được; ghi dạng 15/11/2026`;

/** One row's days: the window or the deadline it gives, or why it cannot. */
const readItemDays = (
  item: (typeof CALENDAR_ITEMS)[number],
  cells: { from: Cell; to: Cell },
  timeZone: string,
): { value: string | { from: string; to: string } } | { problem: string } => {
  const to = parseDay(cells.to ?? undefined, timeZone);
  if (!to) return { problem: cellText(cells.to) ? unreadable(cellText(cells.to)) : "Chưa ghi ngày (hạn)" };
  if (!item.window) return { value: to };
  const from = parseDay(cells.from ?? undefined, timeZone);
  if (!from) return { problem: cellText(cells.from) ? unreadable(cellText(cells.from)) : "Chưa ghi ngày mở" };
  return { value: { from, to } };
};

/** Read the Lịch tab. Undefined when the tab cannot be read (missing): the stored calendar stays. */
export const readCalendarTab = (
  columns: readonly ColumnModel[],
  tab: SnapshotTab | undefined,
  stored: Calendar,
  timeZone: string,
): CalendarReadBack | undefined => {
  if (!tab || tab.values.length === 0) return undefined;
  const at = locateColumns(columns, tab.values[0] ?? []);
  const [itemAt, fromAt, toAt] = [at.get("item"), at.get("from"), at.get("to")];
  if (itemAt === undefined || fromAt === undefined || toAt === undefined) return undefined;
  const result: CalendarReadBack = { calendar: stored, taken: false, typed: new Map(), problems: new Map() };
  const typed: Record<string, unknown> = { ...stored };
  for (const row of tab.values.slice(1)) {
    const item = CALENDAR_ITEMS.find((i) => foldKey(i.label) === foldKey(cellText(row[itemAt])));
    if (!item || result.typed.has(item.key)) continue;
    const cells = { from: row[fromAt] ?? null, to: row[toAt] ?? null };
    result.typed.set(item.key, cells);
    const read = readItemDays(item, cells, timeZone);
    if ("problem" in read) result.problems.set(item.key, read.problem);
    else typed[item.key] = read.value;
  }
  if (result.problems.size > 0) return result;
  const checked = calendarSchema.safeParse(typed);
  if (checked.success) return { ...result, calendar: checked.data, taken: true };
  for (const issue of checked.error.issues) {
    const key = CALENDAR_ITEMS.find((i) => i.key === issue.path[0])?.key;
    if (key && !result.problems.has(key)) result.problems.set(key, `Lịch chưa được nhận: ${issue.message}`);
  }
  return result;
};

export interface ExtensionRow {
  cells: Record<string, Cell>;
  code: string;
  problem?: string;
}

export interface ExtensionsReadBack {
  /** The extensions in force: every row read, and a refused row's stored extension kept. */
  extensions: SchoolExtension[];
  /** Every row the office typed, in its order, with why it was refused. */
  rows: ExtensionRow[];
}

const deadlineOf = (text: string): Deadline | undefined =>
  DEADLINES.find((d) => foldKey(DEADLINE_LABELS[d]) === foldKey(text) || d === text);

/** One row of Gia hạn: the extension, or why it cannot be one. */
const readExtension = (
  cells: Record<string, Cell>,
  known: ReadonlySet<string>,
  calendar: Calendar,
  timeZone: string,
): SchoolExtension | { problem: string } => {
  const code = cleanText(cellText(cells.code)).toUpperCase();
  if (!code) return { problem: "Chưa ghi mã trường" };
  if (!known.has(code))
    return { problem: `Mã trường “${truncateText(code, 30)}” không có trong danh sách trường` };
  const deadline = deadlineOf(cellText(cells.deadline));
  if (!deadline)
    return { problem: `Chọn hạn được gia hạn: ${DEADLINES.map((d) => DEADLINE_LABELS[d]).join(", ")}` };
  const until = parseDay(cells.until ?? undefined, timeZone);
  if (!until)
    return { problem: cellText(cells.until) ? unreadable(cellText(cells.until)) : "Chưa ghi ngày gia hạn" };
  const own = calendarDeadline(calendar, deadline);
  if (until <= own)
    return {
      problem: `Ngày gia hạn phải sau ${DEADLINE_LABELS[deadline].toLocaleLowerCase("vi")} chung (${formatDateVi(own)})`,
    };
  const reason = cleanText(cellText(cells.reason));
  if (!reason) return { problem: "Ghi lý do gia hạn" };
  return { school: code, deadline, until, reason };
};

/** Read the Gia hạn tab. Undefined when the tab cannot be read (missing): the stored extensions stay. */
export const readExtensionsTab = (
  columns: readonly ColumnModel[],
  tab: SnapshotTab | undefined,
  context: {
    known: ReadonlySet<string>;
    calendar: Calendar;
    timeZone: string;
    stored: readonly SchoolExtension[];
  },
): ExtensionsReadBack | undefined => {
  if (!tab || tab.values.length === 0) return undefined;
  const at = locateColumns(columns, tab.values[0] ?? []);
  if (!["code", "deadline", "until", "reason"].every((f) => at.has(f))) return undefined;
  const result: ExtensionsReadBack = { extensions: [], rows: [] };
  const seen = new Set<string>();
  for (const row of tab.values.slice(1)) {
    const cells = Object.fromEntries(
      columns.flatMap((c) => {
        const i = c.owner === "office" ? at.get(c.field) : undefined;
        return i === undefined ? [] : [[c.field, row[i] ?? null]];
      }),
    );
    if (Object.values(cells).every((cell) => cellText(cell) === "")) continue;
    const code = cleanText(cellText(cells.code)).toUpperCase();
    const read = readExtension(cells, context.known, context.calendar, context.timeZone);
    const key = "problem" in read ? "" : `${read.school}|${read.deadline}`;
    const problem =
      "problem" in read
        ? read.problem
        : seen.has(key)
          ? `Trường ${code} đã được gia hạn ${DEADLINE_LABELS[read.deadline].toLocaleLowerCase("vi")} ở dòng trên`
          : undefined;
    seen.add(key);
    result.rows.push({ cells, code, ...(problem ? { problem } : {}) });
    if (!problem && !("problem" in read)) result.extensions.push(read);
  }
  // A refused row of a school that had an extension keeps it (the office's typing error does not
  // take a granted extension away); a row the office deleted does.
  const refused = new Set(result.rows.filter((r) => r.problem).map((r) => r.code));
  for (const e of context.stored)
    if (
      refused.has(e.school) &&
      !result.extensions.some((x) => x.school === e.school && x.deadline === e.deadline)
    )
      result.extensions.push(e);
  return result;
};

/** Whether two lists hold the same extensions, in any order. */
export const sameExtensions = (a: readonly SchoolExtension[], b: readonly SchoolExtension[]): boolean => {
  const key = (e: SchoolExtension) => `${e.school}|${e.deadline}|${e.until}|${e.reason}`;
  const keys = new Set(a.map(key));
  return a.length === b.length && b.every((e) => keys.has(key(e)));
};
