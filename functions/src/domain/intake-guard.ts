import { createHash } from "node:crypto";
import {
  boundedJson,
  type IntakeContext,
  type IntakeOutcome,
  normalizeTimestamp,
  readFormResponse,
  submissionKey,
} from "./intake.js";
import { truncateText } from "./text.js";

/**
 * Intake's guard against poison: a response too large or too deeply nested to store is kept, not
 * allowed to block the others. Firestore refuses a document over 1 MiB, and a commit holding one
 * refuses every response in it, so a form's later responses would never get past it; `JSON.stringify`
 * throws on a payload nested thousands deep. Such a response is quarantined: its raw payload cut
 * (with a marker saying so), its answers dropped, and a reason in Vietnamese the school can act on.
 */

/**
 * The largest raw response kept whole, in bytes of JSON (UTF-8): its answers and respondent are
 * parts of it, so its stored document stays below twice this, far below Firestore's 1 MiB.
 */
export const MAX_RESPONSE_BYTES = 256 * 1024;
/** How much of an oversized response is kept, to show what it was. */
const KEPT_CHARS = 16 * 1024;

/** Every response goes through here: read as it is, unless it cannot be stored whole. */
export const readResponse = (raw: unknown, ctx: IntakeContext): IntakeOutcome => {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? "null";
  } catch {
    return unreadable(raw, ctx);
  }
  const outcome = readFormResponse(raw, ctx);
  const bytes = Buffer.byteLength(text, "utf8");
  return bytes > MAX_RESPONSE_BYTES ? oversized(outcome, text, bytes) : outcome;
};

const kb = (bytes: number) => Math.ceil(bytes / 1024).toLocaleString("vi-VN");
const cap = (text: string | null) => (text === null ? null : truncateText(text, 200));

/** Too large to keep whole: the school is still found, and told what to fix. */
export const oversized = (outcome: IntakeOutcome, text: string, bytes: number): IntakeOutcome => ({
  ...outcome,
  disposition: "quarantined",
  respondent: { name: cap(outcome.respondent.name), role: cap(outcome.respondent.role) },
  answers: {},
  reasons: [
    `Câu trả lời quá lớn (${kb(bytes)} KB, tối đa ${kb(MAX_RESPONSE_BYTES)} KB): có lẽ một câu đã bị dán nhầm ` +
      "một nội dung rất dài. Hãy sửa câu trả lời cho ngắn gọn (minh chứng là đường dẫn tệp) rồi gửi lại.",
    ...outcome.reasons,
  ],
  raw: { truncated: true, bytes, head: truncateText(text, KEPT_CHARS, "") },
});

/** Too deeply nested to read at all: kept under what id and time it has, with a marker. */
const unreadable = (raw: unknown, ctx: IntakeContext): IntakeOutcome => {
  const record = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const id =
    typeof record.responseId === "string" && /^[^/]{1,300}$/u.test(record.responseId)
      ? record.responseId
      : null;
  const time =
    typeof record.lastSubmittedTime === "string" ? normalizeTimestamp(record.lastSubmittedTime) : undefined;
  const head = truncateText(boundedJson(raw, 16), KEPT_CHARS, "");
  const responseId = id ?? `khong-doc-duoc-${createHash("sha256").update(head).digest("hex").slice(0, 24)}`;
  const lastSubmittedTime = time ?? (normalizeTimestamp(ctx.receivedAt) as string);
  return {
    key: submissionKey(responseId, lastSubmittedTime),
    responseId,
    formId: typeof record.formId === "string" ? truncateText(record.formId, 200, "") : null,
    stage: ctx.stage,
    lastSubmittedTime,
    respondentEmail: null,
    senderVerified: false,
    respondent: { name: null, role: null },
    schoolCode: null,
    disposition: "quarantined",
    malformed: true,
    reasons: ["Dữ liệu câu trả lời lồng nhau quá sâu, không đọc được; Phòng sẽ kiểm tra và liên hệ trường."],
    answers: {},
    raw: { unreadable: true, head },
  };
};

/**
 * A response the store still could not write (Firestore refused it as an invalid argument): kept
 * with its identity and reasons, without the payload and answers that made it unstorable.
 */
export const unstorable = (outcome: IntakeOutcome): IntakeOutcome => ({
  ...outcome,
  disposition: "quarantined",
  respondentEmail: outcome.respondentEmail === null ? null : truncateText(outcome.respondentEmail, 200, ""),
  respondent: { name: cap(outcome.respondent.name), role: cap(outcome.respondent.role) },
  answers: {},
  reasons: [
    "Câu trả lời không lưu được nguyên văn (dữ liệu bất thường); Phòng đã giữ lại bản rút gọn và sẽ liên hệ trường.",
    ...outcome.reasons.slice(0, 20).map((r) => truncateText(r, 500)),
  ],
  raw: { unstorable: true, head: truncateText(boundedJson(outcome.raw, 8), KEPT_CHARS, "") },
});
