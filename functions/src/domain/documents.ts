import type { OfficeProfile } from "./office.js";
import type { SchoolStatus } from "./status.js";
import { formatDateTimeVi, wallClock } from "./time.js";

/**
 * What each official document says, as plain data for its template (Decree 30/2020/NĐ-CP layout,
 * see templates/). Pure: the date, the numbers and every name come in; nothing is read here.
 *
 * Documents:
 * - ket-qua (Kết quả đánh giá): a school's evaluation, criterion by criterion;
 * - thong-bao (Thông báo cần bổ sung): what a school must fix, and by when;
 * - bao-cao (Báo cáo): the office's report to the city Department, with an appendix of schools;
 * - quyet-dinh (Quyết định công nhận): the recognition decision, with the list of schools.
 */
export const DOCUMENT_KINDS = ["ket-qua", "thong-bao", "bao-cao", "quyet-dinh"] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Abbreviations in document numbers: "Số: 05/BC-GDĐT". */
const NUMBER_CODES: Record<DocumentKind, string> = {
  "ket-qua": "KQ",
  "thong-bao": "TB",
  "bao-cao": "BC",
  "quyet-dinh": "QĐ",
};

/** The header block: issuing bodies on the left, national title and dated place on the right. */
export interface DocumentHeader {
  parentBody: string;
  issuingBody: string;
  /** "Số: 05/BC-GDĐT", or "Số:      /BC-GDĐT" left for the clerk to fill in when it is registered. */
  number: string;
  /** "Nhà Bè, ngày 09 tháng 11 năm 2026". */
  placeDate: string;
}

export interface SignatureBlock {
  /** "TRƯỞNG PHÒNG", or "KT. TRƯỞNG PHÒNG" with the deputy's own title under it. */
  authority: string;
  title?: string;
  name: string;
}

/** The common parts of every document. */
export interface DocumentBase {
  kind: DocumentKind;
  header: DocumentHeader;
  /** BÁO CÁO, QUYẾT ĐỊNH, THÔNG BÁO, KẾT QUẢ ĐÁNH GIÁ. */
  type: string;
  subject: string;
  signature: SignatureBlock;
  /** "Nơi nhận:" lines, each printed after "- ", the last "Lưu: VT, ...". */
  recipients: string[];
  /** Printed small at the foot of the first page for sample data, so nothing official is mistaken. */
  sampleNotice?: string;
}

export interface IndicatorLine {
  id: string;
  text: string;
  answer: string;
  requirement: string;
  status: string;
  met: boolean;
  points: string;
  message?: string;
}

export interface CriterionBlock {
  id: string;
  title: string;
  status: string;
  met: boolean;
  points: string;
  maxPoints: string;
  indicators: IndicatorLine[];
}

export interface SchoolResultDocument extends DocumentBase {
  kind: "ket-qua";
  school: { code: string; name: string; level: string; commune: string };
  criteriaSet: string;
  submitted: string;
  criteria: CriterionBlock[];
  points: string;
  maxPoints: string;
  status: string;
  statusKey: SchoolStatus;
  /** What the school can still supply or correct. */
  missing: string[];
  /** Facts of the period it reported that rule it out: stated, not asked for. */
  facts: string[];
  conclusion: string;
}

export interface NoticeDocument extends DocumentBase {
  kind: "thong-bao";
  to: string;
  school: { code: string; name: string };
  status: string;
  reasons: string[];
  deadline: string;
  formUrl?: string;
}

export interface TallyRow {
  label: string;
  schools: string;
  submitted: string;
  counts: string[];
  recognised: string;
  remaining: string;
  total?: boolean;
}

export interface AppendixRow {
  index: number;
  code: string;
  name: string;
  level: string;
  commune: string;
  points: string;
  status: string;
}

export interface Appendix {
  /** "Phụ lục" (or "Phụ lục I" when there are several). */
  label: string;
  title: string;
  /** "(Kèm theo Báo cáo số ... ngày ... của ...)". */
  reference: string;
  rows: AppendixRow[];
}

