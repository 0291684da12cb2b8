import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliverOnce, type MailerDeps } from "../../functions/src/app/mail.js";
import type { UnknownRelease } from "../../functions/src/domain/mail.js";
import {
  buildMime,
  MailError,
  type MailFailure,
  type OutgoingMail,
  smtpTransport,
} from "../../functions/src/infra/mail/mailer.js";
import {
  type ScriptedRelay,
  type SmtpScript,
  startScriptedRelay,
  testStore,
  uniqueId,
} from "../kit/index.js";

/**
 * What a failed SMTP session means for the message, with nodemailer's real errors: the real
 * transport against a relay that breaks the session at a chosen point. A failure is "not sent"
 * (transient) only when it is known to have come before the relay took DATA; a drop or a timeout
 * after that is ambiguous: the message is held for the office, never sent twice by itself.
 */
const mail = (n: number, campaign = "stages"): OutgoingMail => ({
  from: { name: "Phòng Giáo dục và Đào tạo", address: "phong@test.example" },
  to: `truong${n}@test.example`,
  subject: `Kết quả đánh giá số ${n}`,
  text: "Kính gửi Ban Giám hiệu,\nPhòng gửi kết quả đánh giá.",
  html: "<p>Kính gửi Ban Giám hiệu,</p><p>Phòng gửi kết quả đánh giá.</p>",
  attachments: [
    { filename: "ket-qua.pdf", content: Buffer.alloc(20_000, 7), contentType: "application/pdf" },
  ],
  messageId: `<${campaign}-${n}@dienhinh.test>`,
});

/** The kind of the MailError one send ends with ("sent" if it went through), and nodemailer's error. */
const sendThrough = async (
  relay: ScriptedRelay,
  options: { user?: string; pass?: string; socketTimeoutMs?: number } = {},
  message = mail(1),
): Promise<{
  kind: MailFailure | "sent";
  cause?: { code?: string; command?: string; responseCode?: number };
}> => {
  const transport = smtpTransport({ host: "127.0.0.1", port: relay.port, ignoreTLS: true, ...options });
  try {
    await transport.send(await buildMime(message), { from: message.from.address, to: message.to }, "m1");
    return { kind: "sent" };
  } catch (error) {
    if (!(error instanceof MailError)) throw error;
    return { kind: error.kind, cause: error.cause as { code?: string; command?: string } };
  }
};

describe.each([
  { pipelining: false, label: "one command at a time" },
  { pipelining: true, label: "PIPELINING" },
])("an SMTP relay that breaks the session ($label)", ({ pipelining }) => {
  let relay: ScriptedRelay;
  beforeAll(async () => {
    relay = await startScriptedRelay({ pipelining });
  });
  afterAll(() => relay.close());
  beforeEach(() => relay.reset());

  it("takes a message it is not told to break, with its Message-ID", async () => {
    expect((await sendThrough(relay)).kind).toBe("sent");
    expect(relay.received.map((m) => [m.messageId, m.to])).toEqual([
      ["<stages-1@dienhinh.test>", ["truong1@test.example"]],
    ]);
  });

  it.each<[string, SmtpScript, MailFailure, number]>([
    ["closed before its greeting", { kind: "drop", stage: "before-greeting" }, "transient", 0],
    ["closed when DATA came, after RCPT TO (no 354)", { kind: "drop", stage: "after-rcpt" }, "transient", 0],
    ["closed after the whole message, before its 250", { kind: "drop", stage: "after-data" }, "ambiguous", 1],
    ["closed in the middle of the message", { kind: "drop", stage: "mid-message" }, "ambiguous", 0],
    ["550 on RCPT TO", { kind: "refuse", at: "rcpt", code: 550 }, "permanent", 0],
    ["451 on RCPT TO", { kind: "refuse", at: "rcpt", code: 451 }, "transient", 0],
    ["451 after the message", { kind: "refuse", at: "message", code: 451 }, "transient", 0],
    ["554 after the message", { kind: "refuse", at: "message", code: 554 }, "permanent", 0],
  ])("%s: %s", async (_, script, expected, received) => {
    relay.script(script);
    const { kind, cause } = await sendThrough(relay);
    expect(kind).toBe(expected);
    expect(relay.received).toHaveLength(received);
    // A drop carries no reply code, and nodemailer names "CONN" as the command whatever the stage.
    if (script.kind === "drop")
      expect({ command: cause?.command, responseCode: cause?.responseCode }).toEqual({ command: "CONN" });
  });

  it("calls a relay that goes silent once it has the message ambiguous (ETIMEDOUT)", async () => {
    relay.dropNext("stall-after-data");
    const { kind, cause } = await sendThrough(relay, { socketTimeoutMs: 500 });
    expect({ kind, code: cause?.code, command: cause?.command }).toEqual({
      kind: "ambiguous",
      code: "ETIMEDOUT",
      command: "CONN",
    });
    expect(relay.received.map((m) => m.acknowledged)).toEqual([false]);
  });
});

