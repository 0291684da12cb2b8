/**
 * npm run bench: every benchmark of the project, against real parts (Google's Firestore emulator,
 * started here unless FIRESTORE_EMULATOR_HOST names one). Prints a table, writes out/bench.json.
 *
 * Each benchmark runs in a process of its own, as each job runs in a deployment (intake, the sheet,
 * the documents): a benchmark's memory is its own, not what the one before it left in the heap.
 * BENCH_ONLY=<name prefix> runs the benchmarks named so in this process.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../functions/src/config.js";
import { startEmulator } from "../functions/src/infra/emulators.js";
import { createFirestore } from "../functions/src/infra/store/firestore.js";
import { firestoreStore } from "../functions/src/infra/store/index.js";
import { docxBenchmark } from "./docx.js";
import { type Benchmark, type MeasuredFigure, measure, report } from "./harness.js";
import { ingestBenchmark } from "./ingest.js";
import { reportsBenchmark } from "./reports.js";
import { sheetBenchmark } from "./sheet.js";

const NAMES = ["intake", "tracking sheet", "school reports", "Word copies"] as const;

const config = loadConfig("cli");
const external = config.firestoreEmulator;
const emulator = external
  ? undefined
  : await startEmulator("firestore", config.sdkRoot ? { sdkRoot: config.sdkRoot } : {});
const host = external ?? emulator?.host ?? "";
const only = process.env.BENCH_ONLY;

/** This process's benchmarks: those BENCH_ONLY names. */
const runHere = async (prefix: string): Promise<MeasuredFigure[]> => {
  const db = createFirestore({ projectId: "demo-dienhinh-bench", emulatorHost: host });
  const store = firestoreStore(db, "bench emulator");
  const all: Benchmark[] = [
    ingestBenchmark(db, store),
    sheetBenchmark(store),
    reportsBenchmark(config.chromiumPath),
    docxBenchmark(),
  ];
  try {
    return await measure(all.filter((b) => b.name.startsWith(prefix)));
  } finally {
    await db.terminate();
  }
};

/** Each benchmark in a child process (this script with BENCH_ONLY), its figures read back. */
const runEach = async (): Promise<MeasuredFigure[]> => {
  const dir = await mkdtemp(join(tmpdir(), "dienhinh-bench-"));
  const figures: MeasuredFigure[] = [];
  try {
    for (const [i, name] of NAMES.entries()) {
      const file = join(dir, `${i}.json`);
      execFileSync(process.execPath, [...process.execArgv, process.argv[1] as string], {
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, BENCH_ONLY: name, BENCH_FIGURES: file, FIRESTORE_EMULATOR_HOST: host },
      });
      figures.push(...(JSON.parse(await readFile(file, "utf8")) as MeasuredFigure[]));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
};

try {
  const figures = only ? await runHere(only) : await runEach();
  if (process.env.BENCH_FIGURES) await writeFile(process.env.BENCH_FIGURES, JSON.stringify(figures));
  else process.exitCode = (await report(figures, "out/bench.json")) ? 0 : 1;
} finally {
  await emulator?.stop();
}
