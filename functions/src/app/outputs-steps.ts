import { undeliveredMessages, undeliveredReason } from "../domain/mail.js";
import { type ChaseRun, chaseToday } from "./chase-daily.js";
import { renderSchoolReports } from "./documents.js";
import { sendSchoolMail } from "./school-mail.js";
import type { SendDeps } from "./send-deps.js";

/** The local run's long steps (outputs.ts): every school's documents, then its mail and the day's chasing. */

export interface Unfinished {
  code: string;
  what: "PDF" | "thư";
  reason: string;
}

/** Acknowledgements of receipt sent; schools whose documents wait for the office's approval. */
export interface ApprovalTally {
  acknowledged: number;
  awaiting: string[];
}

/** Tells a step's progress: `done` of `total`, and how many failed. */
type Say = (step: string, done?: number, total?: number, failed?: number) => void;

/**
 * Every school's documents. A school whose documents failed (a browser that crashed or hung) is
 * tried once more at the end; what still fails is reported, never counted as done.
 */
export const renderAll = async (deps: SendDeps, campaignId: string, say: Say): Promise<Unfinished[]> => {
  const step = "Kết quả đánh giá từng trường (PDF)";
  say(step);
  let total = 0;
  const first = await renderSchoolReports(deps, campaignId, {
    all: true,
    onProgress: (done, of) => {
      total = of;
      say(step, done, of);
    },
  });
  const again = first.failed.length
    ? (await renderSchoolReports(deps, campaignId, { codes: first.failed.map((f) => f.code) })).failed
    : [];
  say(step, total - again.length, total, again.length);
  return again.map((f) => ({ code: f.code, what: "PDF", reason: f.error }));
};

/** Every school's mail, once; a school whose mail failed is tried once more (its slot stays pending). */
export const mailAll = async (
  deps: SendDeps,
  campaignId: string,
  say: Say,
): Promise<{ unfinished: Unfinished[]; chase: ChaseRun; approval: ApprovalTally }> => {
  const step = "Thư gửi các trường (.eml)";
  say(step);
  let total = 0;
  const first = await sendSchoolMail(deps, campaignId, {
    onProgress: (done, of) => {
      total = of;
      say(step, done, of);
    },
  });
  const second = first.failedSchools.length ? await sendSchoolMail(deps, campaignId) : undefined;
  const failed = second?.failedSchools ?? [];
  const unfinished: Unfinished[] = [
    ...failed.map((f) => ({ code: f.code, what: "thư" as const, reason: f.error })),
    // A message that did not go (refused, to retry later, unknown) is as unfinished as a failed school.
    ...undeliveredMessages([...first.messages, ...(second?.messages ?? [])])
      .filter((m) => !failed.some((f) => f.code === m.school))
      .map((m) => ({ code: m.school, what: "thư" as const, reason: undeliveredReason(m.to, m.outcome) })),
  ];
  const schools = new Set(unfinished.map((u) => u.code)).size;
  say(step, total - schools, total, schools);
  // Then the day's chasing (the daily job's in a deployment): reminders, the office's digest and letter.
  say("Nhắc hạn và thư tổng hợp gửi phòng");
  const chase = await chaseToday(deps, campaignId);
  unfinished.push(
    ...undeliveredMessages(chase.mail.messages).map((m) => ({
      code: m.school,
      what: "thư" as const,
      reason: undeliveredReason(m.to, m.outcome),
    })),
  );
  const acknowledged = first.messages.filter((m) => m.acknowledgement && m.outcome === "sent").length;
  return { unfinished, chase, approval: { acknowledged, awaiting: first.awaitingApproval ?? [] } };
};
