import {
  AlignmentType,
  Paragraph,
  ShadingType,
  Table,
  TableLayoutType,
  VerticalAlignTable,
  WidthType,
} from "docx";
import type { Appendix, OverdueList, SchoolList } from "../../domain/documents.js";
import { type Inline, line, runs } from "./blocks.js";
import { LINE, mm, SIZE, STYLE, TEXT_WIDTH } from "./layout.js";
import { cached, SharedCell, SharedRow } from "./shared.js";

/**
 * Tables as real Word tables: thin black borders, a header row that repeats on every page, rows
 * that never split across pages (table.grid in templates/style.css); and the appendices' lists.
 */

export interface GridCell {
  text: Inline | readonly Inline[];
  align?: "left" | "center" | "right";
  bold?: boolean;
  /** Columns the cell spans. */
  span?: number;
}

export interface GridRow {
  cells: ReadonlyArray<string | GridCell>;
  /** A criterion's row: grey, bold. */
  shade?: boolean;
  /** A total's row: bold. */
  bold?: boolean;
}

export interface GridColumn {
  header: string;
  /** Relative width (a share of the text width). */
  width: number;
}

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;

/** Relative widths as twips that add up to the text width. */
const twips = (widths: readonly number[]): number[] => {
  const total = widths.reduce((a, b) => a + b, 0);
  const out = widths.map((w) => Math.floor((w * TEXT_WIDTH) / total));
  out[out.length - 1] = (out[out.length - 1] ?? 0) + TEXT_WIDTH - out.reduce((a, b) => a + b, 0);
  return out;
};

interface RowLook {
  shade?: boolean;
  bold?: boolean;
  header?: boolean;
  size?: number;
}

const newCell = (c: GridCell, width: number, style: string, row: RowLook) => {
  const text = Array.isArray(c.text) ? (c.text as Inline[]) : [c.text as Inline];
  const align = c.align ?? (row.header ? "center" : "left");
  return new SharedCell({
    width: { size: width, type: WidthType.DXA },
    ...(c.span && c.span > 1 ? { columnSpan: c.span } : {}),
    ...(row.header ? { verticalAlign: VerticalAlignTable.CENTER } : {}),
    ...(row.shade ? { shading: { type: ShadingType.CLEAR, color: "auto", fill: "E6E6E6" } } : {}),
    children: [
      new Paragraph({
        style,
        ...(align === "left" ? {} : { alignment: ALIGN[align] }),
        children: runs(text, {
          ...(row.bold || row.shade || row.header || c.bold ? { bold: true } : {}),
          ...(row.size ? { size: row.size } : {}),
        }),
      }),
    ],
  });
};

/** A cell made, and its number among those made (what a row is made of). */
interface Made {
  id: number;
  cell: SharedCell;
}

/**
 * The cells and rows made so far (shared.ts): the cells by their look (everything but the text),
 * then their text; the rows by their cells' numbers. Bounded: when they hold `MOST` cells, both
 * are emptied, and the next documents fill them again.
 */
const CELLS = new Map<string, Map<string, Made>>();
const ROWS = new Map<string, SharedRow>();
const MOST = 5000;
const counted = { cells: 0, made: 0 };

const remember = (look: string, text: string, cell: SharedCell): Made => {
  if (counted.cells >= MOST) {
    CELLS.clear();
    ROWS.clear();
    counted.cells = 0;
  }
  let byText = CELLS.get(look);
  if (!byText) {
    byText = new Map();
    CELLS.set(look, byText);
  }
  const made = { id: counted.made++, cell };
  byText.set(text, made);
  counted.cells++;
  return made;
};

const cell = (spec: string | GridCell, width: number, style: string, row: RowLook): Made => {
  const c: GridCell = typeof spec === "string" ? { text: spec } : spec;
  const look = `${c.align}|${c.bold}|${c.span}|${width}|${style}|${row.shade}|${row.bold}|${row.header}|${row.size}`;
  // A text of several pieces by its JSON, which no text of one piece (a string) starts with.
  const text = typeof c.text === "string" ? c.text : `\u0000${JSON.stringify(c.text)}`;
  return CELLS.get(look)?.get(text) ?? remember(look, text, newCell(c, width, style, row));
};

/** A row that never splits across pages (the header row: repeated on each page). */
const row = (cells: readonly Made[], header?: true) =>
  cached(
    ROWS,
    `${header ? "h" : "r"}${cells.map((c) => c.id).join(",")}`,
    () =>
      new SharedRow({
        ...(header ? { tableHeader: true } : {}),
        cantSplit: true,
        children: cells.map((c) => c.cell),
      }),
  );

