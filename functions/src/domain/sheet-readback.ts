import { approvalOf, numberOf } from "./approval.js";
import type { OfficeReview } from "./review.js";
import { registryFieldOf, type School, schoolSchema } from "./school.js";
import { type SheetLayout, TAB_IDS, type TabKey } from "./sheet-layout.js";
import { cleanMultiline, cleanText, truncateText } from "./text.js";
import type { Cell, ColumnModel, RegistryRow } from "./workbook-model.js";

/**
 * Reading back what the office typed into the tracking workbook: the note column of Theo dõi, and
 * the whole Danh sách trường tab (the inspection tabs: inspection-readback.ts). Columns are found by their header text, so a
 * column the office moved is still read; a tab or column that is missing is not read at all (its
 * data is restored from Firestore instead of being taken as erased).
 */

/** What a tracking workbook holds now, as its adapter read it. */
export interface SheetSnapshot {
  tabs: Map<string, SnapshotTab>;
}
export interface SnapshotTab {
  /** Google Sheets' id of the tab (absent for a file). */
  sheetId?: number;
  rowCount: number;
  columnCount: number;
  /** Values, row by row, headers first; trailing empty cells and rows may be missing. */
  values: Cell[][];
  /** Existing protections, conditional formats and charts (Google Sheets), replaced on repair. */
  protectedRangeIds?: number[];
  conditionalFormatCount?: number;
  chartIds?: number[];
}

export const EMPTY_SNAPSHOT: SheetSnapshot = { tabs: new Map() };

/** A tab by its configured title, or (renamed by the office) by the id dienhinh gave it. */
export const findTab = (
  snapshot: SheetSnapshot,
  layout: SheetLayout,
  key: TabKey,
): (SnapshotTab & { title: string }) | undefined => {
  const title = layout.tabs[key]?.title;
  if (title === undefined) return undefined;
  const byTitle = snapshot.tabs.get(title);
  if (byTitle) return { ...byTitle, title };
  for (const [other, tab] of snapshot.tabs)
    if (tab.sheetId === TAB_IDS[key] && !Object.values(layout.tabs).some((t) => t?.title === other))
      return { ...tab, title: other };
  return undefined;
};

/** A cell as text, the way people typed it ("" when empty). */
export const cellText = (cell: Cell | undefined): string => {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) return cell.toISOString();
  return cleanText(String(cell));
};

/**
 * Column index of each field, found by header text (a column the office moved is still found), or
 * for a header the office retyped, at its configured place; fields found neither way are absent.
 */
export const locateColumns = (
  columns: readonly ColumnModel[],
  header: readonly Cell[],
): Map<string, number> => {
  const byText = new Map<string, number>();
  header.forEach((cell, i) => {
    const text = cellText(cell);
    if (text && !byText.has(text)) byText.set(text, i);
  });
  const located = new Map<string, number>();
  for (const column of columns) {
    const index = byText.get(column.header);
    if (index !== undefined) located.set(column.field, index);
  }
  // A header the office retyped: taken at its configured place, unless another header is there.
  const taken = new Set(located.values());
  const configured = new Set(columns.map((c) => c.header));
  columns.forEach((column, i) => {
    if (located.has(column.field) || taken.has(i) || i >= header.length) return;
    if (configured.has(cellText(header[i]))) return;
    located.set(column.field, i);
    taken.add(i);
  });
  return located;
};

/** Whether a tab's header row is exactly the configured one (otherwise its layout drifted). */
export const headerMatches = (
  columns: readonly ColumnModel[],
  header: readonly Cell[] | undefined,
): boolean => columns.every((c, i) => cellText(header?.[i]) === c.header);

const isEmptyRow = (row: readonly Cell[]) => row.every((c) => cellText(c) === "");

export interface TrackingReadBack {
  /** Notes typed for known schools (only when the note column exists in the tab). */
  reviews: Map<string, OfficeReview>;
  /** Rows whose code is not in the registry, in the configured column order, kept as they were. */
  stray: Cell[][];
  /** The office's cells of each known school as typed, so a row that moves carries them unchanged. */
  typed: Map<string, Record<string, Cell>>;
  /** Cells that could not be read (a number that is not one), with what to type. */
  problems: Array<{ code: string; message: string }>;
}

