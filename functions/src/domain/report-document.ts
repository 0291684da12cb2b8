import { factsReported, recognisedShare, type SchoolResult, thingsToFix } from "./campaign-score.js";
import {
  type AppendixRow,
  base,
  type DocumentContext,
  dateInWords,
  issuerName,
  parentName,
  type SummaryReportDocument,
  type TallyRow,
} from "./documents.js";
import { LEVEL_GROUP_LABELS, LEVEL_GROUPS, levelGroupOf, levelsLabel } from "./levels.js";
import { communeLabelOf, wholeOfficeLabel } from "./office.js";

export { wholeOfficeLabel };

import { compareSchools, OWNERSHIP_LABELS, OWNERSHIPS } from "./school.js";
import { PROGRESS_COLUMNS, SCHOOL_STATUS_LABELS } from "./status.js";
import { compareVi, formatNumberVi, formatPercent, formatPoints, percentOf } from "./text.js";

/**
 * Báo cáo: the office's report to the city Department, in the parts such a report has: how the
 * office organised the campaign, the results (quý I registration; by level, by commune and by
 * ownership with a total row; the schools that can still fix something, apart from those a fact
 * they reported rules out), difficulties and proposals, and every school in an appendix. The
 * narrative parts are the office's own words (typed in the sheet's Báo cáo tab); left empty, they
 * say what the office has to write there.
 */

/** The office's own words for the narrative parts of its report. */
export interface ReportNarrative {
  organisation?: string;
  difficulties?: string;
  proposals?: string;
}

export const NARRATIVE_PARTS = ["organisation", "difficulties", "proposals"] as const;

export const NARRATIVE_TITLES: Record<(typeof NARRATIVE_PARTS)[number], string> = {
  organisation: "Công tác triển khai, tổ chức thực hiện",
  difficulties: "Khó khăn, vướng mắc",
  proposals: "Đề xuất, kiến nghị",
};

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

/** Every school, in the registry's order; no points for a school that sent no dossier. */
const appendixRows = (results: readonly SchoolResult[]): AppendixRow[] =>
  [...results]
    .sort((a, b) => compareSchools(a.school, b.school))
    .map((r, i) => ({
      index: i + 1,
      code: r.school.code,
      name: r.school.name,
      level: levelsLabel(r.school.levels),
      commune: r.school.commune,
      points: r.evaluation.submitted.includes("dossier") ? formatPoints(r.evaluation.points) : "",
      status: SCHOOL_STATUS_LABELS[r.status],
    }));

/** The plan the report answers: the legal basis that is a Kế hoạch (the Sở's), else the criteria set. */
const planAnswered = (legalBasis: readonly string[], criteriaSetTitle: string): string =>
  legalBasis.find((b) => /^Kế hoạch\s/u.test(b)) ??
  criteriaSetTitle.charAt(0).toLocaleLowerCase("vi") + criteriaSetTitle.slice(1);

const PLACEHOLDERS: Record<keyof ReportNarrative, string> = {
  organisation:
    "(Phòng ghi tại trang Báo cáo của bảng theo dõi: các văn bản chỉ đạo đã ban hành, hội nghị, tập huấn, việc phối hợp với Công an xã và các đơn vị liên quan.)",
  difficulties:
    "(Phòng ghi tại trang Báo cáo của bảng theo dõi những khó khăn, vướng mắc trong quá trình thực hiện.)",
  proposals:
    "(Phòng ghi tại trang Báo cáo của bảng theo dõi các đề xuất, kiến nghị với Sở Giáo dục và Đào tạo.)",
};

const paragraphsOf = (text: string | undefined, part: keyof ReportNarrative): string[] => {
  const lines = (text ?? "")
    .split(/\n+/u)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return lines.length > 0 ? lines : [PLACEHOLDERS[part]];
};

/** A school and what it can still do, or the fact that rules it out: one line each. */
const schoolLines = (results: readonly SchoolResult[], what: (r: SchoolResult) => string[]): string[] =>
  [...results]
    .sort((a, b) => compareSchools(a.school, b.school))
    .map((r) => `${r.school.name}: ${what(r).join(" ")}`);

