import { randomBytes } from "node:crypto";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCampaignView } from "../../functions/src/app/campaign-view.js";
import { ingestResponses } from "../../functions/src/app/intake.js";
import { calendarOf } from "../../functions/src/domain/calendar.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import { schoolResultOf, thingsToFix } from "../../functions/src/domain/campaign-score.js";
import { statusLinkExpiry, statusQuery } from "../../functions/src/domain/status-link.js";
import { registerFunctions } from "../../functions/src/functions/register.js";
import { guardServer } from "../../functions/src/functions/request-guard.js";
import {
  defaultSet,
  formResponse,
  makeCampaign,
  PASSING_DOSSIER,
  PASSING_REGISTRATION,
  SCHOOLS,
  testDeps,
  testStore,
} from "../kit/index.js";

/**
 * The statusPage function through the Functions Framework, behind the request guard, as deployed:
 * a good link shows its school's page; a forged, expired, malformed or other school's link shows a
 * page with no school's data.
 */
const [mn1, th1, cs1] = SCHOOLS as [(typeof SCHOOLS)[0], (typeof SCHOOLS)[0], (typeof SCHOOLS)[0]];
const DAY_MS = 24 * 3600 * 1000;

let campaign: Campaign;
let other: Campaign;
let key: string;
let otherKey: string;
/** The function's clock runs this far ahead of the machine's (to step past a link's expiry). */
let ahead = 0;
const now = () => new Date(Date.now() + ahead);
const server = () => guardServer(getTestServer("statusPage"), "statusPage");

const newKey = (c: Campaign) =>
  testStore().campaigns.ensureStatusKey(c.id, randomBytes(32).toString("base64url"));
const linkOf = (c: Campaign, code: string, k = key) =>
  statusQuery(k, { campaignId: c.id, schoolCode: code, expires: statusLinkExpiry(calendarOf(c)) });
const open = (query: Record<string, string>) => request(server()).get("/").query(query);

/** As Handlebars prints text into HTML. */
const escaped = (text: string) =>
  text.replace(
    /[&<>"'`=]/gu,
    (c) =>
      ({
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#x27;",
        "`": "&#x60;",
        "=": "&#x3D;",
      })[c] ?? c,
  );

/** Nothing of any school or campaign: no name, no code, no id. */
const expectNoData = (html: string) => {
  for (const s of SCHOOLS) {
    expect(html).not.toContain(escaped(s.name));
    expect(html).not.toContain(s.code);
  }
  expect(html).not.toContain(campaign.id);
  expect(html).not.toContain(other.id);
  expect(html).not.toContain("Tình trạng");
};

beforeAll(async () => {
  campaign = await makeCampaign();
  other = await makeCampaign();
  const deps = testDeps();
  const bindings = (stage: "registration" | "dossier") => campaign.forms[stage]?.bindings ?? [];
  await ingestResponses(deps, campaign, "registration", [
    formResponse(bindings("registration"), th1, PASSING_REGISTRATION, {
      lastSubmittedTime: "2026-02-10T01:00:00Z",
    }),
    formResponse(bindings("registration"), cs1, PASSING_REGISTRATION, {
      lastSubmittedTime: "2026-02-11T01:00:00Z",
    }),
  ]);
  await ingestResponses(deps, campaign, "dossier", [
    formResponse(bindings("dossier"), th1, PASSING_DOSSIER, { lastSubmittedTime: "2026-11-10T01:00:00Z" }),
    // Evidence left out: the school must supply it (Cần bổ sung).
    formResponse(
      bindings("dossier"),
      cs1,
      { ...PASSING_DOSSIER, "1.4": "Có", "2.1": "Có" },
      { lastSubmittedTime: "2026-11-11T01:00:00Z" },
    ),
  ]);
  key = await newKey(campaign);
  otherKey = await newKey(other);
  registerFunctions(async () => ({ app: testDeps({ clock: now }) }));
});

describe("statusPage", () => {
  it("shows a good link's school: its status, what it lacks, its deadlines; for no one else", async () => {
    const view = await loadCampaignView(testStore(), campaign.id);
    const lacks = thingsToFix(schoolResultOf(cs1, defaultSet(), view.stored.get(cs1.code)?.state));
    expect(lacks.length).toBeGreaterThan(0);
    const res = await open(linkOf(campaign, cs1.code));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html; charset=utf-8/u);
    expect(res.text).toContain(escaped(cs1.name));
    expect(res.text).toContain(`Mã trường: ${cs1.code}`);
    expect(res.text).toContain("<strong>Cần bổ sung</strong>");
    for (const lack of lacks) expect(res.text).toContain(escaped(lack));
    expect(res.text).toContain("Hạn bổ sung: 25/11/2026");
    expect(res.text).toContain('<meta name="viewport"');
    expect(res.text).not.toMatch(/<script/iu);
    for (const s of [mn1, th1]) expect(res.text).not.toContain(escaped(s.name));
    // No script may run, no Referer carries the link away, nothing keeps a copy.
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["cache-control"]).toBe("private, no-store");
  });

  it("shows a school that has done everything as such", async () => {
    const res = await open(linkOf(campaign, th1.code));
    expect(res.status).toBe(200);
    expect(res.text).toContain(escaped(th1.name));
    expect(res.text).toContain("<strong>Chờ kiểm tra</strong>");
    expect(res.text).not.toContain("Trường còn thiếu");
    expect(res.text).toContain("Hạn nộp hồ sơ: 15/11/2026</span> <em>đã nộp</em>");
  });

  it.each([
    ["another school's code on a school's link", () => ({ ...linkOf(campaign, cs1.code), t: th1.code })],
    ["another campaign's id on a school's link", () => ({ ...linkOf(campaign, cs1.code), d: other.id })],
    ["a link signed with another campaign's key", () => linkOf(campaign, cs1.code, otherKey)],
    [
      "a link of a campaign that does not exist",
      () => ({ ...linkOf(campaign, cs1.code), d: "khong-co-dot" }),
    ],
    [
      "a link with a later expiry",
      () => ({
        ...linkOf(campaign, cs1.code),
        h: `2099-12-31.${linkOf(campaign, cs1.code).h.split(".")[1]}`,
      }),
    ],
    ["a forged signature", () => ({ ...linkOf(campaign, cs1.code), h: `2027-03-10.${"A".repeat(43)}` })],
    ["a cut link", () => ({ d: campaign.id, t: cs1.code })],
    ["no link at all", () => ({})],
    ["a school not in the registry", () => linkOf(campaign, "T-KHONG-CO")],
  ])("shows %s a page with no data (403)", async (_name, query) => {
    const res = await open(query());
    expect(res.status).toBe(403);
    expect(res.text).toContain("Đường dẫn không hợp lệ hoặc đã hết hạn");
    expect(res.text).toContain("liên hệ phòng");
    expectNoData(res.text);
  });

  it("refuses a genuine link once it has expired, with the same page", async () => {
    const link = linkOf(campaign, cs1.code);
    expect((await open(link)).status).toBe(200);
    const expires = Date.parse(`${statusLinkExpiry(calendarOf(campaign))}T00:00:00+07:00`);
    ahead = expires + 2 * DAY_MS - Date.now();
    try {
      const res = await open(link);
      expect(res.status).toBe(403);
      expectNoData(res.text);
    } finally {
      ahead = 0;
    }
  });

  it("takes GET only", async () => {
    const res = await request(server()).post("/").query(linkOf(campaign, cs1.code)).send("x");
    expect(res.status).toBe(405);
    expect(res.text).not.toContain(escaped(cs1.name));
  });
});
