import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/emulator.ts"],
    // Property tests run hundreds of evaluations; the defaults are too tight on a loaded 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { TZ: "Asia/Ho_Chi_Minh", METADATA_SERVER_DETECTION: "none" },
  },
});
