import { type SchoolResult, tallyByLevel } from "./campaign-score.js";
import { allIndicators, type CriteriaSet, STAGE_LABELS, STAGES } from "./criteria.js";
import type { Evaluation } from "./evaluate.js";
import { LEVEL_LABELS } from "./levels.js";
import type { OfficeProfile } from "./office.js";
import { VERDICT_LABELS } from "./review.js";
import { compareSchools } from "./school.js";
import type { SchoolState } from "./school-state.js";
import {
  INDICATOR_STATUS_LABELS,
  SCHOOL_STATUS_LABELS,
  SCHOOL_STATUSES,
  type SchoolStatus,
} from "./status.js";
import { compareVi, formatNumberVi } from "./text.js";
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
  verdict?: string;
  missing: string[];
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
const two = (n: number) => String(n).padStart(2, "0");

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
  /** The date printed on the document. */
  date: Date;
  timeZone: string;
  /** A registered number, when the office has one for this document. */
  number?: number;
}

const base = (
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

const MOVEMENT = "trường học điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc";

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

/** The indicator's subject as a table entry: "Nghị quyết của chi bộ về …". */
const subjectOf = (set: CriteriaSet, id: string, fallback: string): string => {
  const subject = allIndicators(set).find((x) => x.indicator.id === id)?.indicator.subject;
  return subject ? subject.charAt(0).toLocaleUpperCase("vi") + subject.slice(1) : fallback;
};
const points = (n: number) => formatNumberVi(Math.round(n * 100) / 100);

/** Kết quả đánh giá: a school's evaluation, criterion by criterion. */
export const schoolResultDocument = (
  ctx: DocumentContext,
  result: SchoolResult & { review?: SchoolState["review"] },
  set: CriteriaSet,
): SchoolResultDocument => {
  const { school, evaluation, status } = result;
  const submitted = evaluationSubmitted(evaluation);
  return {
    ...base("ket-qua", ctx, "KẾT QUẢ ĐÁNH GIÁ", `${upperFirst(MOVEMENT)} năm học ${ctx.schoolYear}`, [
      `${school.name} (để biết và thực hiện);`,
      `Lưu: VT, ${ctx.office.numberPrefix}.`,
    ]),
    kind: "ket-qua",
    school: {
      code: school.code,
      name: school.name,
      level: LEVEL_LABELS[school.level],
      commune: school.commune,
    },
    criteriaSet: `${set.title} (phiên bản ${evaluation.criteriaVersion})`,
    submitted,
    criteria: evaluation.criteria.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status === "met" ? "Đạt" : c.status === "not-met" ? "Chưa đạt" : "Không áp dụng",
      met: c.status !== "not-met",
      points: points(c.points),
      maxPoints: points(c.maxPoints),
      indicators: c.indicators.map((i) => ({
        id: i.id,
        // The subject, not the whole question: the table stays short enough to read at a glance.
        text: subjectOf(set, i.id, i.text),
        answer: i.seen ?? "(chưa khai báo)",
        requirement: requirementInWords(i.requirement),
        status: INDICATOR_STATUS_LABELS[i.status],
        met: i.status === "met" || i.status === "not-applicable",
        points: points(i.points),
        ...(i.message ? { message: i.message } : {}),
      })),
    })),
    points: points(evaluation.points),
    maxPoints: points(evaluation.maxPoints),
    status: SCHOOL_STATUS_LABELS[status],
    statusKey: status,
    ...(result.review && result.review.verdict !== "chua-kiem-tra"
      ? { verdict: VERDICT_LABELS[result.review.verdict] }
      : {}),
    missing: [...result.quarantineReasons, ...evaluation.missing.map((m) => m.message)],
    conclusion: conclusionFor(status, school.name),
  };
};

const conclusionFor = (status: SchoolStatus, name: string): string => {
  switch (status) {
    case "dien-hinh":
      return `${name} đạt đủ các tiêu chí bắt buộc và được đề nghị công nhận ${MOVEMENT}.`;
    case "chua-dat":
      return `${name} chưa đạt các tiêu chí bắt buộc nêu trên; đề nghị đơn vị khắc phục và báo cáo lại.`;
    case "can-bo-sung":
      return `Hồ sơ của ${name} cần được bổ sung, điều chỉnh theo các nội dung nêu trên.`;
    case "chua-nop":
      return `${name} chưa nộp hồ sơ đề nghị công nhận.`;
  }
};

const upperFirst = (s: string): string => s.charAt(0).toLocaleUpperCase("vi") + s.slice(1);

const evaluationSubmitted = (evaluation: Evaluation): string =>
  STAGES.filter((s) => evaluation.submitted.includes(s))
    .map((s) => STAGE_LABELS[s])
    .join("; ") || "Chưa nộp";

