import { afterEach, describe, expect, it, vi } from "vitest";

/** The deployed entry point (functions/src/index.ts) reads its configuration before anything else. */
describe("the Cloud Functions entry point", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("stops the deployed entry point at start when its function's variable is missing", async () => {
    vi.stubEnv("FUNCTION_TARGET", "ingestResponse");
    vi.stubEnv("GOOGLE_CLOUD_PROJECT", "demo-dienhinh");
    vi.stubEnv("DIENHINH_HMAC_SECRET", "");
    await expect(import("../../functions/src/index.js")).rejects.toThrow(
      /ingestResponse cần biến môi trường \/ needs: DIENHINH_HMAC_SECRET/u,
    );
  });
});
