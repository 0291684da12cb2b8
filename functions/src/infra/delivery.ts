import { join } from "node:path";
import { GoogleAuth } from "google-auth-library";
import { z } from "zod";
import { localAuth } from "./forms-api.js";
import { fileTransport, gmailTransport, type MailTransport, smtpTransport } from "./mailer.js";
import { driveReportStore, localReportStore, type ReportStore } from "./report-store.js";

/**
 * Where documents and email go, from the environment (one schema for the CLI and the functions):
 *   DIENHINH_MAIL=file|smtp|gmail     file (default): .eml files in OUT/outbox
 *   DIENHINH_SMTP_HOST, _PORT, _USER, _PASS, _INSECURE=1 (no TLS, for a relay on loopback)
 *   DIENHINH_GMAIL_SENDER             the office mailbox a service account sends as (domain-wide delegation)
 *   DIENHINH_DRIVE_FOLDER             a Drive folder for the PDFs (default: files in OUT/reports)
 *   DIENHINH_MAIL_DAILY_LIMIT         messages a day (Workspace Gmail: 2,000)
 *   DIENHINH_GOOGLE_ROOT_URL          a server speaking Google's REST paths (tests)
 */
export const deliveryConfigSchema = z
  .object({
    DIENHINH_MAIL: z.enum(["file", "smtp", "gmail"]).default("file"),
    DIENHINH_SMTP_HOST: z.string().optional(),
    DIENHINH_SMTP_PORT: z.coerce.number().int().min(1).max(65_535).default(587),
    DIENHINH_SMTP_USER: z.string().optional(),
    DIENHINH_SMTP_PASS: z.string().optional(),
    DIENHINH_SMTP_INSECURE: z.enum(["0", "1"]).default("0"),
    DIENHINH_GMAIL_SENDER: z.email().optional(),
    DIENHINH_DRIVE_FOLDER: z.string().min(1).optional(),
    DIENHINH_MAIL_DAILY_LIMIT: z.coerce.number().int().min(1).default(2_000),
    DIENHINH_GOOGLE_ROOT_URL: z.url().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.DIENHINH_MAIL === "smtp" && !c.DIENHINH_SMTP_HOST)
      ctx.addIssue({ code: "custom", path: ["DIENHINH_SMTP_HOST"], message: "cần khi DIENHINH_MAIL=smtp" });
    if (c.DIENHINH_MAIL === "gmail" && !c.DIENHINH_GMAIL_SENDER)
      ctx.addIssue({
        code: "custom",
        path: ["DIENHINH_GMAIL_SENDER"],
        message: "cần khi DIENHINH_MAIL=gmail",
      });
  });
export type DeliveryConfig = z.output<typeof deliveryConfigSchema>;

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
          : new GoogleAuth({ scopes: [GMAIL_SEND_SCOPE], clientOptions: { subject: sender } }),
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
          : { auth: new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/drive.file"] }) }),
      })
    : localReportStore(join(outDir, "reports"));