/** Read the office's columns of the Theo dõi tab. */
export const readTracking = (
  columns: readonly ColumnModel[],
  tab: SnapshotTab | undefined,
  known: ReadonlySet<string>,
  previous: ReadonlyMap<string, OfficeReview>,
  /**
   * Each school's current content (`SchoolState.contentHash`), for the rows that show it: what an
   * approval or a number is for. A school left out has a row still showing older content.
   */
  hashes: ReadonlyMap<string, string> = new Map(),
): TrackingReadBack => {
  const result: TrackingReadBack = { reviews: new Map(), stray: [], typed: new Map(), problems: [] };
  if (!tab || tab.values.length === 0) return result;
  const located = locateColumns(columns, tab.values[0] ?? []);
  const codeAt = located.get("code");
  if (codeAt === undefined) return result;
  const noteAt = located.get("note");
  for (const row of tab.values.slice(1)) {
    if (isEmptyRow(row)) continue;
    const code = cellText(row[codeAt]);
    if (!known.has(code)) {
      result.stray.push(columns.map((c) => row[located.get(c.field) ?? -1] ?? null));
      continue;
    }
    if (result.reviews.has(code)) continue; // a copied row: the first one counts
    result.typed.set(
      code,
      Object.fromEntries(
        columns.flatMap((c) => {
          const at = c.owner === "office" ? located.get(c.field) : undefined;
          return at === undefined ? [] : [[c.field, row[at] ?? null]];
        }),
      ),
    );
    const before = previous.get(code);
    // A note keeps its line breaks.
    const noteCell = noteAt === undefined ? undefined : row[noteAt];
    const note =
      noteAt === undefined
        ? (before?.note ?? "")
        : noteCell === null || noteCell === undefined
          ? ""
          : cleanMultiline(String(noteCell));
    const approveAt = located.get("approve");
    const numberAt = located.get("number");
    const hash = hashes.get(code);
    // A row not yet rewritten with the school's current content (no hash given) shows older content:
    // what is typed there is neither taken for the current content nor taken away.
    const approved =
      approveAt === undefined || hash === undefined
        ? before?.approved
        : approvalOf(cellText(row[approveAt]), hash, before);
    const numbered =
      numberAt === undefined || hash === undefined
        ? { number: before?.number }
        : numberOf(cellText(row[numberAt]), hash, before);
    if (numbered.problem) result.problems.push({ code, message: numbered.problem });
    result.reviews.set(code, {
      note,
      ...(approved ? { approved } : {}),
      ...(numbered.number ? { number: numbered.number } : {}),
    });
  }
  return result;
};

export interface RegistryReadBack {
  /** The office's rows, in the office's order, with what was wrong with each. */
  rows: RegistryRow[];
  /** The registry as the office now keeps it (valid rows only). */
  schools: School[];
}

const FIELDS = ["code", "name", "level", "commune", "ownership", "emails"] as const;
/** Read when the tab has them; a tab without them keeps what the registry holds. */
const OPTIONAL_FIELDS = ["head", "phone"] as const;

/**
 * Read the Danh sách trường tab. A row that does not validate keeps the school's previous entry
 * (it is reported beside the row, in Vietnamese); a row for a new code adds a school. A code that
 * could not be a Firestore document id ("..", "__x__", too long) is refused here, as any other bad
 * value, so it never reaches the save that carries the other rows' edits and the verdicts.
 * Returns undefined when the tab cannot be read (missing, or a required column missing). The head
 * and the phone are optional: a tab without their column (one laid out before them, or a layout
 * without them) keeps each school's as `previous` (the registry as stored) has it.
 */
export const readRegistry = (
  layout: SheetLayout,
  columns: readonly ColumnModel[],
  tab: SnapshotTab | undefined,
  previous: ReadonlyMap<string, School> = new Map(),
): RegistryReadBack | undefined => {
  const editable = layout.tabs.registry.columns.some((c) => c.owner === "office");
  if (!editable || !tab || tab.values.length === 0) return undefined;
  const at = locateColumns(columns, tab.values[0] ?? []);
  if (FIELDS.some((f) => !at.has(f))) return undefined;
  const unread = OPTIONAL_FIELDS.filter((f) => !at.has(f));
  const headers = new Map(columns.map((c) => [c.field, c.header]));
  const rows: RegistryRow[] = [];
  const schools: School[] = [];
  const seen = new Map<string, number>();
  tab.values.slice(1).forEach((row, i) => {
    const cells: Record<string, Cell> = Object.fromEntries(
      [...FIELDS, ...OPTIONAL_FIELDS].map((f) => [f, row[at.get(f) ?? -1] ?? null]),
    );
    if (Object.values(cells).every((c) => cellText(c) === "")) return;
    const code = cellText(cells.code);
    const before = previous.get(code);
    for (const f of unread) cells[f] = before?.[f] ?? null;
    const sheetRow = i + 2;
    const earlier = seen.get(code);
    if (earlier !== undefined) {
      rows.push({
        code,
        cells,
        problem: `Mã trường "${truncateText(code, 40)}" trùng với dòng ${earlier}; dòng này không được dùng`,
      });
      return;
    }
    if (code) seen.set(code, sheetRow);
    const parsed = schoolSchema.safeParse(
      Object.fromEntries(Object.entries(cells).map(([f, c]) => [f, cellText(c)])),
    );
    if (parsed.success) {
      rows.push({ code, cells });
      schools.push(parsed.data);
    } else {
      const problems = parsed.error.issues.map((issue) => {
        const field = registryFieldOf(issue.path) ?? "";
        return `${headers.get(field) ?? field}: ${issue.message}`;
      });
      rows.push({ code, cells, problem: `Chưa dùng được dòng này. ${problems.join("; ")}` });
    }
  });
  return { rows, schools };
};

/** Whether two registry entries differ in anything the office can edit. */
export const schoolChanged = (a: School, b: School): boolean =>
  a.name !== b.name ||
  a.levels.join() !== b.levels.join() ||
  a.commune !== b.commune ||
  a.ownership !== b.ownership ||
  a.emails.join(",") !== b.emails.join(",") ||
  (a.head ?? "") !== (b.head ?? "") ||
  (a.phone ?? "") !== (b.phone ?? "");
