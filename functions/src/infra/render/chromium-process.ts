import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { UnavailableError } from "../../errors.js";

/**
 * The supervisor's (chromium.ts) dealings with time and processes: bounded waits, and a frozen
 * browser's processes found and killed.
 */

/** Chromium did not finish in time (work, a probe, a close). */
export class ChromiumTimeout extends UnavailableError {}

/** `work`'s outcome, or the error `onTimeout` makes once `ms` have passed (`work` is left to finish). */
export const within = <T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => Error = () => new ChromiumTimeout(`Chromium không trả lời trong ${ms} ms`),
): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });

/**
 * A browser's live processes (Linux, from /proc): its process group, which puppeteer makes it lead
 * (it starts the browser detached), and any descendant that left the group. Zombies are not counted.
 */
export const browserProcesses = (pid: number): number[] => {
  const table: Array<{ pid: number; ppid: number; pgrp: number }> = [];
  for (const entry of existsSync("/proc") ? readdirSync("/proc") : []) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so split after its last ")".
      const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state !== "Z") table.push({ pid: Number(entry), ppid: Number(ppid), pgrp: Number(pgrp) });
    } catch {
      // gone meanwhile
    }
  }
  const found = new Set<number>();
  for (let size = -1; size !== found.size; ) {
    size = found.size;
    for (const p of table) if (p.pid === pid || p.pgrp === pid || found.has(p.ppid)) found.add(p.pid);
  }
  return [...found];
};

/** Kill a browser's processes at once: a stopped (frozen) process heeds no signal but SIGKILL. */
export const killBrowser = (proc: ChildProcess | undefined) => {
  // Once the browser has exited and been reaped, its pid may be another process's: leave it.
  if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return;
  for (const target of [-proc.pid, ...browserProcesses(proc.pid)]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // already gone
    }
  }
};
