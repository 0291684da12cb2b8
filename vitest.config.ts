import { defineConfig } from "vitest/config";

/**
 * Three projects, so the inner loop is fast and a slow regression fails:
 * - unit: pure code (domain, data files, plans, configuration), no emulator, no browser: seconds;
 * - integration: the Firestore emulator, the local Google API servers, the SMTP sink;
 * - slow: Chromium, `dienhinh serve` (the built package), gcloud's own help, the whole main job.
 * `npm run test:unit` runs the first; `npm test` all three (after lint and types).
 */
const UNIT = [
  "test/domain/**/*.test.ts",
  "test/data/**/*.test.ts",
  "test/infra/sheets-plan.test.ts",
  "test/functions/config.test.ts",
  "test/structure.test.ts",
  "test/cli/parser-messages.test.ts",
  "test/cli/access-advice.test.ts",
];
const SLOW = [
  "test/reports/**/*.test.ts",
  "test/cli/cli.test.ts",
  "test/cli/serve.test.ts",
  "test/deploy/gcloud-flags.test.ts",
  "test/faults/**/*.test.ts",
];

export default defineConfig({
  test: {
    // No METADATA_SERVER_DETECTION here: the program must not ask Google's metadata server for
    // anything when it runs locally, and tests would hide it if they silenced the asking.
    env: { TZ: "Asia/Ho_Chi_Minh" },
    // Most of a test's time is spent waiting on another process (the emulator, Chromium, a child
    // job): three files at a time keep this 2-core machine busy without starving the timed faults.
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        // Pure code, so one module graph per worker is enough: no re-import per file.
        test: { name: "unit", include: UNIT, isolate: false, testTimeout: 5_000, hookTimeout: 5_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: [...UNIT, ...SLOW],
          globalSetup: ["test/setup/emulator.ts"],
          testTimeout: 15_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "slow",
          include: SLOW,
          globalSetup: ["test/setup/emulator.ts", "test/setup/build.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
