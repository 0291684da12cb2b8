import { describe, expect, it } from "vitest";
import { smtpFailure } from "../../functions/src/infra/mail/mailer.js";

/** What an SMTP failure means for the message, as nodemailer reports it: never "unknown" if not sent. */
const failure = (fields: Record<string, unknown>) => Object.assign(new Error("smtp"), fields);

describe("smtpFailure", () => {
  it.each([
    ["refused connection", { code: "ECONNREFUSED", command: "CONN" }, "transient"],
    ["greeting timed out", { code: "ETIMEDOUT", command: "CONN" }, "transient"],
    ["dropped after MAIL FROM", { code: "ECONNECTION", command: "MAIL FROM" }, "transient"],
    ["socket closed at RCPT TO", { code: "ESOCKET", command: "RCPT TO" }, "transient"],
    ["bad certificate", { code: "ETLS", command: "STARTTLS" }, "systemic"],
    ["wrong password", { code: "EAUTH", responseCode: 535, command: "AUTH PLAIN" }, "systemic"],
    ["mailbox full", { code: "EENVELOPE", responseCode: 452, command: "RCPT TO" }, "transient"],
    ["no such user", { code: "EENVELOPE", responseCode: 550, command: "RCPT TO" }, "permanent"],
    ["dropped while the message was being sent", { code: "ECONNECTION", command: "DATA" }, "ambiguous"],
    ["timed out after the message", { code: "ETIMEDOUT" }, "ambiguous"],
  ])("%s: %s", (_, fields, expected) => {
    expect(smtpFailure(failure(fields))).toBe(expected);
  });
});
