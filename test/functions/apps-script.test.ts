import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import { registerFunctions } from "../../functions/src/functions/register.js";
import { makeCampaign, testDeps, testStore } from "../kit/index.js";

/**
 * The Apps Script the office adds to its form, run in a sandbox with stand-ins for FormApp,
 * UrlFetchApp and Utilities: what it sends must be accepted by the real ingestResponse.
 */
const SECRET = "apps-script-shared-secret-0123456789abcdef";
const code = readFileSync(new URL("../../apps-script/Code.gs", import.meta.url), "utf8");
let campaign: Campaign;

beforeAll(async () => {
  campaign = await makeCampaign();
  registerFunctions(async () => ({ app: testDeps(), hmacSecret: SECRET }));
});

const runScript = (
  answers: Array<{ title: string; value: string | string[]; upload?: boolean }>,
  email: string,
) => {
  const sent: Array<{
    url: string;
    options: { payload: string; headers: Record<string, string>; contentType: string };
  }> = [];
  const item = (a: (typeof answers)[number]) => ({
    getItem: () => ({ getTitle: () => a.title, getType: () => (a.upload ? "FILE_UPLOAD" : "TEXT") }),
    getResponse: () => a.value,
  });
  const form = { getId: () => campaign.forms.dossier?.formId };
  const sandbox = {
    FormApp: { getActiveForm: () => form, ItemType: { FILE_UPLOAD: "FILE_UPLOAD" } },
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
        return { getResponseCode: () => 200, getContentText: () => "" };
      },
    },
    console,
    Date,
    Math,
    JSON,
    String,
    Array,
  };
  runInNewContext(`${code}\nonFormSubmit(event);`, {
    ...sandbox,
    event: {
      response: {
        getId: () => "ACYDBNj-apps-script",
        getTimestamp: () => new Date("2026-11-05T01:30:00Z"),
        getRespondentEmail: () => email,
        getItemResponses: () => answers.map(item),
      },
    },
  });
  return sent;
};

describe("the Apps Script push", () => {
  it("defines the functions the office runs and the trigger calls", () => {
    const names = runInNewContext(`${code}\n[typeof installTrigger, typeof onFormSubmit]`, {});
    expect(names).toEqual(["function", "function"]);
  });

  it("sends a signed payload that ingestResponse accepts and stores", async () => {
    const sent = runScript(
      [
        { title: "Trường (đơn vị)", value: "T-TH1 – Trường Tiểu học Đồng Khởi" },
        { title: "Chức vụ người khai", value: "Hiệu trưởng" },
        { title: "4.1. Số vụ bạo lực học đường xảy ra tại đơn vị", value: "0" },
        {
          title: "2.1. Minh chứng: kế hoạch phối hợp với Công an xã, phường, thị trấn",
          value: ["1AbCdEf"],
          upload: true,
        },
      ],
      "th1@test.example",
    );
    expect(sent).toHaveLength(1);
    const { options } = sent[0] as (typeof sent)[number];
    const res = await request(getTestServer("ingestResponse"))
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
});
