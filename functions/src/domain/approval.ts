import type { OfficeReview } from "./review.js";
import { hasOutcomeToTell, pendingQuarantine, type SchoolState } from "./school-state.js";
import { cleanText } from "./text.js";

/**
 * Nothing official reaches a school before a person at the office approves it (issue 16). The
 * school's documents (its result, a notice, the inspection's minutes, the decision) are rendered
 * as soon as its state changes, so the clerk can open them from Theo dõi; they are mailed only once
 * the office approved what they say:
 * - the clerk chose "Duyệt" in Theo dõi's "Phòng duyệt gửi" for the school's current content, or
 * - the content is the office's own act: an inspection verdict, a recorded decision.
 * A school's new response changes its content, so the office looks again.
 */
export const APPROVE = "Duyệt";

/** The content is the office's own act: the inspection's verdict (every finding entered), or the decision recognising it. */
export const approvedByOfficeAct = (
  state: Pick<SchoolState, "status" | "recognition" | "outcome">,
): boolean =>
  state.recognition !== null ||
  // Judged whole: one rejection already gives Không đạt, but the team may still be entering findings.
  ((state.status === "dat" || state.status === "khong-dat") &&
    state.outcome.verdict !== null &&
    state.outcome.pending.length === 0);

/** Whether the school's current documents may be mailed. */
export const isApproved = (
  state: Pick<SchoolState, "status" | "recognition" | "outcome" | "review" | "contentHash">,
): boolean => state.review?.approved === state.contentHash || approvedByOfficeAct(state);

/**
 * Whether the school's documents are made and wait for the office: it has an outcome to be told
 * (not a response set aside, which is told what to send again without any document), not approved.
 */
export const awaitsApproval = (state: SchoolState): boolean =>
  hasOutcomeToTell(state) && !pendingQuarantine(state) && !isApproved(state);

/**
 * The approval a Theo dõi row gives, for content `hash`. "Duyệt" approves the content the row shows,
 * except when it is an approval of older content still showing (the school sent something since,
 * and the sheet has not been rewritten yet): then it lapses, the cell is cleared, and the clerk
 * approves again after looking. Anything else in the cell approves nothing.
 */
export const approvalOf = (cell: string, hash: string | undefined, before: OfficeReview | undefined) => {
  if (hash === undefined || cleanText(cell).toLocaleLowerCase("vi") !== APPROVE.toLocaleLowerCase("vi"))
    return undefined;
  if (before?.approved !== undefined && before.approved !== hash) return undefined;
  return hash;
};

/**
 * The registered number the clerk typed in "Số văn bản" ("15", or "15/TB-GDĐT" as registered):
 * its leading number, for content `hash`. A number given for older content lapses like an
 * approval (a new notice gets a new number). `problem` when the cell holds no number.
 */
export const numberOf = (
  cell: string,
  hash: string | undefined,
  before: OfficeReview | undefined,
): { number?: { hash: string; value: number }; problem?: string } => {
  const text = cleanText(cell);
  if (text === "" || hash === undefined) return {};
  if (before?.number && before.number.hash !== hash && before.number.value === leadingNumber(text)) return {};
  const value = leadingNumber(text);
  if (value === undefined)
    return {
      problem: `Số văn bản "${text}" không đọc được: ghi số đã vào sổ của thông báo, ví dụ 15 hoặc 15/TB-GDĐT.`,
    };
  return { number: { hash, value } };
};

const leadingNumber = (text: string): number | undefined => {
  const match = /^0*(\d{1,6})(?:\s*\/.*)?$/u.exec(text);
  const value = match ? Number(match[1]) : 0;
  return value > 0 ? value : undefined;
};

/** What Theo dõi shows in "Phòng duyệt gửi" and "Số văn bản" for the school's current content. */
export const approvalCells = (state: Pick<SchoolState, "review" | "contentHash"> | undefined) => ({
  approve: state?.review?.approved === state?.contentHash && state?.review?.approved ? APPROVE : null,
  number:
    state?.review?.number && state.review.number.hash === state.contentHash
      ? state.review.number.value
      : null,
});
