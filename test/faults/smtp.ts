import { randomBytes } from "node:crypto";
import { deliverOnce, type MailerDeps } from "../../functions/src/app/mail.js";
import type { MailOutcome } from "../../functions/src/domain/mail.js";
import {
  type MailTransport,
  type OutgoingMail,
  smtpTransport,
} from "../../functions/src/infra/mail/mailer.js";
import { createFirestore } from "../../functions/src/infra/store/firestore.js";
import { firestoreStore } from "../../functions/src/infra/store/index.js";
import { startScriptedRelay } from "../kit/smtp-faults.js";
import type { Fault, FaultRow } from "./fault.js";

/**
 * The SMTP relay drops a third of its connections, each at a random stage (before its greeting,
 * after RCPT TO, after the whole message, in the middle of it), seeded so a run can be repeated.
 * Distinct messages go through deliverOnce over several passes, as the scheduled job would run
 * again: what is "retry-later" is tried once its notBefore has passed; what is "unknown" stays held
 * (nobody releases it here). No message may arrive twice, and none may be lost: each arrived, or
 * is held for the office.
 */
const MESSAGES = 120;
const PASSES = 5;
const SEED = 20_261_105;
/** Outcomes after which a later run has nothing more to do for the message. */
const SETTLED: ReadonlySet<MailOutcome> = new Set(["sent", "already-sent", "failed", "unknown"]);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const message = (campaignId: string, n: number): OutgoingMail => ({
  from: { name: "Phòng Giáo dục và Đào tạo", address: "phong@test.example" },
  to: `truong${n}@test.example`,
  subject: `Kết quả đánh giá trường số ${n}`,
  text: "Kính gửi Ban Giám hiệu,\nPhòng Giáo dục và Đào tạo gửi kết quả đánh giá của trường.",
  html: "<p>Kính gửi Ban Giám hiệu,</p><p>Phòng Giáo dục và Đào tạo gửi kết quả đánh giá của trường.</p>",
  attachments: [
    { filename: `ket-qua-${n}.pdf`, content: randomBytes(8_000 + n * 50), contentType: "application/pdf" },
  ],
  messageId: `<${campaignId}-${n}@dienhinh.test>`,
});

export const smtpFault: Fault = {
  name: "smtp",
  async run(context): Promise<FaultRow[]> {
    const relay = await startScriptedRelay();
    relay.dropRandomly(1 / 3, SEED);
    const db = createFirestore({ projectId: "demo-dienhinh", emulatorHost: context.firestoreHost });
    const store = firestoreStore(db, "faults");
    const campaignId = `faults-smtp-${randomBytes(4).toString("hex")}`;
    try {
      let attempts = 0;
      const smtp = smtpTransport({ host: "127.0.0.1", port: relay.port, ignoreTLS: true });
      const transport: MailTransport = {
        describe: smtp.describe,
        send: (...args) => {
          attempts++;
          return smtp.send(...args);
        },
      };
      const deps: MailerDeps = { store, transport, clock: () => new Date(), sleep, backoffMs: 1 };
      const messages = Array.from({ length: MESSAGES }, (_, i) => message(campaignId, i + 1));
      const keyOf = (i: number) => `fault-${i + 1}`;
      let pending = messages.map((_, i) => i);
      for (let pass = 0; pass < PASSES && pending.length > 0; pass++) {
        // The next run comes once the earliest retry may go (notBefore), as the scheduler's would.
        const records = await Promise.all(pending.map((i) => store.mail.get(campaignId, keyOf(i))));
        const due = Math.max(0, ...records.map((r) => (r?.notBefore?.getTime() ?? 0) - Date.now()));
        await sleep(due);
        const next: number[] = [];
        for (const i of pending) {
          const mail = messages[i] as OutgoingMail;
          const { outcome } = await deliverOnce(deps, campaignId, keyOf(i), mail, { schoolCode: null });
          if (!SETTLED.has(outcome)) next.push(i);
        }
        pending = next;
      }
      const counts = relay.counts();
      const records = await store.mail.list(campaignId);
      const heldKeys = new Set(records.filter((r) => r.state === "unknown").map((r) => r.key));
      const arrived = messages.map((m) => counts.get(m.messageId) ?? 0);
      const delivered = arrived.filter((n) => n > 0).length;
      const duplicated = arrived.filter((n) => n > 1).length;
      const lost = arrived.filter((n, i) => n === 0 && !heldKeys.has(keyOf(i))).length;
      return [
        {
          fault: "SMTP relay drops a third of connections at random stages",
          attempts,
          expected: MESSAGES,
          delivered,
          duplicated,
          lost,
          held: heldKeys.size,
          ok: duplicated === 0 && lost === 0,
        },
      ];
    } finally {
      await relay.close();
      await db.terminate();
    }
  },
};
