import { FINDING_LABELS, type IndicatorFinding, type InspectorRef, parseFinding } from "./inspection.js";
import { cellText, locateColumns, type SnapshotTab } from "./sheet-readback.js";
import { cleanMultiline, cleanText, foldKey, truncateText } from "./text.js";
import { wallClock } from "./time.js";
import type { Cell, ColumnModel } from "./workbook-model.js";

/**
 * Reading back what the office typed into its inspection tabs: the plan (Lịch kiểm tra: a row per
 * school with the team, day, time and place), the findings (Kiểm tra: a row per school and
 * indicator, Xác nhận or Không xác nhận with a reason) and the decisions recorded (Quyết định công
 * nhận: number and date). Pure. A row that cannot be read keeps what was stored before and says
 * why beside it; what the office typed stays in the sheet as typed.
 */

/** A school's inspection plan, as the office typed it. */
export interface PlanEntry {
  date: string;
  time?: string;
  place: string;
  teamName?: string;
  team: InspectorRef[];
  commend: boolean;
}

export interface DecisionRow {
  number: string;
  /** "YYYY-MM-DD". */
  date: string;
  cells: Record<string, Cell>;
  problem?: string;
}

export interface InspectionReadBack {
  /** The plan of each school whose row was read: null when its row is empty (no plan). */
  plans: Map<string, PlanEntry | null>;
  /** The findings read, by school then indicator (rows with a problem are left out). */
  findings: Map<string, Record<string, IndicatorFinding>>;
  /** Indicators whose row could not be read, by school: their stored finding is kept. */
  unreadable: Map<string, Set<string>>;
  /** The office's cells as typed, by row key (code, or code|indicator), carried when rows move. */
  typedPlans: Map<string, Record<string, Cell>>;
  typedFindings: Map<string, Record<string, Cell>>;
  /** Why a row's input was not taken, by row key. */
  problems: Map<string, string>;
  /** The decision rows as the office keeps them; undefined when the tab was not read. */
  decisions: DecisionRow[] | undefined;
  /** Which tabs were there to read (a tab that is missing is not read as erased). */
  read: { plans: boolean; findings: boolean };
}

export const emptyInspectionReadBack = (): InspectionReadBack => ({
  plans: new Map(),
  findings: new Map(),
  unreadable: new Map(),
  typedPlans: new Map(),
  typedFindings: new Map(),
  problems: new Map(),
  decisions: undefined,
  read: { plans: false, findings: false },
});

export const findingKey = (code: string, indicatorId: string) => `${code}|${indicatorId}`;

const two = (n: number) => String(n).padStart(2, "0");

/**
 * A day as "YYYY-MM-DD" from what a sheet holds: a serial day number (Google Sheets), a Date (an
 * .xlsx, wall clock in the sheet's zone), or text "15/12/2026" / "2026-12-15".
 */
export const parseDay = (cell: Cell | undefined, timeZone: string): string | undefined => {
  if (typeof cell === "number" && cell > 1) {
    const d = new Date(Math.round((cell - 25_569) * 86_400_000));
    return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  }
  if (cell instanceof Date) {
    const d = wallClock(cell, timeZone);
    return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  }
  const text = cellText(cell);
  const vi = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/u.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})/u.exec(text);
  const [y, m, d] = vi ? [vi[3], vi[2], vi[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (!y || !m || !d) return undefined;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCDate() !== Number(d) || date.getUTCMonth() !== Number(m) - 1) return undefined;
  return `${y}-${two(Number(m))}-${two(Number(d))}`;
};

