import { getTestServer } from "@google-cloud/functions-framework/testing";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupSheet } from "../../functions/src/app/sheet-setup.js";
import { loadCriteriaSet } from "../../functions/src/data/criteria-file.js";
import { loadOfficeProfile } from "../../functions/src/data/office-file.js";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import { type Campaign, layoutOf } from "../../functions/src/domain/campaign.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import { googleOidcVerifier, SIGNATURE_HEADER, signBody } from "../../functions/src/functions/auth.js";
import type { FunctionDeps } from "../../functions/src/functions/handlers.js";
import { type FunctionName, registerFunctions } from "../../functions/src/functions/register.js";
import { guardServer } from "../../functions/src/functions/request-guard.js";
import { googleFormsGateway, localAuth } from "../../functions/src/infra/google/forms.js";
import { googleSheetsGateway } from "../../functions/src/infra/google/sheets.js";
import {
  type FormsServer,
  formResponse,
  makeCampaign,
  oidcKeys,
  PASSING_DOSSIER,
  SCHOOLS,
  type SheetsServer,
  sheetsAccess,
  startFormsServer,
  startSheetsServer,
  testDeps,
  testStore,
} from "../kit/index.js";

const SECRET = "a-campaign-push-key-of-at-least-32-characters!";
const AUDIENCE = "https://asia-southeast1-demo.cloudfunctions.net/reconcile";
const SCHEDULER = "scheduler@demo-dienhinh.iam.gserviceaccount.com";
const keys = oidcKeys();

let sheets: SheetsServer;
let forms: FormsServer;
let layout: SheetLayout;
let campaign: Campaign;
let spreadsheetId: string;
const gateway = () =>
  googleSheetsGateway({ rootUrl: sheets.url, auth: localAuth(), retry: { baseDelayMs: 5 } });

const formsGateway = () => googleFormsGateway({ rootUrl: forms.url, auth: localAuth() });
/** A function as deployed: its Functions Framework server behind the request guard. */
const server = (name: FunctionName) => guardServer(getTestServer(name), name);

/** The campaign's push key (the same text for every campaign here, for brevity). */
const withPushKey = async (campaignId: string) => {
  const now = new Date();
  await testStore().campaigns.ensurePushSecret(
    campaignId,
    { id: "k1", secret: SECRET, createdAt: now.toISOString() },
    { rotate: false, now },
  );
};

/** The Apps Script's signed notice of a response the (local) Forms API holds. */
const pushed = (formId: string, responseId: string) => {
  const body = JSON.stringify({ formId, responseId });
  return request(server("ingestResponse"))
    .post("/")
    .set("content-type", "application/json")
    .set(SIGNATURE_HEADER, signBody(SECRET, body, Math.floor(Date.now() / 1000)))
    .send(body);
};

beforeAll(async () => {
  [sheets, forms] = await Promise.all([startSheetsServer(), startFormsServer()]);
  layout = await loadSheetLayout();
  const made = await makeCampaign({ forms: formsGateway() });
  await withPushKey(made.id);
  spreadsheetId = (await setupSheet(testDeps(), made.id, layout, sheetsAccess(gateway(), layout)))
    .spreadsheetId;
  campaign = await testStore().campaigns.get(made.id);
  registerFunctions(
    async (): Promise<FunctionDeps> => ({
      app: testDeps({ sheets: sheetsAccess(gateway(), layout), forms: formsGateway() }),
      oidc: googleOidcVerifier({ audience: AUDIENCE, allowedEmails: [SCHEDULER], certs: keys.certs }),
    }),
  );
});
afterAll(() => Promise.all([sheets.close(), forms.close()]));

const statusOf = (code: string) => {
  const [header = [], ...rows] = sheets.values(spreadsheetId, "Theo dõi");
  return rows.find((r) => r[0] === code)?.[header.indexOf("Tình trạng")];
};

