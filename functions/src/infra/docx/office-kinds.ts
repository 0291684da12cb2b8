import { AlignmentType, type FileChild } from "docx";
import type {
  ChaseLetterDocument,
  DecisionDocument,
  PlanDocument,
  ProposalDocument,
  SummaryReportDocument,
  TallyRow,
} from "../../domain/documents.js";
import { addressee, body, dashed, heading, label, line, numbered } from "./blocks.js";
import { type GridRow, grid } from "./tables.js";

/**
 * The bodies of the office's documents (templates/bao-cao.hbs, quyet-dinh.hbs, to-trinh.hbs): what
 * comes between the title block and the signature block, in the same order and words. Their
 * appendices are sections of their own (see index.ts).
 */

/**
 * A tally by level, commune or ownership: schools, submitted, a column per status, recognised,
 * remaining. A dozen columns on a portrait page: the smaller type, each figure's column just wide
 * enough for the longest word of its header ("Không", 11 pt bold).
 */
const tally = (first: string, statusLabels: readonly string[], rows: readonly TallyRow[]) =>
  grid(
    [
      { header: first, width: 24 },
      ...["Số trường", "Đã nộp", ...statusLabels, "Tỷ lệ được công nhận", "Còn lại"].map((header) => ({
        header,
        width: 12.8,
      })),
    ],
    rows.map(
      (r): GridRow => ({
        ...(r.total ? { bold: true } : {}),
        cells: [
          r.label,
          { text: r.schools, align: "right" },
          { text: r.submitted, align: "right" },
          ...r.counts.map((c) => ({ text: c, align: "right" as const })),
          { text: r.recognised, align: "right" },
          { text: r.remaining, align: "right" },
        ],
      }),
    ),
    { dense: true, narrow: true },
  );

/** A numbered list of schools, or "Không có." */
const schoolsOrNone = (items: readonly string[]) => (items.length ? numbered(items) : [body("Không có.")]);

/** Báo cáo: the office's report to the city Department. */
export const summaryReportBody = (doc: SummaryReportDocument): FileChild[] => [
  addressee(doc.to),
  body(doc.opening),
  heading("I. CÔNG TÁC TRIỂN KHAI, TỔ CHỨC THỰC HIỆN"),
  ...doc.organisation.map((p) => body(p)),
  heading("II. KẾT QUẢ THỰC HIỆN"),
  ...doc.results.map((p) => body(p)),
  label("1. Kết quả theo cấp học"),
  tally("Cấp học", doc.statusLabels, doc.byLevel),
  label(`2. Kết quả theo ${doc.communeInSentence}`),
  tally(doc.communeHeader, doc.statusLabels, doc.byCommune),
  label("3. Kết quả theo loại hình"),
  tally("Loại hình", doc.statusLabels, doc.byOwnership),
  label("4. Trường cần bổ sung, khắc phục (còn có thể hoàn thiện hồ sơ)"),
  ...schoolsOrNone(doc.fixable),
  label("5. Trường không đủ điều kiện do sự việc đơn vị tự khai trong kỳ đánh giá"),
  ...schoolsOrNone(doc.ruledOut),
  heading("III. KHÓ KHĂN, VƯỚNG MẮC"),
  ...doc.difficulties.map((p) => body(p)),
  heading("IV. ĐỀ XUẤT, KIẾN NGHỊ"),
  ...doc.proposals.map((p) => body(p)),
  body(`Trên đây là báo cáo kết quả thực hiện, kính báo cáo ${doc.to} xem xét./.`, { keepNext: true }),
];

/** Quyết định công nhận: the authority deciding, the legal bases in italics, the articles. */
export const decisionBody = (doc: DecisionDocument): FileChild[] => [
  line(doc.decider, { bold: true }, { spacing: { before: 200, after: 120 } }),
  ...doc.bases.map((b) => body(b, { italics: true })),
  line("QUYẾT ĐỊNH:", { bold: true }, { spacing: { before: 200, after: 120 }, keepNext: true }),
  ...doc.articles.map((a, i) =>
    body(
      [{ text: a.label, bold: true }, ` ${a.text}`],
      i === doc.articles.length - 1 ? { keepNext: true } : {},
    ),
  ),
];

