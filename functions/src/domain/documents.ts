import { type DocumentKind, numberCode, printedKind } from "./document-kinds.js";
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
 * - quyet-dinh (Quyết định công nhận): the competent authority's recognition decision, drafted by
 *   the office ("DỰ THẢO" until its number and date are recorded), with the list of schools;
 * - bien-ban (Biên bản kiểm tra): the minutes of the office's inspection of one school;
 * - to-trinh (Tờ trình): the office's proposal to the authority to recognise the schools found Đạt;
 * - cong-van (Công văn đôn đốc): the office's letter chasing the schools past a deadline, listed;
 * - ke-hoach (Kế hoạch triển khai): the office's plan to the schools (plan-document.ts).
 */
export { DOCUMENT_KINDS, type DocumentKind } from "./document-kinds.js";

/** The header block: issuing bodies on the left, national title and dated place on the right. */
export interface DocumentHeader {
  /** Empty when the issuing body has no parent on its header (an Ủy ban nhân dân). */
  parentBody: string;
  issuingBody: string;
  /** "Số: 05/BC-GDĐT", or "Số:      /BC-GDĐT" left for the clerk to fill in when it is registered. */
  number: string;
  /** "Nhà Bè, ngày 09 tháng 11 năm 2026"; empty for minutes (their date is in the text). */
  placeDate: string;
  /** A draft: "DỰ THẢO" in a box under the number, until the document is issued. */
  draft?: boolean;
  /** Not signed yet: "BẢN CHỜ KÝ" under the number, until Theo dõi's "Số văn bản" is typed. */
  awaitingSignature?: boolean;
  /** A công văn's subject ("V/v …"), printed under its number instead of a title. */
  abstract?: string;
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
  /** The assessment period in words, stated in every document. */
  period: string;
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
  /** The office, named in full: it is the one giving notice. */
  issuer: string;
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
  /** What the inspection team did not confirm, with its reasons (Không đạt). */
  rejected: string[];
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
  /** The commune column's header: "Xã/Thị trấn" (the office profile's). */
  communeHeader: string;
  rows: AppendixRow[];
}

export interface SummaryReportDocument extends DocumentBase {
  kind: "bao-cao";
  to: string;
  /** The commune column's header: "Xã/Thị trấn" (the office profile's), and as it reads in a sentence. */
  communeHeader: string;
  communeInSentence: string;
  /** "Thực hiện Kế hoạch số 3560/KH-SGDĐT …, Phòng … báo cáo … như sau:". */
  opening: string;
  /** I. How the office organised the campaign (the office's words). */
  organisation: string[];
  /** II. The results in sentences (registration in quý I, dossiers, inspection, recognition). */
  results: string[];
  statusLabels: string[];
  byLevel: TallyRow[];
  byCommune: TallyRow[];
  byOwnership: TallyRow[];
  /** Schools that can still supply or correct something, each with what. */
  fixable: string[];
  /** Schools a fact they reported rules out this year, each with the fact. */
  ruledOut: string[];
  /** III and IV, in the office's words. */
  difficulties: string[];
  proposals: string[];
  appendix: Appendix;
}

/** A list of schools in an appendix of a proposal or a decision (no points: the verdict is all or nothing). */
export interface SchoolList {
  label: string;
  title: string;
  reference: string;
  /** The column "Ngày kiểm tra" is printed. */
  dated: boolean;
  /** The commune column's header: "Xã/Thị trấn" (the office profile's). */
  communeHeader: string;
  rows: Array<{ index: number; name: string; level: string; commune: string; date?: string }>;
}

export interface DecisionDocument extends DocumentBase {
  kind: "quyet-dinh";
  /** The authority deciding, upper case: "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN NHÀ BÈ". */
  decider: string;
  bases: string[];
  articles: Array<{ label: string; text: string }>;
  appendix: SchoolList;
}

export interface InspectionRecordDocument extends DocumentBase {
  kind: "bien-ban";
  school: { code: string; name: string; level: string; commune: string };
  /** "Hôm nay, vào lúc 08 giờ 30 phút, ngày 20 tháng 11 năm 2026, tại …". */
  opening: string;
  /** "Đoàn kiểm tra (Đoàn số 1)". */
  teamTitle: string;
  /** Each member as a line: "Nguyễn Văn Thử, Phòng Giáo dục và Đào tạo: Trưởng đoàn". */
  team: string[];
  /** The school's side, with dotted lines for the names to be filled in by hand. */
  schoolSide: string[];
  /** The sentence before the table. */
  method: string;
  criteria: Array<{
    id: string;
    title: string;
    indicators: Array<{
      id: string;
      text: string;
      answer: string;
      finding: string;
      reason: string;
      rejected: boolean;
    }>;
  }>;
  /** "ĐẠT", "KHÔNG ĐẠT", or "CHƯA KẾT LUẬN". */
  verdict: string;
  conclusion: string;
  /** The rejected mandatory indicators, one sentence each, with the team's reason. */
  rejected: string[];
  closing: string;
  /** The school's head signs on the left (name left blank); the team leader on the right (`signature`). */
  schoolSignature: SignatureBlock;
}

export interface ProposalDocument extends DocumentBase {
  kind: "to-trinh";
  to: string;
  bases: string[];
  /** "Phòng … kính trình … như sau:", after the bases. */
  intro: string;
  /** The campaign's figures, as sentences. */
  figures: string[];
  proposals: string[];
  closing: string;
  /** Phụ lục I: the schools proposed for recognition; Phụ lục II (when any): for commendation. */
  appendices: SchoolList[];
}

