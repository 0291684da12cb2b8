import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadCampaignView } from "../../functions/src/app/campaign-view.js";
import { deliverCampaign } from "../../functions/src/app/deliver.js";
import { handleFormNotification } from "../../functions/src/app/form-responses.js";
import { ingestIncidents, sendIncidentAlerts } from "../../functions/src/app/incidents.js";
import type { SendDeps } from "../../functions/src/app/send-deps.js";
import { workbookFromStore } from "../../functions/src/app/workbook.js";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import type { School } from "../../functions/src/domain/school.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import { googleFormsGateway, localAuth } from "../../functions/src/infra/google/forms.js";
import { smtpTransport } from "../../functions/src/infra/mail/mailer.js";
import { localReportStore } from "../../functions/src/infra/report-store.js";
import { loadTemplates, type Templates } from "../../functions/src/infra/templates.js";
import {
  type FormsServer,
  incidentResponse,
  makeCampaign,
  OFFICE,
  SCHOOLS,
  type SmtpSink,
  startFormsServer,
  startSmtpSink,
  testDeps,
  testStore,
} from "../kit/index.js";

/**
 * Incident reports through the emulator: stored once each (a quarantined one with its reason), in
 * Nhật ký and on the school's row, never touching its dossier; the leader's alert through the real
 * mail path (keyed outbox, SMTP on loopback), sent once however often delivery runs.
 */
const TZ = "Asia/Ho_Chi_Minh";
const LEADER = { name: "Trần Văn Lãnh", email: "lanhdao@test.example" };
const NOW = new Date("2026-12-10T03:00:00.000Z");
const GOOD = { kind: "4.1. Vụ bạo lực học đường", date: "2026-12-01", description: "Hai học sinh xô xát." };
const [, th1] = SCHOOLS as [School, School];

let templates: Templates;
let smtp: SmtpSink;
let forms: FormsServer;
let layout: SheetLayout;
let dir: string;
beforeAll(async () => {
  templates = await loadTemplates();
  smtp = await startSmtpSink();
  forms = await startFormsServer();
  layout = await loadSheetLayout();
  dir = await mkdtemp(join(tmpdir(), "dienhinh-incidents-"));
});
afterAll(async () => {
  await smtp.close();
  await forms.close();
});
beforeEach(() => smtp.reset());

const deps = () => testDeps({ clock: () => NOW });
const sending = (): SendDeps => ({
  ...deps(),
  renderer: {
    render: () => Promise.reject(new Error("an incident alert renders no document")),
  },
  templates,
  files: localReportStore(join(dir, "reports")),
  timeZone: TZ,
  transport: smtpTransport({ host: "127.0.0.1", port: smtp.port, ignoreTLS: true }),
  backoffMs: 5,
});
const local = () => makeCampaign({ office: { ...OFFICE, leader: LEADER } });
const bindingsOf = (campaign: Campaign) => campaign.forms.incident?.bindings ?? [];

