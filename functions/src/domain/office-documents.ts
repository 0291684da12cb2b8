import { recognisedShare, type SchoolResult, tallyByLevel } from "./campaign-score.js";
import {
  type AppendixRow,
  base,
  type DecisionDocument,
  type DocumentContext,
  dateVi,
  issuerName,
  parentName,
  type SummaryReportDocument,
  type TallyRow,
} from "./documents.js";
import { LEVEL_LABELS } from "./levels.js";
import { compareSchools } from "./school.js";
import { PROGRESS_COLUMNS, passedInspection, SCHOOL_STATUS_LABELS } from "./status.js";
import { compareVi, formatNumberVi, formatPercent, formatPoints, lowerFirst, upperFirst } from "./text.js";

/** The office's own documents: its report to the Department (Báo cáo) and the decision (Quyết định). */

const tallyRows = (
  groups: Array<{ label: string; results: readonly SchoolResult[]; total?: boolean }>,
): TallyRow[] =>
  groups.map(({ label, results, total }) => {
    const counts = PROGRESS_COLUMNS.map((c) => results.filter((r) => c.statuses.includes(r.status)).length);
    const share = recognisedShare(results);
    const submitted = results.filter((r) => r.evaluation.submitted.includes("dossier")).length;
    return {
      label,
      schools: formatNumberVi(results.length),
      submitted: formatNumberVi(submitted),
      counts: counts.map(formatNumberVi),
      recognised: formatPercent(share.percent),
      remaining: formatNumberVi(results.length - share.recognised),
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
      points: formatPoints(r.evaluation.points),
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
    `Kết quả xây dựng, công nhận ${ctx.award} năm học ${ctx.schoolYear}`,
    ["Như trên;", `${parentName(ctx.office)} (để báo cáo);`, `Lưu: VT, ${ctx.office.numberPrefix}.`],
  );
  const { total, passed, passedPercent, recognised, percent } = recognisedShare(results);
  const submitted = results.filter((r) => r.evaluation.submitted.includes("dossier")).length;
  const tallies = tallyByLevel(results);
  const communes = [...new Set(results.map((r) => r.school.commune))].sort(compareVi);
  return {
    ...doc,
    kind: "bao-cao",
    to: ctx.office.superiorBody,
    paragraphs: [
      `Thực hiện ${lowerFirst(criteriaSetTitle)}, ${issuerName(ctx.office)} báo cáo kết quả xây dựng, công nhận ${ctx.award} năm học ${ctx.schoolYear} như sau:`,
      `Toàn đơn vị có ${formatNumberVi(total)} trường; ${formatNumberVi(submitted)} trường đã nộp hồ sơ tự đánh giá. Qua kiểm tra thực tế, ${formatNumberVi(passed)} trường đạt các tiêu chí (tỷ lệ ${formatPercent(passedPercent)}); ${formatNumberVi(recognised)} trường đã được cấp có thẩm quyền công nhận ${ctx.award}, đạt tỷ lệ ${formatPercent(percent)} so với chỉ tiêu 100%; còn ${formatNumberVi(total - recognised)} trường chưa được công nhận.`,
    ],
    statusLabels: PROGRESS_COLUMNS.map((c) => c.label),
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
  // Until the inspection workflow's decision (issue 13, slice 4): the schools found Đạt.
  const recognised = results.filter((r) => passedInspection(r.status));
  const doc = base(
    "quyet-dinh",
    ctx,
    "QUYẾT ĐỊNH",
    `Về việc công nhận ${ctx.award} năm học ${ctx.schoolYear}`,
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
        text: `Công nhận ${formatNumberVi(recognised.length)} trường đạt danh hiệu “${upperFirst(ctx.award)}” năm học ${ctx.schoolYear} (danh sách kèm theo).`,
      },
      { label: "Điều 2.", text: "Quyết định này có hiệu lực kể từ ngày ký." },
      {
        label: "Điều 3.",
        text: `Bộ phận Văn phòng ${issuer}, Hiệu trưởng các trường có tên tại Điều 1 và các cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.`,
      },
    ],
    appendix: {
      label: "Phụ lục",
      title: `DANH SÁCH ${ctx.award.toLocaleUpperCase("vi")} NĂM HỌC ${ctx.schoolYear}`,
      reference: `(Kèm theo Quyết định ${doc.header.number.replace("Số: ", "số ")} ngày ${dateVi(ctx.date, ctx.timeZone)} của ${issuer})`,
      rows: appendixRows(recognised),
    },
  };
};
