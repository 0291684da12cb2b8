import {
  AlignmentType,
  type IParagraphOptions,
  NoBreakHyphen,
  Paragraph,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { DocumentBase, SignatureBlock } from "../../domain/documents.js";
import { LINE, mm, pt, SIZE, STYLE, TEXT_WIDTH } from "./layout.js";
import { cached, SharedCell, SharedParagraph, SharedTable } from "./shared.js";

/**
 * The parts every document shares, as Word paragraphs and tables (the partials of templates/):
 * the header block, the title block, the signature block with "Nơi nhận:", the sample notice, and
 * the paragraphs of a body (justified, first line indented, 6 pt after).
 */

/**
 * A piece of a line: plain text, or text in bold or italics; `code` never breaks at its hyphens;
 * `newLine` starts a new line within the paragraph.
 */
export type Inline =
  | string
  | { text: string; bold?: boolean; italics?: boolean; code?: boolean; newLine?: boolean };

export interface RunStyle {
  size?: number;
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
}

const upper = (text: string) => text.toLocaleUpperCase("vi");

/** "T-TH1" with Word's non-breaking hyphens, so a school's code stays on one line. */
const codeChildren = (code: string) =>
  code.split("-").flatMap((part, i) => (i === 0 ? [part] : [new NoBreakHyphen(), part]));

export const runs = (parts: readonly Inline[], style: RunStyle = {}): TextRun[] =>
  parts.map((part) => {
    const p = typeof part === "string" ? { text: part } : part;
    return new TextRun({
      ...(p.code ? { children: codeChildren(p.text) } : { text: p.text }),
      ...(p.newLine ? { break: 1 } : {}),
      ...(style.size ? { size: pt(style.size) } : {}),
      ...(style.bold || p.bold ? { bold: true } : {}),
      ...(style.italics || p.italics ? { italics: true } : {}),
      ...(style.underline ? { underline: { type: "single" } } : {}),
    });
  });

type ParagraphOptions = Omit<IParagraphOptions, "children">;

const lineOptions = (
  parts: Inline | readonly Inline[],
  style: RunStyle,
  options: ParagraphOptions,
): IParagraphOptions => ({
  style: STYLE.line,
  ...options,
  children: runs(Array.isArray(parts) ? parts : [parts as Inline], style),
});

/** A line of one style: centred unless told otherwise, nothing after it. */
export const line = (
  parts: Inline | readonly Inline[],
  style: RunStyle = {},
  options: ParagraphOptions = {},
) => new Paragraph(lineOptions(parts, style, options));

const bodyOptions = (
  parts: Inline | readonly Inline[],
  options: ParagraphOptions & RunStyle,
): IParagraphOptions => {
  const { size, bold, italics, ...rest } = options;
  return {
    style: STYLE.body,
    ...rest,
    children: runs(Array.isArray(parts) ? parts : [parts as Inline], {
      ...(size ? { size } : {}),
      ...(bold ? { bold } : {}),
      ...(italics ? { italics } : {}),
    }),
  };
};

/** A body paragraph: justified, its first line indented 1.27 cm, 6 pt after (the style's). */
export const body = (parts: Inline | readonly Inline[], options: ParagraphOptions & RunStyle = {}) =>
  new Paragraph(bodyOptions(parts, options));

/**
 * The paragraphs that many documents have alike (a school's documents share their title, their
 * labels, the items they list, the sample notice), made once by what makes them (shared.ts).
 */
const PARAGRAPHS = new Map<string, SharedParagraph>();
const sharedParagraph = (key: readonly unknown[], options: () => IParagraphOptions) =>
  cached(PARAGRAPHS, JSON.stringify(key), () => new SharedParagraph(options()), 1000);

/** `line`, made once for the documents that have it. */
export const sharedLine = (
  parts: Inline | readonly Inline[],
  style: RunStyle = {},
  options: ParagraphOptions = {},
) => sharedParagraph(["line", parts, style, options], () => lineOptions(parts, style, options));

/** `body`, made once for the documents that have it. */
export const sharedBody = (parts: Inline | readonly Inline[], options: ParagraphOptions & RunStyle = {}) =>
  sharedParagraph(["body", parts, options], () => bodyOptions(parts, options));

/** "Kính gửi: …", centred. */
export const addressee = (to: string) =>
  body(`Kính gửi: ${to}`, {
    alignment: AlignmentType.CENTER,
    indent: { firstLine: 0 },
    spacing: { before: 120, after: 200 },
  });

/** A section's heading ("I. KẾT QUẢ THEO CẤP HỌC"), bold, kept with what follows. */
export const heading = (text: string) =>
  body(text, {
    bold: true,
    alignment: AlignmentType.LEFT,
    keepNext: true,
    spacing: { before: 240 },
  });

/** A bold line introducing a list or a table ("Nội dung cần khắc phục:"), a little apart from what precedes it. */
export const label = (text: string) =>
  sharedBody(text, { bold: true, keepNext: true, spacing: { before: 120 } });

/** "1. …", "2. …", each a body paragraph (typed numbers: the clerk edits them as text). */
export const numbered = (items: readonly string[]) => items.map((item, i) => sharedBody(`${i + 1}. ${item}`));

/** "- …", each a body paragraph; lines to fill in by hand are not stretched. */
export const dashed = (items: readonly string[], options: { fillIn?: boolean } = {}) =>
  items.map((item) => body(`- ${item}`, options.fillIn ? { alignment: AlignmentType.LEFT } : {}));

/** A line to write on: a dotted rule across the text width. */
export const dottedLine = () =>
  new Paragraph({
    spacing: { before: 240, after: 0 },
    // "between" too: consecutive lines with the same border would otherwise be one box, ruled once.
    border: { bottom: LINE("dotted"), between: LINE("dotted") },
    children: [],
  });

/** A short centred rule, `share` of `width` long (under the issuing body, the subject). */
const rule = (width: number, share: number, after = 0) => {
  const side = Math.round((width * (1 - share)) / 2);
  return sharedParagraph(["rule", side, after], () => ({
    indent: { left: side, right: side },
    spacing: { before: 0, after, line: 120, lineRule: "exact" },
    border: { bottom: LINE() },
    children: [new TextRun({ text: "", size: 2 })],
  }));
};

/** A table with no borders, of fixed column widths (the header and signature blocks; shared.ts). */
export const layoutTable = (widths: readonly number[], rows: readonly TableCell[][], cantSplit?: true) =>
  new SharedTable({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [...widths],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    rows: rows.map((cells) => new TableRow({ ...(cantSplit ? { cantSplit } : {}), children: cells })),
  });

export const layoutCell = (width: number, children: Paragraph[]) =>
  new TableCell({
    width: { size: width, type: WidthType.DXA },
    children: children.length ? children : [new Paragraph({})],
  });

/**
 * A name too long for its column split at the space nearest its middle, so its two lines are of a
 * length ("ỦY BAN NHÂN DÂN / HUYỆN NHÀ BÈ"), as the PDF balances them; `fits`: the characters a
 * line of the column holds.
 */
const balanced = (text: string, fits: number): Inline[] => {
  if (text.length <= fits) return [text];
  const spaces = [...text.matchAll(/ /gu)].map((m) => m.index);
  const at = spaces.reduce(
    (best, i) => (Math.abs(i - text.length / 2) < Math.abs(best - text.length / 2) ? i : best),
    -1,
  );
  return at < 0 ? [text] : [text.slice(0, at), { text: text.slice(at + 1), newLine: true }];
};

/** The header block's columns: the issuing bodies; the national title (12.5 pt bold: 92 mm, on one line). */
const LEFT = mm(71);
const RIGHT = TEXT_WIDTH - LEFT;

/** "DỰ THẢO" (or "BẢN CHỜ KÝ") in a box under the number, as drafts are marked in administration. */
const draftMark = (text = "DỰ THẢO") => {
  const side = Math.round((LEFT - mm(text.length > 8 ? 40 : 30)) / 2);
  const edge = { ...LINE(), size: 8, space: 2 };
  return line(
    text,
    { size: SIZE.number, bold: true },
    {
      indent: { left: side, right: side },
      spacing: { before: 160, after: 0 },
      border: { top: edge, bottom: edge, left: edge, right: edge },
    },
  );
};

/**
 * Header block (partials/header.hbs): issuing bodies and number on the left, national title, motto
 * and dated place on the right, as a borderless table of two rows so the number and the date line up.
 * Made once for the documents of the same header (shared.ts).
 */
const HEADERS = new Map<string, SharedTable>();
export const headerBlock = (doc: DocumentBase) =>
  cached(HEADERS, JSON.stringify(doc.header), () => newHeaderBlock(doc.header), 100);

const newHeaderBlock = (header: DocumentBase["header"]) => {
  const bodies = [
    ...(header.parentBody ? [line(balanced(upper(header.parentBody), 26), { size: SIZE.header })] : []),
    line(balanced(upper(header.issuingBody), 25), { size: SIZE.header, bold: true }),
    rule(LEFT, 0.33),
  ];
  const title = [
    line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { size: SIZE.nationalTitle, bold: true }),
    line("Độc lập - Tự do - Hạnh phúc", { size: SIZE.motto, bold: true, underline: true }),
  ];
  const number = [
    line(header.number, { size: SIZE.number }, { spacing: { before: 160, after: 0 } }),
    ...(header.draft ? [draftMark()] : []),
    ...(header.awaitingSignature ? [draftMark("BẢN CHỜ KÝ")] : []),
    // A công văn's subject ("V/v …") under its number, in place of a title.
    ...(header.abstract
      ? [line(header.abstract, { size: SIZE.abstract }, { spacing: { before: 60, after: 0 } })]
      : []),
  ];
  const dated = header.placeDate
    ? [
        line(
          header.placeDate,
          { size: SIZE.placeDate, italics: true },
          { spacing: { before: 160, after: 0 } },
        ),
      ]
    : [];
  return layoutTable(
    [LEFT, RIGHT],
    [
      [layoutCell(LEFT, bodies), layoutCell(RIGHT, title)],
      [layoutCell(LEFT, number), layoutCell(RIGHT, dated)],
    ],
  );
};

