import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import { SIGNATURE_HEADER, signBody } from "../../functions/src/functions/auth.js";
import { freePort } from "../../functions/src/infra/emulators.js";
import { googleFormsGateway, localAuth } from "../../functions/src/infra/google/forms.js";
import {
  captureCli,
  type FormsServer,
  formResponse,
  makeCampaign,
  PASSING_DOSSIER,
  SCHOOLS,
  startFormsServer,
  testStore,
  uniqueId,
} from "../kit/index.js";

/**
 * `dienhinh serve` as a user runs it: the built binary, three Functions Framework processes, real
 * HTTP and CloudEvent requests, authentication on.
 */
const th1 = SCHOOLS[1] as (typeof SCHOOLS)[number];

let forms: FormsServer;
let campaign: Campaign;
let serve: ChildProcess;
let output = "";
const urls: Record<string, string> = {};
let token = "";
let secret = "";

const dossier = () => campaign.forms.dossier as NonNullable<Campaign["forms"]["dossier"]>;
const submissionsOf = async (responseId: string) => testStore().submissions.list(campaign.id, { responseId });

beforeAll(async () => {
  // The functions load the built package, as Cloud Functions does (built once, test/setup/build.ts).
  forms = await startFormsServer();
  campaign = await makeCampaign({
    id: uniqueId("serve-cli"),
    forms: googleFormsGateway({ rootUrl: forms.url, auth: localAuth() }),
  });
  serve = spawn(process.execPath, ["functions/lib/cli/main.js", "serve", "--port", "0"], {
    env: {
      ...process.env,
      FIRESTORE_EMULATOR_HOST: inject("firestoreHost"),
      DIENHINH_GOOGLE_ROOT_URL: forms.url,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  serve.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  serve.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 45_000;
  while (!output.includes("Ctrl-C")) {
    if (serve.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const [, name, url] of output.matchAll(/^(\w+)\s+(http:\/\/127\.0\.0\.1:\d+\/)\s+\(/gmu))
    urls[name as string] = url as string;
  token = /^TOKEN=(\S+)$/mu.exec(output)?.[1] ?? "";
  // The campaign's Apps Script key, as the banner says to get it.
  const made = await captureCli(["push-secret", "--campaign", campaign.id], {
    ...process.env,
    FIRESTORE_EMULATOR_HOST: inject("firestoreHost"),
  });
  secret = /DIENHINH_SECRET=(\S+)/u.exec(made.out)?.[1] ?? "";
}, 90_000);

afterAll(async () => {
  if (serve && serve.exitCode === null) {
    serve.kill("SIGTERM");
    await new Promise((r) => serve.once("exit", r));
  }
  await forms?.close();
});

describe("dienhinh serve", () => {
  it("serves the four functions, with the session's credentials printed", () => {
    expect(Object.keys(urls).sort()).toEqual([
      "ingestResponse",
      "onFormResponses",
      "reconcile",
      "statusPage",
    ]);
    expect(token.split(".")).toHaveLength(3);
    expect(output).toContain(
      `FIRESTORE_EMULATOR_HOST=${inject("firestoreHost")} dienhinh push-secret --campaign ID`,
    );
    expect(output).not.toContain("DIENHINH_HMAC_SECRET");
    expect(secret).toMatch(/^[\w-]{43}$/u);
  });

  it("answers a Pub/Sub CloudEvent by pulling the form's new responses", async () => {
    forms.addResponse(
      dossier().formId,
      formResponse(dossier().bindings, th1, PASSING_DOSSIER, { responseId: "serve-ce" }) as never,
    );
    const res = await fetch(urls.onFormResponses as string, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "ce-id": "m-1",
        "ce-specversion": "1.0",
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
        "ce-source": "//pubsub.googleapis.com/projects/demo-dienhinh/topics/form-responses",
      },
      body: JSON.stringify({
        message: { attributes: { formId: dossier().formId, eventType: "RESPONSES" }, messageId: "m-1" },
        subscription: "projects/demo-dienhinh/subscriptions/eventarc",
      }),
    });
    expect(res.status).toBe(204);
    const stored = await submissionsOf("serve-ce");
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ schoolCode: th1.code, disposition: "accepted" });
  });

  it("answers a signed notice by reading the response from the Forms API, and refuses an unsigned one", async () => {
    forms.addResponse(
      dossier().formId,
      formResponse(dossier().bindings, th1, PASSING_DOSSIER, { responseId: "serve-push" }) as never,
    );
    const body = JSON.stringify({ formId: dossier().formId, responseId: "serve-push" });
    const post = (headers: Record<string, string>) =>
      fetch(urls.ingestResponse as string, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
    const unsigned = await post({});
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: string }).error).toContain("X-Dienhinh-Signature");
    const signed = await post({ [SIGNATURE_HEADER]: signBody(secret, body, Math.floor(Date.now() / 1000)) });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toMatchObject({ disposition: "accepted", duplicate: false });
    expect(await submissionsOf("serve-push")).toHaveLength(1);
  });

  it("guards every function's requests in the real process: compressed, malformed, oversized", async () => {
    for (const name of ["ingestResponse", "reconcile", "onFormResponses"]) {
      const gzipped = await fetch(urls[name] as string, {
        method: "POST",
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
        body: gzipSync("{}"),
      });
      expect(gzipped.status, name).toBe(415);
      const malformed = await fetch(urls[name] as string, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"message": ',
      });
      expect(malformed.status, name).toBe(400);
      expect(malformed.headers.get("content-type"), name).toMatch(/^application\/json/u);
      expect(Object.keys((await malformed.json()) as object), name).toEqual(["error"]);
      const big = await fetch(urls[name] as string, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }),
      });
      expect(big.status, name).toBe(413);
    }
  });

  it("serves each school's status page on the link dienhinh status-link prints, as the banner says", async () => {
    expect(output).toContain(`dienhinh status-link --campaign ID --url ${urls.statusPage}`);
    const printed = await captureCli(
      ["status-link", "--campaign", campaign.id, "--url", urls.statusPage as string],
      {
        ...process.env,
        FIRESTORE_EMULATOR_HOST: inject("firestoreHost"),
      },
    );
    const links = new Map(
      printed.out
        .trim()
        .split("\n")
        .map((l) => l.split("\t") as [string, string]),
    );
    expect([...links.keys()].sort()).toEqual(SCHOOLS.map((s) => s.code).sort());
    const good = await fetch(links.get(th1.code) as string);
    expect(good.status).toBe(200);
    expect(await good.text()).toContain(th1.name);
    const forged = new URL(links.get(th1.code) as string);
    forged.searchParams.set("t", SCHOOLS[0]?.code as string);
    const refused = await fetch(forged);
    expect(refused.status).toBe(403);
    const page = await refused.text();
    for (const s of SCHOOLS) expect(page).not.toContain(s.name);
  });

  it("runs reconcile for the printed OIDC token only", async () => {
    const call = (authorization?: string) =>
      fetch(`${urls.reconcile}?campaign=${campaign.id}`, {
        method: "POST",
        headers: authorization ? { authorization } : {},
      });
    expect((await call()).status).toBe(401);
    expect((await call(`Bearer ${token.slice(0, -4)}AAAA`)).status).toBe(401);
    const res = await call(`Bearer ${token}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { campaigns: Array<{ campaign: string }> };
    expect(body.campaigns.map((c) => c.campaign)).toEqual([campaign.id]);
  });

  it("says which function could not start, when its port is taken, and leaves nothing running", async () => {
    // The port after a free one may be another process's on a busy machine: try again until the
    // squatter holds it (an EADDRINUSE here is the test's own, not the command's).
    const squatter = createServer(() => {});
    let base = 0;
    for (let tries = 0; base === 0 && tries < 20; tries++) {
      const candidate = await freePort();
      const held = await new Promise<boolean>((resolve) => {
        squatter.once("error", () => resolve(false));
        squatter.listen(candidate + 1, "127.0.0.1", () => resolve(true));
      });
      if (held) base = candidate;
    }
    squatter.removeAllListeners("error");
    expect(base, "a port whose next one could be held").toBeGreaterThan(0);
    try {
      const result = await captureCli(["serve", "--port", String(base)], {
        ...process.env,
        FIRESTORE_EMULATOR_HOST: inject("firestoreHost"),
      });
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/Không khởi động được các hàm: reconcile đã dừng[\s\S]*EADDRINUSE/u);
      // The two that did start were stopped.
      for (const port of [base, base + 2]) {
        const open = await fetch(`http://127.0.0.1:${port}/`).then(
          () => true,
          () => false,
        );
        expect(open, `port ${port}`).toBe(false);
      }
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it("stops every function on SIGTERM", async () => {
    serve.kill("SIGTERM");
    const code = await new Promise((r) => serve.once("exit", r));
    expect(code).toBe(0);
    const alive = await fetch(urls.ingestResponse as string).then(
      () => true,
      () => false,
    );
    expect(alive).toBe(false);
  });
});