const byGroups = (
  results: readonly SchoolResult[],
  wholeLabel: string,
  groups: Array<{ label: string; of: (r: SchoolResult) => boolean }>,
): TallyRow[] =>
  tallyRows([
    ...groups
      .map((g) => ({ label: g.label, results: results.filter(g.of) }))
      .filter((g) => g.results.length > 0),
    { label: wholeLabel, results, total: true },
  ]);

export const summaryReportDocument = (
  ctx: DocumentContext,
  results: readonly SchoolResult[],
  source: { criteriaSetTitle: string; legalBasis: readonly string[]; narrative?: ReportNarrative },
): SummaryReportDocument => {
  const doc = base("bao-cao", ctx, `Kết quả xây dựng, công nhận ${ctx.award} năm học ${ctx.schoolYear}`, [
    "Như trên;",
    `${parentName(ctx.office)} (để báo cáo);`,
    `Lưu: VT, ${ctx.office.numberPrefix}.`,
  ]);
  const issuer = issuerName(ctx.office);
  const whole = wholeOfficeLabel(ctx.office.parentBodyName);
  const { total, passed, passedPercent, recognised, percent } = recognisedShare(results);
  const registered = results.filter((r) => r.evaluation.submitted.includes("registration")).length;
  const submitted = results.filter((r) => r.evaluation.submitted.includes("dossier")).length;
  const fixable = results.filter((r) => r.status === "can-bo-sung");
  const ruledOut = results.filter((r) => r.status === "khong-du-dieu-kien");
  const n = formatNumberVi;
  const communes = [...new Set(results.map((r) => r.school.commune))].sort(compareVi);
  return {
    ...doc,
    kind: "bao-cao",
    to: ctx.office.superiorBody,
    communeHeader: communeLabelOf(ctx.office),
    communeInSentence: communeLabelOf(ctx.office).toLocaleLowerCase("vi"),
    opening: `Thực hiện ${planAnswered(source.legalBasis, source.criteriaSetTitle)}, ${issuer} báo cáo kết quả xây dựng, công nhận ${ctx.award} năm học ${ctx.schoolYear} (kỳ đánh giá ${ctx.period}) như sau:`,
    organisation: paragraphsOf(source.narrative?.organisation, "organisation"),
    results: [
      `Đăng ký xây dựng (quý I): ${n(registered)}/${n(total)} trường đăng ký, đạt tỷ lệ ${formatPercent(percentOf(registered, total))}.`,
      `Hồ sơ đề nghị công nhận: ${n(submitted)}/${n(total)} trường đã nộp hồ sơ tự đánh giá. Qua kiểm tra thực tế, ${n(passed)} trường đạt các tiêu chí (tỷ lệ ${formatPercent(passedPercent)}); ${n(recognised)} trường đã được cấp có thẩm quyền công nhận, đạt tỷ lệ ${formatPercent(percent)} so với chỉ tiêu 100%; còn ${n(total - recognised)} trường chưa được công nhận.`,
    ],
    statusLabels: PROGRESS_COLUMNS.map((c) => c.label),
    byLevel: byGroups(
      results,
      whole,
      LEVEL_GROUPS.map((l) => ({
        label: LEVEL_GROUP_LABELS[l],
        of: (r) => levelGroupOf(r.school.levels) === l,
      })),
    ),
    byCommune: byGroups(
      results,
      whole,
      communes.map((c) => ({ label: c, of: (r) => r.school.commune === c })),
    ),
    byOwnership: byGroups(
      results,
      whole,
      OWNERSHIPS.map((o) => ({ label: OWNERSHIP_LABELS[o], of: (r) => r.school.ownership === o })),
    ),
    fixable: schoolLines(fixable, thingsToFix),
    ruledOut: schoolLines(ruledOut, factsReported),
    difficulties: paragraphsOf(source.narrative?.difficulties, "difficulties"),
    proposals: paragraphsOf(source.narrative?.proposals, "proposals"),
    appendix: {
      label: "Phụ lục",
      title: `DANH SÁCH KẾT QUẢ ĐÁNH GIÁ CÁC TRƯỜNG NĂM HỌC ${ctx.schoolYear}`,
      reference: `(Kèm theo Báo cáo ${doc.header.number.replace("Số: ", "số ")} ${dateInWords(ctx.date, ctx.timeZone)} của ${issuer})`,
      communeHeader: communeLabelOf(ctx.office),
      rows: appendixRows(results),
    },
  };
};