export interface SummaryReportDocument extends DocumentBase {
  kind: "bao-cao";
  to: string;
  paragraphs: string[];
  statusLabels: string[];
  byLevel: TallyRow[];
  byCommune: TallyRow[];
  conclusion: string[];
  appendix: Appendix;
}

export interface DecisionDocument extends DocumentBase {
  kind: "quyet-dinh";
  /** The authority deciding, upper case: "TRƯỞNG PHÒNG GIÁO DỤC VÀ ĐÀO TẠO". */
  decider: string;
  bases: string[];
  articles: Array<{ label: string; text: string }>;
  appendix: Appendix;
}

export type OfficialDocument =
  | SchoolResultDocument
  | NoticeDocument
  | SummaryReportDocument
  | DecisionDocument;

/** Leading zero below 10: "09", the way dates and numbers are written on documents. */
export const two = (n: number) => String(n).padStart(2, "0");

/** "Nhà Bè, ngày 09 tháng 11 năm 2026" (days below 10 and months 1-2 with a leading zero). */
export const placeDateLine = (place: string, date: Date, timeZone: string): string => {
  const d = wallClock(date, timeZone);
  const month = d.getUTCMonth() + 1;
  return `${place}, ngày ${two(d.getUTCDate())} tháng ${month <= 2 ? two(month) : month} năm ${d.getUTCFullYear()}`;
};

/** "dd/mm/yyyy" in the given zone. */
export const dateVi = (date: Date, timeZone: string): string => formatDateTimeVi(date, timeZone).slice(0, 10);

/** "Số: 05/BC-GDĐT"; without a number, the space the clerk fills in when registering it. */
export const documentNumber = (kind: DocumentKind, office: OfficeProfile, number?: number): string =>
  `Số: ${number === undefined ? "\u00a0".repeat(6) : two(number)}/${NUMBER_CODES[kind]}-${office.numberPrefix}`;

export interface DocumentContext {
  office: OfficeProfile;
  schoolYear: string;
  /** The title schools are recognised with, mid-sentence (the criteria set's `award`). */
  award: string;
  /** The date printed on the document. */
  date: Date;
  timeZone: string;
  /** A registered number, when the office has one for this document. */
  number?: number;
}

export const base = (
  kind: DocumentKind,
  ctx: DocumentContext,
  type: string,
  subject: string,
  recipients: string[],
): DocumentBase => ({
  kind,
  header: {
    parentBody: ctx.office.parentBody.toLocaleUpperCase("vi"),
    issuingBody: ctx.office.issuingBody.toLocaleUpperCase("vi"),
    number: documentNumber(kind, ctx.office, ctx.number),
    placeDate: placeDateLine(ctx.office.place, ctx.date, ctx.timeZone),
  },
  type,
  subject,
  signature: {
    authority: ctx.office.signer.authority,
    ...(ctx.office.signer.title ? { title: ctx.office.signer.title } : {}),
    name: ctx.office.signer.name,
  },
  recipients,
  ...(ctx.office.sample ? { sampleNotice: "Dữ liệu mẫu, không phải văn bản chính thức." } : {}),
});

/** The office's names as they read in a sentence ("Phòng Giáo dục và Đào tạo"), from its profile. */
export const issuerName = (office: OfficeProfile): string => office.issuingBodyName;
export const parentName = (office: OfficeProfile): string => office.parentBodyName;

/** "≥ 100%" as words, for documents (Tinos has no ≥ or ≤): "Từ 100% trở lên". */
export const requirementInWords = (requirement: string): string => {
  const match = /^(≥|≤|>|<|=) (.+)$/u.exec(requirement);
  if (!match) return requirement;
  const value = match[2] as string;
  switch (match[1]) {
    case "≥":
      return `Từ ${value} trở lên`;
    case "≤":
      return `Không quá ${value}`;
    case ">":
      return `Trên ${value}`;
    case "<":
      return `Dưới ${value}`;
    default:
      return `Bằng ${value}`;
  }
};
