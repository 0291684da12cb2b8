import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { InputError } from "../errors.js";

/**
 * Google's own emulators (Cloud Firestore, Pub/Sub), started on a free loopback port, waited for,
 * and stopped with their whole process tree. They come with the Google Cloud CLI's Debian packages
 * google-cloud-cli-firestore-emulator and google-cloud-cli-pubsub-emulator (Java 17+).
 */

export type EmulatorKind = "firestore" | "pubsub";

const LAUNCHERS: Record<EmulatorKind, { path: string; package: string; args: (port: number) => string[] }> = {
  firestore: {
    path: "platform/cloud-firestore-emulator/cloud_firestore_emulator",
    package: "google-cloud-cli-firestore-emulator",
    args: (port) => ["start", "--host=127.0.0.1", `--port=${port}`, "--database-mode=firestore-native"],
  },
  pubsub: {
    path: "platform/pubsub-emulator/bin/cloud-pubsub-emulator",
    package: "google-cloud-cli-pubsub-emulator",
    args: (port) => ["--host=127.0.0.1", `--port=${port}`],
  },
};

/** Where the Google Cloud CLI is installed, when CLOUDSDK_ROOT_DIR (config.ts) does not say. */
const SDK_ROOTS = ["/usr/lib/google-cloud-sdk", "/usr/share/google-cloud-sdk", "/opt/google-cloud-sdk"];

/** The emulator is not installed or did not start: the user installs it (scripts/setup). */
export class EmulatorError extends InputError {}

export const findEmulator = (kind: EmulatorKind, sdkRoot?: string): string => {
  const launcher = LAUNCHERS[kind];
  for (const root of [sdkRoot, ...SDK_ROOTS]) {
    if (root && existsSync(join(root, launcher.path))) return join(root, launcher.path);
  }
  throw new EmulatorError(
    `Không tìm thấy ${kind} emulator của Google Cloud CLI. Cài đặt: apt-get install ${launcher.package} ` +
      "(cần Java 17 trở lên), hoặc đặt FIRESTORE_EMULATOR_HOST trỏ tới một emulator đang chạy.",
  );
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

export interface RunningEmulator {
  kind: EmulatorKind;
  /** "127.0.0.1:PORT", the form FIRESTORE_EMULATOR_HOST and PUBSUB_EMULATOR_HOST take. */
  host: string;
  stop: () => Promise<void>;
}

const running = new Set<ChildProcess>();
// Never leave a Java process behind, even when the parent exits abruptly.
process.once("exit", () => {
  for (const child of running) killTree(child, "SIGKILL");
});

const killTree = (child: ChildProcess, signal: NodeJS.Signals) => {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};

export const startEmulator = async (
  kind: EmulatorKind,
  options: { timeoutMs?: number; sdkRoot?: string } = {},
): Promise<RunningEmulator> => {
  const launcher = findEmulator(kind, options.sdkRoot);
  const port = await freePort();
  const child = spawn(launcher, LAUNCHERS[kind].args(port), {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const host = `127.0.0.1:${port}`;
  const stop = async () => {
    killTree(child, "SIGTERM");
    const timer = setTimeout(() => killTree(child, "SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
    running.delete(child);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return { kind, host, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new EmulatorError(`${kind} emulator không khởi động được trên ${host}. Nhật ký cuối:\n${output}`);
};
