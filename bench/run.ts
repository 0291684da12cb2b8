/**
 * npm run bench: every benchmark of the project, against real parts (Google's Firestore emulator,
 * started here unless FIRESTORE_EMULATOR_HOST names one). Prints a table, writes out/bench.json.
 */
import { loadConfig } from "../functions/src/config.js";
import { startEmulator } from "../functions/src/infra/emulators.js";
import { createFirestore } from "../functions/src/infra/store/firestore.js";
import { firestoreStore } from "../functions/src/infra/store/index.js";
import { docxBenchmark } from "./docx.js";
import { runBenchmarks } from "./harness.js";
import { ingestBenchmark } from "./ingest.js";
import { reportsBenchmark } from "./reports.js";
import { sheetBenchmark } from "./sheet.js";

const config = loadConfig("cli");
const external = config.firestoreEmulator;
const emulator = external
  ? undefined
  : await startEmulator("firestore", config.sdkRoot ? { sdkRoot: config.sdkRoot } : {});
const db = createFirestore({
  projectId: "demo-dienhinh-bench",
  emulatorHost: external ?? emulator?.host ?? "",
});
const store = firestoreStore(db, "bench emulator");
try {
  const ok = await runBenchmarks(
    [
      ingestBenchmark(db, store),
      sheetBenchmark(store),
      reportsBenchmark(config.chromiumPath),
      docxBenchmark(),
    ].filter((b) => !process.env.BENCH_ONLY || b.name.startsWith(process.env.BENCH_ONLY)),
    "out/bench.json",
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await db.terminate();
  await emulator?.stop();
}
