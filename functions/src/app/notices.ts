import { dayIn } from "../domain/time.js";
import type { SendDeps } from "./send-deps.js";

/**
 * The day each school was last asked to supply something: its latest Thông báo cần bổ sung, or the
 * message that asked it to send again a response set aside (which has no notice). The Hạn bổ sung
 * counts from there, as that paper or message printed it.
 */
export const noticeDays = async (
  deps: Pick<SendDeps, "store" | "timeZone">,
  campaignId: string,
): Promise<Map<string, string>> => {
  const [reports, mails] = await Promise.all([
    deps.store.reports.list(campaignId),
    deps.store.mail.list(campaignId),
  ]);
  const asked = [
    ...reports.filter((r) => r.kind === "thong-bao").map((r) => ({ code: r.schoolCode, at: r.date })),
    ...mails
      .filter((m) => m.state === "sent" && m.subject.includes(SEND_AGAIN_SUBJECT))
      .map((m) => ({ code: m.schoolCode, at: m.sentAt })),
  ];
  const days = new Map<string, string>();
  for (const { code, at } of asked) {
    if (!code || !at) continue;
    const day = dayIn(at, deps.timeZone);
    if (day > (days.get(code) ?? "")) days.set(code, day);
  }
  return days;
};

/** The subject's words of the message asking a school to send again a response set aside (ket-qua). */
const SEND_AGAIN_SUBJECT = "Đề nghị gửi lại câu trả lời";