/** The document's kind and subject, centred, a short rule under the subject. */
export const titleBlock = (doc: DocumentBase) => [
  sharedLine(
    upper(doc.type),
    { size: SIZE.kind, bold: true },
    { spacing: { before: 400, after: 0 }, keepNext: true },
  ),
  sharedLine(
    doc.subject,
    { size: SIZE.subject, bold: true },
    { indent: { left: mm(5), right: mm(5) }, keepNext: true },
  ),
  rule(TEXT_WIDTH, 0.3, 240),
];

/** The signer's side: authority and title upper case, space to sign, the name. */
const signer = (signature: SignatureBlock, note?: string, blankTitle = false) => {
  const bold = { size: SIZE.signature, bold: true };
  return [
    line(upper(signature.authority), bold, { keepNext: true }),
    ...(signature.title ? [line(upper(signature.title), bold, { keepNext: true })] : []),
    ...(!signature.title && blankTitle ? [line("", bold, { keepNext: true })] : []),
    ...(note ? [line(note, { size: SIZE.signerNote, italics: true }, { keepNext: true })] : []),
    line(signature.name, bold, { spacing: { before: mm(25), after: 0 } }),
  ];
};

/** "Nơi nhận:" and its lines, each "- …", the last "- Lưu: VT, …". */
const recipientsOf = (recipients: readonly string[]) => [
  line(
    "Nơi nhận:",
    { size: SIZE.recipientsTitle, bold: true, italics: true },
    { alignment: AlignmentType.LEFT },
  ),
  ...recipients.map((r) => line(`- ${r}`, { size: SIZE.recipient }, { alignment: AlignmentType.LEFT })),
];

