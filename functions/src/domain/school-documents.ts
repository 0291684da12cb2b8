import type { SchoolResult } from "./campaign-score.js";
import { factsReported, inspectionRejections, thingsToFix } from "./campaign-score.js";
import { allIndicators, type CriteriaSet, STAGE_LABELS, STAGES } from "./criteria.js";
import {
  base,
  type DocumentContext,
  dateVi,
  issuerName,
  type NoticeDocument,
  type SchoolResultDocument,
} from "./documents.js";
import type { Evaluation } from "./evaluate.js";
import { levelsLabel, type SchoolLevels } from "./levels.js";
import { INDICATOR_STATUS_LABELS, SCHOOL_STATUS_LABELS, type SchoolStatus } from "./status.js";
import { inLevelWords } from "./terms.js";
import { formatPoints, upperFirst } from "./text.js";

/** A school's own documents: its result (Kết quả đánh giá) and, when it must fix something, a notice. */

/** The indicator's subject as a table entry: "Nghị quyết của chi bộ về …". */
const subjectOf = (set: CriteriaSet, id: string, fallback: string, levels: SchoolLevels): string => {
  const subject = allIndicators(set).find((x) => x.indicator.id === id)?.indicator.subject;
  return subject ? upperFirst(inLevelWords(subject, set.terms ?? {}, levels)) : fallback;
};

/** Kết quả đánh giá: a school's evaluation, criterion by criterion. */
export const schoolResultDocument = (
  ctx: DocumentContext,
  result: SchoolResult,
  set: CriteriaSet,
): SchoolResultDocument => {
  const { school, evaluation, status } = result;
  const submitted = evaluationSubmitted(evaluation);
  return {
    ...base(
      "ket-qua",
      ctx,
      `Kết quả kiểm tra, đánh giá hồ sơ đề nghị công nhận ${ctx.award} năm học ${ctx.schoolYear}`,
      [`${school.name} (để biết và thực hiện);`, `Lưu: VT, ${ctx.office.numberPrefix}.`],
    ),
    kind: "ket-qua",
    school: {
      code: school.code,
      name: school.name,
      level: levelsLabel(school.levels),
      commune: school.commune,
    },
    criteriaSet: set.title,
    issuer: issuerName(ctx.office),
    submitted,
    criteria: evaluation.criteria.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status === "met" ? "Đạt" : c.status === "not-met" ? "Chưa đạt" : "Không áp dụng",
      met: c.status !== "not-met",
      points: formatPoints(c.points),
      maxPoints: formatPoints(c.maxPoints),
      indicators: c.indicators.map((i) => ({
        id: i.id,
        // The subject, not the whole question: the table stays short enough to read at a glance.
        text: subjectOf(set, i.id, i.text, school.levels),
        answer: i.status === "not-applicable" ? (i.seen ?? "Không áp dụng") : (i.seen ?? "Chưa khai báo"),
        requirement: i.requirement,
        status: INDICATOR_STATUS_LABELS[i.status],
        met: i.status === "met" || i.status === "not-applicable",
        points: formatPoints(i.points),
        ...(i.message ? { message: i.message } : {}),
      })),
    })),
    points: formatPoints(evaluation.points),
    maxPoints: formatPoints(evaluation.maxPoints),
    status: SCHOOL_STATUS_LABELS[status],
    statusKey: status,
    missing: thingsToFix(result),
    facts: factsReported(result),
    rejected: inspectionRejections(result, set),
    conclusion: conclusionFor(status, school.name, ctx.award),
  };
};

/** The result's last sentence: where the school stands, and what comes next. */
const conclusionFor = (status: SchoolStatus, name: string, award: string): string => {
  switch (status) {
    case "chua-dang-ky":
    case "da-dang-ky":
      return `${name} chưa nộp hồ sơ tự đánh giá.`;
    case "can-bo-sung":
      return `Hồ sơ của ${name} cần được bổ sung, điều chỉnh theo các nội dung nêu trên.`;
    case "khong-du-dieu-kien":
      return `Theo nội dung ${name} tự khai, trong kỳ đánh giá đơn vị có sự việc nêu trên nên không đủ điều kiện đề nghị công nhận ${award} năm học này.`;
    case "cho-kiem-tra":
      return `${name} tự đánh giá đạt đủ các tiêu chí bắt buộc; Phòng sẽ phối hợp với các đơn vị liên quan kiểm tra thực tế trước khi đề nghị công nhận ${award}.`;
    case "dat":
      return `Qua kiểm tra thực tế, ${name} đạt đủ các tiêu chí bắt buộc và được đề nghị cấp có thẩm quyền công nhận ${award}.`;
    case "khong-dat":
      return `Qua kiểm tra thực tế, ${name} chưa đạt các tiêu chí bắt buộc: đoàn kiểm tra không xác nhận các nội dung nêu trên.`;
    case "duoc-cong-nhan":
      return `${name} đã được cấp có thẩm quyền công nhận ${award}.`;
  }
};

/** What the school's email says of where it stands (second person), when there is something to say. */
export const standingForSchool = (status: SchoolStatus, award: string): string | undefined => {
  switch (status) {
    case "cho-kiem-tra":
      return "Hồ sơ tự đánh giá của đơn vị đạt đủ các tiêu chí bắt buộc. Phòng sẽ phối hợp với các đơn vị liên quan kiểm tra thực tế tại đơn vị; lịch kiểm tra sẽ được thông báo sau.";
    case "dat":
      return `Qua kiểm tra thực tế, đơn vị đạt đủ các tiêu chí bắt buộc và được đề nghị cấp có thẩm quyền công nhận ${award}.`;
    case "khong-dat":
      return "Qua kiểm tra thực tế, đơn vị chưa đạt các tiêu chí bắt buộc nêu dưới đây.";
    case "khong-du-dieu-kien":
      return "Theo nội dung đơn vị tự khai, trong kỳ đánh giá tại đơn vị có sự việc nêu dưới đây nên đơn vị không đủ điều kiện đề nghị công nhận năm học này.";
    case "duoc-cong-nhan":
      return `Chúc mừng đơn vị đã được cấp có thẩm quyền công nhận ${award}.`;
    default:
      return undefined;
  }
};

const evaluationSubmitted = (evaluation: Evaluation): string =>
  STAGES.filter((s) => evaluation.submitted.includes(s))
    .map((s) => STAGE_LABELS[s])
    .join("; ") || "Chưa nộp";

/** Thông báo cần bổ sung: for a school that must supply or correct something (Cần bổ sung), never for a fact. */
export const noticeDocument = (
  ctx: DocumentContext,
  result: SchoolResult,
  options: { deadline: Date; formUrl?: string },
): NoticeDocument => ({
  ...base(
    "thong-bao",
    ctx,
    `Về việc bổ sung hồ sơ đề nghị công nhận ${ctx.award} năm học ${ctx.schoolYear}`,
    [`Như trên;`, `Lưu: VT, ${ctx.office.numberPrefix}.`],
  ),
  kind: "thong-bao",
  to: result.school.name,
  school: { code: result.school.code, name: result.school.name },
  status: SCHOOL_STATUS_LABELS[result.status],
  reasons: thingsToFix(result),
  deadline: dateVi(options.deadline, ctx.timeZone),
  ...(options.formUrl ? { formUrl: options.formUrl } : {}),
});
