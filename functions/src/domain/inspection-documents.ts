import type { SchoolResult } from "./campaign-score.js";
import {
  base,
  type DocumentContext,
  dateInWords,
  dayInWords,
  type InspectionRecordDocument,
  issuerName,
  type ProposalDocument,
  type SchoolList,
} from "./documents.js";
import { FINDING_LABELS, type Inspection, type InspectionOutcome, inspectionOutcome } from "./inspection.js";
import { levelsLabel } from "./levels.js";
import type { DecisionAuthority } from "./office.js";
import { communeLabelOf, wholeOfficeLabel } from "./office.js";
import { schoolListRows } from "./office-documents.js";
import { passedInspection } from "./status.js";
import { compareVi, formatNumberVi, upperFirst } from "./text.js";
import { formatDateVi } from "./time.js";

/**
 * The documents of the office's inspection act: the minutes of each inspection (Biên bản kiểm tra),
 * signed by the school and the team leader, and the office's proposal (Tờ trình) to the competent
 * authority to recognise the schools the inspection found Đạt. Pure, like every document here.
 */

/** A dotted line for what is written in by hand (a name we do not know, the closing hour). */
const DOTS = "…".repeat(12);

/** A form question as a table entry or a sentence: "Đơn vị đã … năm học?" loses its question mark. */
const asStatement = (text: string): string => text.replace(/\s*\?$/u, "");

/** "… chưa được ký ban hành" → "… chưa được ký ban hành." (a reason typed with or without its stop). */
const sentence = (text: string): string => (/[.!?]$/u.test(text) ? text : `${text}.`);

/** "Hôm nay, vào lúc 08 giờ 30 phút, ngày 20 tháng 11 năm 2026, tại …" (no time: "vào ngày …"). */
const openingOf = (inspection: Inspection): string => {
  const [hour, minute] = (inspection.time ?? "").split(":");
  const when =
    hour && minute
      ? `vào lúc ${hour.padStart(2, "0")} giờ ${minute} phút, ${dayInWords(inspection.date)}`
      : `vào ${dayInWords(inspection.date)}`;
  return `Hôm nay, ${when}, tại ${inspection.place}`;
};

/** Each applicable indicator of each applicable criterion: the school's answer, the team's finding. */
const findingsTable = (result: SchoolResult, inspection: Inspection): InspectionRecordDocument["criteria"] =>
  result.evaluation.criteria
    .filter((c) => c.status !== "not-applicable")
    .map((c) => ({
      id: c.id,
      title: c.title,
      indicators: c.indicators
        .filter((i) => i.status !== "not-applicable")
        .map((i) => {
          const found = inspection.findings[i.id];
          return {
            id: i.id,
            text: `${asStatement(i.text)}${i.mandatory ? "" : " (không bắt buộc)"}`,
            answer: i.seen ?? "Chưa khai báo",
            finding: found ? FINDING_LABELS[found.finding] : "Chưa kiểm tra",
            reason: found?.reason ?? "",
            rejected: found?.finding === "khong-xac-nhan",
          };
        }),
    }));

/** The conclusion: Đạt, Không đạt (the rejected indicators follow as sentences), or not yet. */
const conclusionOf = (
  ctx: DocumentContext,
  result: SchoolResult,
  inspection: Inspection,
  outcome: InspectionOutcome,
): Pick<InspectionRecordDocument, "verdict" | "conclusion" | "rejected"> => {
  const { name } = result.school;
  const title = `“${upperFirst(ctx.award)}” năm học ${ctx.schoolYear}`;
  if (outcome.verdict === "dat")
    return {
      verdict: "ĐẠT",
      conclusion: `${name} đạt tất cả các chỉ tiêu bắt buộc của bộ tiêu chí. Đoàn kiểm tra thống nhất đề nghị ${issuerName(ctx.office)} trình cấp có thẩm quyền công nhận ${name} đạt danh hiệu ${title}${inspection.commend ? " và đề nghị khen thưởng nhà trường" : ""}.`,
      rejected: [],
    };
  if (outcome.verdict === "khong-dat")
    return {
      verdict: "KHÔNG ĐẠT",
      conclusion: `${name} chưa đạt danh hiệu ${title}, do ${formatNumberVi(outcome.rejected.length)} chỉ tiêu bắt buộc không được Đoàn kiểm tra xác nhận:`,
      rejected: outcome.rejected.map(
        (r) =>
          `Chỉ tiêu ${r.indicatorId} (${asStatement(r.text)}): ${sentence(r.reason.trim() || "không nêu lý do")}`,
      ),
    };
  return {
    verdict: "CHƯA KẾT LUẬN",
    conclusion: `Đoàn kiểm tra chưa kết luận: còn ${formatNumberVi(outcome.pending.length)} chỉ tiêu bắt buộc chưa kiểm tra (chỉ tiêu ${outcome.pending.join(", ")}).`,
    rejected: [],
  };
};

