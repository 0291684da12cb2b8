import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import { googleOidcVerifier, SIGNATURE_HEADER, signBody } from "../../functions/src/functions/auth.js";
import type { FunctionDeps } from "../../functions/src/functions/handlers.js";
import { type FunctionName, registerFunctions } from "../../functions/src/functions/register.js";
import { guardServer } from "../../functions/src/functions/request-guard.js";
import { googleFormsGateway, localAuth } from "../../functions/src/infra/google/forms.js";
import {
  type FormsServer,
  formResponse,
  makeCampaign,
  oidcKeys,
  PASSING_DOSSIER,
  SCHOOLS,
  startFormsServer,
  testDeps,
  testStore,
  uniqueId,
} from "../kit/index.js";

const AUDIENCE = "https://asia-southeast1-demo.cloudfunctions.net/reconcile";
const SCHEDULER = "scheduler@demo-dienhinh.iam.gserviceaccount.com";
const TOPIC = "projects/demo-dienhinh/topics/form-responses";
const keys = oidcKeys();
const th1 = SCHOOLS[1] as (typeof SCHOOLS)[number];
const DAY_MS = 24 * 3600 * 1000;

let forms: FormsServer;
let campaign: Campaign;
let secret: string;
/** The functions' clock runs this far ahead of the machine's (to step past a key's grace period). */
let ahead = 0;
const now = () => new Date(Date.now() + ahead);
const deps = (): FunctionDeps => ({
  app: testDeps({ forms: googleFormsGateway({ rootUrl: forms.url, auth: localAuth() }), clock: now }),
  oidc: googleOidcVerifier({ audience: AUDIENCE, allowedEmails: [SCHEDULER], certs: keys.certs }),
  watchTopic: TOPIC,
});
/** A function as deployed: its Functions Framework server behind the request guard. */
const server = (name: FunctionName) => guardServer(getTestServer(name), name);

/** The campaign's push key: made the first time, replaced with `rotate`. */
const pushKey = async (campaignId: string, rotate = false) => {
  const at = now();
  const fresh = {
    id: uniqueId("k"),
    secret: randomBytes(32).toString("base64url"),
    createdAt: at.toISOString(),
  };
  const { secrets } = await testStore().campaigns.ensurePushSecret(campaignId, fresh, { rotate, now: at });
  return secrets[0]?.secret ?? "";
};

beforeAll(async () => {
  forms = await startFormsServer();
  campaign = await makeCampaign({
    forms: googleFormsGateway({ rootUrl: forms.url, auth: localAuth() }),
    topicName: TOPIC,
  });
  secret = await pushKey(campaign.id);
  registerFunctions(async () => deps());
});
afterAll(() => forms.close());

const dossier = () => campaign.forms.dossier as NonNullable<Campaign["forms"]["dossier"]>;
const submissionsOf = async (responseId: string) => testStore().submissions.list(campaign.id, { responseId });
const notice = (responseId: string, formId = dossier().formId) => JSON.stringify({ formId, responseId });
/** A response the school submitted: in the (local) Forms API, where the function reads it. */
const submitted = (responseId: string, options: Parameters<typeof formResponse>[3] = {}) =>
  forms.addResponse(
    dossier().formId,
    formResponse(dossier().bindings, th1, PASSING_DOSSIER, { responseId, ...options }) as never,
  );

const signedPost = (body: string, options: { secret?: string; at?: number; type?: string } = {}) => {
  const at = options.at ?? Math.floor(now().getTime() / 1000);
  return request(server("ingestResponse"))
    .post("/")
    .set("content-type", options.type ?? "application/json")
    .set(SIGNATURE_HEADER, signBody(options.secret ?? secret, body, at))
    .send(body);
};