describe("an SMTP relay that refuses the login", () => {
  it("stops the run: 535 on AUTH is systemic", async () => {
    const relay = await startScriptedRelay({ refuseAuth: true });
    try {
      const { kind, cause } = await sendThrough(relay, { user: "phong@test.example", pass: "sai" });
      expect({ kind, responseCode: cause?.responseCode }).toEqual({ kind: "systemic", responseCode: 535 });
      expect(relay.received).toHaveLength(0);
    } finally {
      await relay.close();
    }
  });

  it("calls a refused connection transient: nothing was sent", async () => {
    const relay = await startScriptedRelay();
    await relay.close();
    expect((await sendThrough(relay)).kind).toBe("transient");
  });
});

describe("deliverOnce through a relay that drops every session after DATA", () => {
  let relay: ScriptedRelay;
  beforeAll(async () => {
    relay = await startScriptedRelay();
  });
  afterAll(() => relay.close());

  it("holds each message, received once, until the office releases it", async () => {
    const campaignId = uniqueId("smtp-stages");
    const deps = (resendUnknown: UnknownRelease = false): MailerDeps => ({
      store: testStore(),
      transport: smtpTransport({ host: "127.0.0.1", port: relay.port, ignoreTLS: true }),
      clock: () => new Date(),
      sleep: async () => {},
      backoffMs: 1,
      resendUnknown,
    });
    const messages = [1, 2, 3, 4, 5].map((n) => mail(n, campaignId));
    // One after another, as the job sends: they share the day's quota counter.
    const sendAll = async (resendUnknown: UnknownRelease = false) => {
      const outcomes: string[][] = [];
      for (const [i, m] of messages.entries()) {
        const { outcome, record } = await deliverOnce(deps(resendUnknown), campaignId, `k${i}`, m, {
          schoolCode: null,
        });
        outcomes.push([outcome, record.state]);
      }
      return outcomes;
    };
    const receivedOf = () => messages.map((m) => relay.counts().get(m.messageId) ?? 0);

    relay.dropNext("after-data", messages.length);
    expect(await sendAll()).toEqual(messages.map(() => ["unknown", "unknown"]));
    expect(receivedOf()).toEqual([1, 1, 1, 1, 1]);

    // The next run (the relay now answers) does not send them again: they are the office's to check.
    const sessions = relay.connections.length;
    expect(await sendAll()).toEqual(messages.map(() => ["unknown", "unknown"]));
    expect(relay.connections.length).toBe(sessions);
    expect(receivedOf()).toEqual([1, 1, 1, 1, 1]);

    // The office found the first two in its sent mailbox, and released only the third
    // (`dienhinh send --resend-unknown truong3@test.example`): it alone goes out again.
    const outcomes = await sendAll(["TRUONG3@test.example "]);
    expect(outcomes.map(([outcome]) => outcome)).toEqual([
      "unknown",
      "unknown",
      "sent",
      "unknown",
      "unknown",
    ]);
    expect(receivedOf()).toEqual([1, 1, 2, 1, 1]);

    // Released, all of them (`dienhinh send --resend-unknown`): each goes out once more, and only then.
    expect(await sendAll(true)).toEqual(messages.map((_, i) => [i === 2 ? "already-sent" : "sent", "sent"]));
    expect(receivedOf()).toEqual([2, 2, 2, 2, 2]);
    expect(await sendAll(true)).toEqual(messages.map(() => ["already-sent", "sent"]));
    expect(receivedOf()).toEqual([2, 2, 2, 2, 2]);
  });
});
