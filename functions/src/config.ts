import { z } from "zod";

/**
 * dienhinh's whole configuration: one schema over the environment, read once at start by the
 * Cloud Functions, the delivery job and the command line. A missing or wrong value stops the
 * process before any work, with a message (in Vietnamese and English) that says what to set.
 * README's "Configuration" table lists every variable; a test keeps the two in step.
 */
const list = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean),
);

/** OIDC verification keys (key id → PEM) as JSON, standing in for Google's. */
const certs = z.string().transform((text, ctx) => {
  try {
    const parsed = z.record(z.string(), z.string().startsWith("-----BEGIN")).parse(JSON.parse(text));
    return parsed;
  } catch {
    ctx.addIssue({ code: "custom", message: 'cần JSON dạng {"kid": "-----BEGIN PUBLIC KEY-----..."}' });
    return z.NEVER;
  }
});

export const configSchema = z
  .object({
    // Where the data lives.
    /** The Google Cloud project (set by Cloud Functions and Cloud Run). */
    GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
    GCLOUD_PROJECT: z.string().min(1).optional(),
    /** A Firestore emulator (host:port) instead of the project's Firestore. */
    FIRESTORE_EMULATOR_HOST: z.string().min(1).optional(),
    /** A server speaking Google's REST paths (Forms, Sheets, Drive, Gmail) instead of Google. */
    DIENHINH_GOOGLE_ROOT_URL: z.url().optional(),

    // The functions.
    /** Shared secret of the Apps Script push (ingestResponse); from Secret Manager in production. */
    DIENHINH_HMAC_SECRET: z.string().min(32, "cần ít nhất 32 ký tự ngẫu nhiên").optional(),
    /** The audience Cloud Scheduler's OIDC token is minted for: the reconcile function's URL. */
    DIENHINH_OIDC_AUDIENCE: z.url().optional(),
    /** Service accounts allowed to call reconcile (comma-separated). */
    DIENHINH_OIDC_EMAILS: list.optional(),
    /** Local keys for OIDC tokens (`dienhinh serve`); refused unless on the emulator. */
    DIENHINH_OIDC_CERTS: certs.optional(),
    /** Pub/Sub topic the forms' watches publish to: projects/P/topics/T. */
    DIENHINH_WATCH_TOPIC: z
      .string()
      .regex(/^projects\/[^/]+\/topics\/[^/]+$/u, "dạng projects/PROJECT/topics/TOPIC")
      .optional(),
    /** Milliseconds between two sheet writes of the deployment; 2000 keeps within 60 a minute. */
    DIENHINH_SHEETS_INTERVAL_MS: z.coerce.number().int().min(0).optional(),
    /** Which function this instance serves (set by Cloud Functions). */
    FUNCTION_TARGET: z.string().optional(),
    /** The Cloud Run job this process runs in (set by Cloud Run). */
    CLOUD_RUN_JOB: z.string().optional(),

    // Documents and mail.
    /** file (default: .eml files in OUT/outbox) | smtp | gmail. */
    DIENHINH_MAIL: z.enum(["file", "smtp", "gmail"]).default("file"),
    DIENHINH_SMTP_HOST: z.string().min(1).optional(),
    DIENHINH_SMTP_PORT: z.coerce.number().int().min(1).max(65_535).default(587),
    DIENHINH_SMTP_USER: z.string().optional(),
    /** From Secret Manager in production. */
    DIENHINH_SMTP_PASS: z.string().optional(),
    /** 1: no TLS, for a relay on loopback. */
    DIENHINH_SMTP_INSECURE: z.enum(["0", "1"]).default("0"),
    /** The office mailbox a service account sends as (domain-wide delegation). */
    DIENHINH_GMAIL_SENDER: z.email().optional(),
    /** A Drive folder (or shared drive folder) for the PDFs; default: files in OUT/reports. */
    DIENHINH_DRIVE_FOLDER: z.string().min(1).optional(),
    /** Messages a day (Workspace Gmail: 2,000); the rest wait for the next day. */
    DIENHINH_MAIL_DAILY_LIMIT: z.coerce.number().int().min(1).default(2_000),
    /** Chromium for the PDFs; default Debian's /usr/bin/chromium. */
    CHROMIUM_PATH: z.string().min(1).optional(),
  })
  .superRefine((c, ctx) => {
    const need = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (c.DIENHINH_MAIL === "smtp" && !c.DIENHINH_SMTP_HOST)
      need("DIENHINH_SMTP_HOST", "cần khi DIENHINH_MAIL=smtp");
    if (c.DIENHINH_MAIL === "gmail" && !c.DIENHINH_GMAIL_SENDER)
      need("DIENHINH_GMAIL_SENDER", "cần khi DIENHINH_MAIL=gmail");
    if (c.DIENHINH_OIDC_CERTS && !c.FIRESTORE_EMULATOR_HOST)
      need("DIENHINH_OIDC_CERTS", "chỉ dùng khi chạy cục bộ (cùng FIRESTORE_EMULATOR_HOST)");
  });

