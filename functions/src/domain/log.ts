import { STAGE_LABELS, type Stage } from "./criteria.js";

/** One line of the office's log (Nhật ký): what happened, to which school, when. */
export interface LogEvent {
  at: Date;
  /** What happened, as people say it: "Nhận câu trả lời", "Cần bổ sung", "Gửi thư", "Lỗi". */
  kind: string;
  schoolCode?: string;
  message: string;
}

/** What the log shows of a response received. */
export interface SubmissionLogFields {
  receivedAt: Date;
  stage: Stage;
  schoolCode: string | null;
  disposition: "accepted" | "quarantined";
  reasons: string[];
  respondentEmail: string | null;
  supersededBy: string | null;
}

export const submissionLogEvent = (s: SubmissionLogFields): LogEvent => {
  const from = s.respondentEmail ? ` từ ${s.respondentEmail}` : "";
  return {
    at: s.receivedAt,
    kind: s.disposition === "accepted" ? "Nhận câu trả lời" : "Cần bổ sung",
    ...(s.schoolCode ? { schoolCode: s.schoolCode } : {}),
    message:
      s.disposition === "accepted"
        ? `${STAGE_LABELS[s.stage]}: đã nhận${from}${s.supersededBy ? " (đã có bản sửa sau)" : ""}`
        : `${STAGE_LABELS[s.stage]}${from}: ${s.reasons.join("; ")}`,
  };
};
