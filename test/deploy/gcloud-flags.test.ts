import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

import { commandsOf, deploy, GMAIL, ROOT, SMTP } from "./deploy-kit.js";

/** scripts/deploy against the Google Cloud CLI installed here: every flag it uses, in gcloud's own help. */
const gcloud = (args: string[]) =>
  new Promise<string>((resolve) => {
    execFile(
      "gcloud",
      args,
      {
        env: {
          ...process.env,
          CLOUDSDK_CORE_DISABLE_PROMPTS: "1",
          CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: "1",
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes of gcloud's help
      (error, stdout) => resolve(error ? "" : stdout.replace(/\x1b\[[0-9;]*m/gu, "")),
    );
  });

const haveGcloud = await gcloud(["version"]).then((v) => v.includes("Google Cloud SDK"));

/** Every flag of every gcloud command the runs printed, found in that command's own help. */
const expectKnownFlags = async (runs: ReadonlyArray<{ stdout: string }>) => {
  const all = runs.flatMap((run) => commandsOf(run.stdout)).filter((c) => c[0] === "gcloud");
  expect(all.length).toBeGreaterThan(0);
  const byPath = new Map<string, Set<string>>();
  for (const c of all) {
    // Command groups and names are lower-case words: positional values such as a field name
    // (rawJson), an email or an API name are left out, so one help serves each command.
    const path = c.slice(1).filter((w) => /^[a-z][a-z0-9-]*$/u.test(w));
    const key = path.join(" ");
    const seen = byPath.get(key) ?? new Set<string>();
    for (const w of c) if (w.startsWith("--")) seen.add(w.split("=")[0] ?? w);
    byPath.set(key, seen);
  }
  const entries = [...byPath];
  const helps: string[] = [];
  for (let i = 0; i < entries.length; i += 4) {
    helps.push(
      ...(await Promise.all(entries.slice(i, i + 4).map(([key]) => gcloud([...key.split(" "), "--help"])))),
    );
  }
  entries.forEach(([key, used], i) => {
    const help = helps[i] ?? "";
    expect(help, `gcloud ${key} --help`).toContain("SYNOPSIS");
    const known = new Set<string>();
    for (const m of help.matchAll(/--(\[no-\])?([a-z][a-z0-9-]*)/gu)) {
      known.add(`--${m[2]}`);
      if (m[1]) known.add(`--no-${m[2]}`);
    }
    for (const f of used) expect(known.has(f), `gcloud ${key}: ${f}`).toBe(true);
  });
};

// gcloud comes with the emulators' Debian packages, which scripts/setup installs: it is always here.
describe("scripts/deploy against the installed gcloud", () => {
  it("finds gcloud", () => {
    expect(haveGcloud, "gcloud (google-cloud-cli, installed with the emulators by scripts/setup)").toBe(true);
  });

  it("uses only flags each gcloud command knows", { timeout: 180_000 }, async () => {
    await expectKnownFlags(await Promise.all([deploy(SMTP), deploy(GMAIL)]));
  });

  it("asks, in --preflight, only with flags each gcloud command knows", { timeout: 180_000 }, async () => {
    await expectKnownFlags(
      await Promise.all([
        deploy(SMTP, ["--preflight", "--dry-run"]),
        deploy(GMAIL, ["--preflight", "--dry-run"]),
      ]),
    );
  });

  it("uploads the sources, data and templates the build and the runtime need, and nothing else", async () => {
    const files = (await gcloud(["meta", "list-files-for-upload", ROOT])).split("\n").filter(Boolean);
    for (const needed of [
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "tsconfig.build.json",
      "Dockerfile",
      "functions/src/index.ts",
      "functions/data/criteria/mac-dinh.yaml",
      "sheets-config/theo-doi.yaml",
      "templates/style.css",
    ])
      expect(files, needed).toContain(needed);
    for (const dir of ["node_modules/", "functions/lib/", "test/", "bench/", "out/", ".git/"])
      expect(
        files.filter((f) => f.startsWith(dir)),
        dir,
      ).toEqual([]);
  });

  it("never uploads an OAuth client file, a token, a private key or a dotenv file", async () => {
    // The real .gcloudignore, in a copy of the tree's shape with secrets planted where people leave them.
    const dir = await mkdtemp(join(tmpdir(), "dienhinh-upload-"));
    try {
      await copyFile(join(ROOT, ".gcloudignore"), join(dir, ".gcloudignore"));
      const secrets = [
        "client_secret_123.apps.googleusercontent.com.json",
        "functions/client_secret_456.apps.googleusercontent.com.json",
        "dienhinh-oauth-client.json",
        "credentials.json",
        "functions/data/application_default_credentials.json",
        "token.json",
        "key.pem",
        "sa.p12",
        "server.key",
        ".env",
        ".env.local",
      ];
      const kept = [
        "package.json",
        "functions/src/index.ts",
        "functions/data/criteria/mac-dinh.yaml",
        "sheets-config/theo-doi.yaml",
        "templates/style.css",
      ];
      for (const file of [...secrets, ...kept]) {
        await mkdir(dirname(join(dir, file)), { recursive: true });
        await writeFile(join(dir, file), "{}\n");
      }
      const files = (await gcloud(["meta", "list-files-for-upload", dir])).split("\n").filter(Boolean);
      expect(files.sort()).toEqual([...kept].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
