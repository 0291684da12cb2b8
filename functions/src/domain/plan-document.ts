import { CALENDAR_ITEMS, type Calendar } from "./calendar.js";
import type { FormKind } from "./campaign.js";
import { appliesToLevel, type CriteriaSet, type Criterion } from "./criteria.js";
import {
  base,
  type DocumentContext,
  dayInWords,
  issuerName,
  type PlanDocument,
  type PlanIndicator,
  periodInWords,
} from "./documents.js";
import { LEVEL_LABELS, type SchoolLevel } from "./levels.js";
import { communeLabelOf, type OfficeProfile } from "./office.js";
import { requirementByLevel } from "./requirements.js";
import { formatNumberVi, formatPoints, lowerFirst, upperFirst } from "./text.js";

/**
 * Kế hoạch triển khai: the office's plan to its schools, the first thing the seed asks of it. All of
 * it comes from the campaign: the criteria set's legal basis (the Sở's plan among them), the target
 * of 100% recognised, the criteria with their points and mandatory indicators (by level where the
 * levels differ), the calendar's windows and deadlines in words, the forms' links (a form with none
 * yet is sent to the schools by email), what each school does and by when, and who does what.
 */
export interface PlanSource {
  criteriaSet: CriteriaSet;
  calendar: Calendar;
  /** The levels the office has schools of: the criteria are given for these. */
  levels: readonly SchoolLevel[];
  /** Each form's address; absent for a form that has none yet. */
  forms: Partial<Record<FormKind, string>>;
}

const FORM_NAMES: Record<FormKind, string> = {
  registration: "Biểu mẫu đăng ký xây dựng (quý I)",
  dossier: "Biểu mẫu hồ sơ đề nghị công nhận (tháng 11)",
  incident: "Biểu mẫu báo cáo vụ việc (mở trong cả năm học)",
};

/** "Công an các xã, thị trấn" from what the office calls its communes ("Xã/Thị trấn"). */
export const localPolice = (office: Pick<OfficeProfile, "communeLabel">): string =>
  `Công an các ${communeLabelOf(office).toLocaleLowerCase("vi").split("/").join(", ")}`;

/** The legal bases, laws first and the plans they answer (the Sở's Kế hoạch) last. */
const basesOf = (legalBasis: readonly string[]): string[] => {
  const sorted = [
    ...legalBasis.filter((b) => !/^Kế hoạch\s/u.test(b)),
    ...legalBasis.filter((b) => /^Kế hoạch\s/u.test(b)),
  ];
  return sorted.map((b, i) => `Căn cứ ${b}${i === sorted.length - 1 ? "," : ";"}`);
};

const levelNames = (levels: readonly SchoolLevel[]) => levels.map((l) => LEVEL_LABELS[l]).join(", ");

/** A criterion's indicators that apply to the office's schools, with what each requires. */
const indicatorsOf = (criterion: Criterion, levels: readonly SchoolLevel[]): PlanIndicator[] =>
  criterion.indicators
    .filter((i) => levels.length === 0 || appliesToLevel(i.levels, levels))
    .map((i) => {
      const only = i.levels && levels.some((l) => !i.levels?.includes(l)) ? i.levels : undefined;
      return {
        id: i.id,
        text: `${upperFirst(i.subject)}${i.stage === "registration" ? " (nộp khi đăng ký)" : ""}`,
        requirement: `${only ? `Áp dụng cho ${levelNames(only)}. ` : ""}${
          // A count that must stay at zero reads as what it asks.
          i.kind === "zero" ? "Không có (bằng 0)" : requirementByLevel(i, levels.length ? levels : undefined)
        }`,
        mandatory: i.mandatory && criterion.mandatory ? "Có" : "Không",
      };
    });

