import { createHash } from "node:crypto";

/**
 * Sending each message exactly once: the rules, without I/O. Before a message goes out, its
 * idempotency record (key = school + what it is told + recipient) is claimed; after, it is marked
 * sent. The same work delivered again finds it sent and sends nothing.
 *
 * States of a record:
 * - sending: claimed by a sender (with a claim id; a result is recorded only by its holder);
 * - sent, failed (refused for good), retry (refused before it was accepted: try after notBefore),
 *   deferred (the day's quota was used: try tomorrow);
 * - unknown: a sender stopped between claiming and recording the result, or the connection broke
 *   after the message may have been accepted. It is never sent again by itself (nothing is sent
 *   twice); the office checks the sent mailbox and releases it (`dienhinh send --resend-unknown`,
 *   for every such message or only for the recipients or schools it names).
 */
export const MAIL_STATES = ["sending", "sent", "retry", "failed", "deferred", "unknown"] as const;
export type MailState = (typeof MAIL_STATES)[number];

export interface MailRecord {
  key: string;
  schoolCode: string | null;
  recipient: string;
  subject: string;
  state: MailState;
  attempts: number;
  claimedAt?: Date;
  sentAt?: Date;
  notBefore?: Date;
  transportId?: string;
  lastError?: string;
  claimId?: string;
}

export type MailOutcome =
  | "sent"
  | "already-sent"
  | "in-flight"
  | "deferred"
  | "failed"
  | "retry-later"
  | "unknown";

export const mailKey = (schoolCode: string | null, documentHash: string, recipient: string): string =>
  createHash("sha256")
    .update(`${schoolCode ?? "-"}|${documentHash}|${recipient.toLowerCase()}`)
    .digest("hex")
    .slice(0, 40);

export interface ClaimOptions {
  now: Date;
  /** A claim older than this is reported as unknown (its sender died mid-send). */
  claimTimeoutMs: number;
  /** Messages left unknown to send again (the office checked they did not go out). */
  resendUnknown: UnknownRelease;
}

/**
 * Which messages left unknown the office released: every one (`true`), none (`false`), or those to
 * the addresses or schools named (an entry with "@" is an address, any other a school code).
 */
export type UnknownRelease = boolean | readonly string[];

/** A record's addresses: one message may go to every address of a school ("a@x, b@y"). */
export const recipientsOf = (record: Pick<MailRecord, "recipient">): string[] =>
  record.recipient
    .split(",")
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a !== "");

export const isReleased = (record: Pick<MailRecord, "recipient" | "schoolCode">, release: UnknownRelease) =>
  typeof release === "boolean"
    ? release
    : release.some((r) =>
        r.includes("@")
          ? recipientsOf(record).includes(r.trim().toLowerCase())
          : r.trim() === record.schoolCode,
      );

/**
 * Whether a record may be claimed now; if not, the outcome and the record to keep (`write`: the
 * record changed and must be saved).
 */
export const claimBlocked = (
  record: MailRecord | undefined,
  options: ClaimOptions,
): { outcome: MailOutcome; record: MailRecord; write: boolean } | undefined => {
  if (!record) return undefined;
  const now = options.now.getTime();
  if (record.state === "sent") return { outcome: "already-sent", record, write: false };
  if (record.state === "failed") return { outcome: "failed", record, write: false };
  if (record.state === "sending" && now - (record.claimedAt?.getTime() ?? 0) < options.claimTimeoutMs)
    return { outcome: "in-flight", record, write: false };
  if (
    (record.state === "sending" || record.state === "unknown") &&
    !isReleased(record, options.resendUnknown)
  ) {
    const unknown: MailRecord = {
      ...record,
      state: "unknown",
      lastError: "Tiến trình gửi dừng giữa chừng: không rõ thư đã đi hay chưa.",
    };
    return { outcome: "unknown", record: unknown, write: record.state === "sending" };
  }
  if ((record.notBefore?.getTime() ?? 0) > now) return { outcome: "retry-later", record, write: false };
  return undefined;
};

/** The day a message counts against (Vietnam's time, UTC+7, no daylight saving): "2026-11-05". */
export const mailQuotaDay = (now: Date): string =>
  new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

export const deferredRecord = (record: MailRecord, now: Date, limit: number): MailRecord => ({
  ...record,
  state: "deferred",
  notBefore: new Date(now.getTime() + 24 * 3_600_000),
  lastError: `Đã đạt giới hạn ${limit} thư/ngày; gửi lại sau.`,
});

/**
 * The messages of a run, and of its retry, that did not reach their recipient: each recipient's
 * last attempt counts (a retry that sent it makes it delivered).
 */
export const undeliveredMessages = <
  M extends { school: string; to: string; outcome: MailOutcome | "would-send" },
>(
  messages: readonly M[],
): M[] => {
  const last = new Map(messages.map((m) => [`${m.school}\n${m.to}`, m]));
  return [...last.values()].filter((m) => !DELIVERED.has(m.outcome));
};
const DELIVERED = new Set<string>(["sent", "already-sent", "would-send"]);

/** Why a message did not go, for the office (Vietnamese), and what to do about it. */
export const undeliveredReason = (to: string, outcome: MailOutcome | "would-send"): string => {
  switch (outcome) {
    case "failed":
      return `Máy chủ thư từ chối gửi đến ${to}: kiểm tra địa chỉ thư của trường.`;
    case "unknown":
      return `Không rõ thư đến ${to} đã đi hay chưa: kiểm tra hộp thư đã gửi; nếu chưa có, chạy dienhinh send --resend-unknown ${to}.`;
    case "retry-later":
      return `Chưa gửi được đến ${to} (máy chủ thư tạm thời không nhận); lần chạy sau sẽ gửi lại.`;
    case "deferred":
      return `Đã hết hạn mức thư trong ngày; thư đến ${to} sẽ được gửi ở lần chạy sau.`;
    default:
      return `Thư đến ${to} đang được gửi ở một lần chạy khác.`;
  }
};