describe("incident reports", () => {
  it("are stored once each, a refused one with its reason, in Nhật ký, never in the school's dossier", async () => {
    const campaign = await local();
    expect(campaign.forms.incident?.formId).toBe(`local-${campaign.id}-incident`);
    const good = incidentResponse(bindingsOf(campaign), th1, GOOD, { responseId: "vv-1" });
    const future = incidentResponse(
      bindingsOf(campaign),
      th1,
      { ...GOOD, date: "2026-12-20" },
      { responseId: "vv-2" },
    );
    const first = await ingestIncidents(deps(), campaign, [good, future]);
    expect(first).toMatchObject({ received: 2, stored: 2, duplicates: 0, accepted: 1, quarantined: 1 });
    const again = await ingestIncidents(deps(), campaign, [good]);
    expect(again).toMatchObject({ stored: 0, duplicates: 1 });

    const stored = await testStore().incidents.list(campaign.id);
    expect(stored.map((r) => [r.responseId, r.disposition, r.alert])).toEqual([
      ["vv-1", "accepted", "pending"],
      ["vv-2", "quarantined", "none"],
    ]);
    expect(stored[1]?.reasons[0]).toContain("Ngày xảy ra 20/12/2026 ở sau ngày gửi báo cáo");

    const log = await testStore().events.recent(campaign.id, 50);
    const lines = log.filter((e) => e.kind === "Báo cáo vụ việc");
    expect(lines).toHaveLength(2);
    expect(lines.map((e) => e.schoolCode)).toEqual([th1.code, th1.code]);
    expect(lines.some((e) => e.message.startsWith("4.1. Vụ bạo lực học đường, ngày 01/12/2026"))).toBe(true);
    expect(lines.some((e) => e.message.includes("chưa nhận được: Ngày xảy ra 20/12/2026"))).toBe(true);

    // Nothing of the school's own state: no submission, no status, no score.
    const view = await loadCampaignView(testStore(), campaign.id);
    expect(view.stored.get(th1.code)).toBeUndefined();
    expect(await testStore().submissions.list(campaign.id)).toEqual([]);

    const row = (await workbookFromStore(testStore(), campaign.id, layout, NOW))().tabs.find(
      (t) => t.key === "tracking",
    );
    const column = row?.columns.findIndex((c) => c.header === "Vụ việc đã báo cáo") ?? -1;
    const cells = row?.rows.find((r) => r[0] === th1.code);
    expect(cells?.[column]).toBe(
      "1 vụ; gần nhất 01/12/2026: 4.1. Vụ bạo lực học đường; 1 báo cáo chưa hợp lệ, trường cần gửi lại (xem Nhật ký)",
    );
  });

  it("mail the office's leader once per report, however often delivery runs", async () => {
    const campaign = await local();
    const good = incidentResponse(bindingsOf(campaign), th1, GOOD, { responseId: "vv-a" });
    const refused = incidentResponse(
      bindingsOf(campaign),
      th1,
      { ...GOOD, kind: "Khác" },
      { responseId: "vv-b" },
    );
    await ingestIncidents(deps(), campaign, [good, refused]);

    const alerts = await sendIncidentAlerts(sending(), campaign);
    expect(alerts).toEqual([
      { school: th1.code, indicatorId: "4.1", date: "2026-12-01", to: LEADER.email, outcome: "sent" },
    ]);
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(mail?.to && "text" in mail.to ? mail.to.text : "").toBe(LEADER.email);
    expect(mail?.subject).toBe(
      `[DỮ LIỆU MẪU] Báo cáo vụ việc: 4.1. Vụ bạo lực học đường ngày 01/12/2026 – ${th1.name}`,
    );
    expect(mail?.text).toContain(`Kính gửi: Ông/Bà ${LEADER.name}`);
    expect(mail?.text).toContain("Hai học sinh xô xát.");

    // Delivered again: nothing is pending. Even with the report's flag lost, the outbox's key holds.
    expect(await sendIncidentAlerts(sending(), campaign)).toEqual([]);
    await testStore().incidents.setAlert(
      campaign.id,
      (await testStore().incidents.list(campaign.id))[0]?.key ?? "",
      "pending",
    );
    const replay = await sendIncidentAlerts(sending(), campaign);
    expect(replay.map((a) => a.outcome)).toEqual(["already-sent"]);
    expect(smtp.messages).toHaveLength(1);
    expect(await testStore().incidents.unalerted(campaign.id)).toEqual([]);
  });

  it("are mailed first thing by the delivery job, once over two runs", async () => {
    const campaign = await local();
    await ingestIncidents(deps(), campaign, [incidentResponse(bindingsOf(campaign), th1, GOOD)]);
    const first = await deliverCampaign(sending(), campaign);
    const second = await deliverCampaign(sending(), campaign);
    expect(first.delivered && first.incidents.map((a) => a.outcome)).toEqual(["sent"]);
    expect(second.delivered && second.incidents).toEqual([]);
    expect(smtp.messages.map((m) => m.subject)).toEqual([
      `[DỮ LIỆU MẪU] Báo cáo vụ việc: ${GOOD.kind} ngày 01/12/2026 – ${th1.name}`,
    ]);
  });

  it("go to the office's own address when the profile names no leader", async () => {
    const campaign = await makeCampaign();
    await ingestIncidents(deps(), campaign, [incidentResponse(bindingsOf(campaign), th1, GOOD)]);
    await sendIncidentAlerts(sending(), campaign);
    expect(smtp.messages.map((m) => (m.to && "text" in m.to ? m.to.text : ""))).toEqual([OFFICE.email]);
    expect(smtp.messages[0]?.text).toContain("Kính gửi: Lãnh đạo phòng");
  });

  it("come through the incident form's watch like any response (the Forms API server)", async () => {
    const gateway = googleFormsGateway({ rootUrl: forms.url, auth: localAuth() });
    const campaign = await makeCampaign({ forms: gateway });
    const form = campaign.forms.incident;
    expect(form?.bindings.map((b) => b.role).sort()).toEqual([
      "incident-date",
      "incident-description",
      "incident-kind",
      "respondent-name",
      "respondent-role",
      "school",
    ]);
    const response = incidentResponse(form?.bindings ?? [], th1, GOOD, { responseId: "vv-watch" });
    forms.addResponse(form?.formId ?? "", {
      responseId: response.responseId,
      lastSubmittedTime: response.lastSubmittedTime,
      respondentEmail: "th1@test.example",
      answers: response.answers ?? {},
    });
    const taken = await handleFormNotification(
      testDeps({ clock: () => NOW, forms: gateway }),
      form?.formId ?? "",
    );
    expect(taken?.stage).toBe("incident");
    expect(taken?.summary).toMatchObject({ stored: 1, accepted: 1 });
    expect((await testStore().incidents.list(campaign.id)).map((r) => r.responseId)).toEqual(["vv-watch"]);
    const saved = await testStore().campaigns.get(campaign.id);
    expect(saved.forms.incident?.watermark).toBe(response.lastSubmittedTime);
  });
});