const criteriaOf = (set: CriteriaSet, levels: readonly SchoolLevel[]): PlanDocument["criteria"] =>
  set.criteria
    .filter((c) => levels.length === 0 || appliesToLevel(c.levels, levels))
    .map((c) => ({
      id: c.id,
      title: `${c.title}${c.levels ? ` (áp dụng cho ${levelNames(c.levels)})` : ""}${c.mandatory ? "" : " (không bắt buộc)"}`,
      points: formatPoints(c.points),
      indicators: indicatorsOf(c, levels),
    }));

/** Each window or deadline of the calendar, as the documents write dates. */
const timelineOf = (calendar: Calendar): PlanDocument["timeline"] =>
  CALENDAR_ITEMS.map((item) => {
    const value = calendar[item.key];
    const when =
      typeof value === "string"
        ? `Chậm nhất ${dayInWords(value)}`
        : upperFirst(periodInWords(value as { from: string; to: string }));
    return {
      label: item.label,
      when: item.key === "fixBy" ? `${when} (hoặc thời hạn ghi tại thông báo bổ sung của phòng)` : when,
    };
  });

const formsOf = (forms: PlanSource["forms"]): PlanDocument["forms"] =>
  (["registration", "dossier", "incident"] as const).map((k) => ({
    name: FORM_NAMES[k],
    ...(forms[k] ? { url: forms[k] } : {}),
  }));

/** What each school does, in the order of the campaign, each with its day. */
const tasksOf = (ctx: DocumentContext, source: PlanSource): string[] => {
  const { calendar, criteriaSet } = source;
  const registered = criteriaSet.criteria
    .flatMap((c) => c.indicators)
    .filter((i) => i.stage === "registration" && appliesToLevel(i.levels, source.levels))
    .map((i) => i.subject);
  return [
    `Đăng ký xây dựng qua biểu mẫu đăng ký${registered.length ? `, kèm minh chứng: ${registered.join("; ")}` : ""}, ${periodInWords(calendar.registration)}.`,
    `Tổ chức thực hiện các tiêu chí tại mục II.1 trong kỳ đánh giá ${ctx.period}; lưu giữ đầy đủ minh chứng (văn bản, hình ảnh) của từng chỉ tiêu.`,
    `Nộp hồ sơ tự đánh giá qua biểu mẫu hồ sơ: trả lời đủ các chỉ tiêu, tải lên tệp minh chứng hoặc dán đường dẫn Google Drive đã chia sẻ, ${periodInWords(calendar.dossier)}.`,
    `Khi nhận thông báo bổ sung của phòng, gửi lại nội dung còn thiếu qua biểu mẫu hồ sơ chậm nhất ${dayInWords(calendar.fixBy)}, hoặc theo thời hạn ghi tại thông báo.`,
    `Chuẩn bị hồ sơ, minh chứng gốc và bố trí thành phần làm việc với Đoàn kiểm tra ${periodInWords(calendar.inspection)}; lịch kiểm tra của từng trường được gửi qua thư điện tử.`,
    "Báo cáo ngay các vụ việc xảy ra tại đơn vị thuộc nội dung các tiêu chí qua biểu mẫu báo cáo vụ việc, trong suốt năm học.",
  ];
};

