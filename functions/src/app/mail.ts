import { randomUUID } from "node:crypto";
import type { MailOutcome, MailRecord, UnknownRelease } from "../domain/mail.js";
import { InputError, publicMessageOf } from "../errors.js";
import { buildMime, MailError, type MailTransport, type OutgoingMail } from "../infra/mail/mailer.js";
import type { Store } from "../infra/store/index.js";

/**
 * Sending each message exactly once (the rules: domain/mail.ts). Before a message goes out, its
 * idempotency record is claimed in a transaction; after, it is marked sent. A send that fails
 * transiently is retried with backoff (here, then by a later run); a permanent failure is recorded
 * and not tried again; the daily quota is respected by deferring to the next day, never by dropping.
 */
export interface MailerDeps {
  store: Pick<Store, "mail">;
  transport: MailTransport;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Messages a day the transport allows (Workspace Gmail: 2,000). */
  dailyLimit?: number;
  /** Attempts within one run before the message is left for a later one. */
  attempts?: number;
  /** First backoff delay (ms); doubled each attempt, with jitter. */
  backoffMs?: number;
  /** A claim older than this is reported as unknown (its sender died mid-send). */
  claimTimeoutMs?: number;
  /** Messages left unknown to send again (the office checked they did not go out). */
  resendUnknown?: UnknownRelease;
}

/** A failure no message can get past (credentials, the account's quota): fix it, then run again. */
export class MailSystemError extends InputError {
  constructor(reason: string, cause?: unknown) {
    super(
      `Không gửi được thư nào: ${reason}. Kiểm tra tài khoản gửi (mật khẩu, ủy quyền, hạn mức) rồi chạy lại; ` +
        "các thư chưa gửi vẫn được giữ.",
      cause === undefined ? {} : { cause },
    );
  }
}

/** Send one message (to one address, or to all of a school's), at most once whatever happens. */
export const deliverOnce = async (
  deps: MailerDeps,
  campaignId: string,
  key: string,
  mail: OutgoingMail,
  meta: { schoolCode: string | null },
): Promise<{ outcome: MailOutcome; record: MailRecord }> => {
  const claim = await deps.store.mail.claim(
    campaignId,
    {
      key,
      schoolCode: meta.schoolCode,
      recipient: [mail.to].flat().join(", "),
      subject: mail.subject,
      state: "sending",
      attempts: 0,
    },
    {
      now: deps.clock(),
      claimTimeoutMs: deps.claimTimeoutMs ?? 10 * 60_000,
      resendUnknown: deps.resendUnknown ?? false,
      dailyLimit: deps.dailyLimit ?? 2_000,
      claimId: randomUUID(),
    },
  );
  if (claim.outcome !== "claimed") return { outcome: claim.outcome, record: claim.record };

  const message = await buildMime(mail);
  const attempts = deps.attempts ?? 3;
  const backoff = deps.backoffMs ?? 1_000;
  const { claimId } = claim.record;
  const finish = async (record: MailRecord, quotaBack = false) => {
    await deps.store.mail.finish(campaignId, claimId, record, { now: deps.clock(), quotaBack });
    return record;
  };
  let attempt = claim.record.attempts;
  for (let i = 0; ; i++) {
    attempt++;
    try {
      const sent = await deps.transport.send(message, { from: mail.from.address, to: mail.to }, key);
      const record = await finish({
        ...claim.record,
        state: "sent",
        attempts: attempt,
        sentAt: deps.clock(),
        transportId: sent.id,
      });
      return { outcome: "sent", record };
    } catch (error) {
      const kind = error instanceof MailError ? error.kind : "ambiguous";
      // The server's own words for a refused message; ours for anything else.
      const reason = error instanceof MailError ? error.publicMessage : publicMessageOf(error);
      const base = { ...claim.record, attempts: attempt, lastError: reason };
      if (kind === "permanent")
        return { outcome: "failed", record: await finish({ ...base, state: "failed" }, true) };
      if (kind === "ambiguous")
        return { outcome: "unknown", record: await finish({ ...base, state: "unknown" }) };
      if (kind === "systemic") {
        // Every message would fail the same way: released, counted back, and the run stops.
        await finish({ ...base, state: "retry", notBefore: deps.clock() }, true);
        throw new MailSystemError(reason, error);
      }
      if (i + 1 >= attempts) {
        const notBefore = new Date(deps.clock().getTime() + backoff * 2 ** (attempt + 2));
        return { outcome: "retry-later", record: await finish({ ...base, state: "retry", notBefore }, true) };
      }
      await deps.sleep(backoff * 2 ** i * (0.5 + Math.random() / 2));
    }
  }
};
