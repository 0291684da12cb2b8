import { describe, expect, it } from "vitest";
import { undeliveredMessages, undeliveredReason } from "../../functions/src/domain/mail.js";

describe("what a run could not deliver", () => {
  it("counts each recipient's last attempt: a retry that sent it makes it delivered", () => {
    const messages = [
      { school: "A", to: "a@x.vn", outcome: "retry-later" as const },
      { school: "B", to: "b@x.vn", outcome: "sent" as const },
      { school: "C", to: "c1@x.vn", outcome: "unknown" as const },
      { school: "C", to: "c2@x.vn", outcome: "already-sent" as const },
      { school: "D", to: "d@x.vn", outcome: "failed" as const },
      { school: "A", to: "a@x.vn", outcome: "sent" as const },
    ];
    expect(undeliveredMessages(messages).map((m) => [m.school, m.to])).toEqual([
      ["C", "c1@x.vn"],
      ["D", "d@x.vn"],
    ]);
  });

  it("tells the office why, and what to do, in Vietnamese", () => {
    expect(undeliveredReason("d@x.vn", "failed")).toBe(
      "Máy chủ thư từ chối gửi đến d@x.vn: kiểm tra địa chỉ thư của trường.",
    );
    expect(undeliveredReason("c@x.vn", "unknown")).toContain("dienhinh send --resend-unknown");
    expect(undeliveredReason("a@x.vn", "retry-later")).toContain("lần chạy sau sẽ gửi lại");
    expect(undeliveredReason("a@x.vn", "deferred")).toContain("hạn mức thư trong ngày");
  });
});
