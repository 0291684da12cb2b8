import { z } from "zod";
import { InputError } from "./errors.js";

/**
 * dienhinh's whole configuration, and the only reader of the environment: one schema over the
 * variables, read once at start by the Cloud Functions, the delivery job and the command line, and
 * turned into a typed `Config`. A missing or wrong value stops the process before any work, with
 * a message (in Vietnamese and English) that says what to set. README's "Configuration" table
 * lists every variable; a test keeps the two in step.
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
    return z.record(z.string(), z.string().startsWith("-----BEGIN")).parse(JSON.parse(text));
  } catch {
    ctx.addIssue({ code: "custom", message: 'cần JSON dạng {"kid": "-----BEGIN PUBLIC KEY-----..."}' });
    return z.NEVER;
  }
});

export const envSchema = z.object({
  // Where the data lives.
  /** The Google Cloud project (set by Cloud Functions and Cloud Run). */
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
  GCLOUD_PROJECT: z.string().min(1).optional(),
  /** A Firestore emulator (host:port) instead of the project's Firestore. */
  FIRESTORE_EMULATOR_HOST: z.string().min(1).optional(),
  /** A server speaking Google's REST paths (Forms, Sheets, Drive, Gmail) instead of Google. */
  DIENHINH_GOOGLE_ROOT_URL: z.url().optional(),
  /** Where the Google Cloud CLI and its emulators are installed (default: Debian's /usr/lib/google-cloud-sdk). */
  CLOUDSDK_ROOT_DIR: z.string().min(1).optional(),

  // The functions.
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
  /** The status page function's URL: the links in emails to schools open there (deliver, send). */
  DIENHINH_STATUS_URL: z.url().optional(),
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
  CHROMIUM_PATH: z.string().min(1).default("/usr/bin/chromium"),

  // Diagnostics.
  /** 1: the command line prints the stack of an unexpected error. */
  DIENHINH_DEBUG: z.enum(["0", "1"]).default("0"),
});
export type Env = z.output<typeof envSchema>;

/** How mail leaves: a discriminated union, so an SMTP configuration cannot lack its host. */
export type MailConfig =
  | { kind: "file" }
  | { kind: "smtp"; host: string; port: number; user?: string; pass?: string; insecure: boolean }
  | { kind: "gmail"; sender: string };

export interface Config {
  /** The variables as validated (for messages, and a child process's environment). */
  env: Env;
  /** The Google Cloud project: named, or the emulator's demo project when running locally. */
  project?: string;
  firestoreEmulator?: string;
  googleRootUrl?: string;
  sdkRoot?: string;
  oidc?: { audience: string; emails: string[]; certs?: Record<string, string> };
  watchTopic?: string;
  /** The status page function's URL, for the schools' links. */
  statusUrl?: string;
  /** The pause between two sheet writes of the deployment. */
  sheetPacing: { minIntervalMs?: number };
  mail: MailConfig;
  mailDailyLimit: number;
  driveFolder?: string;
  chromiumPath: string;
  cloudRunJob?: string;
  debug: boolean;
}

const mailOf = (env: Env): MailConfig | undefined => {
  switch (env.DIENHINH_MAIL) {
    case "file":
      return { kind: "file" };
    case "smtp":
      return env.DIENHINH_SMTP_HOST
        ? {
            kind: "smtp",
            host: env.DIENHINH_SMTP_HOST,
            port: env.DIENHINH_SMTP_PORT,
            ...(env.DIENHINH_SMTP_USER ? { user: env.DIENHINH_SMTP_USER } : {}),
            ...(env.DIENHINH_SMTP_PASS ? { pass: env.DIENHINH_SMTP_PASS } : {}),
            insecure: env.DIENHINH_SMTP_INSECURE === "1",
          }
        : undefined;
    case "gmail":
      return env.DIENHINH_GMAIL_SENDER ? { kind: "gmail", sender: env.DIENHINH_GMAIL_SENDER } : undefined;
  }
};

const configOf = (env: Env, mail: MailConfig): Config => {
  const project =
    env.GOOGLE_CLOUD_PROJECT ??
    env.GCLOUD_PROJECT ??
    (env.FIRESTORE_EMULATOR_HOST ? "demo-dienhinh" : undefined);
  const { DIENHINH_OIDC_AUDIENCE: audience, DIENHINH_OIDC_EMAILS: emails, DIENHINH_OIDC_CERTS: keys } = env;
  return {
    env,
    ...(project ? { project } : {}),
    ...(env.FIRESTORE_EMULATOR_HOST ? { firestoreEmulator: env.FIRESTORE_EMULATOR_HOST } : {}),
    ...(env.DIENHINH_GOOGLE_ROOT_URL ? { googleRootUrl: env.DIENHINH_GOOGLE_ROOT_URL } : {}),
    ...(env.CLOUDSDK_ROOT_DIR ? { sdkRoot: env.CLOUDSDK_ROOT_DIR } : {}),
    ...(audience && emails ? { oidc: { audience, emails, ...(keys ? { certs: keys } : {}) } } : {}),
    ...(env.DIENHINH_WATCH_TOPIC ? { watchTopic: env.DIENHINH_WATCH_TOPIC } : {}),
    sheetPacing:
      env.DIENHINH_SHEETS_INTERVAL_MS === undefined ? {} : { minIntervalMs: env.DIENHINH_SHEETS_INTERVAL_MS },
    mail,
    mailDailyLimit: env.DIENHINH_MAIL_DAILY_LIMIT,
    ...(env.DIENHINH_DRIVE_FOLDER ? { driveFolder: env.DIENHINH_DRIVE_FOLDER } : {}),
    chromiumPath: env.CHROMIUM_PATH,
    ...(env.CLOUD_RUN_JOB ? { cloudRunJob: env.CLOUD_RUN_JOB } : {}),
    ...(env.DIENHINH_STATUS_URL ? { statusUrl: env.DIENHINH_STATUS_URL } : {}),
    debug: env.DIENHINH_DEBUG === "1",
  };
};