/**
 * Biên bản kiểm tra: the minutes of the office's inspection of one school, as the team writes them
 * on the day. Signed by the school's head (left, name by hand) and the team leader (right); never by
 * the office's head, and with no dated line (the date is in the opening sentence).
 */
export const inspectionRecordDocument = (
  ctx: DocumentContext,
  result: SchoolResult,
  inspection: Inspection,
  outcome: InspectionOutcome,
): InspectionRecordDocument => {
  const { school } = result;
  const doc = base("bien-ban", ctx, `Kiểm tra, đánh giá ${ctx.award} năm học ${ctx.schoolYear}`, []);
  const team = inspection.team.map(
    (m, i) =>
      `${m.name}, ${m.unit}: ${i === 0 ? "Trưởng đoàn" : "Thành viên"}${i === inspection.team.length - 1 ? "." : ";"}`,
  );
  return {
    ...doc,
    kind: "bien-ban",
    header: { ...doc.header, placeDate: "" },
    school: {
      code: school.code,
      name: school.name,
      level: levelsLabel(school.levels),
      commune: school.commune,
    },
    opening: `${openingOf(inspection)}, Đoàn kiểm tra của ${issuerName(ctx.office)} tiến hành kiểm tra, đánh giá kết quả xây dựng ${ctx.award} năm học ${ctx.schoolYear} (kỳ đánh giá ${ctx.period}) của ${school.name}, với thành phần như sau:`,
    teamTitle: inspection.teamName ? `Đoàn kiểm tra (${inspection.teamName})` : "Đoàn kiểm tra",
    team,
    schoolSide: [
      `Ông (bà): ${DOTS}, chức vụ: Hiệu trưởng;`,
      `Ông (bà): ${DOTS}, chức vụ: ${DOTS.slice(0, 10)}.`,
    ],
    method:
      "Đoàn kiểm tra đối chiếu hồ sơ tự đánh giá của nhà trường với thực tế (hồ sơ, minh chứng, trao đổi với cán bộ, giáo viên, nhân viên); kết quả theo từng tiêu chí, chỉ tiêu như sau:",
    criteria: findingsTable(result, inspection),
    ...conclusionOf(ctx, result, inspection, outcome),
    closing: `Biên bản kết thúc vào lúc ${DOTS.slice(0, 6)} giờ ${DOTS.slice(0, 6)} phút cùng ngày, được lập thành 02 bản có giá trị như nhau, nhà trường giữ 01 bản, Đoàn kiểm tra giữ 01 bản; biên bản đã được đọc lại cho các thành viên cùng nghe và thống nhất ký tên./.`,
    schoolSignature: { authority: "ĐẠI DIỆN NHÀ TRƯỜNG", title: "HIỆU TRƯỞNG", name: "" },
    signature: { authority: "TRƯỞNG ĐOÀN KIỂM TRA", name: inspection.team[0]?.name ?? "" },
  };
};

/** What the campaign counts for the proposal: by status, and the schools proposed (Đạt with a record). */
const proposalFigures = (results: readonly SchoolResult[], inspections: ReadonlyMap<string, Inspection>) => {
  // Found Đạt and not recognised yet: a school an earlier decision recognised is not proposed again.
  const proposed = results.filter((r) => {
    const inspection = inspections.get(r.school.code);
    return (
      r.status === "dat" &&
      inspection !== undefined &&
      inspectionOutcome(inspection, r.evaluation).verdict === "dat"
    );
  });
  const passed = results.filter((r) => passedInspection(r.status)).length;
  const failed = results.filter((r) => r.status === "khong-dat").length;
  return {
    schools: results.length,
    submitted: results.filter((r) => r.evaluation.submitted.includes("dossier")).length,
    inspected: passed + failed,
    passed,
    failed,
    waiting: results.filter((r) => r.status === "cho-kiem-tra").length,
    recognised: results.filter((r) => r.status === "duoc-cong-nhan").length,
    found: results.filter((r) => r.status === "dat").length,
    proposed,
    commended: proposed.filter((r) => inspections.get(r.school.code)?.commend === true),
  };
};

/** The units the office inspected with ("Công an xã Nhà Bè"), from the teams, in Vietnamese order. */
const partnersOf = (ctx: DocumentContext, inspections: ReadonlyMap<string, Inspection>): string => {
  // The office itself, however its staff wrote it ("Phòng Giáo dục và Đào tạo", with its locality or not).
  const own = [issuerName(ctx.office), ctx.office.issuingBodyName].map((n) => n.toLocaleLowerCase("vi"));
  const units = [...new Set([...inspections.values()].flatMap((i) => i.team.map((m) => m.unit)))]
    .filter((u) => !own.includes(u.toLocaleLowerCase("vi")))
    .sort(compareVi);
  return units.length > 0 ? units.join(", ") : "các đơn vị liên quan";
};

