import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadCampaignView } from "../../functions/src/app/campaign-view.js";
import { sendDigest } from "../../functions/src/app/digest.js";
import type { ReportDeps } from "../../functions/src/app/documents.js";
import { ingestResponses } from "../../functions/src/app/intake.js";
import { sendReminders } from "../../functions/src/app/reminders.js";
import type { SendRun } from "../../functions/src/app/send-deps.js";
import { defaultCalendar } from "../../functions/src/domain/calendar.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import type { School } from "../../functions/src/domain/school.js";
import { fromWallClock } from "../../functions/src/domain/time.js";
import { googleFormsGateway, localAuth } from "../../functions/src/infra/google/forms.js";
import { smtpTransport } from "../../functions/src/infra/mail/mailer.js";
import { PdfRenderer } from "../../functions/src/infra/render/pdf.js";
import { localReportStore } from "../../functions/src/infra/report-store.js";
import { loadTemplates, type Templates } from "../../functions/src/infra/templates.js";
import {
  type FormsServer,
  formResponse,
  makeCampaign,
  PASSING_DOSSIER,
  PASSING_REGISTRATION,
  SCHOOLS,
  type SmtpSink,
  specBindings,
  startFormsServer,
  startSmtpSink,
  testDeps,
  testStore,
} from "../kit/index.js";

/**
 * Reminders through the real mail path (the keyed outbox, a real SMTP server on loopback): to
 * exactly the schools that lack something, once per school, deadline and step, deferred past the
 * daily limit and sent the next day.
 */
const TZ = "Asia/Ho_Chi_Minh";
let templates: Templates;
let renderer: PdfRenderer;
let smtp: SmtpSink;
let dir: string;
let forms: FormsServer;
beforeAll(async () => {
  forms = await startFormsServer();
  templates = await loadTemplates();
  renderer = new PdfRenderer({ pages: 1 });
  smtp = await startSmtpSink();
  dir = await mkdtemp(join(tmpdir(), "dienhinh-reminders-"));
});
afterAll(async () => {
  smtp.close();
  await forms.close();
  await renderer.close();
});
beforeEach(() => smtp.reset());

const [mn1, th1, cs1] = SCHOOLS as [School, School, School];

/** 10:00 on a day in Ho Chi Minh City. */
const at = (day: string) => fromWallClock(new Date(`${day}T10:00:00Z`), TZ);

const sending = (day: string, overrides: Partial<ReportDeps> = {}) => ({
  ...testDeps({ clock: () => at(day) }),
  renderer,
  templates,
  files: localReportStore(join(dir, "reports")),
  timeZone: TZ,
  transport: smtpTransport({ host: "127.0.0.1", port: smtp.port, ignoreTLS: true }),
  backoffMs: 5,
  ...overrides,
});

/** Every school registered; only T-TH1 sent its dossier. The campaign's year is `year`'s cycle. */
const campaignOf = async (year: number): Promise<Campaign> => {
  // Forms made through the local Forms API server: the campaign has their responder links.
  const campaign = await makeCampaign({
    forms: googleFormsGateway({ rootUrl: forms.url, auth: localAuth() }),
  });
  await testStore().campaigns.setCalendar(campaign.id, defaultCalendar(`${year - 1}-${year}`));
  // Received in that year: a response from the future would be set aside.
  const receiving = testDeps({ clock: () => at(`${year}-11-10`) });
  for (const school of SCHOOLS)
    await ingestResponses(receiving, campaign, "registration", [
      formResponse(specBindings("registration"), school, PASSING_REGISTRATION, {
        email: school.emails[0] ?? null,
        lastSubmittedTime: `${year}-03-01T01:00:00.000Z`,
      }),
    ]);
  await ingestResponses(receiving, campaign, "dossier", [
    formResponse(specBindings("dossier"), th1, PASSING_DOSSIER, {
      email: th1.emails[0] ?? null,
      lastSubmittedTime: `${year}-11-05T01:00:00.000Z`,
    }),
  ]);
  return campaign;
};

const remind = async (campaign: Campaign, deps: ReturnType<typeof sending>) => {
  const run: SendRun = { messages: [], failedSchools: [] };
  const sent = await sendReminders(deps, await loadCampaignView(testStore(), campaign.id), run);
  return { run, sent };
};