/** Thông báo cần bổ sung: for a school whose response was quarantined or whose result is Chưa đạt. */
export const noticeDocument = (
  ctx: DocumentContext,
  result: SchoolResult,
  options: { deadline: Date; formUrl?: string },
): NoticeDocument => ({
  ...base(
    "thong-bao",
    ctx,
    "THÔNG BÁO",
    `Về việc bổ sung hồ sơ đề nghị công nhận ${MOVEMENT} năm học ${ctx.schoolYear}`,
    [`Như trên;`, `Lưu: VT, ${ctx.office.numberPrefix}.`],
  ),
  kind: "thong-bao",
  to: result.school.name,
  school: { code: result.school.code, name: result.school.name },
  status: SCHOOL_STATUS_LABELS[result.status],
  reasons: [...result.quarantineReasons, ...result.evaluation.missing.map((m) => m.message)],
  deadline: dateVi(options.deadline, ctx.timeZone),
  ...(options.formUrl ? { formUrl: options.formUrl } : {}),
});

const tallyRows = (
  groups: Array<{ label: string; results: readonly SchoolResult[]; total?: boolean }>,
): TallyRow[] =>
  groups.map(({ label, results, total }) => {
    const counts = SCHOOL_STATUSES.map((s) => results.filter((r) => r.status === s).length);
    const recognised = results.filter((r) => r.status === "dien-hinh").length;
    const submitted = results.filter((r) => r.evaluation.submitted.includes("dossier")).length;
    return {
      label,
      schools: formatNumberVi(results.length),
      submitted: formatNumberVi(submitted),
      counts: counts.map(formatNumberVi),
      recognised:
        results.length === 0
          ? "0%"
          : `${formatNumberVi(Math.round((recognised * 1000) / results.length) / 10)}%`,
      remaining: formatNumberVi(results.length - recognised),
      ...(total ? { total } : {}),
    };
  });

const appendixRows = (results: readonly SchoolResult[]): AppendixRow[] =>
  [...results]
    .sort((a, b) => compareSchools(a.school, b.school))
    .map((r, i) => ({
      index: i + 1,
      code: r.school.code,
      name: r.school.name,
      level: LEVEL_LABELS[r.school.level],
      commune: r.school.commune,
      points: points(r.evaluation.points),
      status: SCHOOL_STATUS_LABELS[r.status],
    }));

/** Báo cáo: the office's report to the city Department, with every school in an appendix. */
export const summaryReportDocument = (
  ctx: DocumentContext,
  results: readonly SchoolResult[],
  criteriaSetTitle: string,
): SummaryReportDocument => {
  const doc = base(
    "bao-cao",
    ctx,
    "BÁO CÁO",
    `Kết quả xây dựng, công nhận ${MOVEMENT} năm học ${ctx.schoolYear}`,
    ["Như trên;", `${parentName(ctx.office)} (để báo cáo);`, `Lưu: VT, ${ctx.office.numberPrefix}.`],
  );
  const total = results.length;
  const recognised = results.filter((r) => r.status === "dien-hinh").length;
  const submitted = results.filter((r) => r.evaluation.submitted.includes("dossier")).length;
  const percent = total === 0 ? 0 : Math.round((recognised * 1000) / total) / 10;
  const tallies = tallyByLevel(results);
  const communes = [...new Set(results.map((r) => r.school.commune))].sort(compareVi);
  return {
    ...doc,
    kind: "bao-cao",
    to: ctx.office.superiorBody,
    paragraphs: [
      `Thực hiện ${criteriaSetTitle.charAt(0).toLocaleLowerCase("vi")}${criteriaSetTitle.slice(1)}, ${issuerName(ctx.office)} báo cáo kết quả xây dựng, công nhận ${MOVEMENT} năm học ${ctx.schoolYear} như sau:`,
      `Toàn đơn vị có ${formatNumberVi(total)} trường; ${formatNumberVi(submitted)} trường đã nộp hồ sơ đề nghị công nhận. Qua kiểm tra, đối chiếu bộ tiêu chí, ${formatNumberVi(recognised)} trường đạt ${MOVEMENT}, đạt tỷ lệ ${formatNumberVi(percent)}% so với chỉ tiêu 100%; còn ${formatNumberVi(total - recognised)} trường chưa được công nhận.`,
    ],
    statusLabels: SCHOOL_STATUSES.map((s) => SCHOOL_STATUS_LABELS[s]),
    byLevel: tallyRows([
      ...tallies
        .filter((t) => t.group !== "all")
        .map((t) => ({ label: t.label, results: results.filter((r) => r.school.level === t.group) })),
      { label: "Toàn đơn vị", results, total: true },
    ]),
    byCommune: tallyRows(
      communes.map((c) => ({ label: c, results: results.filter((r) => r.school.commune === c) })),
    ),
    conclusion: [
      recognised === total
        ? `Toàn bộ ${formatNumberVi(total)} trường đã được công nhận; đơn vị hoàn thành chỉ tiêu 100%.`
        : `Để hoàn thành chỉ tiêu 100%, đơn vị tiếp tục hướng dẫn ${formatNumberVi(total - recognised)} trường còn lại khắc phục các tiêu chí chưa đạt và bổ sung hồ sơ.`,
    ],
    appendix: {
      label: "Phụ lục",
      title: `DANH SÁCH KẾT QUẢ ĐÁNH GIÁ CÁC TRƯỜNG NĂM HỌC ${ctx.schoolYear}`,
      reference: `(Kèm theo Báo cáo ${doc.header.number.replace("Số: ", "số ")} ngày ${dateVi(ctx.date, ctx.timeZone)} của ${issuerName(ctx.office)})`,
      rows: appendixRows(results),
    },
  };
};