const organisationOf = (ctx: DocumentContext, source: PlanSource): PlanDocument["organisation"] => {
  const { office } = ctx;
  const { calendar } = source;
  const decider = office.authority ? office.authority.name : "cấp có thẩm quyền";
  return [
    {
      title: `1. ${office.issuingBodyName}`,
      paragraphs: [
        "Ban hành kế hoạch; gửi đường dẫn các biểu mẫu đến các trường; theo dõi tiến độ của từng trường trên bảng theo dõi; xem xét, duyệt trước khi gửi kết quả đánh giá, thông báo bổ sung đến từng trường.",
        `Chủ trì, phối hợp ${localPolice(office)} và các đơn vị liên quan kiểm tra thực tế tại các trường ${periodInWords(calendar.inspection)}; lập biên bản kiểm tra từng trường.`,
        `Tổng hợp, báo cáo kết quả về ${office.superiorBody} chậm nhất ${dayInWords(calendar.reportDue)}; đề nghị ${decider} công nhận các trường đạt.`,
      ],
    },
    {
      title: "2. Các trường trực thuộc",
      paragraphs: [
        "Hiệu trưởng chịu trách nhiệm tổ chức thực hiện các nội dung tại mục II của kế hoạch tại đơn vị, đúng thời gian quy định; phân công cán bộ phụ trách và theo dõi thư điện tử của phòng gửi đến địa chỉ của trường.",
        `Trường hợp có khó khăn, vướng mắc, liên hệ ${issuerName(office)} qua địa chỉ thư điện tử ${office.email}.`,
      ],
    },
    {
      title: `3. ${localPolice(office)} (đề nghị phối hợp)`,
      paragraphs: [
        "Cử cán bộ tham gia Đoàn kiểm tra thực tế tại các trường trên địa bàn; phối hợp xác minh các vụ việc các trường báo cáo.",
      ],
    },
  ];
};

export const planDocument = (ctx: DocumentContext, source: PlanSource): PlanDocument => {
  const { office, award, schoolYear } = ctx;
  const { criteriaSet } = source;
  const issuer = issuerName(office);
  const what = `xây dựng, công nhận ${award} năm học ${schoolYear}`;
  const doc = base("ke-hoach", ctx, `Triển khai thực hiện ${what}`, [
    "Các trường trực thuộc (để thực hiện);",
    `${localPolice(office)} (để phối hợp);`,
    `${office.superiorBody} (để báo cáo);`,
    `Lưu: VT, ${office.numberPrefix}.`,
  ]);
  const bases = basesOf(criteriaSet.legalBasis);
  const total = criteriaSet.criteria.reduce((sum, c) => sum + c.points, 0);
  return {
    ...doc,
    kind: "ke-hoach",
    bases,
    intro: `${bases.length ? "" : `Thực hiện ${lowerFirst(criteriaSet.title)}, `}${issuer} xây dựng Kế hoạch triển khai thực hiện ${what} (kỳ đánh giá ${ctx.period}) với các nội dung như sau:`,
    purposes: [
      `Triển khai đến các trường trực thuộc việc xây dựng, đánh giá và công nhận ${award}; phát huy vai trò, trách nhiệm của thủ trưởng đơn vị trong tổ chức thực hiện.`,
      "Việc đăng ký, nộp hồ sơ và minh chứng của các trường thực hiện qua biểu mẫu trực tuyến, đúng thời gian của kế hoạch; việc kiểm tra, đánh giá bảo đảm khách quan, đúng tiêu chí, kết quả được thông báo đến từng trường.",
      "Làm căn cứ để đề nghị cấp có thẩm quyền công nhận và xét khen thưởng các trường đạt.",
      `Chỉ tiêu: 100% trường trực thuộc được công nhận “${upperFirst(award)}”.`,
    ],
    criteriaIntro: `Các trường tự đánh giá và được kiểm tra, đánh giá theo ${lowerFirst(criteriaSet.title)}, gồm ${formatNumberVi(criteriaSet.criteria.length)} tiêu chí, tổng ${formatPoints(total)} điểm. Trường được công nhận khi đạt tất cả các chỉ tiêu bắt buộc; điểm số cho biết mức độ hoàn thành, không thay cho yêu cầu đạt từng chỉ tiêu bắt buộc.`,
    criteria: criteriaOf(criteriaSet, source.levels),
    timeline: timelineOf(source.calendar),
    forms: formsOf(source.forms),
    tasks: tasksOf(ctx, source),
    organisation: organisationOf(ctx, source),
    closing: `Trên đây là Kế hoạch triển khai thực hiện ${what} của ${issuer}. Đề nghị Hiệu trưởng các trường trực thuộc triển khai thực hiện nghiêm túc các nội dung nêu trên./.`,
  };
};
