/**
 * What the office records on a school in Theo dõi: its working note, its approval to send the
 * school's documents (Phòng duyệt gửi), and the number the office's văn thư gave the school's
 * notice once signed (Số văn bản). Until issue 13 a whole-school verdict was typed beside them; the
 * verdict now comes from the inspection's findings, indicator by indicator (see inspection.ts),
 * and a stored verdict is ignored.
 */
export interface OfficeReview {
  note: string;
  /**
   * The content (`SchoolState.contentHash`) the office approved for sending. An approval holds for
   * that content only: when the school sends something new, the office looks again (approval.ts).
   */
  approved?: string;
  /** The registered number of the school's notice, for the content it was given for. */
  number?: { hash: string; value: number };
}

export const NO_REVIEW: OfficeReview = { note: "" };

/** What the inspection verdict column shows. */
export const VERDICT_LABELS = {
  "chua-kiem-tra": "Chưa kiểm tra",
  dat: "Đạt",
  "khong-dat": "Không đạt",
} as const;

export const sameReview = (a: OfficeReview | undefined, b: OfficeReview | undefined): boolean =>
  (a?.note ?? "") === (b?.note ?? "") &&
  (a?.approved ?? "") === (b?.approved ?? "") &&
  (a?.number?.hash ?? "") === (b?.number?.hash ?? "") &&
  (a?.number?.value ?? 0) === (b?.number?.value ?? 0);