/** A grid: its header row repeated on each page, then its rows; `empty` says so when there are none. */
export const grid = (
  columns: readonly GridColumn[],
  rows: readonly GridRow[],
  options: { dense?: boolean; empty?: string; narrow?: boolean } = {},
): Table => {
  const style = options.dense ? STYLE.denseCell : STYLE.cell;
  const widths = twips(columns.map((c) => c.width));
  const widthOf = (from: number, span = 1) => widths.slice(from, from + span).reduce((a, b) => a + b, 0);
  const bodyRows =
    rows.length === 0 && options.empty
      ? [{ cells: [{ text: options.empty, align: "center" as const, span: columns.length }] }]
      : rows;
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: {
      top: LINE(),
      bottom: LINE(),
      left: LINE(),
      right: LINE(),
      insideHorizontal: LINE(),
      insideVertical: LINE(),
    },
    // A table of many columns (the tallies) keeps less space beside the text, and its headers are
    // smaller, so that each word of a header fits its column.
    margins: { top: 30, bottom: 30, left: options.narrow ? 30 : 70, right: options.narrow ? 30 : 70 },
    rows: [
      row(
        columns.map((c, i) =>
          cell(c.header, widths[i] ?? 0, style, { header: true, ...(options.narrow ? { size: 10 } : {}) }),
        ),
        true,
      ),
      ...bodyRows.map((r) => {
        let at = 0;
        return row(
          r.cells.map((spec) => {
            const span = typeof spec === "string" ? 1 : (spec.span ?? 1);
            const width = widthOf(at, span);
            at += span;
            return cell(spec, width, style, r);
          }),
        );
      }),
    ],
  });
};

/** An appendix's heading: "Phụ lục" 14 bold, its title upper case bold, "(Kèm theo …)" italic. */
const appendixHeading = (list: { label: string; title: string; reference: string }) => [
  line(list.label, { size: SIZE.appendixLabel, bold: true }, { keepNext: true }),
  line(
    list.title.toLocaleUpperCase("vi"),
    { bold: true },
    {
      indent: { left: mm(5), right: mm(5) },
      spacing: { before: 40, after: 0 },
      keepNext: true,
    },
  ),
  line(
    list.reference,
    { italics: true },
    {
      indent: { left: mm(5), right: mm(5) },
      spacing: { before: 40, after: 200 },
      keepNext: true,
    },
  ),
];

const NONE = "Không có trường nào.";

/** The report's appendix (partials/appendix.hbs): every school, its points and result. */
export const schoolsAppendix = (appendix: Appendix) => [
  ...appendixHeading(appendix),
  grid(
    [
      { header: "STT", width: 6 },
      { header: "Mã trường", width: 12 },
      { header: "Tên trường", width: 34 },
      { header: "Cấp học", width: 12 },
      { header: appendix.communeHeader, width: 14 },
      { header: "Điểm", width: 8 },
      { header: "Kết quả", width: 14 },
    ],
    appendix.rows.map((r) => ({
      cells: [
        { text: String(r.index), align: "center" },
        { text: { text: r.code, code: true } },
        r.name,
        r.level,
        r.commune,
        { text: r.points, align: "right" },
        r.status,
      ],
    })),
    { empty: NONE },
  ),
];

/** A proposal's or a decision's list of schools (partials/school-list.hbs); the inspection's day when `dated`. */
export const schoolListAppendix = (list: SchoolList) => [
  ...appendixHeading(list),
  grid(
    [
      { header: "STT", width: 8 },
      { header: "Tên trường", width: 50 },
      { header: "Cấp học", width: 14 },
      { header: list.communeHeader, width: 16 },
      ...(list.dated ? [{ header: "Ngày kiểm tra", width: 14 }] : []),
    ],
    list.rows.map((r) => ({
      cells: [
        { text: String(r.index), align: "center" as const },
        r.name,
        r.level,
        r.commune,
        ...(list.dated ? [{ text: r.date ?? "", align: "center" as const }] : []),
      ],
    })),
    { empty: NONE },
  ),
];

/** A Công văn đôn đốc's list (partials/overdue-list.hbs): the schools past a deadline, with what each lacks. */
export const overdueAppendix = (list: OverdueList) => [
  ...appendixHeading(list),
  grid(
    [
      { header: "STT", width: 6 },
      { header: "Tên trường", width: 30 },
      { header: "Cấp học", width: 10 },
      { header: list.communeHeader, width: 12 },
      { header: "Nội dung chưa hoàn thành", width: 20 },
      { header: "Hạn", width: 14 },
      { header: "Số ngày quá hạn", width: 8 },
    ],
    list.rows.map((r) => ({
      cells: [
        { text: String(r.index), align: "center" as const },
        r.name,
        r.level,
        r.commune,
        r.lacking,
        { text: r.due, align: "center" as const },
        { text: r.daysOver, align: "right" as const },
      ],
    })),
    { empty: NONE, dense: true },
  ),
];