const SIGN_LEFT = Math.round(TEXT_WIDTH * 0.45);

/** The signer's side, made once for the documents of the same signer (shared.ts). */
const SIGNERS = new Map<string, SharedCell>();
const signerCell = (signature: SignatureBlock, width: number) =>
  cached(
    SIGNERS,
    JSON.stringify([signature, width]),
    () => new SharedCell({ width: { size: width, type: WidthType.DXA }, children: signer(signature) }),
    100,
  );

/** Signature block (partials/signature.hbs): "Nơi nhận:" on the left, the signer on the right. */
export const signatureBlock = (doc: DocumentBase) => [
  sharedParagraph(["spacer"], () => ({ spacing: { before: 0, after: 280 }, keepNext: true, children: [] })),
  layoutTable(
    [SIGN_LEFT, TEXT_WIDTH - SIGN_LEFT],
    [
      [
        layoutCell(SIGN_LEFT, recipientsOf(doc.recipients)),
        signerCell(doc.signature, TEXT_WIDTH - SIGN_LEFT),
      ],
    ],
    true,
  ),
  ...sampleNotice(doc),
];

/** Minutes: the school's head signs on the left, the team leader on the right; no "Nơi nhận:". */
export const twoSignatures = (left: SignatureBlock, right: SignatureBlock, notes: [string, string]) => {
  const half = Math.round(TEXT_WIDTH / 2);
  return layoutTable(
    [half, TEXT_WIDTH - half],
    [
      [
        layoutCell(half, signer(left, notes[0], true)),
        layoutCell(TEXT_WIDTH - half, signer(right, notes[1], true)),
      ],
    ],
    true,
  );
};

/** "Dữ liệu mẫu, không phải văn bản chính thức.", small at the foot, for sample data. */
export const sampleNotice = (doc: DocumentBase) =>
  doc.sampleNotice
    ? [
        sharedLine(
          doc.sampleNotice,
          { size: SIZE.sampleNotice, italics: true },
          {
            alignment: AlignmentType.LEFT,
            spacing: { before: 240, after: 0 },
          },
        ),
      ]
    : [];
