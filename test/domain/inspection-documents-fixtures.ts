import type { Answer, Answers } from "../../functions/src/domain/answers.js";
import { type SchoolResult, selfAssessedResult } from "../../functions/src/domain/campaign-score.js";
import { allIndicators, type CriteriaSet, thresholdFor } from "../../functions/src/domain/criteria.js";
import type { DocumentContext } from "../../functions/src/domain/documents.js";
import { evaluate } from "../../functions/src/domain/evaluate.js";
import type { Inspection } from "../../functions/src/domain/inspection.js";
import type { DecisionAuthority, OfficeProfile } from "../../functions/src/domain/office.js";
import type { School } from "../../functions/src/domain/school.js";
import type { SchoolStatus } from "../../functions/src/domain/status.js";
import { answer, defaultSet, OFFICE, SCHOOLS } from "../kit/index.js";

/**
 * A campaign at the end of its inspections, for the documents of the office's act: five schools
 * of the default criteria set, every answer passing; two inspected Đạt (one marked for
 * commendation), one Không đạt with a reason, one waiting, and one recorded Đạt whose inspection
 * record is still incomplete (it must not be proposed).
 */
export const SET: CriteriaSet = defaultSet();

export const AUTHORITY: DecisionAuthority = {
  parentBody: "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
  body: "ỦY BAN NHÂN DÂN XÃ NHÀ BÈ",
  name: "Ủy ban nhân dân xã Nhà Bè",
  numberPrefix: "UBND",
  decider: "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ NHÀ BÈ",
  signer: { authority: "KT. CHỦ TỊCH", title: "PHÓ CHỦ TỊCH", name: "Lê Văn Quyết" },
  competence: ["Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"],
};

export const OFFICE_WITH_AUTHORITY: OfficeProfile = { ...OFFICE, authority: AUTHORITY };

export const ctx = (overrides: Partial<DocumentContext> = {}): DocumentContext => ({
  office: OFFICE_WITH_AUTHORITY,
  schoolYear: "2026-2027",
  period: "từ ngày 16 tháng 11 năm 2026 đến ngày 15 tháng 11 năm 2027",
  award: SET.award,
  date: new Date("2026-11-25T03:00:00Z"),
  timeZone: "Asia/Ho_Chi_Minh",
  ...overrides,
});

const passing = (
  indicator: ReturnType<typeof allIndicators>[number]["indicator"],
  school: School,
): Answer => {
  const files = ["https://drive.google.com/open?id=minh-chung"];
  switch (indicator.kind) {
    case "evidence":
      return answer(true, files);
    case "zero":
      return answer(0, indicator.evidence ? files : []);
    case "choice":
      return answer(indicator.accepted[0] ?? "", indicator.evidence ? files : []);
    case "number": {
      const { op, value } = thresholdFor(indicator, school.levels[0] ?? "thcs");
      return answer(op === ">" ? value + 1 : op === "<" ? value - 1 : value, indicator.evidence ? files : []);
    }
  }
};

const answersFor = (school: School): Answers =>
  Object.fromEntries(allIndicators(SET).map(({ indicator }) => [indicator.id, passing(indicator, school)]));

export const resultOf = (school: School, status: SchoolStatus): SchoolResult => ({
  ...selfAssessedResult(school, {
    ...evaluate(answersFor(school), SET, school),
    submitted: ["registration", "dossier"],
  }),
  status,
});

export const [MN1, TH1, CS1] = SCHOOLS as [School, School, School];
export const TH2: School = { ...TH1, code: "T-TH2", name: "Trường Tiểu học Lê Văn Lương", commune: "Nhà Bè" };
export const CS2: School = { ...CS1, code: "T-CS2", name: "Trường THCS Hai Bà Trưng", commune: "Nhà Bè" };

/** Every applicable indicator of a school confirmed, but those given. */
export const inspectionOf = (
  result: SchoolResult,
  overrides: Partial<Inspection> = {},
  findings: Inspection["findings"] = {},
): Inspection => ({
  date: "2026-11-20",
  time: "08:30",
  place: result.school.name,
  teamName: "Đoàn số 1",
  team: [
    { name: "Nguyễn Văn Thử", unit: "Phòng Giáo dục và Đào tạo" },
    { name: "Trần Văn Bảo", unit: "Công an xã Nhà Bè" },
    { name: "Phạm Thị Hoa", unit: "Phòng Giáo dục và Đào tạo" },
  ],
  findings: {
    ...Object.fromEntries(
      result.evaluation.criteria
        .flatMap((c) => c.indicators)
        .filter((i) => i.status !== "not-applicable")
        .map((i) => [i.id, { finding: "xac-nhan", reason: "" }] as const),
    ),
    ...findings,
  },
  commend: false,
  ...overrides,
});

export const REJECTED_REASON = "Kế hoạch chưa được Hiệu trưởng ký ban hành";

/** The five schools' results and the inspections recorded for four of them. */
export const campaignAtInspection = () => {
  const results = [
    resultOf(MN1, "dat"),
    resultOf(TH1, "dat"),
    resultOf(CS1, "khong-dat"),
    resultOf(TH2, "cho-kiem-tra"),
    resultOf(CS2, "dat"),
  ] as const;
  const [mn1, th1, cs1, , cs2] = results;
  const cs2Inspection = inspectionOf(cs2, { date: "2026-11-21" });
  delete cs2Inspection.findings["2.1"];
  const inspections = new Map<string, Inspection>([
    [MN1.code, inspectionOf(mn1, { date: "2026-11-18", time: undefined, commend: false })],
    [
      TH1.code,
      inspectionOf(
        th1,
        { date: "2026-11-19", commend: true },
        { "1.6": { finding: "xac-nhan", reason: "Mô hình “Cổng trường an toàn” hoạt động đều" } },
      ),
    ],
    [
      CS1.code,
      inspectionOf(cs1, { commend: true }, { "1.2": { finding: "khong-xac-nhan", reason: REJECTED_REASON } }),
    ],
    [CS2.code, cs2Inspection],
  ]);
  return { results, inspections };
};
