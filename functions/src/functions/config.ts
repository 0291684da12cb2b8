import { z } from "zod";

/**
 * The functions' configuration: one schema, read once from the environment. A value that is
 * missing or wrong stops the function at start with a message that says what to set.
 */
const list = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean),
);

export const functionsConfigSchema = z.object({
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
  GCLOUD_PROJECT: z.string().min(1).optional(),
  FIRESTORE_EMULATOR_HOST: z.string().optional(),
  /** Shared secret of the Apps Script push (ingestResponse); from Secret Manager in production. */
  DIENHINH_HMAC_SECRET: z.string().min(32, "cần ít nhất 32 ký tự ngẫu nhiên").optional(),
  /** The audience Cloud Scheduler's OIDC token is minted for: the reconcile function's URL. */
  DIENHINH_OIDC_AUDIENCE: z.url().optional(),
  /** Service accounts allowed to call reconcile (comma-separated). */
  DIENHINH_OIDC_EMAILS: list.optional(),
  /** Pub/Sub topic the forms' watches publish to: projects/P/topics/T. */
  DIENHINH_WATCH_TOPIC: z
    .string()
    .regex(/^projects\/[^/]+\/topics\/[^/]+$/u, "dạng projects/PROJECT/topics/TOPIC")
    .optional(),
  /** Another server that speaks Google's REST paths (local runs and tests). */
  DIENHINH_GOOGLE_ROOT_URL: z.url().optional(),
  /** Milliseconds between two sheet flushes of the deployment; 2000 keeps within 60 writes a minute. */
  DIENHINH_SHEETS_INTERVAL_MS: z.coerce.number().int().min(0).optional(),
  /** Which function this instance serves (set by Cloud Functions). */
  FUNCTION_TARGET: z.string().optional(),
});
export type FunctionsConfig = z.output<typeof functionsConfigSchema> & { projectId: string };

/** What each function cannot run without. */
const REQUIRED: Record<string, Array<keyof z.output<typeof functionsConfigSchema>>> = {
  ingestResponse: ["DIENHINH_HMAC_SECRET"],
  reconcile: ["DIENHINH_OIDC_AUDIENCE", "DIENHINH_OIDC_EMAILS"],
  onFormResponses: [],
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

export const parseFunctionsConfig = (env: Record<string, string | undefined>): FunctionsConfig => {
  const result = functionsConfigSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      `Cấu hình không hợp lệ / invalid configuration:\n${result.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  }
  const config = result.data;
  const projectId =
    config.GOOGLE_CLOUD_PROJECT ??
    config.GCLOUD_PROJECT ??
    (config.FIRESTORE_EMULATOR_HOST ? "demo-dienhinh" : undefined);
  if (!projectId)
    throw new ConfigError(
      "Thiếu GOOGLE_CLOUD_PROJECT: đặt mã dự án Google Cloud (hoặc FIRESTORE_EMULATOR_HOST khi chạy cục bộ).",
    );
  const missing = (REQUIRED[config.FUNCTION_TARGET ?? ""] ?? []).filter((key) => config[key] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      `Hàm ${config.FUNCTION_TARGET} cần biến môi trường: ${missing.join(", ")} (xem README, phần triển khai).`,
    );
  }
  return { ...config, projectId };
};
