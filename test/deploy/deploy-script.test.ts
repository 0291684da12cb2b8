import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { deploymentOf } from "../../functions/src/cli/commands/onboard.js";
import { parseConfig, REQUIRED, roleOfTarget } from "../../functions/src/config.js";
import { FORMS_SCOPES } from "../../functions/src/infra/google/forms.js";
import { SHEETS_SCOPES } from "../../functions/src/infra/google/sheets.js";

import {
  CONFIG_KEYS,
  commandsOf,
  deploy,
  FOLDER,
  flag,
  functionDeploys,
  GMAIL,
  has,
  JOB_SA,
  PLATFORM_KEYS,
  PROJECT,
  pairs,
  REGION,
  ROOT,
  RUNTIME_SA,
  type Run,
  registeredFunctions,
  SECRET_KEYS,
  SENDER,
  SMTP,
  startsWith,
  stubTools,
  TOPIC,
  words,
} from "./deploy-kit.js";

describe("scripts/deploy --dry-run", () => {
  let commands: string[][];
  let out: Run;
  beforeAll(async () => {
    out = await deploy(GMAIL);
    commands = commandsOf(out.stdout);
  });

  it("prints the commands and succeeds", () => {
    expect(out.code, out.stderr).toBe(0);
    expect(commands.length).toBeGreaterThan(20);
    // Every gcloud command names the project explicitly, never the machine's default.
    for (const c of commands.filter((c) => c[0] === "gcloud" && c[1] !== "projects"))
      expect(flag(c, "project"), c.join(" ")).toBe(PROJECT);
  });

  it("deploys every function register.ts registers, as 2nd gen, under its own name", async () => {
    const names = await registeredFunctions();
    expect(names.sort()).toEqual(["ingestResponse", "onFormResponses", "reconcile", "statusPage"]);
    const deploys = functionDeploys(commands);
    expect([...deploys.keys()].sort()).toEqual(names);
    for (const [name, c] of deploys) {
      expect(c, name).toContain("--gen2");
      expect(flag(c, "entry-point"), name).toBe(name);
      expect(flag(c, "region"), name).toBe(REGION);
      // Node.js 20 reached end of life in April 2026.
      expect(flag(c, "runtime"), name).toBe("nodejs22");
      expect(flag(c, "source"), name).toBe(".");
      expect(flag(c, "service-account"), name).toBe(RUNTIME_SA);
      expect(flag(c, "memory"), name).toMatch(/^\d+(Mi|Gi)$/u);
      expect(flag(c, "timeout"), name).toMatch(/^\d+s$/u);
      expect(Number(flag(c, "max-instances")), name).toBeGreaterThan(0);
      // The buildpack installs devDependencies (tsc, for the "prepare" script) only when told to build.
      expect(pairs(flag(c, "set-build-env-vars")).GOOGLE_NODE_RUN_SCRIPTS, name).toBe("build");
    }
    const pubsub = deploys.get("onFormResponses") ?? [];
    expect(flag(pubsub, "trigger-topic")).toBe(TOPIC);
    expect(pubsub).toContain("--retry");
    expect(deploys.get("ingestResponse")).toContain("--allow-unauthenticated");
    // A school opens its status link with no account: the signed link is the credential.
    expect(deploys.get("statusPage")).toContain("--allow-unauthenticated");
    expect(deploys.get("reconcile")).toContain("--no-allow-unauthenticated");
    for (const name of ["ingestResponse", "reconcile", "statusPage"])
      expect(deploys.get(name)).toContain("--trigger-http");
  });

  it("gives each function what config.ts requires of it, secrets only as secrets, and valid values", () => {
    for (const [name, c] of functionDeploys(commands)) {
      const env = pairs(flag(c, "set-env-vars"));
      const secrets = pairs(flag(c, "set-secrets"));
      const role = roleOfTarget(name);
      for (const key of REQUIRED[role])
        expect([...Object.keys(env), ...Object.keys(secrets)], name).toContain(key);
      for (const key of Object.keys(env)) {
        expect(
          CONFIG_KEYS.has(key) || PLATFORM_KEYS.includes(key),
          `${name}: ${key} is not in configSchema`,
        ).toBe(true);
        expect(SECRET_KEYS, `${name}: ${key} given in clear`).not.toContain(key);
      }
      for (const [key, ref] of Object.entries(secrets)) {
        expect(CONFIG_KEYS.has(key), `${name}: ${key}`).toBe(true);
        expect(ref, `${name}: ${key}`).toMatch(/^[\w-]+:(latest|\d+)$/u);
      }
      // The configuration the instance will parse at start, with stand-ins for the secrets' values.
      const stand = Object.fromEntries(Object.keys(secrets).map((k) => [k, "x".repeat(64)]));
      expect(() => parseConfig({ ...env, ...stand, FUNCTION_TARGET: name }, role), name).not.toThrow();
      expect(env.DIENHINH_WATCH_TOPIC, name).toBe(`projects/${PROJECT}/topics/${TOPIC}`);
    }
  });

  it("gives the functions no secret: the Apps Script push's keys are each campaign's, in Firestore", () => {
    for (const [name, c] of functionDeploys(commands)) expect(has(c, "set-secrets"), name).toBe(false);
    // A deployment from before per-campaign keys gave ingestResponse a shared secret: cleared.
    expect(functionDeploys(commands).get("ingestResponse")).toContain("--clear-secrets");
    expect(out.stdout).not.toContain("dienhinh-hmac-secret");
    expect(commands.some((c) => c[0] === "openssl")).toBe(false);
    // What the office pastes into the form's Script properties, and how it gets it.
    const lines = out.stderr.split("\n").map((l) => l.trim());
    expect(lines).toContain(`GOOGLE_CLOUD_PROJECT=${PROJECT} npx dienhinh push-secret --campaign ID`);
  });

  it("lets Google Forms publish to the watch topic, and creates the topic first", () => {
    const create = commands.findIndex((c) => startsWith(c, "gcloud", "pubsub", "topics", "create", TOPIC));
    const binding = commands.findIndex(
      (c) =>
        startsWith(c, "gcloud", "pubsub", "topics", "add-iam-policy-binding", TOPIC) &&
        flag(c, "member") === "serviceAccount:forms-notifications@system.gserviceaccount.com" &&
        flag(c, "role") === "roles/pubsub.publisher",
    );
    expect(create).toBeGreaterThanOrEqual(0);
    expect(binding).toBeGreaterThan(create);
  });

  it("has Cloud Scheduler call reconcile with an OIDC token for the audience reconcile checks", () => {
    const reconcile = functionDeploys(commands).get("reconcile") ?? [];
    const env = pairs(flag(reconcile, "set-env-vars"));
    for (const verb of ["create", "update"]) {
      const job = commands.find((c) =>
        startsWith(c, "gcloud", "scheduler", "jobs", verb, "http", "dienhinh-reconcile"),
      );
      expect(job, verb).toBeDefined();
      if (!job) continue;
      expect(flag(job, "uri")).toBe(env.DIENHINH_OIDC_AUDIENCE);
      expect(flag(job, "oidc-token-audience")).toBe(env.DIENHINH_OIDC_AUDIENCE);
      const caller = flag(job, "oidc-service-account-email") ?? "";
      expect(env.DIENHINH_OIDC_EMAILS?.split(",")).toContain(caller);
      expect(flag(job, "time-zone")).toBe("Asia/Ho_Chi_Minh");
      expect(flag(job, "location")).toBe(REGION);
      expect(flag(job, "http-method")).toBe("POST");
      expect(
        commands.some(
          (c) =>
            startsWith(c, "gcloud", "functions", "add-invoker-policy-binding", "reconcile") &&
            flag(c, "member") === `serviceAccount:${caller}`,
        ),
      ).toBe(true);
    }
    // The audience is the URL read back from the deployed function, not the provisional one.
    const describe = out.stdout
      .split("\n")
      .findLastIndex((l) => l.startsWith("reconcile_url=$(gcloud functions describe"));
    const lastDeploy = out.stdout
      .split("\n")
      .findLastIndex((l) => l.startsWith("gcloud functions deploy reconcile"));
    expect(describe).toBeGreaterThan(0);
    expect(lastDeploy).toBeGreaterThan(describe);
  });

  it("runs the delivery job from Cloud Scheduler through the Run API with an OAuth token", () => {
    const job = commands.find((c) => startsWith(c, "gcloud", "run", "jobs", "deploy")) ?? [];
    const name = job[4] ?? "";
    for (const verb of ["create", "update"]) {
      const trigger = commands.find((c) => startsWith(c, "gcloud", "scheduler", "jobs", verb, "http", name));
      expect(trigger, verb).toBeDefined();
      if (!trigger) continue;
      expect(flag(trigger, "uri")).toBe(
        `https://run.googleapis.com/v2/projects/${PROJECT}/locations/${REGION}/jobs/${name}:run`,
      );
      expect(has(trigger, "oidc-service-account-email")).toBe(false);
      const caller = flag(trigger, "oauth-service-account-email") ?? "";
      expect(caller).toMatch(/@demo-proj\.iam\.gserviceaccount\.com$/u);
      expect(flag(trigger, "schedule")).toBe("*/30 7-20 * * *");
      const invoker = commands.find(
        (c) =>
          startsWith(c, "gcloud", "run", "jobs", "add-iam-policy-binding", name) &&
          flag(c, "member") === `serviceAccount:${caller}`,
      );
      expect(invoker && flag(invoker, "role")).toBe("roles/run.invoker");
    }
  });

  it("runs the same job each morning with --daily (reminders, the office's digest), allowed to pass its arguments", () => {
    const job = commands.find((c) => startsWith(c, "gcloud", "run", "jobs", "deploy")) ?? [];
    const name = job[4] ?? "";
    for (const [verb, headers] of [
      ["create", "headers"],
      ["update", "update-headers"],
    ] as const) {
      const trigger = commands.find((c) =>
        startsWith(c, "gcloud", "scheduler", "jobs", verb, "http", `${name}-daily`),
      );
      expect(trigger, verb).toBeDefined();
      if (!trigger) continue;
      expect(flag(trigger, "uri")).toBe(
        `https://run.googleapis.com/v2/projects/${PROJECT}/locations/${REGION}/jobs/${name}:run`,
      );
      // Before the half-hourly runs start at 07:00, and at 12:30 for what the morning missed.
      expect([flag(trigger, "schedule"), flag(trigger, "time-zone")]).toEqual([
        "30 6,12 * * *",
        "Asia/Ho_Chi_Minh",
      ]);
      expect(JSON.parse(flag(trigger, "message-body") ?? "{}")).toEqual({
        overrides: { containerOverrides: [{ args: ["deliver", "--all-campaigns", "--daily"] }] },
      });
      expect(flag(trigger, headers)).toBe("Content-Type=application/json");
      const caller = flag(trigger, "oauth-service-account-email");
      const roles = commands
        .filter(
          (c) =>
            startsWith(c, "gcloud", "run", "jobs", "add-iam-policy-binding", name) &&
            flag(c, "member") === `serviceAccount:${caller}`,
        )
        .map((c) => flag(c, "role"));
      expect(roles).toContain("roles/run.jobsExecutorWithOverrides");
    }
  });

  it("deploys the job from the image it builds, running `deliver --all-campaigns` with a valid configuration", async () => {
    const job = commands.find((c) => startsWith(c, "gcloud", "run", "jobs", "deploy")) ?? [];
    const build = commands.find((c) => startsWith(c, "gcloud", "builds", "submit")) ?? [];
    expect(flag(job, "image")).toBe(flag(build, "tag"));
    expect(flag(job, "image")).toBe(`${REGION}-docker.pkg.dev/${PROJECT}/dienhinh/dienhinh:t1`);
    expect(flag(job, "args")).toBe("deliver,--all-campaigns");
    const dockerfile = await readFile(join(ROOT, "Dockerfile"), "utf8");
    expect(dockerfile).toContain('ENTRYPOINT ["node", "functions/lib/cli/main.js"]');
    expect(dockerfile).toContain('CMD ["deliver", "--all-campaigns"]');
    // Both stages on Node.js 22 (Node.js 20 reached end of life in April 2026).
    expect(dockerfile.match(/^FROM .*$/gmu)).toEqual([
      "FROM node:22-bookworm-slim AS build",
      "FROM node:22-bookworm-slim",
    ]);
    expect(dockerfile).toMatch(/^USER node$/mu);
    const env = pairs(flag(job, "set-env-vars"));
    for (const key of Object.keys(env)) expect(CONFIG_KEYS.has(key), key).toBe(true);
    // Cloud Run sets CLOUD_RUN_JOB in a job's tasks; there the program refuses to "send" to files.
    const inJob = { ...env, CLOUD_RUN_JOB: "dienhinh-deliver" };
    expect(() => parseConfig(inJob, "deliver")).not.toThrow();
    expect(() => parseConfig({ ...inJob, DIENHINH_MAIL: "file" }, "deliver")).toThrow();
    expect(env).toMatchObject({ DIENHINH_MAIL: "gmail", DIENHINH_GMAIL_SENDER: SENDER });
    expect(env.DIENHINH_DRIVE_FOLDER).toBe(FOLDER);
    // The schools' status links in its emails open on the statusPage function's URL, read once deployed.
    expect(env.DIENHINH_STATUS_URL).toMatch(/^https:\/\/statuspage-/u);
    expect(flag(job, "memory")).toBe("2Gi");
    expect(flag(job, "service-account")).toBe(JOB_SA);
  });

  it("ends the job's task before the next scheduled run starts", () => {
    const job = commands.find((c) => startsWith(c, "gcloud", "run", "jobs", "deploy")) ?? [];
    const trigger =
      commands.find((c) => startsWith(c, "gcloud", "scheduler", "jobs", "create", "http", job[4] ?? "")) ??
      [];
    const minutes = /^\*\/(\d+) /u.exec(flag(trigger, "schedule") ?? "")?.[1];
    const timeout = /^(\d+)s$/u.exec(flag(job, "task-timeout") ?? "")?.[1];
    expect(timeout).toBe("1500");
    expect(Number(timeout)).toBeLessThan(Number(minutes) * 60);
  });

  it("deploys every field override of firestore.indexes.json with gcloud, and the rules only on a Firebase project", async () => {
    const json = JSON.parse(await readFile(join(ROOT, "firestore.indexes.json"), "utf8")) as {
      fieldOverrides: { collectionGroup: string; fieldPath: string; indexes: unknown[] }[];
    };
    expect(json.fieldOverrides.length).toBeGreaterThan(0);
    const updates = commands.filter((c) =>
      startsWith(c, "gcloud", "firestore", "indexes", "fields", "update"),
    );
    expect(updates).toHaveLength(json.fieldOverrides.length);
    for (const o of json.fieldOverrides) {
      const c = updates.find(
        (u) => u[5] === o.fieldPath && flag(u, "collection-group") === o.collectionGroup,
      );
      expect(c, `${o.collectionGroup}.${o.fieldPath}`).toBeDefined();
      expect(o.indexes).toEqual([]);
      expect(c).toContain("--disable-indexes");
      expect(flag(c ?? [], "database")).toBe("(default)");
    }
    // After the database exists.
    const create = commands.findIndex((c) => startsWith(c, "gcloud", "firestore", "databases", "create"));
    const first = commands.findIndex((c) => startsWith(c, "gcloud", "firestore", "indexes"));
    expect(first).toBeGreaterThan(create);
    // The rules: one conditional line, firebase-tools only where the project is a Firebase project.
    const rules = out.stdout.split("\n").filter((l) => l.includes("firebase"));
    expect(rules).toHaveLength(1);
    const line = rules[0] ?? "";
    expect(line).toMatch(/^if command -v firebase >\/dev\/null 2>&1 && firebase projects:list --json /u);
    expect(line).toContain(`then gcloud services enable firebaserules.googleapis.com --project=${PROJECT}; `);
    expect(line).toContain(
      `firebase deploy --only firestore:rules --project ${PROJECT} --non-interactive; else `,
    );
    expect(line).toContain(
      `firebase projects:addfirebase ${PROJECT} && firebase deploy --only firestore:rules --project ${PROJECT}`,
    );
    expect(line).toContain("denies every client");
    expect(out.stdout).not.toContain("firestore:indexes");
  });

  it("runs the functions and the job as two service accounts, each with only what it uses", async () => {
    const bindings = (all: string[][], member: string) =>
      all
        .filter(
          (c) => c.includes("add-iam-policy-binding") && flag(c, "member") === `serviceAccount:${member}`,
        )
        // "SERVICE … add-iam-policy-binding RESOURCE ROLE"
        .map((c) => [...c.slice(1).filter((w) => !w.startsWith("--")), flag(c, "role")].join(" "))
        .sort();
    const smtp = commandsOf((await deploy(SMTP)).stdout);
    for (const sa of [RUNTIME_SA, JOB_SA])
      expect(
        commands.some((c) =>
          startsWith(c, "gcloud", "iam", "service-accounts", "create", sa.split("@")[0] ?? ""),
        ),
        sa,
      ).toBe(true);
    expect(bindings(commands, RUNTIME_SA)).toEqual([
      `projects add-iam-policy-binding ${PROJECT} roles/datastore.user`,
    ]);
    expect(bindings(smtp, RUNTIME_SA)).toEqual(bindings(commands, RUNTIME_SA));
    expect(bindings(commands, JOB_SA)).toEqual([
      `iam service-accounts add-iam-policy-binding ${JOB_SA} roles/iam.serviceAccountTokenCreator`,
      `projects add-iam-policy-binding ${PROJECT} roles/datastore.user`,
    ]);
    expect(bindings(smtp, JOB_SA)).toEqual([
      `projects add-iam-policy-binding ${PROJECT} roles/datastore.user`,
      "secrets add-iam-policy-binding dienhinh-smtp-pass roles/secretmanager.secretAccessor",
    ]);
    for (const all of [commands, smtp]) {
      for (const [name, c] of functionDeploys(all)) expect(flag(c, "service-account"), name).toBe(RUNTIME_SA);
      const job = all.find((c) => startsWith(c, "gcloud", "run", "jobs", "deploy")) ?? [];
      expect(flag(job, "service-account")).toBe(JOB_SA);
    }
  });

  it("prints the steps by hand for the two accounts: onboard as a person, delegation and Drive to the job", () => {
    const lines = out.stderr.split("\n").map((l) => l.trim());
    // setup runs as a person (service accounts cannot own Drive files), with the scopes the code asks for.
    const login = lines.find((l) => l.startsWith("gcloud auth application-default login")) ?? "";
    expect(login).not.toContain("impersonate");
    const scopes = (flag(login.split(" "), "scopes") ?? "").split(",").sort();
    expect(scopes).toEqual(
      [
        ...new Set([
          "openid",
          "https://www.googleapis.com/auth/cloud-platform",
          ...FORMS_SCOPES,
          ...SHEETS_SCOPES,
        ]),
      ].sort(),
    );
    expect(flag(login.split(" "), "client-id-file")).toBeDefined();
    // Each office is onboarded in one command, with its own files; onboard shares the forms and the
    // sheet with the two service accounts itself (the names this script gives them).
    const onboard = lines.find((l) => l.includes("npx dienhinh onboard")) ?? "";
    expect(onboard.startsWith(`GOOGLE_CLOUD_PROJECT=${PROJECT} `)).toBe(true);
    for (const needed of ["campaign", "school-year", "office", "registry", "share"])
      expect(flag(words(onboard), needed), needed).toBeDefined();
    expect(flag(words(onboard), "share")).toBe("EMAIL_CAN_BO_PHONG");
    // ... the names onboard derives from the project are the ones this script creates.
    expect(deploymentOf(parseConfig({ GOOGLE_CLOUD_PROJECT: PROJECT }))).toEqual({
      accounts: [RUNTIME_SA, JOB_SA],
      topic: `projects/${PROJECT}/topics/${TOPIC}`,
    });
    expect(out.stderr).not.toContain("--impersonate-service-account");
    // Domain-wide delegation and the Drive folder: the job's account, not the functions'.
    const clientId = lines.find((l) => l.includes("value(oauth2ClientId)")) ?? "";
    expect(words(clientId).slice(0, 4)).toEqual(["gcloud", "iam", "service-accounts", "describe"]);
    expect(words(clientId)[4]).toBe(JOB_SA);
    const drive = out.stderr.slice(out.stderr.indexOf("4. Drive"));
    expect(drive).toContain(FOLDER);
    expect(drive).toContain(JOB_SA);
    expect(drive).not.toContain(RUNTIME_SA);
  });

  it("with Gmail, lets the job's account sign its own delegated token (keyless), and only then", async () => {
    const tokenCreator = (all: string[][]) =>
      all.filter(
        (c) =>
          c.includes("add-iam-policy-binding") && flag(c, "role") === "roles/iam.serviceAccountTokenCreator",
      );
    const [binding, ...more] = tokenCreator(commands);
    expect(more).toEqual([]);
    expect(
      startsWith(binding ?? [], "gcloud", "iam", "service-accounts", "add-iam-policy-binding", JOB_SA),
    ).toBe(true);
    expect(flag(binding ?? [], "member")).toBe(`serviceAccount:${JOB_SA}`);
    // The functions' account (ingestResponse is public) can sign for nothing, and reads no mail secret.
    const runtimeRoles = commands.filter(
      (c) => c.includes("add-iam-policy-binding") && flag(c, "member") === `serviceAccount:${RUNTIME_SA}`,
    );
    expect(runtimeRoles.map((c) => flag(c, "role"))).not.toContain("roles/iam.serviceAccountTokenCreator");
    expect(
      commands.some((c) => c.includes(RUNTIME_SA) && c.includes("roles/iam.serviceAccountTokenCreator")),
    ).toBe(false);
    const enable = commands.find((c) => startsWith(c, "gcloud", "services", "enable")) ?? [];
    expect(enable).toContain("iamcredentials.googleapis.com");
    const smtp = await deploy(SMTP);
    expect(tokenCreator(commandsOf(smtp.stdout))).toEqual([]);
  });

  it("with SMTP, requires the password secret and gives it to the job (only) as a secret", async () => {
    const smtp = await deploy(SMTP);
    expect(smtp.code, smtp.stderr).toBe(0);
    const all = commandsOf(smtp.stdout);
    const job = all.find((c) => startsWith(c, "gcloud", "run", "jobs", "deploy")) ?? [];
    expect(pairs(flag(job, "set-secrets"))).toEqual({ DIENHINH_SMTP_PASS: "dienhinh-smtp-pass:latest" });
    const env = pairs(flag(job, "set-env-vars"));
    expect(Object.keys(env)).not.toContain("DIENHINH_SMTP_PASS");
    expect(() =>
      parseConfig({ ...env, DIENHINH_SMTP_PASS: "x", CLOUD_RUN_JOB: "dienhinh-deliver" }, "deliver"),
    ).not.toThrow();
    expect(all.some((c) => startsWith(c, "gcloud", "secrets", "describe", "dienhinh-smtp-pass"))).toBe(true);
    const members = (secret: string) =>
      all
        .filter(
          (c) =>
            startsWith(c, "gcloud", "secrets", "add-iam-policy-binding", secret) &&
            flag(c, "role") === "roles/secretmanager.secretAccessor",
        )
        .map((c) => flag(c, "member"));
    // Each secret to the one account that uses it.
    expect(members("dienhinh-smtp-pass")).toEqual([`serviceAccount:${JOB_SA}`]);
    expect(flag(job, "service-account")).toBe(JOB_SA);
  });

  it("refuses to start without PROJECT, or with a mail setting the job cannot use, saying what to set", async () => {
    const none = await deploy({});
    expect(none.code).not.toBe(0);
    expect(none.stdout).toBe("");
    expect(none.stderr).toContain("Missing PROJECT");
    expect(none.stderr).toContain("Thiếu PROJECT");
    const noSender = await deploy({ PROJECT, DIENHINH_DRIVE_FOLDER: FOLDER });
    expect(noSender.code).not.toBe(0);
    expect(noSender.stderr).toContain("DIENHINH_GMAIL_SENDER");
    const file = await deploy({ PROJECT, DIENHINH_MAIL: "file", DIENHINH_DRIVE_FOLDER: FOLDER });
    expect(file.code).not.toBe(0);
    expect(file.stderr).toContain("gmail or smtp");
    const noHost = await deploy({ PROJECT, DIENHINH_MAIL: "smtp", DIENHINH_DRIVE_FOLDER: FOLDER });
    expect(noHost.code).not.toBe(0);
    expect(noHost.stderr).toContain("DIENHINH_SMTP_HOST");
    // The job's disk vanishes: without Drive its PDFs would be lost.
    const noFolders: Record<string, string>[] = [
      { PROJECT, DIENHINH_GMAIL_SENDER: SENDER },
      { ...SMTP, DIENHINH_DRIVE_FOLDER: "" },
    ];
    for (const env of noFolders) {
      const noFolder = await deploy(env);
      expect(noFolder.code).not.toBe(0);
      expect(noFolder.stdout).toBe("");
      expect(noFolder.stderr).toContain("Missing DIENHINH_DRIVE_FOLDER");
      expect(noFolder.stderr).toContain("Thiếu DIENHINH_DRIVE_FOLDER");
    }
  });
});

