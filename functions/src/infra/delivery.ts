import { join } from "node:path";
import { GoogleAuth } from "google-auth-library";
import type { Config } from "../config.js";
import { delegatedAuth } from "./delegation.js";
import { localAuth } from "./forms-api.js";
import { fileTransport, gmailTransport, type MailTransport, smtpTransport } from "./mailer.js";
import { driveReportStore, localReportStore, type ReportStore } from "./report-store.js";

/** What delivery reads from the configuration (src/config.ts, the one schema). */
export type DeliveryConfig = Pick<
  Config,
  | "DIENHINH_MAIL"
  | "DIENHINH_SMTP_HOST"
  | "DIENHINH_SMTP_PORT"
  | "DIENHINH_SMTP_USER"
  | "DIENHINH_SMTP_PASS"
  | "DIENHINH_SMTP_INSECURE"
  | "DIENHINH_GMAIL_SENDER"
  | "DIENHINH_DRIVE_FOLDER"
  | "DIENHINH_MAIL_DAILY_LIMIT"
  | "DIENHINH_GOOGLE_ROOT_URL"
>;

export const GMAIL_SEND_SCOPE = "https://www.googleapis.com/auth/gmail.send";

export const mailTransportFor = (config: DeliveryConfig, outDir: string): MailTransport => {
  switch (config.DIENHINH_MAIL) {
    case "file":
      return fileTransport(join(outDir, "outbox"));
    case "smtp":
      return smtpTransport({
        host: config.DIENHINH_SMTP_HOST ?? "",
        port: config.DIENHINH_SMTP_PORT,
        ...(config.DIENHINH_SMTP_USER ? { user: config.DIENHINH_SMTP_USER } : {}),
        ...(config.DIENHINH_SMTP_PASS ? { pass: config.DIENHINH_SMTP_PASS } : {}),
        ignoreTLS: config.DIENHINH_SMTP_INSECURE === "1",
      });
    case "gmail": {
      const sender = config.DIENHINH_GMAIL_SENDER ?? "";
      return gmailTransport({
        sender,
        auth: config.DIENHINH_GOOGLE_ROOT_URL
          ? localAuth()
          : delegatedAuth({ subject: sender, scopes: [GMAIL_SEND_SCOPE] }),
        ...(config.DIENHINH_GOOGLE_ROOT_URL ? { rootUrl: config.DIENHINH_GOOGLE_ROOT_URL } : {}),
      });
    }
  }
};

export const reportStoreFor = (config: DeliveryConfig, outDir: string): ReportStore =>
  config.DIENHINH_DRIVE_FOLDER
    ? driveReportStore(config.DIENHINH_DRIVE_FOLDER, {
        ...(config.DIENHINH_GOOGLE_ROOT_URL
          ? { rootUrl: config.DIENHINH_GOOGLE_ROOT_URL, auth: localAuth() }
          : // The whole Drive scope: the folder is the office's, shared with the service account,
            // and drive.file sees only files the app itself created. The account sees only what is shared.
            { auth: new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/drive"] }) }),
      })
    : localReportStore(join(outDir, "reports"));
