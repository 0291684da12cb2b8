/**
 * A school's path through a campaign, as the office sees it, derived from data only (see
 * `deriveSchoolState`). In order:
 * - chua-dang-ky (Chưa đăng ký): nothing accepted from the school yet;
 * - da-dang-ky (Đã đăng ký): its registration is accepted; no dossier yet;
 * - can-bo-sung (Cần bổ sung): its latest response could not be taken, or its dossier lacks
 *   something it can still supply (evidence, an answer): it is told what, and by when;
 * - khong-du-dieu-kien (Không đủ điều kiện): it reported a fact of the period that rules it out
 *   (an incident, a rating): nothing to supply, and it is told so plainly;
 * - cho-kiem-tra (Chờ kiểm tra): its self-assessment meets every mandatory criterion: the office
 *   inspects it;
 * - dat / khong-dat (Đạt / Không đạt): the office's inspection, indicator by indicator;
 * - duoc-cong-nhan (Được công nhận): listed in the recorded decision of the competent authority.
 */
export const SCHOOL_STATUSES = [
  "chua-dang-ky",
  "da-dang-ky",
  "can-bo-sung",
  "khong-du-dieu-kien",
  "cho-kiem-tra",
  "dat",
  "khong-dat",
  "duoc-cong-nhan",
] as const;
export type SchoolStatus = (typeof SCHOOL_STATUSES)[number];

/** What the school's own answers say, before any inspection. */
export type SelfAssessedStatus = Extract<SchoolStatus, "can-bo-sung" | "khong-du-dieu-kien" | "cho-kiem-tra">;

export const SCHOOL_STATUS_LABELS: Record<SchoolStatus, string> = {
  "chua-dang-ky": "Chưa đăng ký",
  "da-dang-ky": "Đã đăng ký",
  "can-bo-sung": "Cần bổ sung",
  "khong-du-dieu-kien": "Không đủ điều kiện",
  "cho-kiem-tra": "Chờ kiểm tra",
  dat: "Đạt",
  "khong-dat": "Không đạt",
  "duoc-cong-nhan": "Được công nhận",
};

/** What each status means, as the office reads it (the sheet's legend, the README). */
export const SCHOOL_STATUS_MEANINGS: Record<SchoolStatus, string> = {
  "chua-dang-ky": "Trường chưa gửi phiếu đăng ký.",
  "da-dang-ky": "Trường đã đăng ký, chưa nộp hồ sơ tự đánh giá.",
  "can-bo-sung":
    "Hồ sơ còn thiếu điều trường bổ sung được (minh chứng, câu trả lời không đọc được): trường được báo cần bổ sung gì, hạn nào.",
  "khong-du-dieu-kien":
    "Trường tự khai một sự việc trong kỳ đánh giá làm không đủ điều kiện (vụ việc, xếp loại): không bổ sung được trong năm nay.",
  "cho-kiem-tra": "Tự đánh giá đạt mọi tiêu chí bắt buộc: chờ Phòng phối hợp kiểm tra.",
  dat: "Đoàn kiểm tra xác nhận mọi chỉ tiêu bắt buộc: được đề nghị công nhận.",
  "khong-dat": "Đoàn kiểm tra không xác nhận một chỉ tiêu bắt buộc (có lý do).",
  "duoc-cong-nhan": "Có tên trong quyết định công nhận của cấp có thẩm quyền.",
};

/**
 * The columns a summary counts schools in (reports, the command line): the path in seven steps,
 * registered or not folded into "not sent yet", and Đạt counted with those recognised since.
 */
export const PROGRESS_COLUMNS: ReadonlyArray<{
  label: string;
  /** For a terminal's width (KT: kiểm tra, CN: công nhận, ĐK: điều kiện). */
  short: string;
  statuses: readonly SchoolStatus[];
}> = [
  { label: "Chưa nộp", short: "Chưa nộp", statuses: ["chua-dang-ky", "da-dang-ky"] },
  { label: "Cần bổ sung", short: "Cần bổ sung", statuses: ["can-bo-sung"] },
  { label: "Không đủ điều kiện", short: "Không đủ ĐK", statuses: ["khong-du-dieu-kien"] },
  { label: "Chờ kiểm tra", short: "Chờ KT", statuses: ["cho-kiem-tra"] },
  { label: "Không đạt", short: "Không đạt", statuses: ["khong-dat"] },
  { label: "Đạt qua kiểm tra", short: "Đạt qua KT", statuses: ["dat", "duoc-cong-nhan"] },
  { label: "Được công nhận", short: "Được CN", statuses: ["duoc-cong-nhan"] },
];

/** Schools the office's inspection found Đạt, recognised since or not: "đạt qua kiểm tra". */
export const passedInspection = (status: SchoolStatus): boolean =>
  status === "dat" || status === "duoc-cong-nhan";

export const INDICATOR_STATUSES = ["met", "not-met", "evidence-missing", "not-applicable"] as const;
export type IndicatorStatus = (typeof INDICATOR_STATUSES)[number];

export const INDICATOR_STATUS_LABELS: Record<IndicatorStatus, string> = {
  met: "Đạt",
  "not-met": "Chưa đạt",
  "evidence-missing": "Thiếu minh chứng",
  "not-applicable": "Không áp dụng",
};
