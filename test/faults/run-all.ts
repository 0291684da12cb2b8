/**
 * `npm run faults`: every fault of the suite against the real parts (Google's Firestore emulator,
 * started here unless FIRESTORE_EMULATOR_HOST names one; Chromium; a real SMTP server on loopback;
 * the functions through the Functions Framework, on the package built first). Prints the table and
 * writes out/faults.json; exits non-zero when a figure that must hold does not.
 */
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import Table from "cli-table3";
import { loadConfig } from "../../functions/src/config.js";
import { startEmulator } from "../../functions/src/infra/emulators.js";
import { FAULTS, type FaultRow } from "./index.js";

execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});
const config = loadConfig("cli");
const emulator = config.firestoreEmulator ? undefined : await startEmulator("firestore");
const firestoreHost = config.firestoreEmulator ?? emulator?.host ?? "";
const only = process.argv[2];
const rows: Array<FaultRow & { group: string; seconds: number }> = [];
try {
  for (const fault of FAULTS.filter((f) => !only || f.name.startsWith(only))) {
    process.stdout.write(`… ${fault.name}\n`);
    const start = performance.now();
    const found = await fault.run({ firestoreHost });
    const seconds = Math.round((performance.now() - start) / 100) / 10;
    rows.push(...found.map((row) => ({ ...row, group: fault.name, seconds })));
  }
} finally {
  await emulator?.stop();
}
const table = new Table({
  head: ["fault", "attempts", "expected", "delivered", "duplicated", "lost", "held", "measure", "ok"],
  style: { head: [], border: [] },
  colWidths: [46, 10, 10, 11, 12, 6, 6, 30, 5],
  wordWrap: true,
});
for (const r of rows)
  table.push([
    r.fault,
    r.attempts,
    r.expected,
    r.delivered,
    r.duplicated ?? "–",
    r.lost,
    r.held ?? "",
    r.measure ? `${r.measure.name}: ${r.measure.value} ${r.measure.unit} (≤ ${r.measure.limit})` : "",
    r.ok ? "yes" : "NO",
  ]);
process.stdout.write(`${table.toString()}\n`);
await mkdir("out", { recursive: true });
await writeFile("out/faults.json", `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
process.stdout.write("Written to out/faults.json\n");
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
