import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliverDeps, deliverCampaign } from "../../functions/src/app/deliver.js";
import { ingestResponses } from "../../functions/src/app/intake.js";
import { setupSheet } from "../../functions/src/app/sheet-setup.js";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import type { School } from "../../functions/src/domain/school.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import { localAuth } from "../../functions/src/infra/google/forms.js";
import { googleSheetsGateway } from "../../functions/src/infra/google/sheets.js";
import { fileTransport } from "../../functions/src/infra/mail/mailer.js";
import { PdfRenderer } from "../../functions/src/infra/render/pdf.js";
import { localReportStore } from "../../functions/src/infra/report-store.js";
import { loadTemplates } from "../../functions/src/infra/templates.js";
import {
  formResponse,
  makeCampaign,
  PASSING_DOSSIER,
  PASSING_REGISTRATION,
  SCHOOLS,
  type SheetsServer,
  sheetsAccess,
  specBindings,
  startSheetsServer,
  testDeps,
  testStore,
  uniqueId,
} from "../kit/index.js";

/** The scheduled delivery job for one campaign: sheet verdicts in, PDFs, mail once, links out. */
let server: SheetsServer;
let renderer: PdfRenderer;
let layout: SheetLayout;
let dir: string;
beforeAll(async () => {
  server = await startSheetsServer();
  renderer = new PdfRenderer({ pages: 2 });
  layout = await loadSheetLayout();
  dir = await mkdtemp(join(tmpdir(), "dienhinh-deliver-"));
});
afterAll(async () => {
  await renderer.close();
  await server.close();
});

const TRACKING = "Theo dõi";
const th1 = SCHOOLS[1] as School;

/** A campaign with its Google Sheet set up, and what the job needs to deliver it into `dir/name`. */
const campaignWithSheet = async (id: string) => {
  const gateway = googleSheetsGateway({
    rootUrl: server.url,
    auth: localAuth(),
    retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 10 },
  });
  const created = await makeCampaign({ id: uniqueId(id) });
  const { spreadsheetId } = await setupSheet(testDeps(), created.id, layout, sheetsAccess(gateway, layout));
  const outbox = join(dir, created.id, "outbox");
  const deps: DeliverDeps = {
    ...testDeps(),
    sheets: sheetsAccess(gateway, layout),
    renderer,
    templates: await loadTemplates(),
    files: localReportStore(join(dir, created.id, "reports")),
    timeZone: layout.timeZone,
    transport: fileTransport(outbox),
  };
  return { campaign: await testStore().campaigns.get(created.id), spreadsheetId, deps, outbox };
};

/** T-TH1's response to a stage, from its own address. */
const respond = (
  campaign: Campaign,
  stage: "registration" | "dossier",
  answers: Parameters<typeof formResponse>[2],
  time: string,
) =>
  ingestResponses(testDeps(), campaign, stage, [
    formResponse(specBindings(stage), th1, answers, {
      email: th1.emails[0] ?? null,
      lastSubmittedTime: time,
    }),
  ]);

describe("deliverCampaign (the scheduled job)", () => {
  it("applies the office's verdict before rendering, mails once, and writes the link and time back", async () => {
    const { campaign, spreadsheetId, deps, outbox } = await campaignWithSheet("deliver-job");
    await respond(campaign, "registration", PASSING_REGISTRATION, "2026-03-01T01:00:00.000Z");
    await respond(campaign, "dossier", PASSING_DOSSIER, "2026-11-05T01:30:00.000Z");

    // First run: the school's self-assessment meets everything (Chờ kiểm tra); it gets its result,
    // once per address.
    await deliverCampaign(deps, campaign);
    const header = server.values(spreadsheetId, TRACKING)[0] ?? [];
    const rowAt = () => server.values(spreadsheetId, TRACKING).findIndex((r) => r[0] === th1.code);
    const column = (name: string) => header.indexOf(name);
    const cell = (name: string) => server.values(spreadsheetId, TRACKING)[rowAt()]?.[column(name)];
    expect(cell("Tình trạng")).toBe("Chờ kiểm tra");
    const firstMail = await readdir(outbox);
    expect(firstMail).toHaveLength(th1.emails.length);
    expect(String(cell("Báo cáo (PDF)"))).toContain("reports");
    expect(cell("Đã gửi email lúc")).not.toBeUndefined();

    // Then the office inspects the school and types its verdict in the sheet.
    server.setValues(
      spreadsheetId,
      `'${TRACKING}'!${String.fromCharCode(65 + column("Kết quả kiểm tra"))}${rowAt() + 1}`,
      [["Không đạt", "Chưa có sổ trực bảo vệ"]],
    );
    const run = await deliverCampaign(deps, campaign);
    if (!run.delivered) throw new Error(run.reason);
    expect(run.reports.rendered).toBeGreaterThan(0);
    expect(run.mail.messages.map((m) => m.outcome)).toEqual(th1.emails.map(() => "sent"));
    const state = (await testStore().states.load(campaign.id)).get(th1.code);
    expect(state?.status).toBe("khong-dat");
    const text = execFileSync("pdftotext", [state?.reportUrl ?? "", "-"])
      .toString()
      .replace(/\s+/gu, " ");
    expect(text).toContain("Không đạt");
    const mails = await readdir(outbox);
    expect(mails).toHaveLength(2 * th1.emails.length);
    const second = mails.find((m) => !firstMail.includes(m)) ?? "";
    const mail = await simpleParser(await readFile(join(outbox, second)));
    expect(`${mail.subject} ${mail.text}`).toContain("Không đạt");
    expect(mail.text).toContain("Qua kiểm tra thực tế, đơn vị chưa đạt");
    expect(cell("Tình trạng")).toBe("Không đạt");

    const again = await deliverCampaign(deps, campaign);
    if (!again.delivered) throw new Error(again.reason);
    expect([again.reports.rendered, again.mail.messages.length]).toEqual([0, 0]);
    expect(await readdir(outbox)).toHaveLength(2 * th1.emails.length);
  }, 120_000);

  it("sends nothing when the office's verdicts cannot be read, or another delivery is running", async () => {
    const { campaign, deps, outbox } = await campaignWithSheet("deliver-guarded");
    await respond(campaign, "dossier", PASSING_DOSSIER, "2026-11-05T01:30:00.000Z");
    const mailed = () => readdir(outbox).catch(() => []);

    server.failNext(10, 503, { method: "GET" });
    await expect(deliverCampaign(deps, campaign)).rejects.toThrow();
    expect(await mailed()).toEqual([]);
    server.failNext(0, 503);

    const lease = await testStore().leases.acquire(campaign.id, "deliver", new Date(), 60_000);
    const skipped = await deliverCampaign(deps, campaign);
    expect(skipped).toMatchObject({ delivered: false, reason: "một lần gửi khác đang chạy" });
    expect(await mailed()).toEqual([]);
    await lease?.release();

    const run = await deliverCampaign(deps, campaign);
    expect(run.delivered).toBe(true);
    expect(await mailed()).toHaveLength(th1.emails.length);
  }, 120_000);
});
