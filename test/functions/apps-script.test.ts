import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import { registerFunctions } from "../../functions/src/functions/register.js";
import { guardServer } from "../../functions/src/functions/request-guard.js";
import { googleFormsGateway, localAuth } from "../../functions/src/infra/google/forms.js";
import { type FormsServer, makeCampaign, startFormsServer, testDeps, testStore } from "../kit/index.js";

/**
 * The Apps Script the office adds to its form, run in a sandbox with stand-ins for FormApp,
 * UrlFetchApp and Utilities: what it sends must be accepted by the real ingestResponse, which then
 * reads the response from the (local) Forms API.
 */
const SECRET = "apps-script-campaign-key-0123456789abcdef";
const code = readFileSync(new URL("../../apps-script/Code.gs", import.meta.url), "utf8");
let campaign: Campaign;
let forms: FormsServer;

beforeAll(async () => {
  forms = await startFormsServer();
  const gateway = googleFormsGateway({ rootUrl: forms.url, auth: localAuth() });
  campaign = await makeCampaign({ forms: gateway });
  const now = new Date();
  await testStore().campaigns.ensurePushSecret(
    campaign.id,
    { id: "k1", secret: SECRET, createdAt: now.toISOString() },
    { rotate: false, now },
  );
  registerFunctions(async () => ({ app: testDeps({ forms: gateway }) }));
});
afterAll(() => forms.close());

/** Run the script's trigger for one response; UrlFetchApp answers with `codes`, one a call. */
const runScript = (codes: number[] = [200]) => {
  const sent: Array<{
    url: string;
    options: { payload: string; headers: Record<string, string>; contentType: string };
  }> = [];
  const form = { getId: () => campaign.forms.dossier?.formId };
  const sandbox = {
    FormApp: { getActiveForm: () => form },
    PropertiesService: {
      getScriptProperties: () => ({
        getProperty: (k: string) =>
          ({ DIENHINH_URL: "https://example/ingestResponse", DIENHINH_SECRET: SECRET })[k],
      }),
    },
    Utilities: {
      Charset: { UTF_8: "UTF-8" },
      // Apps Script returns signed bytes (-128..127).
      computeHmacSha256Signature: (value: string, key: string) =>
        [...createHmac("sha256", key).update(value, "utf8").digest()].map((b) => (b > 127 ? b - 256 : b)),
      sleep: () => {},
    },
    UrlFetchApp: {
      fetch: (url: string, options: (typeof sent)[number]["options"]) => {
        sent.push({ url, options });
        const code = codes[sent.length - 1] ?? 200;
        return { getResponseCode: () => code, getContentText: () => "" };
      },
    },
    console: { error: () => {} },
    Date,
    Math,
    JSON,
    String,
    Array,
  };
  // The response: the script asks only its id (answers, sender and time are the Forms API's to say).
  runInNewContext(`${code}\nonFormSubmit(event);`, {
    ...sandbox,
    event: { response: { getId: () => "ACYDBNj-apps-script" } },
  });
  return sent;
};

describe("the Apps Script push", () => {
  it("defines the functions the office runs and the trigger calls", () => {
    const names = runInNewContext(`${code}\n[typeof installTrigger, typeof onFormSubmit]`, {});
    expect(names).toEqual(["function", "function"]);
  });

  it("sends a signed notice of the response that ingestResponse accepts, reading the response itself", async () => {
    // What the school submitted, as the Forms API holds it (question ids, not titles).
    const question = (title: string) =>
      (campaign.forms.dossier?.bindings ?? []).find((b) => b.title === title)?.questionId ?? "";
    const text = (title: string, value: string) => ({
      questionId: question(title),
      textAnswers: { answers: [{ value }] },
    });
    const evidence = "2.1. Minh chứng: kế hoạch phối hợp với Công an xã, phường, thị trấn";
    forms.addResponse(campaign.forms.dossier?.formId ?? "", {
      responseId: "ACYDBNj-apps-script",
      lastSubmittedTime: "2026-11-05T01:30:00.000Z",
      respondentEmail: "th1@test.example",
      answers: Object.fromEntries(
        [
          text("Trường (đơn vị)", "T-TH1 – Trường Tiểu học Đồng Khởi"),
          text("Chức vụ người khai", "Hiệu trưởng"),
          text("4.1. Số vụ bạo lực học đường xảy ra tại đơn vị", "0"),
          { questionId: question(evidence), fileUploadAnswers: { answers: [{ fileId: "1AbCdEf" }] } },
        ].map((a) => [a.questionId, a]),
      ),
    });
    const sent = runScript();
    expect(sent).toHaveLength(1);
    const { options } = sent[0] as (typeof sent)[number];
    expect(JSON.parse(options.payload)).toEqual({
      formId: campaign.forms.dossier?.formId,
      responseId: "ACYDBNj-apps-script",
    });
    const res = await request(guardServer(getTestServer("ingestResponse"), "ingestResponse"))
      .post("/")
      .set("content-type", options.contentType)
      .set("x-dienhinh-signature", options.headers["X-Dienhinh-Signature"] as string)
      .send(options.payload);
    expect(res.status).toBe(200);
    expect(res.body.disposition).toBe("accepted");
    const stored = await testStore().submissions.get(campaign.id, res.body.key);
    const answers = JSON.parse(stored?.answersJson ?? "{}");
    expect(answers["4.1"]).toEqual({ value: 0, files: [], notApplicable: false });
    expect(answers["2.1"]?.files).toEqual(["https://drive.google.com/open?id=1AbCdEf"]);
  });

  it("tries again on 404 (a response the Forms API does not show yet), 429 and 5xx, three times at most", () => {
    expect(runScript([404, 200])).toHaveLength(2);
    expect(runScript([503, 429, 500])).toHaveLength(3);
    expect(runScript([401])).toHaveLength(1);
  });
});