/** Who reads the configuration, and so what it cannot do without. */
export type Role =
  | "ingestResponse"
  | "reconcile"
  | "onFormResponses"
  | "statusPage"
  | "function"
  | "deliver"
  | "cli";

export const REQUIRED: Readonly<Record<Role, ReadonlyArray<keyof Env>>> = {
  // The Apps Script push's keys are each campaign's, in Firestore (`dienhinh push-secret`).
  ingestResponse: [],
  // Without the topic, reconcile could not renew the watches, and they lapse after 7 days.
  reconcile: ["DIENHINH_OIDC_AUDIENCE", "DIENHINH_OIDC_EMAILS", "DIENHINH_WATCH_TOPIC"],
  onFormResponses: [],
  // Its links are signed with each campaign's key, in Firestore (made with the first link).
  statusPage: [],
  function: [],
  deliver: [],
  cli: [],
};

export class ConfigError extends InputError {}

const refuse = (message: string): never => {
  throw new ConfigError(message);
};

/**
 * Read the configuration for a role from the given variables. Functions and the delivery job need
 * a project; the command line decides that per command (it may start its own emulator).
 */
export const parseConfig = (variables: Record<string, string | undefined>, role: Role = "cli"): Config => {
  // An empty variable is an unset one (a deploy template leaves some blank).
  const given = Object.fromEntries(Object.entries(variables).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(given);
  if (!result.success)
    refuse(
      `Cấu hình không hợp lệ / invalid configuration:\n${result.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  const env = result.data as Env;
  const problems: string[] = [];
  const mail = mailOf(env);
  if (!mail)
    problems.push(
      env.DIENHINH_MAIL === "smtp"
        ? "DIENHINH_SMTP_HOST: cần khi DIENHINH_MAIL=smtp"
        : "DIENHINH_GMAIL_SENDER: cần khi DIENHINH_MAIL=gmail",
    );
  if (env.DIENHINH_OIDC_CERTS && !env.FIRESTORE_EMULATOR_HOST)
    problems.push("DIENHINH_OIDC_CERTS: chỉ dùng khi chạy cục bộ (cùng FIRESTORE_EMULATOR_HOST)");
  if (problems.length > 0)
    refuse(`Cấu hình không hợp lệ / invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  const config = configOf(env, mail as MailConfig);
  if (role !== "cli" && !config.project)
    refuse(
      "Thiếu GOOGLE_CLOUD_PROJECT: đặt mã dự án Google Cloud (hoặc FIRESTORE_EMULATOR_HOST khi chạy cục bộ).",
    );
  const missing = REQUIRED[role].filter((key) => env[key] === undefined);
  if (missing.length > 0)
    refuse(`${role} cần biến môi trường / needs: ${missing.join(", ")} (xem README, phần Cấu hình).`);
  // In a Cloud Run job the disk is gone when it ends: mail "sent" to .eml files would be lost.
  if (role === "deliver" && config.cloudRunJob && config.mail.kind === "file")
    refuse(
      "Trong Cloud Run job, DIENHINH_MAIL phải là smtp hoặc gmail (tệp .eml sẽ mất khi job kết thúc) / in a Cloud Run job, set DIENHINH_MAIL to smtp or gmail.",
    );
  return config;
};

/** This process's environment: read here and nowhere else. */
export const processEnvironment = (): Record<string, string | undefined> => ({ ...process.env });

/** The configuration of this process, for a role. */
export const loadConfig = (role: Role): Config => parseConfig(processEnvironment(), role);

/** The role of a Cloud Functions instance, from the FUNCTION_TARGET it was deployed with. */
export const roleOfTarget = (target: string | undefined): Role =>
  target === "ingestResponse" ||
  target === "reconcile" ||
  target === "onFormResponses" ||
  target === "statusPage"
    ? target
    : "function";

/** Whether the command line shows stacks, from whatever variables it was given (even invalid ones). */
export const debugOf = (variables: Record<string, string | undefined>): boolean =>
  envSchema.shape.DIENHINH_DEBUG.safeParse(variables.DIENHINH_DEBUG).data === "1";