/**
 * Stand-ins for gcloud, npm, openssl and firebase that log their arguments (and gcloud's stdin);
 * openssl is there to show that nothing calls it any more.
 * `firebase projects:list --json` lists the project when STUB_FIREBASE_PROJECT=1.
 */
const SECRET_VALUE = "c2VjcmV0LXZhbHVlLW5vdC10by1iZS1wcmludGVkLWFueXdoZXJlLWJ5LXRoZS1zY3JpcHQ";
const stubs = () =>
  stubTools("dienhinh-deploy-", ({ dir, logLine }) => ({
    gcloud: `${logLine}
case "$*" in
  *"functions describe reconcile"*)
    [ -e "${dir}/reconcile-deployed" ] || exit 1
    echo "https://reconcile-abc123-as.a.run.app" ;;
  *"functions describe statusPage"*) echo "https://statuspage-abc123-as.a.run.app" ;;
  *" describe "*) [ "\${STUB_EXISTS:-0}" = 1 ] || exit 1 ;;
  *"functions deploy reconcile"*) touch "${dir}/reconcile-deployed" ;;
  *"secrets create"*) cat >"${dir}/secret" ;;
esac
exit 0`,
    npm: `${logLine}\nexit 0`,
    openssl: `${logLine}\necho "${SECRET_VALUE}"`,
    firebase: `${logLine}
case "$1" in
  projects:list)
    [ "\${STUB_FIREBASE_PROJECT:-0}" = 1 ] && id="${PROJECT}" || id=other-project
    printf '{"status":"success","result":[{"projectId":"%s","projectNumber":"1"}]}\n' "$id" ;;
esac
exit 0`,
  }));