describe("ingestResponse (Apps Script notice, HMAC per campaign)", () => {
  it("reads the notified response from the Forms API, takes it in, and says what became of it", async () => {
    submitted("push-1");
    const res = await signedPost(notice("push-1"));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ disposition: "accepted", duplicate: false, reasons: [] });
    expect(await submissionsOf("push-1")).toHaveLength(1);
    const again = await signedPost(notice("push-1"));
    expect([again.status, again.body.duplicate]).toEqual([200, true]);
    expect(await submissionsOf("push-1")).toHaveLength(1);
    expect(forms.requests.some((r) => r.method === "GET" && r.path.endsWith("/responses/push-1"))).toBe(true);
  });

  it("believes nothing the notice says of the response: sender, time and answers come from the Forms API", async () => {
    submitted("push-claims", { email: "la@gmail.com" });
    const forged = JSON.stringify({
      formId: dossier().formId,
      responseId: "push-claims",
      respondentEmail: th1.emails[0],
      lastSubmittedTime: "2099-01-01T00:00:00Z",
      answers: {},
    });
    const res = await signedPost(forged);
    expect(res.status).toBe(200);
    expect(res.body.disposition).toBe("quarantined");
    expect(res.body.reasons[0]).toContain("Email người gửi không thuộc trường đã chọn");
    const [stored] = await submissionsOf("push-claims");
    expect(stored).toMatchObject({
      respondentEmail: "la@gmail.com",
      lastSubmittedTime: "2026-11-05T01:30:00.123Z",
    });
  });

  it("quarantines a response dated after it reached us, so it cannot stand above later answers", async () => {
    submitted("push-2099", { lastSubmittedTime: "2099-01-01T00:00:00.000Z" });
    const res = await signedPost(notice("push-2099"));
    expect(res.status).toBe(200);
    expect(res.body.disposition).toBe("quarantined");
    expect(res.body.reasons[0]).toMatch(
      /^Thời điểm gửi ghi trong câu trả lời \(2099-01-01T00:00:00\.000Z\) muộn hơn/u,
    );
  });

  it.each([
    [
      "no signature",
      (body: string) =>
        request(server("ingestResponse")).post("/").set("content-type", "application/json").send(body),
      "Thiếu chữ ký",
    ],
    [
      "a forged signature",
      (body: string) => signedPost(body, { secret: "not-the-secret-not-the-secret-not-the-secret" }),
      "Chữ ký không đúng",
    ],
    [
      "a stale signature",
      (body: string) => signedPost(body, { at: Math.floor(Date.now() / 1000) - 3600 }),
      "hết hạn",
    ],
    [
      "a signature dated in the future",
      (body: string) => signedPost(body, { at: Math.floor(Date.now() / 1000) + 3600 }),
      "tương lai",
    ],
    [
      "a garbled signature",
      (body: string) =>
        request(server("ingestResponse"))
          .post("/")
          .set("content-type", "application/json")
          .set(SIGNATURE_HEADER, "v1=zz")
          .send(body),
      "sai định dạng",
    ],
  ])("refuses %s with 401, and reads and stores nothing", async (_name, send, message) => {
    submitted("push-unauth");
    const reads = forms.requests.length;
    const res = await send(notice("push-unauth"));
    expect(res.status).toBe(401);
    expect(res.body.error).toContain(message);
    expect(forms.requests.length).toBe(reads);
    expect(await submissionsOf("push-unauth")).toHaveLength(0);
  });

  it("takes each campaign's own key only", async () => {
    const other = await makeCampaign({
      forms: googleFormsGateway({ rootUrl: forms.url, auth: localAuth() }),
    });
    const otherKey = await pushKey(other.id);
    submitted("push-other-key");
    const res = await signedPost(notice("push-other-key"), { secret: otherKey });
    expect([res.status, res.body.error]).toEqual([401, "Chữ ký không đúng."]);
    // A campaign that has no key yet takes no push at all.
    const keyless = await makeCampaign({
      forms: googleFormsGateway({ rootUrl: forms.url, auth: localAuth() }),
    });
    const unkeyed = await signedPost(notice("x", keyless.forms.dossier?.formId), { secret });
    expect(unkeyed.status).toBe(401);
    expect(unkeyed.body.error).toContain("dienhinh push-secret");
  });

  it("keeps taking the previous key for 7 days after a rotation, then refuses it", async () => {
    const rotated = await makeCampaign({
      forms: googleFormsGateway({ rootUrl: forms.url, auth: localAuth() }),
    });
    const old = await pushKey(rotated.id);
    const fresh = await pushKey(rotated.id, true);
    expect(fresh).not.toBe(old);
    expect(await pushKey(rotated.id)).toBe(fresh); // without --rotate: the current key, unchanged
    const form = rotated.forms.dossier?.formId as string;
    forms.addResponse(
      form,
      formResponse(rotated.forms.dossier?.bindings ?? [], th1, {}, { responseId: "rot-1" }) as never,
    );
    expect((await signedPost(notice("rot-1", form), { secret: old })).status).toBe(200);
    expect((await signedPost(notice("rot-1", form), { secret: fresh })).status).toBe(200);
    ahead = 7 * DAY_MS + 60_000;
    try {
      expect((await signedPost(notice("rot-1", form), { secret: old })).status).toBe(401);
      expect((await signedPost(notice("rot-1", form), { secret: fresh })).status).toBe(200);
    } finally {
      ahead = 0;
    }
  });

  it("answers 404 for a response the Forms API does not have, and for a form of no campaign", async () => {
    const missing = await signedPost(notice("khong-co-cau-tra-loi"));
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe(
      `Không tìm thấy câu trả lời khong-co-cau-tra-loi trong biểu mẫu ${dossier().formId}.`,
    );
    expect(await submissionsOf("khong-co-cau-tra-loi")).toHaveLength(0);
    const noForm = await signedPost(notice("x", "khong-co"));
    expect(noForm.status).toBe(404);
    expect(noForm.body.error).toContain("chưa được gắn với đợt đánh giá nào");
  });

  it("answers 503 while the Forms API is unavailable, so the script tries again", async () => {
    submitted("push-503");
    forms.failNext(20, 503);
    const res = await signedPost(notice("push-503"));
    forms.failNext(0, 0);
    expect(res.status).toBe(503);
    expect(res.body.error).toBeTruthy();
    expect((await signedPost(notice("push-503"))).status).toBe(200);
  });

  it("answers 400 for a body that is no notice", async () => {
    for (const body of [
      JSON.stringify({ responseId: "x" }),
      "[1,2]",
      notice("a/b"),
      JSON.stringify({ formId: 1 }),
    ])
      expect((await signedPost(body)).status, body).toBe(400);
  });

  it("refuses malformed JSON, another type, another method, a compressed or oversized body, as JSON", async () => {
    const malformed = await signedPost('{"responseId": ');
    expect(malformed.status).toBe(400);
    expect(malformed.headers["content-type"]).toMatch(/^application\/json/u);
    expect(malformed.body.error).toMatch(/^Dữ liệu không phải JSON hợp lệ/u);
    const text = await signedPost(notice("x"), { type: "text/plain" });
    expect([text.status, text.body.error]).toEqual([
      415,
      "Content-Type phải là application/json (nhận được: text/plain).",
    ]);
    const xml = await signedPost("<xml/>", { type: "application/xml" });
    expect(xml.status).toBe(415);
    expect((await request(server("ingestResponse")).get("/")).status).toBe(405);
    const big = await signedPost(JSON.stringify({ formId: dossier().formId, padding: "x".repeat(20_000) }));
    expect(big.status).toBe(413);
    const gzipped = await request(server("ingestResponse"))
      .post("/")
      .set("content-type", "application/json")
      .set("content-encoding", "gzip")
      .send(gzipSync(notice("x")));
    expect(gzipped.status).toBe(415);
    expect(gzipped.body.error).toContain("Content-Encoding: gzip");
  });
});