/** Phụ lục I (recognition) and, when any school is marked for it, Phụ lục II (commendation). */
const proposalAppendices = (
  ctx: DocumentContext,
  reference: string,
  figures: ReturnType<typeof proposalFigures>,
  inspections: ReadonlyMap<string, Inspection>,
): SchoolList[] => {
  const inspectedOn = (code: string) => {
    const date = inspections.get(code)?.date;
    return date ? formatDateVi(date) : undefined;
  };
  const award = ctx.award.toLocaleUpperCase("vi");
  const lists = [
    {
      title: `DANH SÁCH TRƯỜNG ĐỀ NGHỊ CÔNG NHẬN ${award} NĂM HỌC ${ctx.schoolYear}`,
      results: figures.proposed,
    },
    ...(figures.commended.length > 0
      ? [
          {
            title: `DANH SÁCH TRƯỜNG ĐỀ NGHỊ KHEN THƯỞNG NĂM HỌC ${ctx.schoolYear}`,
            results: figures.commended,
          },
        ]
      : []),
  ];
  return lists.map((list, i) => ({
    label: lists.length > 1 ? `Phụ lục ${i === 0 ? "I" : "II"}` : "Phụ lục",
    title: list.title,
    reference,
    dated: true,
    communeHeader: communeLabelOf(ctx.office),
    rows: schoolListRows(list.results, inspectedOn),
  }));
};

/**
 * Tờ trình: the office proposes to the competent authority to recognise the schools its inspection
 * found Đạt (status Đạt and a record whose verdict is Đạt: nothing else), and to commend those the
 * team marked, with the campaign's figures. Signed by the office's head. `legalBasis` (the criteria
 * set's) is printed as "Căn cứ" before the inspection's results.
 */
export const proposalDocument = (
  ctx: DocumentContext,
  results: readonly SchoolResult[],
  inspections: ReadonlyMap<string, Inspection>,
  authority: DecisionAuthority,
  legalBasis: readonly string[] = [],
): ProposalDocument => {
  const doc = base("to-trinh", ctx, `Về việc đề nghị công nhận ${ctx.award} năm học ${ctx.schoolYear}`, [
    "Như trên;",
    `Lưu: VT, ${ctx.office.numberPrefix}.`,
  ]);
  const issuer = issuerName(ctx.office);
  const f = proposalFigures(results, inspections);
  const n = formatNumberVi;
  const title = `“${upperFirst(ctx.award)}” năm học ${ctx.schoolYear}`;
  const several = f.commended.length > 0;
  const reference = `(Kèm theo Tờ trình ${doc.header.number.replace("Số: ", "số ")} ${dateInWords(ctx.date, ctx.timeZone)} của ${issuer})`;
  const unlisted = f.found - f.proposed.length;
  return {
    ...doc,
    kind: "to-trinh",
    to: authority.name,
    bases: [
      ...legalBasis.map((b) => `Căn cứ ${b};`),
      `Căn cứ kết quả kiểm tra, đánh giá thực tế của Đoàn kiểm tra tại các trường (biên bản kiểm tra từng trường),`,
    ],
    intro: `${issuer} kính trình ${authority.name} kết quả kiểm tra, đánh giá và đề nghị công nhận ${ctx.award} năm học ${ctx.schoolYear} (kỳ đánh giá ${ctx.period}) như sau:`,
    figures: [
      `${wholeOfficeLabel(ctx.office.parentBodyName)} có ${n(f.schools)} trường tham gia xây dựng ${ctx.award}; ${n(f.submitted)} trường đã nộp hồ sơ đề nghị công nhận.`,
      `${issuer} đã phối hợp với ${partnersOf(ctx, inspections)} kiểm tra thực tế ${n(f.inspected)} trường: ${n(f.passed)} trường đạt, ${n(f.failed)} trường không đạt; ${n(f.waiting)} trường đang chờ kiểm tra.`,
      ...(f.recognised > 0
        ? [
            `${n(f.recognised)} trường trong số đó đã được công nhận theo quyết định trước; Tờ trình này đề nghị các trường còn lại.`,
          ]
        : []),
      ...(unlisted > 0
        ? [
            `Có ${n(unlisted)} trường được ghi nhận đạt nhưng biên bản kiểm tra chưa kết luận đạt, nên chưa đưa vào danh sách đề nghị.`,
          ]
        : []),
    ],
    proposals: [
      f.proposed.length > 0
        ? `Công nhận ${n(f.proposed.length)} trường đạt danh hiệu ${title} (danh sách tại Phụ lục${several ? " I" : ""} kèm theo).`
        : `Chưa có trường nào được Đoàn kiểm tra kết luận đạt: chưa đề nghị công nhận trường nào.`,
      ...(several
        ? [
            `Khen thưởng ${n(f.commended.length)} trường có thành tích tiêu biểu trong xây dựng ${ctx.award} năm học ${ctx.schoolYear} (danh sách tại Phụ lục II kèm theo).`,
          ]
        : []),
    ],
    closing: `${issuer} kính trình ${authority.name} xem xét, quyết định./.`,
    appendices: proposalAppendices(ctx, reference, f, inspections),
  };
};