describe("reminders of a deadline", () => {
  it("go once to each school that lacks what it asks, with what it lacks, and never twice", async () => {
    const campaign = await campaignOf(2026);
    const first = await remind(campaign, sending("2026-11-12"));
    expect(first.sent.map((r) => [r.school, r.stage, r.step, r.outcome])).toEqual([
      [mn1.code, "dossier", 3, "sent"],
      [cs1.code, "dossier", 3, "sent"],
    ]);
    expect(smtp.messages).toHaveLength(2);
    const mail = smtp.messages[0];
    expect(mail?.subject).toContain("Nhắc hạn nộp hồ sơ: còn 3 ngày (15/11/2026)");
    expect(mail?.text).toContain("Hồ sơ đề nghị công nhận (phiếu tự đánh giá kèm minh chứng)");
    expect(mail?.text).toMatch(/biểu mẫu \(đã điền sẵn tên trường\): https?:\/\/\S+/u);
    // The same day again, and the next at the same step: nothing new.
    expect((await remind(campaign, sending("2026-11-12"))).sent).toEqual([]);
    expect((await remind(campaign, sending("2026-11-13"))).sent).toEqual([]);
    expect(smtp.messages).toHaveLength(2);
    // The deadline passed: one notice each, saying so.
    const late = await remind(campaign, sending("2026-11-16"));
    expect(late.sent.map((r) => [r.school, r.step])).toEqual([
      [mn1.code, "qua-han"],
      [cs1.code, "qua-han"],
    ]);
    expect(smtp.messages[2]?.subject).toContain("Đã quá hạn nộp hồ sơ (15/11/2026)");
    const log = await testStore().events.recent(campaign.id, 50);
    expect(log.filter((e) => e.kind === "Nhắc hạn")).toHaveLength(4);
  });

  it("past the daily limit are deferred, not dropped, and sent the next day", async () => {
    // A year no other test sends in: the day's count is the deployment's, shared by every campaign.
    const year = 2100 + Math.floor(Math.random() * 800);
    const campaign = await campaignOf(year);
    const first = await remind(campaign, sending(`${year}-11-12`, { dailyLimit: 1 } as Partial<ReportDeps>));
    expect(first.sent.map((r) => r.outcome).sort()).toEqual(["deferred", "sent"]);
    const next = await remind(campaign, sending(`${year}-11-13`, { dailyLimit: 1 } as Partial<ReportDeps>));
    expect(next.sent.map((r) => r.outcome)).toEqual(["sent"]);
    expect(smtp.messages).toHaveLength(2);
  });
});

describe("the office's daily digest and its Công văn đôn đốc", () => {
  const digest = (campaign: Campaign, day: string) =>
    loadCampaignView(testStore(), campaign.id).then((view) => sendDigest(sending(day), view));

  it("goes to the office once a day something changed, who is behind by commune, the letter attached", async () => {
    const campaign = await campaignOf(2026);
    // Before the dossier deadline: nobody is overdue, but responses came in: a digest, no letter.
    const before = await digest(campaign, "2026-11-12");
    expect([before.outcome, before.overdue.length, before.letter]).toEqual(["sent", 0, undefined]);
    expect(smtp.messages[0]?.text).toContain("Không có trường nào quá hạn.");
    // Past it, after the reminders: the two schools without a dossier, and the letter listing them.
    await remind(campaign, sending("2026-11-16"));
    const after = await digest(campaign, "2026-11-16");
    expect(after.outcome).toBe("sent");
    expect(after.overdue.map((o) => [o.school.code, o.daysOver])).toEqual([
      [mn1.code, 1],
      [cs1.code, 1],
    ]);
    const digests = () => smtp.messages.filter((m) => m.subject?.includes("Tổng hợp tình hình"));
    const mail = digests()[1];
    expect(mail?.to).toMatchObject({ value: [{ address: campaign.office.email }] });
    expect(mail?.subject).toContain("Tổng hợp tình hình ngày 16/11/2026: 2 trường quá hạn");
    expect(mail?.text).toContain("Nhắc hạn: 2");
    expect(mail?.text).toContain(
      `${mn1.name}: Hồ sơ đề nghị công nhận (phiếu tự đánh giá kèm minh chứng), hạn 15/11/2026; quá 1 ngày.`,
    );
    expect(mail?.attachments.map((a) => a.filename)).toEqual([
      "Dự thảo Công văn đôn đốc.pdf",
      "Dự thảo Công văn đôn đốc.docx",
    ]);
    expect(mail?.attachments[0]?.content.subarray(0, 5).toString()).toBe("%PDF-");
    // Nothing new since: no digest. Something new the same day: still one that day, the rest the next.
    expect((await digest(campaign, "2026-11-16")).due).toBe(false);
    await testStore().events.record(campaign.id, [
      {
        at: new Date(at("2026-11-16").getTime() + 3_600_000),
        kind: "Gia hạn",
        message: "Gia hạn cho một trường",
      },
    ]);
    expect((await digest(campaign, "2026-11-16")).outcome).toBe("already-sent");
    expect((await digest(campaign, "2026-11-17")).outcome).toBe("sent");
    expect(digests()[2]?.text).toContain("Gia hạn: 1");
    expect((await digest(campaign, "2026-11-18")).due).toBe(false);
    expect(digests()).toHaveLength(3);
    const log = await testStore().events.recent(campaign.id, 50);
    expect(log.filter((e) => e.kind === "Tổng hợp ngày")).toHaveLength(3);
  });
});