describe("the functions keep the tracking sheet current", () => {
  it("shows a pushed response in the sheet before answering", async () => {
    const dossier = campaign.forms.dossier as NonNullable<Campaign["forms"]["dossier"]>;
    const th1 = SCHOOLS[1] as (typeof SCHOOLS)[number];
    expect(statusOf(th1.code)).toBe("Chưa đăng ký");
    forms.addResponse(
      dossier.formId,
      formResponse(dossier.bindings, th1, PASSING_DOSSIER, { responseId: "fn-sheet-1" }) as never,
    );
    const res = await pushed(dossier.formId, "fn-sheet-1");
    expect(res.status).toBe(200);
    // Registration was never sent: the dossier alone meets the dossier criteria, and 1.1-1.3 are
    // still the school's to supply.
    expect(statusOf(th1.code)).toBe("Cần bổ sung");
  });

  it("reads the office's inspection plan back on the scheduled reconcile", async () => {
    const [header = [], ...rows] = sheets.values(spreadsheetId, "Lịch kiểm tra");
    const row = rows.findIndex((r) => r[0] === "T-CS1") + 2;
    const column = String.fromCharCode(65 + header.indexOf("Đoàn kiểm tra"));
    sheets.setValues(spreadsheetId, `'Lịch kiểm tra'!${column}${row}`, [
      [
        "Đoàn số 2",
        "Lê Thị Hoa (Phòng Giáo dục và Đào tạo); Võ Văn Tâm (Công an xã Hiệp Phước)",
        "3/12/2026",
        "8h30",
        "Phòng họp nhà trường",
      ],
    ]);
    const res = await request(server("reconcile"))
      .post(`/?campaign=${campaign.id}`)
      .set("authorization", `Bearer ${keys.sign({ aud: AUDIENCE, email: SCHEDULER })}`);
    expect(res.status).toBe(200);
    expect(res.body.campaigns[0].sheet).toMatchObject({ inspections: 1 });
    const events = sheets.values(spreadsheetId, "Nhật ký").map((r) => String(r[4]));
    expect(events).toContain(
      "Kiểm tra ngày 03/12/2026 lúc 08:30 tại Phòng họp nhà trường; đoàn: Lê Thị Hoa (Phòng Giáo dục và Đào tạo); Võ Văn Tâm (Công an xã Hiệp Phước)",
    );
  });
});

describe("one deployment, several offices", () => {
  it("keeps each campaign in its own sheet, with its own layout, letterhead and criteria", async () => {
    const communeLayout: SheetLayout = structuredClone(layout);
    communeLayout.tabs.tracking.title = "Theo dõi các trường";
    const commune = await makeCampaign({
      office: await loadOfficeProfile("functions/data/office/xa-nha-be.yaml"),
      set: await loadCriteriaSet("test/fixtures/criteria-giao-thong.yaml"),
      sheetLayout: communeLayout,
      forms: formsGateway(),
    });
    await withPushKey(commune.id);
    const communeSheet = (
      await setupSheet(testDeps(), commune.id, layoutOf(commune, layout), sheetsAccess(gateway(), layout))
    ).spreadsheetId;
    const stored = await testStore().campaigns.get(commune.id);
    expect(stored.sheetLayout?.tabs.tracking.title).toBe("Theo dõi các trường");
    expect(stored.office.issuingBody).not.toBe(campaign.office.issuingBody);

    // A response to the commune's form goes to the commune's sheet only, laid out its way.
    const dossier = stored.forms.dossier as NonNullable<Campaign["forms"]["dossier"]>;
    const cs1 = SCHOOLS[2] as (typeof SCHOOLS)[number];
    const before = JSON.stringify(sheets.spreadsheets.get(spreadsheetId)?.sheets);
    const districtRows = JSON.stringify(sheets.values(spreadsheetId, "Theo dõi"));
    forms.addResponse(
      dossier.formId,
      formResponse(dossier.bindings, cs1, {}, { responseId: "second-office-1" }) as never,
    );
    const res = await pushed(dossier.formId, "second-office-1");
    expect(res.status).toBe(200);
    const titles = sheets.spreadsheets.get(communeSheet)?.sheets.map((t) => t.properties.title);
    expect(titles).toContain("Theo dõi các trường");
    expect(titles).not.toContain("Theo dõi");
    const [header = [], ...rows] = sheets.values(communeSheet, "Theo dõi các trường");
    // The school sent its name and nothing else: kept, and asked to complete its dossier.
    expect(rows.find((r) => r[0] === cs1.code)?.[header.indexOf("Tình trạng")]).toBe("Cần bổ sung");
    // The commune's criteria (A, B, …) have their columns; the district's (1 to 6) do not.
    expect(header.filter((h) => /^TC\S+ \(/u.test(String(h))).map((h) => String(h).split(" ")[0])).toEqual(
      stored.criteriaSet.criteria.map((c) => `TC${c.id}`),
    );
    expect(header.some((h) => String(h).startsWith("TC1 ("))).toBe(false);
    // The district's sheet did not change at all.
    expect(JSON.stringify(sheets.values(spreadsheetId, "Theo dõi"))).toBe(districtRows);
    expect(JSON.stringify(sheets.spreadsheets.get(spreadsheetId)?.sheets)).toBe(before);
  });
});