describe("scripts/deploy, run", () => {
  const env = GMAIL;

  it("calls nothing at all in a dry run", async () => {
    const s = await stubs();
    const run = await deploy(env, ["--dry-run"], s.path);
    expect(run.code).toBe(0);
    expect(await s.calls()).toEqual([]);
  });

  it("first deployment: creates what is missing and no secret, deploys reconcile with its own URL", async () => {
    const s = await stubs();
    const run = await deploy(env, [], s.path);
    expect(run.code, run.stderr).toBe(0);
    const calls = await s.calls();
    // With Gmail there is no secret at all: the push keys are the campaigns', in Firestore.
    expect(calls.filter((c) => c[0] === "openssl")).toEqual([]);
    expect(calls.some((c) => startsWith(c, "gcloud", "secrets"))).toBe(false);
    expect(run.stdout + run.stderr).not.toContain(SECRET_VALUE);
    for (const what of [
      ["iam", "service-accounts", "create", "dienhinh-runtime"],
      ["iam", "service-accounts", "create", "dienhinh-scheduler"],
      ["pubsub", "topics", "create", TOPIC],
      ["firestore", "databases", "create"],
      ["artifacts", "repositories", "create", "dienhinh"],
      ["scheduler", "jobs", "create", "http", "dienhinh-reconcile"],
      ["scheduler", "jobs", "create", "http", "dienhinh-deliver"],
    ])
      expect(
        calls.some((c) => startsWith(c, "gcloud", ...what)),
        what.join(" "),
      ).toBe(true);
    const reconcile = calls.filter((c) => startsWith(c, "gcloud", "functions", "deploy", "reconcile"));
    expect(reconcile.map((c) => pairs(flag(c, "set-env-vars")).DIENHINH_OIDC_AUDIENCE)).toEqual([
      `https://${REGION}-${PROJECT}.cloudfunctions.net/reconcile`,
      "https://reconcile-abc123-as.a.run.app",
    ]);
    const scheduler = calls.find((c) =>
      startsWith(c, "gcloud", "scheduler", "jobs", "create", "http", "dienhinh-reconcile"),
    );
    expect(scheduler && flag(scheduler, "oidc-token-audience")).toBe("https://reconcile-abc123-as.a.run.app");
    expect(calls.some((c) => c[0] === "npm" && c[1] === "run" && c[2] === "build")).toBe(true);
    expect(
      calls.filter((c) => startsWith(c, "gcloud", "firestore", "indexes", "fields", "update")).length,
    ).toBeGreaterThan(0);
    // Not a Firebase project: the rules are left as gcloud created them, with a note.
    expect(calls.filter((c) => c[0] === "firebase")).toEqual([["firebase", "projects:list", "--json"]]);
    expect(run.stderr).toContain("firebase projects:addfirebase demo-proj");
    expect(run.stderr).toContain("dienhinh onboard --campaign ID");
  });

  it("deploys the Firestore rules with firebase-tools on a Firebase project, and needs no firebase otherwise", async () => {
    const s = await stubs();
    const run = await deploy({ ...env, STUB_FIREBASE_PROJECT: "1" }, [], s.path);
    expect(run.code, run.stderr).toBe(0);
    const firebase = (await s.calls()).filter((c) => c[0] === "firebase");
    expect(firebase).toEqual([
      ["firebase", "projects:list", "--json"],
      ["firebase", "deploy", "--only", "firestore:rules", "--project", PROJECT, "--non-interactive"],
    ]);
    expect(run.stderr).not.toContain("projects:addfirebase");
    // Without firebase on the PATH at all (this machine has none but the stand-in).
    const t = await stubs();
    await rm(join(t.dir, "bin", "firebase"));
    const without = await deploy(env, [], t.path);
    expect(without.code, without.stderr).toBe(0);
    expect(without.stderr).toContain("firebase projects:addfirebase demo-proj");
    expect((await t.calls()).some((c) => startsWith(c, "gcloud", "run", "jobs", "deploy"))).toBe(true);
  });

  it("again: creates nothing, deploys reconcile once with the URL it has, updates the scheduler jobs", async () => {
    const s = await stubs();
    await writeFile(join(s.dir, "reconcile-deployed"), "");
    const run = await deploy({ ...env, STUB_EXISTS: "1" }, [], s.path);
    expect(run.code, run.stderr).toBe(0);
    const calls = await s.calls();
    expect(calls.filter((c) => c[0] === "gcloud" && c.includes("create"))).toEqual([]);
    expect(calls.filter((c) => c[0] === "openssl")).toEqual([]);
    const reconcile = calls.filter((c) => startsWith(c, "gcloud", "functions", "deploy", "reconcile"));
    expect(reconcile).toHaveLength(1);
    expect(pairs(flag(reconcile[0] ?? [], "set-env-vars")).DIENHINH_OIDC_AUDIENCE).toBe(
      "https://reconcile-abc123-as.a.run.app",
    );
    // reconcile, the half-hourly delivery and the morning run.
    expect(calls.filter((c) => startsWith(c, "gcloud", "scheduler", "jobs", "update", "http"))).toHaveLength(
      3,
    );
  });

  it("with SMTP, stops before deploying anything when the password secret is missing, with the command to create it", async () => {
    const s = await stubs();
    const run = await deploy(SMTP, [], s.path);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("gcloud secrets create dienhinh-smtp-pass --data-file=-");
    expect((await s.calls()).some((c) => startsWith(c, "gcloud", "functions", "deploy"))).toBe(false);
  });
});

/** Google's Cloud CLI, when installed: every flag the script passes must be one its command knows. */
