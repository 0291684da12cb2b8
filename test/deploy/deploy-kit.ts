import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { envSchema } from "../../functions/src/config.js";

/**
 * What the tests of scripts/deploy share (deploy-script.test.ts, gcloud-flags.test.ts).
 *
 * scripts/deploy, checked offline: its --dry-run prints every command it would run, which is
 * parsed here and held against what the code needs (the functions register.ts registers, the
 * variables config.ts requires, the field overrides firestore.indexes.json lists). The real run is
 * exercised with stand-ins for gcloud, npm, openssl and firebase that record what they are asked.
 * Where Google's Cloud CLI is installed, every flag is also looked up in its own help.
 */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SCRIPT = join(ROOT, "scripts", "deploy");
export const PROJECT = "demo-proj";
export const REGION = "asia-southeast1";
export const TOPIC = "dienhinh-form-responses";
export const SENDER = "vanphong@example.edu.vn";
export const FOLDER = "0AbCdEfFolder";
export const RUNTIME_SA = `dienhinh-runtime@${PROJECT}.iam.gserviceaccount.com`;
export const JOB_SA = `dienhinh-job@${PROJECT}.iam.gserviceaccount.com`;
/** The settings of a deployment with Gmail, and with SMTP. */
export const GMAIL = { PROJECT, DIENHINH_GMAIL_SENDER: SENDER, DIENHINH_DRIVE_FOLDER: FOLDER };
export const SMTP = {
  PROJECT,
  DIENHINH_MAIL: "smtp",
  DIENHINH_SMTP_HOST: "smtp.example.vn",
  DIENHINH_DRIVE_FOLDER: FOLDER,
};
/** Secrets: they may reach a function only through --set-secrets, never as a plain variable. */
export const SECRET_KEYS = ["DIENHINH_SMTP_PASS"];
/** Set at deploy time but not configuration the program validates. */
export const PLATFORM_KEYS = ["NODE_ENV"];

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export const deploy = (env: Record<string, string>, args = ["--dry-run"], path = process.env.PATH ?? "") =>
  new Promise<Run>((resolve) => {
    execFile(
      SCRIPT,
      args,
      { cwd: ROOT, env: { PATH: path, HOME: process.env.HOME ?? tmpdir(), TAG: "t1", ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });

/** Shell words of one printed line: bare words, '…' quoting and \x escapes (what the script prints). */
export const words = (line: string): string[] => {
  const out: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (c === " ") {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote: ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === "\\") {
      word = (word ?? "") + line.charAt(++i);
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) out.push(word);
  return out;
};

export const CONTROL = new Set([
  "||",
  "&&",
  "|",
  ";",
  "if",
  "then",
  "else",
  "fi",
  ">/dev/null",
  "2>&1",
  "2>/dev/null",
]);

/** Every command of a dry run: each line split at its shell operators. */
export const commandsOf = (stdout: string): string[][] => {
  const commands: string[][] = [];
  for (const raw of stdout.split("\n")) {
    if (raw.trim() === "" || raw.startsWith("#")) continue;
    const line = /^\w+=\$\((.*)\)$/u.exec(raw)?.[1] ?? raw;
    let current: string[] = [];
    for (const w of words(line.replace(/;(?= )/gu, " ;"))) {
      if (CONTROL.has(w)) {
        if (current.length) commands.push(current);
        current = [];
      } else current.push(w);
    }
    if (current.length) commands.push(current);
  }
  return commands;
};

/** Values of --name=value (or --name value) in a command. */
export const flags = (command: string[], name: string): string[] => {
  const values: string[] = [];
  command.forEach((w, i) => {
    if (w.startsWith(`--${name}=`)) values.push(w.slice(name.length + 3));
    else if (w === `--${name}` && command[i + 1] && !command[i + 1]?.startsWith("--"))
      values.push(command[i + 1] ?? "");
  });
  return values;
};
export const flag = (command: string[], name: string): string | undefined => flags(command, name).at(-1);
export const has = (command: string[], name: string) =>
  command.some((w) => w === `--${name}` || w.startsWith(`--${name}=`));

export const startsWith = (command: string[], ...prefix: string[]) =>
  prefix.every((w, i) => command[i] === w);

/** KEY=VALUE pairs of --set-env-vars / --set-secrets, with gcloud's ^D^ alternative delimiter. */
export const pairs = (value: string | undefined): Record<string, string> => {
  if (value === undefined) return {};
  const alt = /^\^(.)\^/u.exec(value);
  const list = alt ? value.slice(3).split(alt[1] ?? ",") : value.split(",");
  return Object.fromEntries(
    list.map((kv) => {
      const at = kv.indexOf("=");
      return [kv.slice(0, at), kv.slice(at + 1)];
    }),
  );
};

/** The function names register.ts gives the Functions Framework. */
export const registeredFunctions = async (): Promise<string[]> => {
  const text = await readFile(join(ROOT, "functions/src/functions/register.ts"), "utf8");
  return [...text.matchAll(/ff\.(?:http|cloudEvent)\(\s*"(\w+)"/gu)].map((m) => m[1] ?? "");
};

export const CONFIG_KEYS = new Set(Object.keys(envSchema.shape));

/** The last deploy of each function (reconcile is deployed twice on a first deployment). */
export const functionDeploys = (commands: string[][]) =>
  new Map(
    commands
      .filter((c) => startsWith(c, "gcloud", "functions", "deploy"))
      .map((c) => [c[3] ?? "", c] as const),
  );

/**
 * Stand-ins for the tools scripts/deploy calls, on a PATH of their own: `tools` gives each one's
 * bash body, given the folder, the log file and the line that logs the call (its name and arguments). `calls`
 * reads the log back, a call a line.
 */
export const stubTools = async (
  prefix: string,
  tools: (stub: { dir: string; log: string; logLine: string }) => Record<string, string>,
) => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const bin = join(dir, "bin");
  await mkdir(bin);
  const log = join(dir, "calls.log");
  const logLine = `printf '%s\\x1f' "$(basename "$0")" "$@" >>"${log}"; printf '\\n' >>"${log}"`;
  for (const [name, body] of Object.entries(tools({ dir, log, logLine }))) {
    await writeFile(join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
    await chmod(join(bin, name), 0o755);
  }
  const calls = async () =>
    (await readFile(log, "utf8").catch(() => ""))
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split("\x1f").slice(0, -1));
  return { dir, log, path: `${bin}${delimiter}${process.env.PATH ?? ""}`, calls };
};
