import { foldKey } from "./text.js";

/**
 * The office's own check of a school (kiểm tra thực tế), typed into the tracking sheet. It is
 * the last word on a school Chờ kiểm tra: it becomes Đạt or Không đạt.
 */
export const VERDICTS = ["chua-kiem-tra", "dat", "khong-dat"] as const;
export type Verdict = (typeof VERDICTS)[number];

export const VERDICT_LABELS: Record<Verdict, string> = {
  "chua-kiem-tra": "Chưa kiểm tra",
  dat: "Đạt",
  "khong-dat": "Không đạt",
};

export interface OfficeReview {
  verdict: Verdict;
  note: string;
}

export const NO_REVIEW: OfficeReview = { verdict: "chua-kiem-tra", note: "" };

const ALIASES: Record<string, Verdict> = {
  "": "chua-kiem-tra",
  "chua kiem tra": "chua-kiem-tra",
  dat: "dat",
  "khong dat": "khong-dat",
};

/** "Không đạt", "không  đạt", "KHONG DAT" → khong-dat; an empty cell is Chưa kiểm tra. */
export const parseVerdict = (text: string): Verdict | undefined => ALIASES[foldKey(text)];

export const sameReview = (a: OfficeReview | undefined, b: OfficeReview | undefined): boolean =>
  (a?.verdict ?? "chua-kiem-tra") === (b?.verdict ?? "chua-kiem-tra") && (a?.note ?? "") === (b?.note ?? "");
