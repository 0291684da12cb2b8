import type { Campaign } from "../domain/campaign.js";
import { issuerName, parentName } from "../domain/documents.js";
import type { EmailView } from "../domain/email-view.js";
import type { MailOutcome, UnknownRelease } from "../domain/mail.js";
import type { School } from "../domain/school.js";
import type { MailTransport } from "../infra/mail/mailer.js";
import type { ReportDeps } from "./documents.js";
import { deliverOnce, type MailerDeps } from "./mail.js";
import type { StatusLinks } from "./status-page.js";

/** What sending mail to schools and the office needs, and what every message shares. */

export interface SendDeps extends ReportDeps {
  transport: MailTransport;
  dailyLimit?: number;
  backoffMs?: number;
  resendUnknown?: UnknownRelease;
  claimTimeoutMs?: number;
  /** A school's status link for its emails (none configured: the emails carry none). */
  statusLink?: StatusLinks;
}

/** The school's status link, when there is one, as the email views take it. */
export const statusUrlOf = async (
  deps: Pick<SendDeps, "statusLink">,
  campaign: Campaign,
  school: Pick<School, "code">,
): Promise<{ statusUrl?: string }> =>
  deps.statusLink ? { statusUrl: await deps.statusLink(campaign, school) } : {};

export const mailerDeps = (deps: SendDeps): MailerDeps => ({
  store: deps.store,
  transport: deps.transport,
  clock: deps.clock,
  sleep: deps.sleep,
  ...(deps.dailyLimit === undefined ? {} : { dailyLimit: deps.dailyLimit }),
  ...(deps.backoffMs === undefined ? {} : { backoffMs: deps.backoffMs }),
  ...(deps.resendUnknown === undefined ? {} : { resendUnknown: deps.resendUnknown }),
  ...(deps.claimTimeoutMs === undefined ? {} : { claimTimeoutMs: deps.claimTimeoutMs }),
});

/** Who writes, as the email templates name it. */
export const officeView = (campaign: Campaign): EmailView["office"] => ({
  issuingBody: issuerName(campaign.office),
  parentBody: parentName(campaign.office),
  email: campaign.office.email,
  place: campaign.office.place,
});

export interface SendRun {
  messages: Array<{
    school: string;
    to: string;
    outcome: MailOutcome | "would-send";
    /** An acknowledgement of receipt (acknowledge.ts), not the school's documents. */
    acknowledgement?: true;
  }>;
  failedSchools: Array<{ code: string; error: string }>;
  /** Schools whose documents wait for the office's approval in Theo dõi (approval.ts). */
  awaitingApproval?: string[];
  /** The office paused all mail to schools (Điều khiển): nothing was sent to any. */
  paused?: true;
}

/**
 * A message from the office to a school with no attachment (an inspection plan, a reminder): one
 * message to all its addresses, sent once under `key` (the mail outbox's exactly-once).
 */
export const mailSchoolOnce = (
  deps: SendDeps,
  campaign: Campaign,
  school: School,
  key: string,
  email: { subject: string; text: string; html: string },
): Promise<{ outcome: MailOutcome }> =>
  deliverOnce(
    mailerDeps(deps),
    campaign.id,
    key,
    {
      from: { name: issuerName(campaign.office), address: campaign.office.email },
      to: school.emails,
      subject: email.subject,
      text: email.text,
      html: email.html,
      attachments: [],
      messageId: `<${key}@dienhinh>`,
    },
    { schoolCode: school.code },
  );

/**
 * A message from the office's system to the office itself (its digest, its summary, an incident
 * alert to its leader): sent once under `key`, recorded under no school.
 */
export const mailOfficeOnce = (
  deps: SendDeps,
  campaign: Campaign,
  key: string,
  message: {
    to: string;
    email: { subject: string; text: string; html: string };
    attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
  },
): Promise<{ outcome: MailOutcome }> =>
  deliverOnce(
    mailerDeps(deps),
    campaign.id,
    key,
    {
      from: { name: issuerName(campaign.office), address: campaign.office.email },
      to: message.to,
      subject: message.email.subject,
      text: message.email.text,
      html: message.email.html,
      attachments: message.attachments ?? [],
      messageId: `<${key}@dienhinh>`,
    },
    { schoolCode: null },
  );
