import { type Calendar, DEADLINE_LABELS, type Deadline, deadlineFor, type Extension } from "./calendar.js";
import type { Stage } from "./criteria.js";
import type { StageInput } from "./school-state.js";
import { dayIn, formatDateVi } from "./time.js";

/**
 * Whether a school's response came after its deadline. A late response is kept, scored and shown
 * like any other: it is marked for the office to decide (the office accepts it by granting the
 * school an extension in the Gia hạn tab, which clears the mark). Nothing is dropped for lateness.
 */
export interface Lateness {
  stage: Stage;
  deadline: Deadline;
  /** The school's deadline (its extension's day when it has one), "YYYY-MM-DD". */
  due: string;
  /** The day the response was sent, in the campaign's time zone. */
  sent: string;
  daysLate: number;
}

const laterOf = (a: string, b: string) => (a > b ? a : b);

/**
 * The deadline a response of a stage answers: registration by Hạn đăng ký; a school's first dossier
 * by Hạn nộp hồ sơ; a later version of a dossier first sent on time answers the office's request
 * to supply something, due by Hạn bổ sung (or Hạn nộp hồ sơ, when the school's is later).
 */
export const lateness = (
  stage: Stage,
  input: Pick<StageInput, "lastSubmittedTime" | "firstSubmittedTime">,
  calendar: Calendar,
  extensions: readonly Extension[],
  timeZone: string,
): Lateness | undefined => {
  const sent = dayIn(new Date(input.lastSubmittedTime), timeZone);
  const first = dayIn(new Date(input.firstSubmittedTime ?? input.lastSubmittedTime), timeZone);
  const own = (d: Deadline) => deadlineFor(calendar, d, extensions).day;
  let deadline: Deadline = stage === "registration" ? "registration" : "dossier";
  let due = own(deadline);
  if (stage === "dossier" && input.firstSubmittedTime && first <= due && own("fix") > due) {
    deadline = "fix";
    due = laterOf(own("fix"), due);
  }
  if (sent <= due) return undefined;
  const daysLate = Math.round(
    (Date.parse(`${sent}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000,
  );
  return { stage, deadline, due, sent, daysLate };
};

/** "Nộp muộn 3 ngày (hạn nộp hồ sơ 15/11/2026): phòng quyết định, gia hạn nếu chấp nhận". */
export const latenessInWords = (late: Lateness): string =>
  `Nộp muộn ${late.daysLate} ngày (${DEADLINE_LABELS[late.deadline].toLocaleLowerCase("vi")} ` +
  `${formatDateVi(late.due)}): phòng quyết định, gia hạn nếu chấp nhận`;

/** A school's late responses, registration first. */
export const latenessOf = (
  latest: Partial<Record<Stage, StageInput>>,
  calendar: Calendar,
  extensions: readonly Extension[],
  timeZone: string,
): Lateness[] =>
  (["registration", "dossier"] as const).flatMap((stage) => {
    const input = latest[stage];
    const late = input ? lateness(stage, input, calendar, extensions, timeZone) : undefined;
    return late ? [late] : [];
  });
