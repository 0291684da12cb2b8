import {
  AlignmentType,
  type BorderStyle,
  Header,
  type IPropertiesOptions,
  type ISectionOptions,
  type IStylesOptions,
  PageNumber,
  Paragraph,
  SectionType,
  TextRun,
} from "docx";

/**
 * The page and type of an official document as Word holds them (Decree 30/2020/NĐ-CP, Phụ lục I;
 * the same figures as templates/style.css): A4 portrait, margins top and bottom 20 mm, left 30 mm,
 * right 15 mm; Times New Roman everywhere, black. Lengths are in twips (1/20 pt, 1/1440 in), sizes
 * in points (`pt` turns them into Word's half-points).
 */

/** Twips in a millimetre's length, rounded (20 mm → 1134). */
export const mm = (millimetres: number): number => Math.round((millimetres * 1440) / 25.4);

/** Word's half-points for a size in points (13.5 pt → 27). */
export const pt = (points: number): number => Math.round(points * 2);

export const FONT = "Times New Roman";

export const PAGE = {
  width: 11906,
  height: 16838,
  margin: { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) },
  /** From the page's top edge to the page number, in the top margin. */
  header: mm(10),
} as const;

/** The width between the margins: 165 mm. */
export const TEXT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right;

/**
 * Sizes, in points (DOMAIN.md, "Vietnamese official documents"). The issuing bodies and the
 * national title are 12.5 pt, as in the PDF (style.css): at 13 pt bold "CỘNG HÒA XÃ HỘI CHỦ NGHĨA
 * VIỆT NAM" (96 mm) and "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" (71 mm) do not both fit on a line in 165 mm.
 */
export const SIZE = {
  header: 12.5,
  nationalTitle: 12.5,
  motto: 14,
  number: 13,
  /** A công văn's "V/v …" under its number (Decree 30: 12 to 13). */
  abstract: 12,
  placeDate: 14,
  kind: 14,
  subject: 14,
  body: 14,
  recipientsTitle: 12,
  recipient: 11,
  signature: 14,
  signerNote: 12,
  pageNumber: 13,
  appendixLabel: 14,
  /** Tables: the grids of figures and lists, and the denser ones of results and findings. */
  table: 11.5,
  denseTable: 11,
  sampleNotice: 9,
} as const;

/** Body paragraphs: first line indented 1.27 cm, 6 pt after, single line spacing. */
export const INDENT = mm(12.7);
export const AFTER = 120;

/** A thin black line (0.75 pt: `size` is in eighths of a point). */
export const LINE = (style: (typeof BorderStyle)[keyof typeof BorderStyle] = "single") => ({
  style,
  size: 6,
  color: "000000",
  space: 1,
});

const fonts = { ascii: FONT, hAnsi: FONT, eastAsia: FONT, cs: FONT };

/** The paragraph styles (ids): a paragraph names one rather than repeating its formatting. */
export const STYLE = {
  /** Body text: justified, first line indented 1.27 cm, 6 pt after. */
  body: "VanBan",
  /** A centred line with nothing after it (the header block, titles, signatures). */
  line: "DongGiua",
  /** A table's cell: 11.5 pt, nothing after; and the denser tables' (results, findings), 11 pt. */
  cell: "OBang",
  denseCell: "OBangNho",
} as const;

/**
 * Document defaults: Times New Roman for every script, 14 pt, Vietnamese, black, single spacing;
 * and the paragraph styles above (named in Vietnamese, as the clerk sees them in Word).
 */
export const STYLES: IStylesOptions = {
  default: {
    document: {
      run: { font: fonts, size: pt(SIZE.body), color: "000000", language: { value: "vi-VN" } },
      paragraph: { spacing: { before: 0, after: 0, line: 240, lineRule: "auto" } },
    },
  },
  paragraphStyles: [
    {
      id: STYLE.body,
      name: "Văn bản",
      basedOn: "Normal",
      next: STYLE.body,
      quickFormat: true,
      paragraph: { alignment: "both", indent: { firstLine: INDENT }, spacing: { after: AFTER } },
    },
    {
      id: STYLE.line,
      name: "Dòng căn giữa",
      basedOn: "Normal",
      quickFormat: true,
      paragraph: { alignment: "center", spacing: { after: 0 } },
    },
    {
      id: STYLE.cell,
      name: "Ô bảng",
      basedOn: "Normal",
      quickFormat: true,
      paragraph: { alignment: "left", spacing: { after: 0 } },
      run: { size: pt(SIZE.table) },
    },
    {
      id: STYLE.denseCell,
      name: "Ô bảng nhỏ",
      basedOn: STYLE.cell,
      quickFormat: true,
      run: { size: pt(SIZE.denseTable) },
    },
  ],
};

/** The theme's fonts too, so nothing that falls back to the theme shows Calibri. */
export const THEME: IPropertiesOptions["theme"] = { fonts: { headings: FONT, body: FONT } };

const pageNumberHeader = () =>
  new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { after: 0 },
        children: [new TextRun({ children: [PageNumber.CURRENT], size: pt(SIZE.pageNumber) })],
      }),
    ],
  });

/**
 * A section: A4 portrait with the margins above, its page number centred in the top margin from its
 * second page on (a different first page, with an empty header). An appendix is a section of its own,
 * from a new page, numbering its pages from 1 (Decree 30: its own page numbering).
 */
export const section = (
  children: ISectionOptions["children"],
  options: { appendix?: boolean } = {},
): ISectionOptions => ({
  properties: {
    titlePage: true,
    page: {
      size: { width: PAGE.width, height: PAGE.height, orientation: "portrait" },
      margin: { ...PAGE.margin, header: PAGE.header, footer: PAGE.header, gutter: 0 },
      ...(options.appendix ? { pageNumbers: { start: 1 } } : {}),
    },
    ...(options.appendix ? { type: SectionType.NEXT_PAGE } : {}),
  },
  headers: { default: pageNumberHeader(), first: new Header({ children: [new Paragraph({})] }) },
  children,
});
