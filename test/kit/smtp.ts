import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on loopback (smtp-server) that keeps what it receives, parsed as a mail client
 * would (mailparser), and can refuse the next messages, transiently (451) or for good (550).
 */
export interface SmtpSink {
  port: number;
  messages: ParsedMail[];
  /** Refuse the next `count` messages at DATA with this code. */
  refuseNext(count: number, code: 451 | 550): void;
  /** Refuse every message to this address with 550 (a mailbox that does not exist). */
  refuseRecipient(address: string): void;
  /** Forget the messages and accept everything again. */
  reset(): void;
  close(): Promise<void>;
}

export const startSmtpSink = async (): Promise<SmtpSink> => {
  const messages: ParsedMail[] = [];
  let refusals: { count: number; code: number } = { count: 0, code: 451 };
  const refusedRecipients = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refusedRecipients.has(address.address.toLowerCase())) {
        const error = Object.assign(new Error("5.1.1 Mailbox does not exist"), { responseCode: 550 });
        return callback(error);
      }
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (refusals.count > 0) {
          refusals.count--;
          const error = Object.assign(new Error("Try again later"), { responseCode: refusals.code });
          return callback(error);
        }
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            messages.push(mail);
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    port,
    messages,
    refuseNext(count, code) {
      refusals = { count, code };
    },
    refuseRecipient(address) {
      refusedRecipients.add(address.toLowerCase());
    },
    reset() {
      messages.length = 0;
      refusals = { count: 0, code: 451 };
      refusedRecipients.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