/** Quyết định công nhận: legal bases, articles, and the list of schools recognised. */
export const decisionDocument = (
  ctx: DocumentContext,
  results: readonly SchoolResult[],
  legalBasis: readonly string[],
): DecisionDocument => {
  const recognised = results.filter((r) => r.status === "dien-hinh");
  const doc = base(
    "quyet-dinh",
    ctx,
    "QUYẾT ĐỊNH",
    `Về việc công nhận ${MOVEMENT} năm học ${ctx.schoolYear}`,
    ["Như Điều 3;", `Lưu: VT, ${ctx.office.numberPrefix}.`],
  );
  const issuer = issuerName(ctx.office);
  // "TRƯỞNG PHÒNG" + "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" → "TRƯỞNG PHÒNG GIÁO DỤC VÀ ĐÀO TẠO".
  const authority = ctx.office.signer.authority.replace(/^(KT\.|TL\.|TUQ\.|Q\.)\s*/u, "");
  const lastWord = authority.split(" ").at(-1) ?? "";
  const body = ctx.office.issuingBody;
  const decider = body.toLocaleUpperCase("vi").startsWith(`${lastWord.toLocaleUpperCase("vi")} `)
    ? `${authority.slice(0, -lastWord.length)}${body}`
    : `${authority} ${body}`;
  return {
    ...doc,
    kind: "quyet-dinh",
    decider: decider.toLocaleUpperCase("vi"),
    bases: [
      ...legalBasis.map((b) => `Căn cứ ${b};`),
      `Xét kết quả kiểm tra, đánh giá hồ sơ đề nghị công nhận của các trường.`,
    ],
    articles: [
      {
        label: "Điều 1.",
        text: `Công nhận ${formatNumberVi(recognised.length)} trường đạt danh hiệu “Trường học điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc” năm học ${ctx.schoolYear} (danh sách kèm theo).`,
      },
      { label: "Điều 2.", text: "Quyết định này có hiệu lực kể từ ngày ký." },
      {
        label: "Điều 3.",
        text: `Bộ phận Văn phòng ${issuer}, Hiệu trưởng các trường có tên tại Điều 1 và các cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.`,
      },
    ],
    appendix: {
      label: "Phụ lục",
      title: `DANH SÁCH TRƯỜNG HỌC ĐIỂN HÌNH VỀ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM HỌC ${ctx.schoolYear}`,
      reference: `(Kèm theo Quyết định ${doc.header.number.replace("Số: ", "số ")} ngày ${dateVi(ctx.date, ctx.timeZone)} của ${issuer})`,
      rows: appendixRows(recognised),
    },
  };
};

/**
 * What an email says, for its templates (templates/email/{kind}.subject.hbs, .html.hbs, .txt.hbs):
 * `ket-qua` to a school (its result, and the notice when it must fix something), `bao-cao` to the
 * office and the Department (the summary report, the decision and the workbook).
 */
export interface EmailView {
  kind: "ket-qua" | "bao-cao";
  /** Who writes: "Phòng Giáo dục và Đào tạo" (as it reads mid-sentence) and its parent body. */
  office: { issuingBody: string; parentBody: string; email: string; place: string };
  schoolYear: string;
  /** Who it is addressed to ("Kính gửi: …"). */
  to: string;
  /** The school, for ket-qua. */
  school?: { code: string; name: string };
  /** Whether the school is recognised (Điển hình): the templates congratulate it. */
  recognised?: boolean;
  status?: string;
  points?: string;
  maxPoints?: string;
  /** What to fix, for a school that must. */
  missing?: string[];
  /** "dd/mm/yyyy", when the school must send again. */
  deadline?: string;
  formUrl?: string;
  /** For bao-cao: the headline figures. */
  figures?: { schools: string; recognised: string; percent: string; remaining: string };
  /** File names of the attachments, as listed in the body. */
  attachments: string[];
  sample: boolean;
}