/** A time of day "HH:MM" from a fraction of a day (a sheet's time cell) or text "8:00", "8h30". */
export const parseTime = (cell: Cell | undefined): string | undefined => {
  if (typeof cell === "number" && cell >= 0 && cell < 1) {
    const minutes = Math.floor(Math.min(Math.round(cell * 86_400), 86_399) / 60);
    return `${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
  }
  const match = /^(\d{1,2})\s*(?:[:hg]|giờ)\s*(\d{0,2})(?:\s*phút)?$/iu.exec(cellText(cell));
  if (!match) return undefined;
  const [h, m] = [Number(match[1]), Number(match[2] || 0)];
  return h < 24 && m < 60 ? `${two(h)}:${two(m)}` : undefined;
};

/**
 * The team as typed: members separated by ";" or line breaks, each "Họ tên (Đơn vị)" or "Họ tên -
 * Đơn vị"; the leader first. Undefined with a problem when a member has no unit.
 */
export const parseTeam = (text: string): { team: InspectorRef[] } | { problem: string } => {
  const members = text
    .split(/[;\n]/u)
    .map(cleanText)
    .filter((m) => m !== "");
  const team: InspectorRef[] = [];
  for (const member of members) {
    // "Họ tên (Đơn vị)", one level of brackets inside the unit allowed; or "Họ tên - Đơn vị".
    const match = /^([^()]+?)\s*(?:\(((?:[^()]|\([^()]*\))+)\)|\s[-–—]\s(.+))$/u.exec(member);
    const name = match?.[1]?.trim();
    const unit = (match?.[2] ?? match?.[3])?.trim();
    if (!name || !unit)
      return {
        problem: `Thành viên "${truncateText(member, 60)}" chưa có đơn vị; ghi mỗi người dạng Họ tên (Đơn vị), cách nhau bằng dấu ;`,
      };
    team.push({ name, unit });
  }
  return team.length > 0 ? { team } : { problem: "Chưa ghi thành viên đoàn kiểm tra" };
};

const YES = new Set(["co", "x", "true", "de nghi"]);

const isEmpty = (row: readonly Cell[]) => row.every((c) => cellText(c) === "");

/** The office's cells of a row, by field. */
const officeCells = (columns: readonly ColumnModel[], located: Map<string, number>, row: readonly Cell[]) =>
  Object.fromEntries(
    columns.flatMap((c) => {
      const at = c.owner === "office" ? located.get(c.field) : undefined;
      return at === undefined ? [] : [[c.field, row[at] ?? null]];
    }),
  );

/** A plan row: the plan, nothing (an empty row), or why it cannot be used. */
const planOf = (
  get: (field: string) => Cell | undefined,
  timeZone: string,
): PlanEntry | null | { problem: string } => {
  const text = (f: string) => cellText(get(f));
  const typed = ["date", "time", "place", "teamName", "team"].some((f) => text(f) !== "");
  if (!typed) return null;
  const date = parseDay(get("date"), timeZone);
  if (!date)
    return {
      problem: text("date")
        ? `Ngày kiểm tra "${text("date")}" không đọc được; ghi dạng 15/12/2026`
        : "Chưa ghi ngày kiểm tra",
    };
  const time = text("time") === "" ? undefined : parseTime(get("time"));
  if (text("time") !== "" && !time)
    return { problem: `Giờ "${text("time")}" không đọc được; ghi dạng 08:00` };
  if (text("place") === "") return { problem: "Chưa ghi địa điểm kiểm tra" };
  const team = parseTeam(cleanMultiline(String(get("team") ?? "")));
  if ("problem" in team) return team;
  return {
    date,
    ...(time ? { time } : {}),
    place: text("place"),
    ...(text("teamName") ? { teamName: text("teamName") } : {}),
    team: team.team,
    commend: YES.has(foldKey(text("commend"))),
  };
};

/** Read the Lịch kiểm tra tab into `result`. */
export const readPlans = (
  result: InspectionReadBack,
  columns: readonly ColumnModel[],
  tab: SnapshotTab | undefined,
  known: ReadonlySet<string>,
  timeZone: string,
): void => {
  if (!tab || tab.values.length === 0) return;
  const located = locateColumns(columns, tab.values[0] ?? []);
  const codeAt = located.get("code");
  if (codeAt === undefined) return;
  result.read.plans = true;
  for (const row of tab.values.slice(1)) {
    const code = cellText(row[codeAt]);
    if (isEmpty(row) || !known.has(code) || result.typedPlans.has(code)) continue;
    result.typedPlans.set(code, officeCells(columns, located, row));
    const plan = planOf((f) => row[located.get(f) ?? -1], timeZone);
    if (plan && "problem" in plan) result.problems.set(code, plan.problem);
    else result.plans.set(code, plan);
  }
};

/** Read the Kiểm tra tab into `result`. */
export const readFindings = (
  result: InspectionReadBack,
  columns: readonly ColumnModel[],
  tab: SnapshotTab | undefined,
  known: ReadonlySet<string>,
): void => {
  if (!tab || tab.values.length === 0) return;
  const located = locateColumns(columns, tab.values[0] ?? []);
  const codeAt = located.get("code");
  const indicatorAt = located.get("indicator");
  const findingAt = located.get("finding");
  if (codeAt === undefined || indicatorAt === undefined || findingAt === undefined) return;
  result.read.findings = true;
  for (const row of tab.values.slice(1)) {
    const code = cellText(row[codeAt]);
    const indicatorId = cellText(row[indicatorAt]);
    const key = findingKey(code, indicatorId);
    if (isEmpty(row) || !known.has(code) || !indicatorId || result.typedFindings.has(key)) continue;
    result.typedFindings.set(key, officeCells(columns, located, row));
    const text = cellText(row[findingAt]);
    const reasonCell = row[located.get("reason") ?? -1];
    const reason = reasonCell === null || reasonCell === undefined ? "" : cleanMultiline(String(reasonCell));
    const unreadable = () => {
      const set = result.unreadable.get(code) ?? new Set<string>();
      result.unreadable.set(code, set.add(indicatorId));
    };
    if (text === "") continue;
    const finding = parseFinding(text);
    if (!finding) {
      unreadable();
      result.problems.set(
        key,
        `Kết quả "${truncateText(text, 40)}" không hợp lệ; chọn ${Object.values(FINDING_LABELS).join(" hoặc ")}`,
      );
    } else if (finding === "khong-xac-nhan" && reason === "") {
      unreadable();
      result.problems.set(key, "Ghi lý do không xác nhận: nhà trường sẽ được thông báo lý do này");
    } else {
      result.findings.set(code, { ...result.findings.get(code), [indicatorId]: { finding, reason } });
    }
  }
};

/** Read the Quyết định công nhận tab: every row the office typed, valid or not. */
export const readDecisions = (
  result: InspectionReadBack,
  columns: readonly ColumnModel[],
  tab: SnapshotTab | undefined,
  timeZone: string,
): void => {
  if (!tab || tab.values.length === 0) return;
  const located = locateColumns(columns, tab.values[0] ?? []);
  if (!located.has("number") || !located.has("date")) return;
  const seen = new Set<string>();
  result.decisions = [];
  for (const row of tab.values.slice(1)) {
    const cells = officeCells(columns, located, row);
    const number = cellText(cells.number);
    const dateText = cellText(cells.date);
    if (number === "" && dateText === "") continue;
    const date = parseDay(cells.date ?? null, timeZone) ?? "";
    const problem =
      number === ""
        ? "Chưa ghi số quyết định"
        : !/^\d+\/[\p{L}\p{N}.-]+$/u.test(number)
          ? `Số quyết định "${truncateText(number, 40)}" không đúng dạng số/ký hiệu, ví dụ 125/QĐ-UBND`
          : date === ""
            ? dateText
              ? `Ngày ký "${dateText}" không đọc được; ghi dạng 20/12/2026`
              : "Chưa ghi ngày ký"
            : seen.has(number)
              ? `Quyết định số ${number} đã ghi ở dòng trên`
              : undefined;
    seen.add(number);
    result.decisions.push({ number, date, cells, ...(problem ? { problem } : {}) });
  }
};
