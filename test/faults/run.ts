import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../functions/src/infra/emulators.js";
import { uniqueId } from "../kit/index.js";
import type { Fault, FaultRow } from "./fault.js";

/**
 * The main job (`dienhinh run`, the built package, as a user runs it) while a part dies under it:
 * Chromium killed as it prints the schools' results, and Firestore gone as it does. The run must
 * say what it could not finish and exit non-zero when anything is missing; without Firestore it
 * must fail within 30 seconds with a clear message, leaving no half-written file behind.
 */
interface Run {
  code: number | null;
  output: string;
  /** When the part was killed, and when the run ended (ms). */
  killedAt?: number;
  endedAt: number;
}

/**
 * Longest a job may take, fault included: a job that never ends is caught here. It takes about 30 s
 * unharmed and 40 s with the browser killed, alone; beside the whole suite on a 2-core machine, a
 * clean CI run once took past 180 s with the browser killed and restarted.
 */
const JOB_LIMIT_MS = 300_000;

/** Run the job, and call `strike` once the PDFs step has started. */
const runJob = (
  out: string,
  env: Record<string, string>,
  strike: (child: ChildProcess) => void | Promise<void>,
) =>
  new Promise<Run>((resolve) => {
    const args = ["functions/lib/cli/main.js", "run", "--campaign", uniqueId("fault-run"), "--out", out];
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let killedAt: number | undefined;
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (killedAt === undefined && /Kết quả đánh giá từng trường \(PDF\)/u.test(output)) {
        killedAt = Date.now() + 1_500;
        setTimeout(() => void strike(child), 1_500);
      }
    };
    child.stdout?.on("data", seen);
    child.stderr?.on("data", seen);
    // A job that never ends is the worst answer of all: it is ended here, and the fault fails.
    const hung = setTimeout(() => child.kill("SIGKILL"), JOB_LIMIT_MS);
    child.once("exit", (code) => {
      clearTimeout(hung);
      resolve({ code, output, ...(killedAt ? { killedAt } : {}), endedAt: Date.now() });
    });
  });

/** The Chromium processes under a process (its descendants named chromium). */
const chromiumUnder = (root: number): number[] => {
  const parent = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(Number(entry), ppid);
      names.set(Number(entry), name);
    } catch {
      // gone meanwhile
    }
  }
  const under = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  return [...names].filter(([pid, name]) => /chrom/iu.test(name) && under(pid)).map(([pid]) => pid);
};

const partialFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".partial"))
    : [];

/** Chromium killed (SIGKILL, every process) while the schools' results print. */
const chromiumKilled = async (): Promise<FaultRow> => {
  const out = await mkdtemp(join(tmpdir(), "dienhinh-fault-run-"));
  let killed = 0;
  const run = await runJob(out, {}, async (child) => {
    // On a loaded machine the browser may take a moment to start after the step does: wait for it
    // (up to ten seconds), then kill every one of its processes.
    let pids = chromiumUnder(child.pid ?? 0);
    for (let waited = 0; pids.length === 0 && waited < 10_000 && child.exitCode === null; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      pids = chromiumUnder(child.pid ?? 0);
    }
    // Killing the browser may end its other processes before they are reached: count what was killed.
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
        killed++;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
      }
    }
  });
  const file = join(out, "summary.json");
  const summary = (
    existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : { schools: [], unfinished: [] }
  ) as {
    schools: Array<{ code: string; status: string; responseSetAside: boolean; pdfs: string[] }>;
    unfinished: Array<{ code: string; what: string }>;
  };
  // Every school with a judged dossier gets its PDFs (one whose latest response was set aside is
  // emailed what to send again, with none).
  const expected = summary.schools.filter(
    (s) => s.status !== "chua-dang-ky" && s.status !== "da-dang-ky" && !s.responseSetAside,
  );
  const delivered = expected.filter((s) => s.pdfs.length > 0).length;
  const reported = new Set(summary.unfinished.filter((u) => u.what === "PDF").map((u) => u.code));
  const silent = expected.filter((s) => s.pdfs.length === 0 && !reported.has(s.code)).length;
  // Every school is done, or said not to be; and the exit code says whether anything is missing.
  const honest = silent === 0 && reported.size > 0 === (run.code !== 0);
  const ok =
    killed > 0 && run.code !== null && expected.length > 0 && honest && partialFiles(out).length === 0;
  return {
    fault: `Chromium killed while the job prints (${killed} processes), then the job goes on`,
    attempts: expected.length,
    expected: expected.length,
    delivered,
    lost: silent,
    held: reported.size,
    measure: { name: "exit code", value: run.code ?? -1, unit: "", limit: reported.size > 0 ? 1 : 0 },
    ok,
    // What the job said, when it did not hold: a failure in CI must say why.
    ...(ok && run.code === 0 ? {} : { failed: [run.output.slice(-3_000)] }),
  };
};

/** Firestore (the emulator the job uses) killed while the schools' results print. */
const firestoreGone = async (): Promise<FaultRow> => {
  const out = await mkdtemp(join(tmpdir(), "dienhinh-fault-run-"));
  const emulator = await startEmulator("firestore");
  const run = await runJob(out, { FIRESTORE_EMULATOR_HOST: emulator.host }, () => void emulator.stop());
  await emulator.stop();
  const seconds = ((run.endedAt - (run.killedAt ?? run.endedAt)) / 1000).toFixed(1);
  // Said as what it is: a service gone, to check and run again; not a bug in the program.
  const clear =
    /Không kết nối được kho dữ liệu|Kho dữ liệu tạm thời không truy cập được/u.test(run.output) &&
    /lỗi tạm thời/u.test(run.output) &&
    !/không mong đợi/u.test(run.output);
  const crashed = /Unhandled|node:internal|\n\s+at /u.test(run.output);
  const summaryOk =
    !existsSync(join(out, "summary.json")) ||
    Boolean(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")));
  const checks: Record<string, boolean> = {
    "exits non-zero": run.code !== 0,
    "says the store is gone, as a temporary fault": clear,
    "no stack trace": !crashed,
    "within 30 s": Number(seconds) < 30,
    "summary.json, if any, whole": summaryOk,
    [`no partial file (${partialFiles(out).join(", ")})`]: partialFiles(out).length === 0,
  };
  const failed = Object.keys(checks).filter((k) => !checks[k]);
  return {
    fault: "Firestore gone while the job prints",
    attempts: 1,
    expected: 1,
    delivered: run.code !== 0 && clear && !crashed ? 1 : 0,
    lost: 0,
    measure: { name: "failed after", value: Number(seconds), unit: "s", limit: 30 },
    ok: failed.length === 0,
    ...(failed.length > 0 ? { failed: [...failed, run.output.slice(-1_500)] } : {}),
  };
};

export const runFault: Fault = {
  name: "the main job",
  run: async () => [await chromiumKilled(), await firestoreGone()],
};
