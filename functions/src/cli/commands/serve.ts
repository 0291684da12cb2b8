import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Config } from "../../config.js";
import { InputError, InternalError } from "../../errors.js";
import { localOidcKeys } from "../../functions/local-oidc.js";
import { FUNCTIONS } from "../../functions/register.js";
import { freePort, type RunningEmulator, startEmulator } from "../../infra/emulators.js";
import { configFor, type Env } from "../context.js";
import type { CliIo } from "../io.js";

export interface ServeOptions {
  /** The first port; the functions take it and the next three. 0: any free ports. */
  port: string;
}

/** The package root: the Functions Framework's --source, whose package.json "main" is the functions. */
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const LOCAL_SCHEDULER = "local-scheduler@dienhinh.local";

/** The Functions Framework's own server (the `functions-framework` binary), as Cloud Functions runs it. */
const frameworkMain = () =>
  join(dirname(createRequire(import.meta.url).resolve("@google-cloud/functions-framework")), "main.js");

/** A function's process stopped by itself while serving. */
class FunctionStopped extends InternalError {}

/** A function's process: ready once the Functions Framework serves on its port, or gone, with why. */
interface Served {
  child: ChildProcess;
  ready: Promise<void>;
  ended: Promise<string>;
}

const READY_TIMEOUT_MS = 30_000;

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });

/** What the functions run with: their variables, and the token printed for reconcile. */
interface Session {
  env: Record<string, string | undefined>;
  token?: string;
  firestoreHost?: string;
  urlOf: (name: string) => string;
}

/**
 * The functions' environment for this session: the watch topic, and OIDC: Google's when
 * configured, otherwise a local key and a 12-hour token. (The Apps Script push's keys are each
 * campaign's, in Firestore: `dienhinh push-secret`.)
 */
const sessionOf = (
  env: Env,
  given: Config["env"],
  firestoreHost: string | undefined,
  ports: number[],
): Session => {
  const urlOf = (name: string) => `http://127.0.0.1:${ports[FUNCTIONS.findIndex((f) => f.name === name)]}/`;
  const functionsEnv: Record<string, string> = {
    // reconcile renews the forms' watches on this topic (on the local Forms server, or Google's).
    DIENHINH_WATCH_TOPIC:
      given.DIENHINH_WATCH_TOPIC ??
      `projects/${given.GOOGLE_CLOUD_PROJECT ?? "demo-dienhinh"}/topics/form-responses`,
  };
  let token: string | undefined;
  if (!(given.DIENHINH_OIDC_AUDIENCE && given.DIENHINH_OIDC_EMAILS)) {
    if (!firestoreHost)
      throw new InputError(
        "Chạy với Firestore thật cần DIENHINH_OIDC_AUDIENCE và DIENHINH_OIDC_EMAILS (khoá cục bộ chỉ dùng với emulator).",
      );
    const keys = localOidcKeys();
    const audience = urlOf("reconcile");
    Object.assign(functionsEnv, {
      DIENHINH_OIDC_AUDIENCE: audience,
      DIENHINH_OIDC_EMAILS: LOCAL_SCHEDULER,
      DIENHINH_OIDC_CERTS: JSON.stringify(keys.certs),
    });
    token = keys.sign({ aud: audience, email: LOCAL_SCHEDULER }, { ttlSeconds: 12 * 3600 });
  }
  const local = firestoreHost
    ? {
        FIRESTORE_EMULATOR_HOST: firestoreHost,
        GOOGLE_CLOUD_PROJECT: given.GOOGLE_CLOUD_PROJECT ?? "demo-dienhinh",
        METADATA_SERVER_DETECTION: "none",
      }
    : {};
  return {
    env: { ...env, ...functionsEnv, ...local },
    ...(token ? { token } : {}),
    ...(firestoreHost ? { firestoreHost } : {}),
    urlOf,
  };
};

/** One function in its own Functions Framework process: ready once it serves on its port, or gone, with why. */
const serveFunction = (fn: (typeof FUNCTIONS)[number], port: number, session: Session, io: CliIo): Served => {
  let output = "";
  const child = spawn(
    process.execPath,
    [
      frameworkMain(),
      `--target=${fn.name}`,
      `--signature-type=${fn.signature}`,
      `--port=${port}`,
      `--source=${ROOT}`,
    ],
    {
      // NODE_ENV=production would silence the framework's "URL: …" line, our sign of readiness.
      env: {
        ...session.env,
        NODE_ENV: "development",
        FUNCTION_TARGET: fn.name,
        K_SERVICE: fn.name,
        PORT: String(port),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const ended = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) =>
      resolve(`${fn.name} đã dừng (mã thoát ${code ?? signal}).\n${output.trim()}`),
    ),
  );
  const ready = new Promise<void>((resolve) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        output += `${line}\n`;
        io.out(`[${fn.name}] ${line}`);
        // Printed once its server listens on this port: a port taken by another program fails instead.
        if (line.includes(`URL: http://localhost:${port}/`)) resolve();
      });
    }
  });
  return { child, ready, ended };
};

