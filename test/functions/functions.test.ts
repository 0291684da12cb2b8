import { getTestServer } from "@google-cloud/functions-framework/testing";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import { googleOidcVerifier, SIGNATURE_HEADER, signBody } from "../../functions/src/functions/auth.js";
import type { FunctionDeps } from "../../functions/src/functions/handlers.js";
import { registerFunctions } from "../../functions/src/functions/register.js";
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
} from "../kit/index.js";

const SECRET = "a-shared-secret-of-at-least-32-characters!";
const AUDIENCE = "https://asia-southeast1-demo.cloudfunctions.net/reconcile";
const SCHEDULER = "scheduler@demo-dienhinh.iam.gserviceaccount.com";
const TOPIC = "projects/demo-dienhinh/topics/form-responses";
const keys = oidcKeys();
const th1 = SCHOOLS[1] as (typeof SCHOOLS)[number];

let forms: FormsServer;
let campaign: Campaign;
const deps = (): FunctionDeps => ({
  app: testDeps({ forms: googleFormsGateway({ rootUrl: forms.url, auth: localAuth() }) }),
  hmacSecret: SECRET,
  oidc: googleOidcVerifier({ audience: AUDIENCE, allowedEmails: [SCHEDULER], certs: keys.certs }),
  watchTopic: TOPIC,
});

beforeAll(async () => {
  forms = await startFormsServer();
  campaign = await makeCampaign({
    forms: googleFormsGateway({ rootUrl: forms.url, auth: localAuth() }),
    topicName: TOPIC,
  });
  registerFunctions(async () => deps());
});
afterAll(() => forms.close());

const dossier = () => campaign.forms.dossier as NonNullable<Campaign["forms"]["dossier"]>;
const submissionsOf = async (responseId: string) => testStore().submissions.list(campaign.id, { responseId });

const signedPost = (body: string, options: { secret?: string; at?: number; type?: string } = {}) => {
  const at = options.at ?? Math.floor(Date.now() / 1000);
  return request(getTestServer("ingestResponse"))
    .post("/")
    .set("content-type", options.type ?? "application/json")
    .set(SIGNATURE_HEADER, signBody(options.secret ?? SECRET, body, at))
    .send(body);
};

describe("ingestResponse (Apps Script push, HMAC)", () => {
  it("takes a signed response and says what became of it", async () => {
    const body = JSON.stringify({
      ...formResponse(dossier().bindings, th1, PASSING_DOSSIER, { responseId: "push-1" }),
      formId: dossier().formId,
    });
    const res = await signedPost(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ disposition: "accepted", duplicate: false, reasons: [] });
    expect(await submissionsOf("push-1")).toHaveLength(1);
    const again = await signedPost(body);
    expect([again.status, again.body.duplicate]).toEqual([200, true]);
    expect(await submissionsOf("push-1")).toHaveLength(1);
  });

  it("answers a quarantined response with its reasons, and keeps it", async () => {
    const body = JSON.stringify({
      ...formResponse(dossier().bindings, th1, PASSING_DOSSIER, {
        responseId: "push-q",
        email: "la@gmail.com",
      }),
      formId: dossier().formId,
    });
    const res = await signedPost(body);
    expect(res.status).toBe(200);
    expect(res.body.disposition).toBe("quarantined");
    expect(res.body.reasons[0]).toContain("Email người gửi không thuộc trường đã chọn");
    expect(await submissionsOf("push-q")).toHaveLength(1);
  });

  it.each([
    [
      "no signature",
      (body: string) =>
        request(getTestServer("ingestResponse")).post("/").set("content-type", "application/json").send(body),
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
      "a garbled signature",
      (body: string) =>
        request(getTestServer("ingestResponse"))
          .post("/")
          .set("content-type", "application/json")
          .set(SIGNATURE_HEADER, "v1=zz")
          .send(body),
      "sai định dạng",
    ],
  ])("refuses %s with 401 and stores nothing", async (_name, send, message) => {
    const body = JSON.stringify({
      ...formResponse(dossier().bindings, th1, PASSING_DOSSIER, { responseId: "push-unauth" }),
      formId: dossier().formId,
    });
    const res = await send(body);
    expect(res.status).toBe(401);
    expect(res.body.error).toContain(message);
    expect(await submissionsOf("push-unauth")).toHaveLength(0);
  });

  it("refuses malformed JSON with 400", async () => {
    const json = await signedPost('{"responseId": ', { type: "application/json" });
    expect(json.status).toBe(400); // the Functions Framework's own parser refuses it before our code runs
    const text = await signedPost('{"responseId": ', { type: "text/plain" });
    expect(text.status).toBe(400);
    expect(text.body.error).toMatch(/^Dữ liệu không phải JSON hợp lệ/);
  });

  it("refuses a wrong content type with 415, a wrong method with 405, an oversized body with 413", async () => {
    const wrongType = await signedPost("<xml/>", { type: "application/xml" });
    expect([wrongType.status, wrongType.body.error]).toEqual([
      415,
      "Content-Type phải là application/json (nhận được: application/xml).",
    ]);
    const get = await request(getTestServer("ingestResponse")).get("/");
    expect(get.status).toBe(405);
    const big = await signedPost(
      JSON.stringify({ formId: dossier().formId, padding: "x".repeat(1_100_000) }),
    );
    expect(big.status).toBe(413);
  });

  it("refuses a payload that is no form response with 400, and keeps it as quarantined", async () => {
    const res = await signedPost(
      JSON.stringify({ formId: dossier().formId, responseId: "push-bad", lastSubmittedTime: "hôm qua" }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^Dữ liệu câu trả lời không đúng định dạng/);
    expect((await submissionsOf("push-bad"))[0]).toMatchObject({ disposition: "quarantined" });
  });

  it("answers 400 without a formId and 404 for a form of no campaign", async () => {
    expect((await signedPost(JSON.stringify({ responseId: "x" }))).status).toBe(400);
    expect((await signedPost(JSON.stringify({ formId: "khong-co", responseId: "x" }))).status).toBe(404);
    expect((await signedPost("[1,2]")).status).toBe(400);
  });
});

describe("reconcile (Cloud Scheduler, OIDC)", () => {
  const call = (token?: string) => {
    const r = request(getTestServer("reconcile")).post(`/?campaign=${campaign.id}`);
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
      const res = await request(getTestServer("reconcile"))
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
    expect(stages.map((s: { stage: string }) => s.stage)).toEqual(["registration", "dossier"]);
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
      const res = await request(getTestServer("onFormResponses"))
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
    const res = await request(getTestServer("onFormResponses"))
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
    const res = await request(getTestServer("onFormResponses"))
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
    const res = await request(getTestServer("onFormResponses"))
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
