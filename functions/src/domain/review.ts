/**
 * The office's working note on a school, typed into the tracking sheet (Ghi chú của phòng). Until
 * issue 13 a whole-school verdict was typed beside it; the verdict now comes from the inspection's
 * findings, indicator by indicator (see inspection.ts), and a stored verdict is ignored.
 */
export interface OfficeReview {
  note: string;
}

export const NO_REVIEW: OfficeReview = { note: "" };

/** What the inspection verdict column shows. */
export const VERDICT_LABELS = {
  "chua-kiem-tra": "Chưa kiểm tra",
  dat: "Đạt",
  "khong-dat": "Không đạt",
} as const;

export const sameReview = (a: OfficeReview | undefined, b: OfficeReview | undefined): boolean =>
  (a?.note ?? "") === (b?.note ?? "");