describe("reconcile (Cloud Scheduler, OIDC)", () => {
  const call = (token?: string) => {
    const r = request(server("reconcile")).post(`/?campaign=${campaign.id}`);
    return token ? r.set("authorization", `Bearer ${token}`) : r;
  };

  it.each([
    ["no token", undefined],
    ["a forged token", keys.forge({ aud: AUDIENCE, email: SCHEDULER })],
    ["another audience", keys.sign({ aud: "https://elsewhere.example", email: SCHEDULER })],
    ["another account", keys.sign({ aud: AUDIENCE, email: "intruder@demo.iam.gserviceaccount.com" })],
    ["an expired token", keys.sign({ aud: AUDIENCE, email: SCHEDULER, iat: 1_000_000, exp: 1_000_100 })],
  ])("refuses %s with 401", async (_name, token) => {
    const res = await call(token);
    expect(res.status).toBe(401);
    expect(res.body.error).toBeTruthy();
  });

  it("answers 400, not 500, for a campaign id that is not one", async () => {
    for (const bad of ["a/b", "x/schools/T-TH1"]) {
      const res = await request(server("reconcile"))
        .post(`/?campaign=${encodeURIComponent(bad)}`)
        .set("authorization", `Bearer ${keys.sign({ aud: AUDIENCE, email: SCHEDULER })}`);
      expect(res.status).toBe(400);
    }
  });

  it("pulls responses the notifications missed and keeps the watches alive", async () => {
    forms.addResponse(
      dossier().formId,
      formResponse(dossier().bindings, th1, PASSING_DOSSIER, { responseId: "missed-1" }) as never,
    );
    const res = await call(keys.sign({ aud: AUDIENCE, email: SCHEDULER }));
    expect(res.status).toBe(200);
    const stages = res.body.campaigns[0].stages;
    // The incident reports' form is pulled and watched like the stages' (issue 15).
    expect(stages.map((s: { stage: string }) => s.stage)).toEqual(["registration", "dossier", "incident"]);
    expect(stages.every((s: { watch: string }) => s.watch === "ok")).toBe(true); // created by setup, far from expiry
    expect(await submissionsOf("missed-1")).toHaveLength(1);
  });

  it("renews a watch two days before it expires, and recreates one that is gone", async () => {
    const stored = forms.forms.get(dossier().formId);
    const watch = stored?.watches[0];
    if (!stored || !watch) throw new Error("setup should have created the dossier watch");
    watch.expireTime = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    const registration = forms.forms.get(campaign.forms.registration?.formId ?? "");
    if (registration) registration.watches = [];
    const res = await call(keys.sign({ aud: AUDIENCE, email: SCHEDULER }));
    expect(res.body.campaigns[0].stages.map((s: { watch: string }) => s.watch)).toEqual([
      "created",
      "renewed",
      "ok",
    ]);
    expect(Date.parse(watch.expireTime) - Date.now()).toBeGreaterThan(6 * 24 * 3600 * 1000);
    const renewCalls = forms.requests.filter((r) => r.path.endsWith(`${watch.id}:renew`));
    expect(renewCalls).toHaveLength(1);
  });
});