/** Tờ trình: the bases, the campaign's figures, what the office proposes. */
export const proposalBody = (doc: ProposalDocument): FileChild[] => [
  addressee(doc.to),
  ...doc.bases.map((b) => body(b)),
  body(doc.intro),
  heading("I. KẾT QUẢ KIỂM TRA, ĐÁNH GIÁ"),
  ...doc.figures.map((f) => body(f)),
  heading("II. NỘI DUNG ĐỀ NGHỊ"),
  ...numbered(doc.proposals),
  body(doc.closing, { keepNext: true, alignment: AlignmentType.JUSTIFIED }),
];

/** Công văn đôn đốc: to the schools listed, what has not been done, what the office asks, by when. */
export const chaseLetterBody = (doc: ChaseLetterDocument): FileChild[] => [
  addressee(doc.to),
  ...doc.paragraphs.map((p) => body(p)),
  ...numbered(doc.asks),
  body(doc.closing, { keepNext: true }),
];

/** The plan's criteria: a grey row per criterion with its points, a row per indicator under it. */
const planCriteria = (doc: PlanDocument) =>
  grid(
    [
      { header: "TT", width: 7 },
      { header: "Tiêu chí, chỉ tiêu", width: 46 },
      { header: "Yêu cầu", width: 29 },
      { header: "Bắt buộc", width: 9 },
      { header: "Điểm", width: 9 },
    ],
    doc.criteria.flatMap((c): GridRow[] => [
      {
        shade: true,
        cells: [
          { text: c.id, align: "center" },
          { text: c.title, span: 3 },
          { text: c.points, align: "right" },
        ],
      },
      ...c.indicators.map(
        (i): GridRow => ({
          cells: [
            { text: i.id, align: "center" },
            i.text,
            i.requirement,
            { text: i.mandatory, align: "center" },
            "",
          ],
        }),
      ),
    ]),
    { dense: true },
  );

/** Kế hoạch triển khai (templates/ke-hoach.hbs): bases, purposes, criteria, calendar, forms, tasks, who does what. */
export const planBody = (doc: PlanDocument): FileChild[] => [
  ...doc.bases.map((b) => body(b, { italics: true })),
  body(doc.intro),
  heading("I. MỤC ĐÍCH, YÊU CẦU"),
  ...numbered(doc.purposes),
  heading("II. NỘI DUNG THỰC HIỆN"),
  label("1. Tiêu chí đánh giá"),
  body(doc.criteriaIntro),
  planCriteria(doc),
  label("2. Thời gian thực hiện"),
  grid(
    [
      { header: "Nội dung", width: 42 },
      { header: "Thời gian", width: 58 },
    ],
    doc.timeline.map((t): GridRow => ({ cells: [t.label, t.when] })),
    { dense: true },
  ),
  label("3. Biểu mẫu trực tuyến"),
  ...dashed(
    doc.forms.map(
      (f) => `${f.name}: ${f.url ?? "đường dẫn sẽ được gửi đến địa chỉ thư điện tử của trường."}`,
    ),
  ),
  body(
    "Các biểu mẫu yêu cầu đăng nhập tài khoản Google bằng địa chỉ thư điện tử của trường đã đăng ký với phòng; câu trả lời gửi từ địa chỉ khác chưa được tính và trường được báo để gửi lại.",
  ),
  label("4. Các trường thực hiện"),
  ...numbered(doc.tasks),
  heading("III. TỔ CHỨC THỰC HIỆN"),
  ...doc.organisation.flatMap((o) => [label(o.title), ...o.paragraphs.map((p) => body(p))]),
  body(doc.closing, { keepNext: true }),
];
