import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliverDeps, deliverCampaign } from "../../functions/src/app/deliver.js";
import { ingestResponses } from "../../functions/src/app/intake.js";
import { setupSheet } from "../../functions/src/app/sheet-setup.js";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import type { OfficeProfile } from "../../functions/src/domain/office.js";
import type { School } from "../../functions/src/domain/school.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import { localAuth } from "../../functions/src/infra/google/forms.js";
import { googleSheetsGateway } from "../../functions/src/infra/google/sheets.js";
import { fileTransport } from "../../functions/src/infra/mail/mailer.js";
import { PdfRenderer } from "../../functions/src/infra/render/pdf.js";
import { localReportStore } from "../../functions/src/infra/report-store.js";
import { loadTemplates } from "../../functions/src/infra/templates.js";
import { OFFICE_WITH_AUTHORITY } from "../domain/inspection-documents-fixtures.js";
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
const campaignWithSheet = async (id: string, office?: OfficeProfile) => {
  const gateway = googleSheetsGateway({
    rootUrl: server.url,
    auth: localAuth(),
    retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 10 },
  });
  const created = await makeCampaign({ id: uniqueId(id), ...(office ? { office } : {}) });
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
  clock?: () => Date,
) =>
  ingestResponses(testDeps(clock ? { clock } : {}), campaign, stage, [
    formResponse(specBindings(stage), th1, answers, {
      email: th1.emails[0] ?? null,
      lastSubmittedTime: time,
    }),
  ]);

const cellOf = (id: string, title: string, header: string, row: number) =>
  `'${title}'!${String.fromCharCode(65 + (server.values(id, title)[0] ?? []).indexOf(header))}${row}`;

/** The office plans T-TH1's inspection in Lịch kiểm tra (team, day, time, place). */
const typePlan = (id: string, day: string, time: string) => {
  const row = server.values(id, "Lịch kiểm tra").findIndex((r) => r[0] === th1.code) + 1;
  server.setValues(id, cellOf(id, "Lịch kiểm tra", "Đoàn kiểm tra", row), [
    [
      "Đoàn số 1",
      "Nguyễn Văn Thử (Phòng Giáo dục và Đào tạo); Trần Văn Bảo (Công an xã Phú Xuân)",
      day,
      time,
      th1.name,
    ],
  ]);
};

/** The team's findings on T-TH1 in Kiểm tra: every claim confirmed but those in `reject` (id → reason). */
const typeFindings = (id: string, reject: Record<string, string> = {}) => {
  server.values(id, "Kiểm tra").forEach((r, i) => {
    if (r[0] !== th1.code) return;
    const reason = reject[String(r[2])];
    server.setValues(id, cellOf(id, "Kiểm tra", "Kết quả kiểm tra", i + 1), [
      reason ? ["Không xác nhận", reason] : ["Xác nhận", ""],
    ]);
  });
};