describe("onFormResponses (Pub/Sub CloudEvent)", () => {
  const data = () => ({
    message: {
      attributes: { formId: dossier().formId, watchId: "w1", eventType: "RESPONSES" },
      messageId: "m1",
      publishTime: new Date().toISOString(),
    },
    subscription: "projects/demo-dienhinh/subscriptions/eventarc",
  });

  it("pulls on a binary-mode CloudEvent, and ten redeliveries leave one submission", async () => {
    forms.addResponse(
      dossier().formId,
      formResponse(dossier().bindings, th1, PASSING_DOSSIER, { responseId: "ce-binary" }) as never,
    );
    for (let i = 0; i < 10; i++) {
      const res = await request(server("onFormResponses"))
        .post("/")
        .set("ce-specversion", "1.0")
        .set("ce-type", "google.cloud.pubsub.topic.v1.messagePublished")
        .set("ce-source", "//pubsub.googleapis.com/projects/demo-dienhinh/topics/form-responses")
        .set("ce-id", "m1")
        .set("content-type", "application/json")
        .send(data());
      expect(res.status).toBe(204);
    }
    expect(await submissionsOf("ce-binary")).toHaveLength(1);
  });

  it("pulls on a structured-mode CloudEvent", async () => {
    forms.addResponse(
      dossier().formId,
      formResponse(dossier().bindings, th1, PASSING_DOSSIER, {
        responseId: "ce-structured",
        lastSubmittedTime: new Date().toISOString(),
      }) as never,
    );
    const res = await request(server("onFormResponses"))
      .post("/")
      .set("content-type", "application/cloudevents+json")
      .send({
        specversion: "1.0",
        type: "google.cloud.pubsub.topic.v1.messagePublished",
        source: "//pubsub.googleapis.com/projects/demo-dienhinh/topics/form-responses",
        id: "m2",
        datacontenttype: "application/json",
        data: data(),
      });
    expect(res.status).toBe(204);
    expect(await submissionsOf("ce-structured")).toHaveLength(1);
  });

  it("acknowledges a notification for an unknown form without retrying", async () => {
    const res = await request(server("onFormResponses"))
      .post("/")
      .set("ce-specversion", "1.0")
      .set("ce-type", "google.cloud.pubsub.topic.v1.messagePublished")
      .set("ce-source", "//pubsub.googleapis.com/x")
      .set("ce-id", "m3")
      .set("content-type", "application/json")
      .send({ message: { attributes: { formId: "khong-co" } } });
    expect(res.status).toBe(204);
  });

  it("fails (so Pub/Sub redelivers) while the Forms API is unavailable", async () => {
    forms.failNext(20, 503);
    const res = await request(server("onFormResponses"))
      .post("/")
      .set("ce-specversion", "1.0")
      .set("ce-type", "google.cloud.pubsub.topic.v1.messagePublished")
      .set("ce-source", "//pubsub.googleapis.com/x")
      .set("ce-id", "m4")
      .set("content-type", "application/json")
      .send(data());
    forms.failNext(0, 0);
    expect(res.status).toBeGreaterThanOrEqual(500);
  });
});
