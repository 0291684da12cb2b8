/**
 * A school's overall standing in a campaign:
 * - dien-hinh: every mandatory criterion met (Điển hình: "model school");
 * - chua-dat: a mandatory criterion is not met (Chưa đạt);
 * - chua-nop: no accepted submission yet (Chưa nộp);
 * - can-bo-sung: the school's latest response was quarantined and must be fixed (Cần bổ sung).
 */
export const SCHOOL_STATUSES = ["dien-hinh", "chua-dat", "can-bo-sung", "chua-nop"] as const;
export type SchoolStatus = (typeof SCHOOL_STATUSES)[number];

export const SCHOOL_STATUS_LABELS: Record<SchoolStatus, string> = {
  "dien-hinh": "Điển hình",
  "chua-dat": "Chưa đạt",
  "can-bo-sung": "Cần bổ sung",
  "chua-nop": "Chưa nộp",
};

export const INDICATOR_STATUSES = ["met", "not-met", "evidence-missing", "not-applicable"] as const;
export type IndicatorStatus = (typeof INDICATOR_STATUSES)[number];

export const INDICATOR_STATUS_LABELS: Record<IndicatorStatus, string> = {
  met: "Đạt",
  "not-met": "Chưa đạt",
  "evidence-missing": "Thiếu minh chứng",
  "not-applicable": "Không áp dụng",
};
