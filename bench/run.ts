/**
 * npm run bench: every benchmark of the project, against real parts (Google's Firestore emulator,
 * started here unless FIRESTORE_EMULATOR_HOST names one). Prints a table, writes out/bench.json.
 */
import type { Firestore } from "@google-cloud/firestore";
import { startEmulator } from "../functions/src/infra/emulators.js";
import { createFirestore } from "../functions/src/infra/firestore.js";
import { runBenchmarks } from "./harness.js";
import { ingestBenchmark } from "./ingest.js";
import { reportsBenchmark } from "./reports.js";
import { sheetBenchmark } from "./sheet.js";

process.env.METADATA_SERVER_DETECTION ??= "none";
const external = process.env.FIRESTORE_EMULATOR_HOST;
const emulator = external ? undefined : await startEmulator("firestore");
const db: Firestore = createFirestore({
  projectId: "demo-dienhinh-bench",
  emulatorHost: external ?? emulator?.host ?? "",
});
try {
  const ok = await runBenchmarks(
    [ingestBenchmark(() => db), sheetBenchmark(() => db), reportsBenchmark()].filter(
      (b) => !process.env.BENCH_ONLY || b.name.startsWith(process.env.BENCH_ONLY),
    ),
    "out/bench.json",
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await db.terminate();
  await emulator?.stop();
}
