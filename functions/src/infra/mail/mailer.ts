import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { GoogleAuth, JWT, OAuth2Client } from "google-auth-library";
import { gmail as gmailApi } from "googleapis/build/src/apis/gmail/index.js";
import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer";
import { DienhinhError } from "../../errors.js";

/**
 * Email: messages are built by nodemailer's MIME composer (Vietnamese subjects and names encoded
 * as RFC 2047, PDF attachments in base64) and handed to one transport, chosen by configuration:
 * SMTP, the Gmail API (a service account with domain-wide delegation, sending as the office), or
 * .eml files in a folder (the local default). Transports only send; exactly-once is the caller's
 * (see app/mail.ts).
 */
export interface OutgoingMail {
  from: { name: string; address: string };
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  attachments: Array<{ filename: string; content: Buffer; contentType: string }>;
  /** Stable across retries, so a receiving server (and the .eml file) can tell a repeat. */
  messageId: string;
}

export interface MailTransport {
  /** For messages: "SMTP smtp.example:587", "Gmail API as x@y", "tệp .eml trong out/outbox". */
  describe: string;
  send(message: Buffer, envelope: { from: string; to: string }, name: string): Promise<{ id: string }>;
}

/**
 * How a send failed, which decides what happens next:
 * - transient: refused before it was accepted (busy, try later): sent again later;
 * - permanent: this recipient cannot receive it (no such mailbox): recorded, never again;
 * - systemic: every message would fail (credentials, quota): the run stops, nothing is lost;
 * - ambiguous: the connection broke after the message may have been accepted: not sent again
 *   by itself (nothing is sent twice), the office checks.
 */
export type MailFailure = "transient" | "permanent" | "systemic" | "ambiguous";

/** A send that failed; its message is the server's own words, which the office may read. */
export class MailError extends DienhinhError {
  readonly retryable: boolean;
  constructor(
    message: string,
    readonly kind: MailFailure,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? {} : { cause });
    this.retryable = kind === "transient";
  }
}

export const buildMime = async (mail: OutgoingMail): Promise<Buffer> =>
  new MailComposer({
    from: mail.from,
    to: mail.to,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    attachments: mail.attachments,
    headers: { "Content-Language": "vi" },
  })
    .compile()
    .build();

/** .eml files in a folder, named by the message's idempotency key: a mail client opens them. */
export const fileTransport = (dir: string): MailTransport => ({
  describe: `tệp .eml trong ${dir}`,
  async send(message, _envelope, name) {
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${name}.eml`);
    await writeFile(`${file}.partial`, message);
    await rename(`${file}.partial`, file);
    return { id: file };
  },
});

/** SMTP commands before DATA: a failure there means the message was not handed over. */
const BEFORE_DATA = /^(CONN|EHLO|HELO|LHLO|STARTTLS|AUTH|MAIL FROM|RCPT TO)/u;

/** What a nodemailer SMTP error means for the message (exported for tests). */
export const smtpFailure = (error: unknown): MailFailure => {
  const { responseCode, code, response, command } = error as {
    responseCode?: number;
    code?: string;
    response?: string;
    command?: string;
  };
  // A certificate or TLS refusal: configuration, the same for every message.
  if (code === "ETLS") return "systemic";
  if (
    code === "EAUTH" ||
    responseCode === 530 ||
    responseCode === 535 ||
    /5\.4\.5|5\.7\.0/u.test(response ?? "")
  )
    return "systemic";
  if (typeof responseCode === "number") return responseCode < 500 ? "transient" : "permanent";
  // Never connected: nothing was sent.
  if (["ECONNREFUSED", "EDNS"].includes(code ?? "")) return "transient";
  // Dropped or timed out before the message was sent (connecting, greeting, MAIL FROM, RCPT TO).
  if (command && BEFORE_DATA.test(command)) return "transient";
  return "ambiguous";
};

export interface SmtpOptions {
  host: string;
  port: number;
  secure?: boolean;
  user?: string;
  pass?: string;
  /** Allow a server without TLS (a relay on loopback, tests). */
  ignoreTLS?: boolean;
}

export const smtpTransport = (options: SmtpOptions): MailTransport => {
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure ?? options.port === 465,
    ...(options.ignoreTLS ? { ignoreTLS: true } : {}),
    ...(options.user ? { auth: { user: options.user, pass: options.pass ?? "" } } : {}),
    connectionTimeout: 20_000,
    socketTimeout: 60_000,
  });
  return {
    describe: `SMTP ${options.host}:${options.port}`,
    async send(message, envelope) {
      try {
        const info = await transport.sendMail({ envelope, raw: message });
        return { id: info.messageId ?? info.response ?? "" };
      } catch (error) {
        throw new MailError(`SMTP: ${(error as Error).message}`, smtpFailure(error), error);
      }
    },
  };
};

export interface GmailOptions {
  /** The sending mailbox (the service account impersonates it through domain-wide delegation). */
  sender: string;
  auth: JWT | OAuth2Client | GoogleAuth;
  rootUrl?: string;
}

/** Gmail API users.messages.send. Not retried by the client: a repeat would be a second email. */
export const gmailTransport = (options: GmailOptions): MailTransport => {
  const gmail = gmailApi({
    version: "v1",
    auth: options.auth,
    retry: false,
    timeout: 60_000,
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
  });
  return {
    describe: `Gmail API (${options.sender})`,
    async send(message) {
      // Credentials first: a token that cannot be had means nothing was sent, for every message.
      try {
        await options.auth.getAccessToken();
      } catch (error) {
        throw new MailError(`Gmail API: ${(error as Error).message}`, "systemic", error);
      }
      try {
        const { data } = await gmail.users.messages.send({
          userId: "me",
          requestBody: { raw: message.toString("base64url") },
        });
        return { id: data.id ?? "" };
      } catch (error) {
        const status = (error as { response?: { status?: number } }).response?.status;
        // 429: refused, not sent. 401/403: delegation or quota, for every message. 400: this
        // message. 5xx or no answer: it may have been sent.
        const kind: MailFailure =
          status === 429
            ? "transient"
            : status === 401 || status === 403
              ? "systemic"
              : status !== undefined && status < 500
                ? "permanent"
                : "ambiguous";
        throw new MailError(`Gmail API: ${(error as Error).message}`, kind, error);
      }
    },
  };
};