/** What the user reads once the functions are up: where they are, the credentials, examples. */
const banner = (session: Session, given: Config["env"]): string => {
  const { urlOf, token, firestoreHost } = session;
  return [
    "",
    `Firestore: ${firestoreHost ? `emulator ${firestoreHost}` : `dự án ${given.GOOGLE_CLOUD_PROJECT}`}` +
      (given.DIENHINH_GOOGLE_ROOT_URL ? ` · Google API: ${given.DIENHINH_GOOGLE_ROOT_URL}` : ""),
    ...FUNCTIONS.map((f) => `${f.name.padEnd(16)} ${urlOf(f.name)}  (${f.signature})`),
    "Khóa ký Apps Script của một đợt (ingestResponse) / a campaign's Apps Script key:",
    `  ${firestoreHost ? `FIRESTORE_EMULATOR_HOST=${firestoreHost} ` : ""}dienhinh push-secret --campaign ID`,
    "Đường dẫn trang tình hình của các trường (statusPage) / the schools' status links:",
    `  ${firestoreHost ? `FIRESTORE_EMULATOR_HOST=${firestoreHost} ` : ""}dienhinh status-link --campaign ID --url ${urlOf("statusPage")}`,
    ...(token
      ? [`TOKEN=${token}`, "(mã OIDC 12 giờ cho reconcile / a 12-hour OIDC token for reconcile)"]
      : []),
    "",
    "Ví dụ / examples:",
    ...(token ? [`  curl -X POST -H "Authorization: Bearer $TOKEN" ${urlOf("reconcile")}`] : []),
    `  curl -X POST ${urlOf("onFormResponses")} -H "ce-id: 1" -H "ce-specversion: 1.0" \\`,
    '    -H "ce-type: google.cloud.pubsub.topic.v1.messagePublished" -H "ce-source: //pubsub.googleapis.com/local" \\',
    `    -H "content-type: application/json" -d '{"message":{"attributes":{"formId":"FORM_ID","eventType":"RESPONSES"}}}'`,
    "Nhấn Ctrl-C để dừng / Ctrl-C stops.",
  ].join("\n");
};

/**
 * `dienhinh serve`: the four Cloud Functions on this machine, each in its own Functions Framework
 * process loading the built package exactly as Cloud Functions does (same entry point, same
 * configuration check at start). Firestore is the emulator FIRESTORE_EMULATOR_HOST names, or one
 * started here; Google APIs are DIENHINH_GOOGLE_ROOT_URL's server or Google's. Authentication
 * stays on: ingestResponse checks the HMAC signature against the campaign's push keys (the banner
 * says how to get one), and reconcile checks an OIDC token (Google's, when DIENHINH_OIDC_AUDIENCE
 * is set; otherwise a local key, with a token printed for the session). Every function's requests
 * pass the request guard (index.ts installs it). Stops on Ctrl-C.
 */
export const serveCommand = async (
  options: ServeOptions,
  io: CliIo,
  env: Env,
  until: Promise<unknown> = new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  }),
) => {
  const config = configFor(env);
  const given = config.env;
  const base = Number(options.port);
  if (!Number.isInteger(base) || base < 0 || base > 65_533)
    throw new InputError(`--port "${options.port}": cần một số cổng (0 để chọn cổng trống).`);
  if (!existsSync(join(ROOT, "functions/lib/index.js")))
    throw new InputError("Chưa biên dịch: chạy npm run build (hoặc scripts/setup) trước.");
  let emulator: RunningEmulator | undefined;
  const served: Served[] = [];
  try {
    let firestoreHost = given.FIRESTORE_EMULATOR_HOST;
    if (!firestoreHost && !given.GOOGLE_CLOUD_PROJECT) {
      emulator = await startEmulator("firestore", config.sdkRoot ? { sdkRoot: config.sdkRoot } : {});
      firestoreHost = emulator.host;
    }
    const ports =
      base === 0 ? await Promise.all(FUNCTIONS.map(() => freePort())) : FUNCTIONS.map((_, i) => base + i);
    const session = sessionOf(env, given, firestoreHost, ports);
    served.push(...FUNCTIONS.map((fn, i) => serveFunction(fn, ports[i] as number, session, io)));
    // From the start, a function that stops by itself ends the session, with its reason.
    const died = Promise.race(served.map((s) => s.ended));
    const failed = await Promise.race([
      Promise.all(served.map((s) => s.ready)).then(() => undefined),
      died,
      new Promise<string>((resolve) =>
        setTimeout(resolve, READY_TIMEOUT_MS, "các hàm chưa sẵn sàng sau 30 giây.").unref(),
      ),
    ]);
    if (failed !== undefined) throw new InputError(`Không khởi động được các hàm: ${failed}`);
    io.out(banner(session, given));
    const ended = await Promise.race([until.then(() => undefined), died]);
    if (ended)
      throw new FunctionStopped("Một hàm đã dừng giữa chừng; xem nhật ký ở trên.", { detail: ended });
  } finally {
    await Promise.all(served.map((s) => stopChild(s.child)));
    await emulator?.stop();
  }
};
