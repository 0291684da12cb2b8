import type { FileChild } from "docx";
import type {
  InspectionRecordDocument,
  NoticeDocument,
  SchoolResultDocument,
} from "../../domain/documents.js";
import {
  addressee,
  body,
  dashed,
  dottedLine,
  heading,
  label,
  numbered,
  sampleNotice,
  sharedBody,
  twoSignatures,
} from "./blocks.js";
import { type GridRow, grid } from "./tables.js";

/**
 * The bodies of a school's documents (templates/ket-qua.hbs, thong-bao.hbs, bien-ban.hbs): what
 * comes between the title block and the signature block, in the same order and words.
 */

const resultRows = (doc: SchoolResultDocument): GridRow[] => [
  ...doc.criteria.flatMap((c): GridRow[] => [
    {
      shade: true,
      cells: [
        { text: c.id, align: "center" },
        { text: c.title, span: 3 },
        { text: c.status, align: "center" },
        { text: `${c.points}/${c.maxPoints}`, align: "right" },
      ],
    },
    ...c.indicators.map(
      (i): GridRow => ({
        cells: [
          { text: i.id, align: "center" },
          i.text,
          i.answer,
          i.requirement,
          { text: i.status, align: "center", bold: !i.met },
          { text: i.points, align: "right", bold: !i.met },
        ],
      }),
    ),
  ]),
  {
    bold: true,
    cells: [
      { text: "Tổng điểm", span: 5 },
      { text: `${doc.points}/${doc.maxPoints}`, align: "right" },
    ],
  },
];

/** A list with its bold heading line, when it has items. */
const listed = (title: string, items: readonly string[]) =>
  items.length ? [label(title), ...numbered(items)] : [];

/** Thông báo kết quả kiểm tra, đánh giá: a school's result, criterion by criterion. */
export const schoolResultBody = (doc: SchoolResultDocument): FileChild[] => [
  body([
    `${doc.issuer} thông báo kết quả kiểm tra, đánh giá hồ sơ đề nghị công nhận của `,
    { text: doc.school.name, bold: true },
    " (mã trường ",
    { text: doc.school.code, code: true },
    `), cấp học ${doc.school.level}, ${doc.school.commune}, theo ${doc.criteriaSet}, trong kỳ đánh giá ${doc.period}. Hồ sơ đã nộp: ${doc.submitted}.`,
  ]),
  sharedBody("Kết quả theo từng tiêu chí, chỉ tiêu như sau:", { keepNext: true }),
  grid(
    [
      { header: "TT", width: 5 },
      { header: "Tiêu chí, chỉ tiêu", width: 44 },
      { header: "Kết quả của trường", width: 15 },
      { header: "Yêu cầu", width: 15 },
      { header: "Đánh giá", width: 11 },
      { header: "Điểm", width: 10 },
    ],
    resultRows(doc),
    { dense: true },
  ),
  body(["Kết quả chung: ", { text: doc.status, bold: true }, ` (${doc.points}/${doc.maxPoints} điểm).`], {
    spacing: { before: 200, after: 120 },
  }),
  ...listed("Sự việc đơn vị tự khai trong kỳ đánh giá:", doc.facts),
  ...listed("Kết quả kiểm tra thực tế:", doc.rejected),
  ...listed("Nội dung cần khắc phục:", doc.missing),
  body(doc.conclusion, { keepNext: true }),
];

/** Thông báo cần bổ sung: what a school must fix, and by when. */
export const noticeBody = (doc: NoticeDocument): FileChild[] => [
  addressee(doc.to),
  body([
    `Qua kiểm tra, đối chiếu hồ sơ đề nghị công nhận (kỳ đánh giá ${doc.period}) với bộ tiêu chí, kết quả đánh giá hiện nay của ${doc.school.name} (mã trường `,
    { text: doc.school.code, code: true },
    ") là: ",
    { text: doc.status, bold: true },
    ".",
  ]),
  ...(doc.reasons.length
    ? [
        body("Đề nghị đơn vị khắc phục, bổ sung các nội dung sau:", { keepNext: true }),
        ...numbered(doc.reasons),
      ]
    : []),
  body([
    "Thời hạn hoàn thành: đơn vị hoàn chỉnh hồ sơ và gửi lại ",
    { text: `chậm nhất ngày ${doc.deadline}`, bold: true },
    ".",
  ]),
  body(
    doc.formUrl
      ? `Đơn vị gửi lại hồ sơ qua biểu mẫu trực tuyến tại địa chỉ: ${doc.formUrl} (khai báo đầy đủ các nội dung và tải lên tệp minh chứng còn thiếu).`
      : "Đơn vị gửi lại hồ sơ qua biểu mẫu trực tuyến đã được cung cấp khi đăng ký (khai báo đầy đủ các nội dung và tải lên tệp minh chứng còn thiếu).",
  ),
  body("Đề nghị Thủ trưởng đơn vị quan tâm, chỉ đạo thực hiện đúng thời hạn./.", { keepNext: true }),
];

const findingRows = (doc: InspectionRecordDocument): GridRow[] =>
  doc.criteria.flatMap((c): GridRow[] => [
    {
      shade: true,
      cells: [
        { text: c.id, align: "center" },
        { text: c.title, span: 4 },
      ],
    },
    ...c.indicators.map(
      (i): GridRow => ({
        cells: [
          { text: i.id, align: "center" },
          i.text,
          i.answer,
          { text: i.finding, align: "center", bold: i.rejected },
          i.reason,
        ],
      }),
    ),
  ]);

/** Biên bản kiểm tra: the team, the school's side, the findings, the conclusion, both signatures. */
export const inspectionRecordBody = (doc: InspectionRecordDocument): FileChild[] => [
  body(doc.opening),
  label(`1. ${doc.teamTitle}:`),
  ...dashed(doc.team),
  label(`2. Đại diện ${doc.school.name}:`),
  ...dashed(doc.schoolSide, { fillIn: true }),
  heading("I. KẾT QUẢ KIỂM TRA"),
  body(doc.method, { keepNext: true }),
  grid(
    [
      { header: "TT", width: 6 },
      { header: "Tiêu chí, chỉ tiêu", width: 37 },
      { header: "Nhà trường tự đánh giá", width: 16 },
      { header: "Kết quả kiểm tra", width: 16 },
      { header: "Lý do, ghi chú", width: 25 },
    ],
    findingRows(doc),
    { dense: true },
  ),
  heading("II. KẾT LUẬN"),
  body(["Kết quả: ", { text: doc.verdict, bold: true }, "."]),
  body(doc.conclusion),
  ...dashed(doc.rejected),
  heading("III. Ý KIẾN CỦA NHÀ TRƯỜNG"),
  dottedLine(),
  dottedLine(),
  body(doc.closing, { keepNext: true, spacing: { before: 240, after: 280 } }),
  twoSignatures(doc.schoolSignature, doc.signature, ["(Ký, ghi rõ họ tên, đóng dấu)", "(Ký, ghi rõ họ tên)"]),
  ...sampleNotice(doc),
];