export type Config = z.output<typeof configSchema>;

/** Who reads the configuration, and so what it cannot do without. */
export type Role = "ingestResponse" | "reconcile" | "onFormResponses" | "function" | "deliver" | "cli";

export const REQUIRED: Readonly<Record<Role, ReadonlyArray<keyof Config>>> = {
  ingestResponse: ["DIENHINH_HMAC_SECRET"],
  // Without the topic, reconcile could not renew the watches, and they lapse after 7 days.
  reconcile: ["DIENHINH_OIDC_AUDIENCE", "DIENHINH_OIDC_EMAILS", "DIENHINH_WATCH_TOPIC"],
  onFormResponses: [],
  function: [],
  deliver: [],
  cli: [],
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The project: named, or the emulator's demo project when running locally. */
export const projectOf = (config: Config): string | undefined =>
  config.GOOGLE_CLOUD_PROJECT ??
  config.GCLOUD_PROJECT ??
  (config.FIRESTORE_EMULATOR_HOST ? "demo-dienhinh" : undefined);

/**
 * Read the configuration for a role. Functions and the delivery job need a project; the command
 * line decides that per command (it may start its own emulator).
 */
export const parseConfig = (env: Record<string, string | undefined>, role: Role = "cli"): Config => {
  // An empty variable is an unset one (a deploy template leaves some blank).
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = configSchema.safeParse(given);
  if (!result.success) {
    throw new ConfigError(
      `Cấu hình không hợp lệ / invalid configuration:\n${result.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  }
  const config = result.data;
  if (role !== "cli" && !projectOf(config))
    throw new ConfigError(
      "Thiếu GOOGLE_CLOUD_PROJECT: đặt mã dự án Google Cloud (hoặc FIRESTORE_EMULATOR_HOST khi chạy cục bộ).",
    );
  const missing = REQUIRED[role].filter((key) => config[key] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      `${role} cần biến môi trường / needs: ${missing.join(", ")} (xem README, phần Cấu hình).`,
    );
  }
  // In a Cloud Run job the disk is gone when it ends: mail "sent" to .eml files would be lost.
  if (role === "deliver" && config.CLOUD_RUN_JOB && config.DIENHINH_MAIL === "file")
    throw new ConfigError(
      "Trong Cloud Run job, DIENHINH_MAIL phải là smtp hoặc gmail (tệp .eml sẽ mất khi job kết thúc) / in a Cloud Run job, set DIENHINH_MAIL to smtp or gmail.",
    );
  return config;
};

/** The pause between two sheet writes of the deployment, as the sheet adapters take it. */
export const sheetPacing = (
  config: Pick<Config, "DIENHINH_SHEETS_INTERVAL_MS">,
): { minIntervalMs?: number } =>
  config.DIENHINH_SHEETS_INTERVAL_MS === undefined
    ? {}
    : { minIntervalMs: config.DIENHINH_SHEETS_INTERVAL_MS };

/** The role of a Cloud Functions instance, from the FUNCTION_TARGET it was deployed with. */
export const roleOfTarget = (target: string | undefined): Role =>
  target === "ingestResponse" || target === "reconcile" || target === "onFormResponses" ? target : "function";
