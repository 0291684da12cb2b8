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
  /** One address, or every address of a school: one message, all of them in To. */
  to: string | readonly string[];
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
  send(
    message: Buffer,
    envelope: { from: string; to: string | readonly string[] },
    name: string,
  ): Promise<{ id: string }>;
}

/**
 * How a send failed, which decides what happens next:
 * - transient: not sent: refused for now (a 4xx reply), or broken off before the relay took the
 *   message (SMTP: before it answered DATA with 354): sent again later;
 * - permanent: this recipient cannot receive it (no such mailbox): recorded, never again;
 * - systemic: every message would fail (credentials, quota): the run stops, nothing is lost;
 * - ambiguous: the connection broke or timed out after the message may have been accepted (SMTP:
 *   after 354, or at a stage that cannot be known): not sent again by itself (nothing is sent
 *   twice); it is held as "unknown" until the office checks and releases it.
 */
export type MailFailure = "transient" | "permanent" | "systemic" | "ambiguous";

/**
 * A send that failed; its message is the server's own words (after a note in Vietnamese when it is
 * ambiguous), which the office may read.
 */
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
    to: [mail.to].flat(),
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

/**
 * What a nodemailer SMTP error means for the message. `dataAccepted`: the relay answered DATA
 * positively (354), so the message may have been handed over, whatever broke afterwards.
 *
 * A reply code is the server's own verdict and keeps its meaning at any stage (4xx: try later,
 * 5xx: refused for good; authentication and TLS: every message). Without one (a drop, a reset, a
 * timeout: nodemailer says command "CONN" for all of them, whatever the stage), the failure is
 * "not sent" only when it is known to have happened before the relay took DATA; after that, the
 * relay may have the message, so it is ambiguous and never sent again by itself.
 */
export const smtpFailure = (error: unknown, dataAccepted: boolean): MailFailure => {
  const { responseCode, code, response } = error as {
    responseCode?: number;
    code?: string;
    response?: string;
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
  // A refusal (4xx, 5xx) is the server saying it did not take the message, at any stage.
  if (typeof responseCode === "number" && responseCode >= 400)
    return responseCode < 500 ? "transient" : "permanent";
  if (dataAccepted) return "ambiguous";
  // nodemailer refused the envelope itself (an address it cannot write): this message, for good.
  if (code === "EENVELOPE" && responseCode === undefined) return "permanent";
  // Before the relay took DATA (connecting, greeting, EHLO, MAIL FROM, RCPT TO, DATA refused).
  return "transient";
};

/**
 * Follows one SMTP session through nodemailer's transaction log (its own lines, `tnx: "client"`,
 * and the server's replies, `tnx: "server"`, logged before nodemailer acts on them) and tells
 * whether the relay took DATA. Replies are matched to commands in order, as SMTP (and PIPELINING)
 * answers them; anything out of step once DATA has gone counts as taken: when in doubt, ambiguous.
 */
const sessionWatch = () => {
  const awaiting: string[] = ["(greeting)"];
  let dataSent = false;
  let dataAccepted = false;
  const log = (entry: unknown, message: unknown) => {
    const tnx = (entry as { tnx?: unknown } | undefined)?.tnx;
    const line = typeof message === "string" ? message : String(message ?? "");
    if (tnx === "client") {
      const verb = line.trim().split(/\s/u)[0]?.toUpperCase() ?? "";
      awaiting.push(verb);
      if (verb === "DATA") dataSent = true;
    } else if (tnx === "server") {
      const command = awaiting.shift();
      if (/^354/u.test(line)) dataAccepted = true;
      if (command === "DATA" && /^[23]/u.test(line)) dataAccepted = true;
      if (command === undefined && dataSent) dataAccepted = true;
    }
  };
  const logger = { trace: log, debug: log, info: log, warn: log, error: log, fatal: log };
  return { logger, dataAccepted: () => dataAccepted };
};

export interface SmtpOptions {
  host: string;
  port: number;
  secure?: boolean;
  user?: string;
  pass?: string;
  /** Allow a server without TLS (a relay on loopback, tests). */
  ignoreTLS?: boolean;
  /** How long a silent socket is waited on (default 60 s; tests shorten it). */
  socketTimeoutMs?: number;
}

const AMBIGUOUS_NOTE =
  "Không rõ thư đã đi hay chưa: kết nối bị ngắt hoặc hết thời gian chờ sau khi máy chủ thư đã bắt đầu " +
  "nhận nội dung thư. Kiểm tra hộp thư đã gửi; nếu thư chưa đi, chạy dienhinh send --resend-unknown ĐỊA-CHỈ.";

/**
 * One transport (not pooled: one connection) per message, so its transaction log is that session's
 * alone; a shared transport would mix sessions and could not say which one reached DATA.
 */
export const smtpTransport = (options: SmtpOptions): MailTransport => ({
  describe: `SMTP ${options.host}:${options.port}`,
  async send(message, envelope) {
    const watch = sessionWatch();
    const transport = nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure ?? options.port === 465,
      ...(options.ignoreTLS ? { ignoreTLS: true } : {}),
      ...(options.user ? { auth: { user: options.user, pass: options.pass ?? "" } } : {}),
      connectionTimeout: 20_000,
      socketTimeout: options.socketTimeoutMs ?? 60_000,
      transactionLog: true,
      logger: watch.logger,
    });
    try {
      const info = await transport.sendMail({
        envelope: { from: envelope.from, to: [envelope.to].flat() },
        raw: message,
      });
      return { id: info.messageId ?? info.response ?? "" };
    } catch (error) {
      const kind = smtpFailure(error, watch.dataAccepted());
      const text = `SMTP: ${(error as Error).message}`;
      throw new MailError(kind === "ambiguous" ? `${AMBIGUOUS_NOTE} (${text})` : text, kind, error);
    }
  },
});

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