/** The schools a Công văn đôn đốc chases, in its appendix. */
export interface OverdueList {
  label: string;
  title: string;
  reference: string;
  communeHeader: string;
  rows: Array<{
    index: number;
    name: string;
    level: string;
    commune: string;
    /** What it has not done, a deadline after another ("; "). */
    lacking: string;
    /** Its deadlines, "dd/mm/yyyy", in the same order. */
    due: string;
    daysOver: string;
  }>;
}

export interface ChaseLetterDocument extends DocumentBase {
  kind: "cong-van";
  to: string;
  paragraphs: string[];
  asks: string[];
  closing: string;
  appendix: OverdueList;
}

export interface PlanDocument extends DocumentBase {
  kind: "ke-hoach";
  bases: string[];
  intro: string;
  /** I. Mục đích, yêu cầu (the target last); II. the criteria, the calendar, the forms, the schools' tasks. */
  purposes: string[];
  criteriaIntro: string;
  criteria: Array<{ id: string; title: string; points: string; indicators: PlanIndicator[] }>;
  timeline: Array<{ label: string; when: string }>;
  /** Each form's name and address; without one, its address is sent to the schools by email. */
  forms: Array<{ name: string; url?: string }>;
  tasks: string[];
  /** III. Tổ chức thực hiện: the office, the schools, the police. */
  organisation: Array<{ title: string; paragraphs: string[] }>;
  closing: string;
}
export type PlanIndicator = { id: string; text: string; requirement: string; mandatory: string };

export type OfficialDocument =
  | SchoolResultDocument
  | NoticeDocument
  | SummaryReportDocument
  | DecisionDocument
  | InspectionRecordDocument
  | ProposalDocument
  | ChaseLetterDocument
  | PlanDocument;

/** Leading zero below 10: "09", the way dates and numbers are written on documents. */
export const two = (n: number) => String(n).padStart(2, "0");

/** "Nhà Bè, ngày 09 tháng 11 năm 2026" (days below 10 and months 1-2 with a leading zero). */
export const placeDateLine = (place: string, date: Date, timeZone: string): string => {
  const d = wallClock(date, timeZone);
  const month = d.getUTCMonth() + 1;
  return `${place}, ngày ${two(d.getUTCDate())} tháng ${month <= 2 ? two(month) : month} năm ${d.getUTCFullYear()}`;
};

/** "ngày 20 tháng 11 năm 2026" from a calendar day "2026-11-20" (no time zone: it is a day). */
export const dayInWords = (day: string): string => {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return `ngày ${two(date)} tháng ${month <= 2 ? two(month) : month} năm ${year}`;
};

/** "ngày 02 tháng 12 năm 2026": a date as documents write it in a sentence ("Kèm theo … ngày …"). */
export const dateInWords = (date: Date, timeZone: string): string => {
  const d = wallClock(date, timeZone);
  return dayInWords(`${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`);
};

/** "từ ngày 16 tháng 11 năm 2025 đến ngày 15 tháng 11 năm 2026". */
export const periodInWords = (period: { from: string; to: string }): string =>
  `từ ${dayInWords(period.from)} đến ${dayInWords(period.to)}`;

/** "dd/mm/yyyy" in the given zone. */
export const dateVi = (date: Date, timeZone: string): string => formatDateTimeVi(date, timeZone).slice(0, 10);

/** "Số: 05/BC-GDĐT"; without a number, the space the clerk fills in when registering it. */
export const documentNumber = (kind: DocumentKind, office: OfficeProfile, number?: number): string =>
  numberLine(kind, office.numberPrefix, number === undefined ? undefined : two(number));

/** "Số: 123/QĐ-UBND" for any issuer's prefix; without a number, six spaces for the clerk's hand. */
export const numberLine = (kind: DocumentKind, prefix: string, number?: string): string => {
  const code = numberCode(kind);
  return `Số: ${number ?? "\u00a0".repeat(6)}/${code ? `${code}-` : ""}${prefix}`;
};

export interface DocumentContext {
  office: OfficeProfile;
  schoolYear: string;
  /** The assessment period (kỳ đánh giá) in words: "từ ngày 16 tháng 11 năm 2025 đến ngày 15 tháng 11 năm 2026". */
  period: string;
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
  type: printedKind(kind),
  subject,
  signature: {
    authority: ctx.office.signer.authority,
    ...(ctx.office.signer.title ? { title: ctx.office.signer.title } : {}),
    name: ctx.office.signer.name,
  },
  recipients,
  period: ctx.period,
  ...(ctx.office.sample ? { sampleNotice: "Dữ liệu mẫu, không phải văn bản chính thức." } : {}),
});

/** The office's names as they read in a sentence ("Phòng Giáo dục và Đào tạo huyện Nhà Bè"), from its profile. */
export const issuerName = (office: OfficeProfile): string => {
  // "Phòng Giáo dục và Đào tạo" under "Ủy ban nhân dân huyện Nhà Bè" is named in full in a sentence:
  // "Phòng Giáo dục và Đào tạo huyện Nhà Bè".
  const locality = /^Ủy ban nhân dân (.+)$/iu.exec(office.parentBodyName)?.[1];
  return locality &&
    !office.issuingBodyName.toLocaleLowerCase("vi").endsWith(locality.toLocaleLowerCase("vi"))
    ? `${office.issuingBodyName} ${locality}`
    : office.issuingBodyName;
};
export const parentName = (office: OfficeProfile): string => office.parentBodyName;

/**
 * One kind of quotation marks in an official document: text from the criteria or the office's data
 * typed with straight quotes ("An toàn về an ninh, trật tự") is printed with “ ”, as the rest.
 */
export const withCurlyQuotes = <T>(value: T): T => {
  if (typeof value === "string") return value.replace(/"([^"]*)"/gu, "“$1”") as T;
  if (Array.isArray(value)) return value.map(withCurlyQuotes) as T;
  if (value && typeof value === "object" && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withCurlyQuotes(v)])) as T;
  return value;
};