describe("deliverCampaign (the scheduled job)", () => {
  it("applies the office's inspection before rendering, mails once, and writes the link and time back", async () => {
    const { campaign, spreadsheetId, deps, outbox } = await campaignWithSheet("deliver-job");
    await respond(campaign, "registration", PASSING_REGISTRATION, "2026-03-01T01:00:00.000Z");
    await respond(campaign, "dossier", PASSING_DOSSIER, "2026-11-05T01:30:00.000Z");

    // First run: the school's self-assessment meets everything (Chờ kiểm tra). It is told at once
    // that its dossier was received, in a message that is not an official document; its result is
    // rendered for the office to look at, and waits for the office's approval.
    await deliverCampaign(deps, campaign);
    const header = server.values(spreadsheetId, TRACKING)[0] ?? [];
    const rowAt = () => server.values(spreadsheetId, TRACKING).findIndex((r) => r[0] === th1.code);
    const column = (name: string) => header.indexOf(name);
    const cell = (name: string) => server.values(spreadsheetId, TRACKING)[rowAt()]?.[column(name)];
    expect(cell("Tình trạng")).toBe("Chờ kiểm tra");
    const parsed = async (name: string) => simpleParser(await readFile(join(outbox, name)));
    const acknowledged = await readdir(outbox);
    expect(acknowledged).toHaveLength(1);
    const ack = await parsed(acknowledged[0] ?? "");
    expect(ack.subject).toContain("Xác nhận đã nhận hồ sơ tự đánh giá");
    expect(ack.text).toContain("KHÔNG PHẢI VĂN BẢN CHÍNH THỨC");
    expect(ack.attachments).toEqual([]);
    expect(String(cell("Báo cáo (PDF)"))).toContain("reports");
    expect(cell("Đã gửi email lúc") ?? "").toBe("");
    // A second run sends nothing more: the acknowledgement once, the result still waiting.
    await deliverCampaign(deps, campaign);
    expect(await readdir(outbox)).toHaveLength(1);

    // The clerk opens the result and approves it (Phòng duyệt gửi: Duyệt): mailed once, to all the
    // school's addresses in one message.
    server.setValues(spreadsheetId, cellOf(spreadsheetId, TRACKING, "Phòng duyệt gửi", rowAt() + 1), [
      ["Duyệt"],
    ]);
    await deliverCampaign(deps, campaign);
    await deliverCampaign(deps, campaign);
    const firstMail = (await readdir(outbox)).filter((m) => !acknowledged.includes(m));
    expect(firstMail).toHaveLength(1);
    const first = await parsed(firstMail[0] ?? "");
    expect((Array.isArray(first.to) ? "" : first.to?.text) ?? "").toBe(th1.emails.join(", "));
    expect(first.attachments.map((a) => a.filename)).toEqual([
      `Thông báo kết quả đánh giá - ${th1.name}.pdf`,
    ]);
    expect(cell("Phòng duyệt gửi")).toBe("Duyệt");
    expect(cell("Đã gửi email lúc")).not.toBeUndefined();
    firstMail.push(...acknowledged);

    // Then the office inspects the school: the plan in Lịch kiểm tra, the team's findings in Kiểm
    // tra, one claim not confirmed.
    typePlan(spreadsheetId, "10/12/2026", "08:00");
    typeFindings(spreadsheetId, { "1.2": "Kế hoạch chưa được thủ trưởng ký ban hành" });
    const run = await deliverCampaign(deps, campaign);
    if (!run.delivered) throw new Error(run.reason);
    expect(run.reports.rendered).toBeGreaterThan(0);
    // The verdict is the office's own act: its result and minutes go without another approval.
    expect(run.mail.messages.map((m) => m.outcome)).toEqual(["sent"]);
    const state = (await testStore().states.load(campaign.id)).get(th1.code);
    expect(state?.status).toBe("khong-dat");
    const text = execFileSync("pdftotext", [state?.reportUrl ?? "", "-"])
      .toString()
      .replace(/\s+/gu, " ");
    expect(text).toContain("Không đạt");
    expect(text).toContain("đoàn kiểm tra không xác nhận; lý do: kế hoạch chưa được thủ trưởng ký ban hành.");
    const mails = await readdir(outbox);
    expect(mails).toHaveLength(3);
    const second = mails.find((m) => !firstMail.includes(m)) ?? "";
    const mail = await simpleParser(await readFile(join(outbox, second)));
    expect(`${mail.subject} ${mail.text}`).toContain("Không đạt");
    expect(mail.text).toContain("Qua kiểm tra thực tế, đơn vị chưa đạt");
    expect(mail.text).toContain("lý do: kế hoạch chưa được thủ trưởng ký ban hành.");
    // The result comes with the inspection's minutes.
    expect(mail.attachments.map((a) => a.filename)).toEqual([
      `Thông báo kết quả đánh giá - ${th1.name}.pdf`,
      `Biên bản kiểm tra - ${th1.name}.pdf`,
    ]);
    expect(cell("Tình trạng")).toBe("Không đạt");

    const again = await deliverCampaign(deps, campaign);
    if (!again.delivered) throw new Error(again.reason);
    expect([again.reports.rendered, again.mail.messages.length]).toEqual([0, 0]);
    expect(await readdir(outbox)).toHaveLength(3);
  }, 120_000);

  it("chases on the morning run only: reminders to the schools lacking something, the office's digest with the Công văn đôn đốc, the chase list", async () => {
    const made = await campaignWithSheet("deliver-daily");
    const { campaign, spreadsheetId, outbox } = made;
    // 20 November 2026: registration (31/03) and dossier (15/11) deadlines past; only T-TH1 sent both.
    const clock = () => new Date("2026-11-20T03:00:00Z");
    const deps = { ...made.deps, clock };
    await respond(campaign, "registration", PASSING_REGISTRATION, "2026-03-01T01:00:00.000Z", clock);
    await respond(campaign, "dossier", PASSING_DOSSIER, "2026-11-05T01:30:00.000Z", clock);
    const plain = await deliverCampaign(deps, campaign);
    expect(plain.delivered && plain.chase).toBeUndefined();
    const subjects = async () =>
      Promise.all(
        (await readdir(outbox)).map(
          async (f) => (await simpleParser(await readFile(join(outbox, f)))).subject ?? "",
        ),
      );
    expect((await subjects()).filter((s) => s.includes("hạn"))).toEqual([]);

    const daily = await deliverCampaign(deps, campaign, { daily: true });
    if (!daily.delivered || !daily.chase) throw new Error("no chase on the morning run");
    const others = SCHOOLS.filter((s) => s.code !== th1.code).map((s) => s.code);
    expect([...new Set(daily.chase.reminders.map((r) => r.school))].sort()).toEqual([...others].sort());
    expect(daily.chase.reminders.every((r) => r.step === "qua-han" && r.outcome === "sent")).toBe(true);
    expect(daily.chase.digest.outcome).toBe("sent");
    expect(daily.chase.digest.overdue.map((o) => o.school.code).sort()).toEqual([...others].sort());
    expect(daily.chase.digest.letter?.kind).toBe("cong-van");
    const digests = (await subjects()).filter((s) => s.includes("Tổng hợp tình hình ngày 20/11/2026"));
    expect(digests).toHaveLength(1);
    // The sheet's last write shows them: the chase list, and the digest in Nhật ký.
    const chase = server.values(spreadsheetId, "Đôn đốc").slice(1);
    expect([...new Set(chase.map((r) => r[0]))].sort()).toEqual([...others].sort());
    expect(server.values(spreadsheetId, "Nhật ký").some((r) => r.includes("Tổng hợp ngày"))).toBe(true);

    // The morning run again: nothing new to chase, nothing changed, nothing sent.
    const again = await deliverCampaign(deps, campaign, { daily: true });
    if (!again.delivered || !again.chase) throw new Error("no chase on the morning run");
    expect([again.chase.reminders.length, again.chase.digest.due]).toEqual([0, false]);
    expect((await subjects()).filter((s) => s.includes("Tổng hợp tình hình"))).toHaveLength(1);
  }, 120_000);

  it("mails the inspection plan once and again on a change; a decision typed in the sheet recognises the Đạt school and mails it the decision once", async () => {
    const {
      campaign,
      spreadsheetId: id,
      deps,
      outbox,
    } = await campaignWithSheet("deliver-recognise", OFFICE_WITH_AUTHORITY);
    await respond(campaign, "registration", PASSING_REGISTRATION, "2026-03-01T01:00:00.000Z");
    await respond(campaign, "dossier", PASSING_DOSSIER, "2026-11-05T01:30:00.000Z");
    await deliverCampaign(deps, campaign);
    const mailsNow = async () => {
      const names = (await readdir(outbox)).sort();
      return Promise.all(names.map(async (n) => simpleParser(await readFile(join(outbox, n)))));
    };
    const count = async () => (await readdir(outbox)).length;
    const perSchool = 1; // one message per school, all its addresses in To
    // The acknowledgement only: the result (Chờ kiểm tra) waits for the office's approval.
    expect(await count()).toBe(perSchool);

    // The plan, ahead of the day: mailed once, not again on the next cycle.
    const ahead = (days: number) =>
      new Date(Date.now() + days * 86_400_000).toLocaleDateString("en-GB", { timeZone: layout.timeZone });
    typePlan(id, ahead(10), "08:00");
    await deliverCampaign(deps, campaign);
    await deliverCampaign(deps, campaign);
    expect(await count()).toBe(2 * perSchool);
    const plan = (await mailsNow()).filter((m) => m.subject?.includes("Lịch kiểm tra"));
    expect(plan).toHaveLength(perSchool);
    // The weekday in words (the day is ten days from today: any weekday, Sunday included).
    expect(plan[0]?.text).toMatch(/08:00, (thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ nhật), ngày/u);
    expect(plan[0]?.text).toContain("Trần Văn Bảo, Công an xã Phú Xuân");
    expect(plan[0]?.attachments).toEqual([]);

    // The time changes: the school is told again, once, that the plan changed.
    typePlan(id, ahead(10), "14:00");
    await deliverCampaign(deps, campaign);
    await deliverCampaign(deps, campaign);
    expect(await count()).toBe(3 * perSchool);
    const changed = (await mailsNow()).filter((m) => m.subject?.startsWith("[DỮ LIỆU MẪU] Thay đổi lịch"));
    expect(changed).toHaveLength(perSchool);
    expect(changed[0]?.text).toContain("14:00");

    // Every claim confirmed: Đạt, with the minutes; the proposal and draft list it.
    typeFindings(id);
    await deliverCampaign(deps, campaign);
    expect((await testStore().states.load(campaign.id)).get(th1.code)?.status).toBe("dat");
    expect(await count()).toBe(4 * perSchool);

    // A decision dated before the inspection recognises nobody; the decision dated after does.
    const decision = (number: string, day: string) =>
      server.setValues(id, "'Quyết định công nhận'!A2", [[number, day]]);
    decision("120/QĐ-UBND", "01/12/2026");
    await deliverCampaign(deps, campaign);
    expect((await testStore().states.load(campaign.id)).get(th1.code)?.status).toBe("dat");
    expect(await count()).toBe(4 * perSchool);
    decision("125/QĐ-UBND", ahead(20));
    await deliverCampaign(deps, campaign);
    await deliverCampaign(deps, campaign);
    const state = (await testStore().states.load(campaign.id)).get(th1.code);
    expect(state?.status).toBe("duoc-cong-nhan");
    expect(state?.inputs.recognition?.number).toBe("125/QĐ-UBND");
    expect(await count()).toBe(5 * perSchool);
    const last = (await mailsNow()).filter((m) => m.text?.includes("Chúc mừng"));
    expect(last).toHaveLength(perSchool);
    expect(last[0]?.text).toContain("theo Quyết định số 125/QĐ-UBND");
    const pdf = last[0]?.attachments.find((a) => (a.filename ?? "").startsWith("Quyết định công nhận"));
    const file = join(dir, `${campaign.id}-qd.pdf`);
    await writeFile(file, pdf?.content ?? Buffer.alloc(0));
    const text = execFileSync("pdftotext", [file, "-"]).toString().replace(/\s+/gu, " ");
    expect(text).toContain("Số: 125/QĐ-UBND");
    expect(text).not.toContain("DỰ THẢO");
    expect(text).toContain(th1.name);
    // The sheet shows the decision and the school's standing.
    const row = server.values(id, "Quyết định công nhận")[1] ?? [];
    expect(row.slice(2, 4)).toEqual([1, th1.code]);
  }, 180_000);

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
    expect(await mailed()).toHaveLength(1);
  }, 120_000);

  it("stops all mail to schools while the office's pause switch is on, and makes the documents the clerk asks for in Điều khiển", async () => {
    const made = await campaignWithSheet("deliver-control", OFFICE_WITH_AUTHORITY);
    const { campaign, spreadsheetId: id, outbox } = made;
    const clock = () => new Date("2026-11-20T03:00:00Z");
    const deps = { ...made.deps, clock };
    const mailed = async () => (await readdir(outbox).catch(() => [])).length;
    const control = (title: string) => server.values(id, "Điều khiển").find((r) => r[0] === title) ?? [];
    const setControl = (title: string, value: string) => {
      const row = server.values(id, "Điều khiển").findIndex((r) => r[0] === title) + 1;
      server.setValues(id, cellOf(id, "Điều khiển", "Yêu cầu", row), [[value]]);
    };
    expect(control("Tạm dừng gửi thư cho các trường")[1]).toBe("Không");

    // Paused: the school's response is received, but nothing goes to any school, not even the
    // acknowledgement or the morning's reminders; the office's own digest still goes.
    setControl("Tạm dừng gửi thư cho các trường", "Có");
    await respond(campaign, "registration", PASSING_REGISTRATION, "2026-03-01T01:00:00.000Z", clock);
    await respond(campaign, "dossier", PASSING_DOSSIER, "2026-11-05T01:30:00.000Z", clock);
    const paused = await deliverCampaign(deps, campaign, { daily: true });
    if (!paused.delivered || !paused.chase) throw new Error("not delivered");
    expect(paused.mail.paused).toBe(true);
    expect(paused.mail.messages).toEqual([]);
    expect(paused.chase.reminders).toEqual([]);
    const subjects = async () =>
      Promise.all(
        (await readdir(outbox)).map(
          async (f) => (await simpleParser(await readFile(join(outbox, f)))).subject,
        ),
      );
    expect(await subjects()).toEqual([expect.stringContaining("Tổng hợp tình hình")]);
    expect(control("Tạm dừng gửi thư cho các trường")[1]).toBe("Có");
    expect(
      server
        .values(id, "Nhật ký")
        .some((r) => r.includes("Phòng tạm dừng mọi thư gửi các trường (trang Điều khiển)")),
    ).toBe(true);

    // Back on: what waited goes, once (the acknowledgement; the result still waits for approval).
    setControl("Tạm dừng gửi thư cho các trường", "Không");
    const resumed = await deliverCampaign(deps, campaign);
    if (!resumed.delivered) throw new Error("not delivered");
    expect(resumed.mail.messages.map((m) => [m.outcome, m.acknowledgement])).toEqual([["sent", true]]);
    expect(resumed.mail.awaitingApproval).toEqual([th1.code]);
    expect(await mailed()).toBe(2);

    // The clerk asks for the report to the Sở and the Tờ trình: the report is made and linked; the
    // Tờ trình says why it cannot be yet (no school has passed an inspection).
    setControl("Lập Báo cáo gửi Sở", "Lập");
    setControl("Lập Tờ trình đề nghị công nhận", "Lập");
    const asked = await deliverCampaign(deps, campaign);
    if (!asked.delivered) throw new Error("not delivered");
    expect(asked.requested).toEqual(["bao-cao"]);
    const report = control("Lập Báo cáo gửi Sở");
    expect(report[1] ?? "").toBe("");
    expect(String(report[2])).toMatch(/bao-cao-.+\.pdf$/u);
    const text = execFileSync("pdftotext", [String(report[2]), "-"]).toString();
    expect(text).toContain("BÁO CÁO");
    const proposal = control("Lập Tờ trình đề nghị công nhận");
    expect(proposal[2] ?? "").toBe("");
    expect(String(proposal[4])).toContain("chưa có trường nào đạt qua kiểm tra");
    // Asked again with nothing changed: the same file, made once.
    setControl("Lập Báo cáo gửi Sở", "Lập");
    await deliverCampaign(deps, campaign);
    expect(control("Lập Báo cáo gửi Sở")[2]).toBe(report[2]);
    expect(await mailed()).toBe(2);
  }, 180_000);

  it("lets an approval lapse when the school sends something new: the cell is cleared and nothing official goes until the office approves again", async () => {
    const { campaign, spreadsheetId: id, deps, outbox } = await campaignWithSheet("deliver-lapse");
    const rowAt = () => server.values(id, TRACKING).findIndex((r) => r[0] === th1.code);
    const cell = (name: string) =>
      server.values(id, TRACKING)[rowAt()]?.[(server.values(id, TRACKING)[0] ?? []).indexOf(name)];
    const approve = () =>
      server.setValues(id, cellOf(id, TRACKING, "Phòng duyệt gửi", rowAt() + 1), [["Duyệt"]]);
    const kinds = async () =>
      Promise.all(
        (await readdir(outbox)).map(async (f) => {
          const m = await simpleParser(await readFile(join(outbox, f)));
          return m.attachments.length > 0 ? "documents" : "acknowledgement";
        }),
      );
    await respond(campaign, "dossier", PASSING_DOSSIER, "2026-11-05T01:30:00.000Z");
    await deliverCampaign(deps, campaign);
    approve();
    await deliverCampaign(deps, campaign);
    expect((await kinds()).sort()).toEqual(["acknowledgement", "documents"]);

    // The school sends its dossier again, one document without its file: acknowledged at once; the
    // approval given for the earlier dossier lapses and the cell is cleared, so nothing else goes.
    // (Sent now: after the documents it was mailed, as a new response is.)
    await respond(campaign, "dossier", { ...PASSING_DOSSIER, "1.4": "Có" }, new Date().toISOString());
    await deliverCampaign(deps, campaign);
    await deliverCampaign(deps, campaign);
    expect((await kinds()).sort()).toEqual(["acknowledgement", "acknowledgement", "documents"]);
    expect(cell("Tình trạng")).toBe("Cần bổ sung");
    expect(cell("Phòng duyệt gửi") ?? "").toBe("");

    // Approved again, with the number the văn thư registered: the new result and its notice go
    // once, numbered, with no BẢN CHỜ KÝ.
    approve();
    server.setValues(id, cellOf(id, TRACKING, "Số văn bản", rowAt() + 1), [["35/TB-GDĐT"]]);
    await deliverCampaign(deps, campaign);
    await deliverCampaign(deps, campaign);
    expect((await kinds()).sort()).toEqual(["acknowledgement", "acknowledgement", "documents", "documents"]);
    expect([cell("Phòng duyệt gửi"), cell("Số văn bản")]).toEqual(["Duyệt", 35]);
    const state = (await testStore().states.load(campaign.id)).get(th1.code);
    const text = execFileSync("pdftotext", [state?.reportUrl ?? "", "-"]).toString();
    expect(text).toContain("Số: 35/TB-GDĐT");
    expect(text).not.toContain("BẢN CHỜ KÝ");
  }, 120_000);

  it("does not take an approval typed on a row the school has changed since: its new content is looked at first", async () => {
    const { campaign, spreadsheetId: id, deps, outbox } = await campaignWithSheet("deliver-stale");
    const rowAt = () => server.values(id, TRACKING).findIndex((r) => r[0] === th1.code);
    const cell = (name: string) =>
      server.values(id, TRACKING)[rowAt()]?.[(server.values(id, TRACKING)[0] ?? []).indexOf(name)];
    const approve = () =>
      server.setValues(id, cellOf(id, TRACKING, "Phòng duyệt gửi", rowAt() + 1), [["Duyệt"]]);
    const withDocuments = async () =>
      (
        await Promise.all(
          (
            await readdir(outbox)
          ).map(async (f) => (await simpleParser(await readFile(join(outbox, f)))).attachments),
        )
      ).filter((a) => a.length > 0).length;
    await respond(campaign, "dossier", PASSING_DOSSIER, "2026-11-05T01:30:00.000Z");
    await deliverCampaign(deps, campaign);
    // The clerk approves the row as it shows the first dossier; the school sends another before the
    // next run: the approval is for what the clerk saw, so nothing official goes.
    approve();
    await respond(campaign, "dossier", { ...PASSING_DOSSIER, "1.4": "Có" }, new Date().toISOString());
    await deliverCampaign(deps, campaign);
    await deliverCampaign(deps, campaign);
    expect(await withDocuments()).toBe(0);
    expect(cell("Tình trạng")).toBe("Cần bổ sung");
    expect(cell("Phòng duyệt gửi") ?? "").toBe("");
    // Approved on the row that shows it: its notice goes, once.
    approve();
    await deliverCampaign(deps, campaign);
    await deliverCampaign(deps, campaign);
    expect(await withDocuments()).toBe(1);
  }, 120_000);
});
