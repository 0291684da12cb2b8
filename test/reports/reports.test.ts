import { execFileSync } from "node:child_process";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadCampaignView } from "../../functions/src/app/campaign-view.js";
import { type ReportDeps, renderSchoolReports } from "../../functions/src/app/documents.js";
import { ingestResponses } from "../../functions/src/app/intake.js";
import { renderOfficeDocuments } from "../../functions/src/app/office-documents.js";
import { sendOfficeReport } from "../../functions/src/app/office-report.js";
import { sendSchoolMail } from "../../functions/src/app/school-mail.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import type { School } from "../../functions/src/domain/school.js";
import { localAuth } from "../../functions/src/infra/google/forms.js";
import { gmailTransport, type MailTransport, smtpTransport } from "../../functions/src/infra/mail/mailer.js";
import { PdfRenderer } from "../../functions/src/infra/render/pdf.js";
import { driveReportStore, localReportStore } from "../../functions/src/infra/report-store.js";
import { loadTemplates, type Templates } from "../../functions/src/infra/templates.js";
import { OFFICE_WITH_AUTHORITY } from "../domain/inspection-documents-fixtures.js";
import {
  approveSchools,
  formResponse,
  inspected,
  isAcknowledgement,
  type MailDriveServer,
  makeCampaign,
  PASSING_DOSSIER,
  PASSING_REGISTRATION,
  SCHOOLS,
  type SmtpSink,
  specBindings,
  startMailDriveServer,
  startSmtpSink,
  TEST_CALENDAR,
  testDeps,
  testStore,
} from "../kit/index.js";

const NOW = new Date("2026-11-09T03:00:00Z"); // 10:00 in Ho Chi Minh City
let renderer: PdfRenderer;
let templates: Templates;
let dir: string;
beforeAll(async () => {
  renderer = new PdfRenderer({ pages: 2 });
  templates = await loadTemplates();
  dir = await mkdtemp(join(tmpdir(), "dienhinh-reports-"));
});
afterAll(() => renderer.close());

const deps = (overrides: Partial<ReportDeps> = {}): ReportDeps => ({
  ...testDeps({ clock: () => NOW }),
  renderer,
  templates,
  files: localReportStore(join(dir, "reports")),
  timeZone: "Asia/Ho_Chi_Minh",
  ...overrides,
});

/** The text of a PDF, as pdftotext reads it, with line breaks and runs of spaces as one space. */
const pdfText = async (file: string): Promise<string> =>
  execFileSync("pdftotext", [file, "-"]).toString().replace(/\s+/gu, " ");

const th1 = SCHOOLS[1] as School;
const cs1 = SCHOOLS[2] as School;
const mn1 = SCHOOLS[0] as School;

/**
 * A campaign where T-TH1 meets every criterion (Chờ kiểm tra) and T-CS1 reports an incident (Không
 * đủ điều kiện); with `fixable`, T-MN1 also sent a document without its file (Cần bổ sung).
 */
const campaignWithResults = async (
  schools: School[] = SCHOOLS,
  options: { fixable?: boolean; approved?: boolean } = {},
): Promise<Campaign> => {
  // The office's profile names the authority the decision is drafted for (none: no decision).
  const campaign = await makeCampaign({ schools, office: OFFICE_WITH_AUTHORITY });
  const send = (school: School, answers = PASSING_DOSSIER) =>
    Promise.all([
      ingestResponses(testDeps(), campaign, "registration", [
        formResponse(specBindings("registration"), school, PASSING_REGISTRATION, {
          email: school.emails[0] ?? null,
          lastSubmittedTime: "2026-03-01T01:00:00.000Z",
        }),
      ]),
      ingestResponses(testDeps(), campaign, "dossier", [
        formResponse(specBindings("dossier"), school, answers, {
          email: school.emails[0] ?? null,
          lastSubmittedTime: "2026-11-05T01:30:00.000Z",
        }),
      ]),
    ]);
  await send(schools[1] as School);
  await send(schools[2] as School, { ...PASSING_DOSSIER, "4.1": "1" });
  if (options.fixable) await send(schools[0] as School, { ...PASSING_DOSSIER, "1.4": "Có" });
  // The clerk approved what each school is to be sent (Theo dõi's Phòng duyệt gửi), unless told not.
  if (options.approved ?? true) await approveSchools(testStore(), campaign);
  return campaign;
};

/** The office's inspection of a school, recorded as the sheet's read-back records it. */
const inspect = async (campaign: Campaign, school: School, verdict: "dat" | "khong-dat") => {
  const view = await loadCampaignView(testStore(), campaign.id);
  const before = view.stored.get(school.code);
  if (!before) throw new Error(`no state for ${school.code}`);
  const reject: Record<string, string> = verdict === "dat" ? {} : { "1.2": "Kế hoạch chưa ký ban hành" };
  const state = inspected(before.state, school, campaign.criteriaSet, reject);
  await testStore().states.save(campaign, [{ state, before }], NOW);
};

describe("official PDFs", () => {
  it("renders a school's result as an A4 PDF with the official header, Tinos embedded, rendered once", async () => {
    const campaign = await campaignWithResults();
    const run = await renderSchoolReports(deps(), campaign.id, { codes: [th1.code] });
    expect(run).toMatchObject({ schools: 1, rendered: 1, reused: 0, failed: [] });
    const doc = (await testStore().states.load(campaign.id)).get(th1.code);
    const file = doc?.reportUrl ?? "";
    // Its Word copy beside it (test/reports/docx.test.ts reads it).
    expect(doc?.reportDocxUrl).toBe(file.replace(/\.pdf$/u, ".docx"));
    const text = await pdfText(file);
    for (const expected of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "ỦY BAN NHÂN DÂN HUYỆN NHÀ BÈ",
      "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
      // A school's result is a Thông báo (Decree 30, Phụ lục III): there is no kind "KQ".
      "/TB-GDĐT",
      "Nhà Bè, ngày 09 tháng 11 năm 2026",
      "THÔNG BÁO",
      "Kết quả kiểm tra, đánh giá hồ sơ đề nghị công nhận",
      "Phòng Giáo dục và Đào tạo huyện Nhà Bè thông báo",
      th1.name,
      "Chờ kiểm tra",
      "Nguyễn Văn Thử",
    ])
      expect(text).toContain(expected);
    const fonts = execFileSync("pdffonts", [file]).toString();
    expect(fonts).toMatch(/Tinos-Regular\s+CID TrueType\s+Identity-H\s+yes/u);
    expect(fonts).toMatch(/Tinos-Bold/u);
    expect(execFileSync("pdfinfo", [file]).toString()).toMatch(
      /Page size:\s+59[45](\.\d+)? x 841(\.\d+)? pts \(A4\)/u,
    );
    // Same content, nothing rendered again; the outbox knows the report is done.
    expect(await renderSchoolReports(deps(), campaign.id, { codes: [th1.code] })).toMatchObject({
      rendered: 0,
      reused: 1,
    });
    const entry = await testStore().outbox.get(campaign.id, th1.code);
    expect(entry?.report.state).toBe("done");
  });

  it("adds a notice for a school that must fix something, with what and by when", async () => {
    const campaign = await campaignWithResults(SCHOOLS, { fixable: true });
    const run = await renderSchoolReports(deps(), campaign.id, { codes: [mn1.code] });
    expect(run.rendered + run.reused).toBe(2);
    const notice =
      (await readdir(join(dir, "reports"))).find(
        (f) => f.startsWith(`thong-bao-${mn1.code}-`) && f.endsWith(".pdf"),
      ) ?? "";
    const text = await pdfText(join(dir, "reports", notice));
    expect(text).toContain("THÔNG BÁO");
    expect(text).toContain(mn1.name);
    // The campaign's Hạn bổ sung (more than seven days after the notice of 09/11/2026).
    expect(text).toContain("25/11/2026");
    expect(text).toMatch(/minh chứng/u);
  });

  it("states a fact the school reported as a fact, and asks it for nothing", async () => {
    const campaign = await campaignWithResults();
    const run = await renderSchoolReports(deps(), campaign.id, { codes: [cs1.code] });
    // Its result only: no notice asks it to supply what cannot be undone.
    expect(run.rendered + run.reused).toBe(1);
    const doc = (await testStore().states.load(campaign.id)).get(cs1.code);
    const text = await pdfText(doc?.reportUrl ?? "");
    expect(text).toContain("Không đủ điều kiện");
    expect(text).toContain("Sự việc đơn vị tự khai trong kỳ đánh giá:");
    expect(text).toMatch(/Có 1 vụ bạo lực học đường, yêu cầu 0\./u);
    expect(text).not.toContain("Nội dung cần khắc phục");
  });

  it("prints a school name with <script> and {{ as text", async () => {
    const sly: School = { ...th1, code: "T-XSS", name: "<script>alert(1)</script> {{x}} Trường" };
    const campaign = await campaignWithResults([SCHOOLS[0] as School, sly, cs1]);
    const [report] = await renderOfficeDocuments(deps(), campaign.id, ["bao-cao"]);
    const text = await pdfText(report?.url ?? "");
    expect(text).toContain("<script>alert(1)</script> {{x}} Trường");
  });

  it("renders the report to the Department and the decision, with their appendices", async () => {
    const campaign = await campaignWithResults();
    // The decision lists the schools the office's inspection found Đạt.
    await inspect(campaign, th1, "dat");
    const [report, decision] = await renderOfficeDocuments(deps(), campaign.id, ["bao-cao", "quyet-dinh"], {
      number: 5,
    });
    const reportText = await pdfText(report?.url ?? "");
    expect(reportText).toContain("Số: 05/BC-GDĐT");
    expect(reportText).toContain("Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh");
    expect(reportText).toContain("Phụ lục");
    for (const school of SCHOOLS) expect(reportText).toContain(school.name);
    const decisionText = await pdfText(decision?.url ?? "");
    // The authority's draft: its own prefix, no number yet (the office's number is its report's).
    expect(decisionText).toContain("DỰ THẢO");
    expect(decisionText).toContain("/QĐ-UBND");
    expect(decisionText).not.toContain("Số: 05/QĐ");
    expect(decisionText).toContain("QUYẾT ĐỊNH");
    expect(decisionText).toMatch(/Điều 1\./u);
    expect(decisionText).toContain(th1.name);
    expect(decisionText).not.toContain(cs1.name);
  });

  it("renders the Kế hoạch triển khai once per content: the schools' answers change nothing, the calendar does; a Google form's link printed", async () => {
    const made = await campaignWithResults();
    const dossier = made.forms.dossier;
    if (!dossier) throw new Error("no dossier form");
    // As if created through the Forms API: a Google form with its link (a local form has none).
    const link = "https://docs.google.com/forms/d/e/1FAIpQL-ho-so/viewform";
    const campaign = {
      ...made,
      forms: { ...made.forms, dossier: { ...dossier, formId: "1FAIpQL-ho-so", responderUri: link } },
    };
    await testStore().campaigns.save(campaign);
    const [plan] = await renderOfficeDocuments(deps(), campaign.id, ["ke-hoach"]);
    expect(plan?.kind).toBe("ke-hoach");
    expect(plan?.rendered).toBe(true);
    const text = await pdfText(plan?.url ?? "");
    for (const part of [
      "KẾ HOẠCH",
      "/KH-GDĐT",
      "Biểu mẫu hồ sơ đề nghị công nhận (tháng 11): https://",
      "Biểu mẫu đăng ký xây dựng (quý I): đường dẫn sẽ được gửi đến địa chỉ thư điện tử của trường.",
      "Từ ngày 01 tháng 11 năm 2026 đến ngày 15 tháng 11 năm 2026",
      "đề nghị Ủy ban nhân dân xã Nhà Bè công nhận các trường đạt",
    ])
      expect(text, part).toContain(part);
    // The link may break across lines, where the column ends.
    expect(text.replace(/\s/gu, "")).toContain(link);
    // An inspection changes the schools' standing, not the plan: the same file.
    await inspect(campaign, th1, "dat");
    const [again] = await renderOfficeDocuments(deps(), campaign.id, ["ke-hoach"]);
    expect([again?.name, again?.rendered]).toEqual([plan?.name, false]);
    // A new Hạn bổ sung is a new plan.
    await testStore().campaigns.setCalendar(campaign.id, { ...TEST_CALENDAR, fixBy: "2026-11-27" });
    const [changed] = await renderOfficeDocuments(deps(), campaign.id, ["ke-hoach"]);
    expect(changed?.rendered).toBe(true);
    expect(changed?.name).not.toBe(plan?.name);
    expect(await pdfText(changed?.url ?? "")).toContain("Chậm nhất ngày 27 tháng 11 năm 2026");
  });
});

describe("email, exactly once", () => {
  let smtp: SmtpSink;
  beforeAll(async () => {
    smtp = await startSmtpSink();
  });
  afterAll(() => smtp.close());
  beforeEach(() => smtp.reset());
  const sending = (overrides: Partial<ReportDeps> = {}) => ({
    ...deps(overrides),
    transport: smtpTransport({ host: "127.0.0.1", port: smtp.port, ignoreTLS: true }),
    backoffMs: 5,
  });

  it("sends each school one message, to all its addresses, with the PDFs attached, through failures and five deliveries", async () => {
    const campaign = await campaignWithResults(SCHOOLS, { fixable: true });
    smtp.refuseNext(2, 451);
    for (let i = 0; i < 5; i++) await sendSchoolMail(sending(), campaign.id);
    const addresses = (m: (typeof smtp.messages)[number]) =>
      (Array.isArray(m.to) ? m.to : [m.to]).flatMap((t) => t?.value.map((v) => v.address) ?? []);
    // One message per school, every registered address in To (one school has two).
    const official = smtp.messages.filter((m) => !isAcknowledgement(m));
    expect(official.map(addresses).sort()).toEqual([mn1, th1, cs1].map((s) => s.emails).sort());
    // Each school was also told at once that its dossier was received, once.
    expect(smtp.messages.filter(isAcknowledgement).map(addresses).sort()).toEqual(
      [mn1, th1, cs1].map((s) => s.emails).sort(),
    );
    expect([mn1, th1, cs1].some((s) => s.emails.length > 1)).toBe(true);
    const to = (school: School) => official.find((m) => addresses(m)[0] === school.emails[0]);
    const toTh1 = to(th1);
    expect(toTh1?.attachments.map((a) => a.filename)).toEqual([
      `Thông báo kết quả đánh giá - ${th1.name}.pdf`,
    ]);
    expect(toTh1?.subject).toContain(th1.name);
    expect(toTh1?.from?.text).toContain("phong@test.example");
    expect(toTh1?.attachments.map((a) => a.contentType)).toEqual(["application/pdf"]);
    expect(toTh1?.attachments[0]?.content.subarray(0, 5).toString()).toBe("%PDF-");
    expect(toTh1?.text).toContain("Chờ kiểm tra");
    expect(toTh1?.text).toContain("Phòng sẽ phối hợp với các đơn vị liên quan kiểm tra thực tế");
    // A fact is stated, with no notice and no deadline; something to supply comes with both.
    const toCs1 = to(cs1);
    expect(toCs1?.attachments).toHaveLength(1);
    expect(toCs1?.text).toContain("không đủ điều kiện đề nghị công nhận");
    expect(toCs1?.text).not.toContain("25/11/2026");
    const toMn1 = to(mn1);
    expect(toMn1?.attachments).toHaveLength(2);
    expect(toMn1?.text).toContain("25/11/2026");
    const entry = await testStore().outbox.get(campaign.id, th1.code);
    expect(entry?.mail.state).toBe("done");
    const doc = (await testStore().states.load(campaign.id)).get(th1.code);
    expect(doc?.mailedAt).toBeDefined();
  });

  it("sends the office its summary, proposal, draft decision and workbook once, and again only when they change", async () => {
    const campaign = await campaignWithResults();
    await inspect(campaign, th1, "dat");
    const workbook = async () => Buffer.from("PK-xlsx");
    const first = await sendOfficeReport(sending(), campaign.id, workbook, { number: 7 });
    const again = await sendOfficeReport(sending(), campaign.id, workbook, { number: 7 });
    expect([first.outcome, again.outcome]).toEqual(["sent", "already-sent"]);
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(Array.isArray(mail?.to) ? "" : mail?.to?.text).toBe("phong@test.example");
    expect(mail?.attachments.map((a) => a.filename)).toEqual([
      "Dự thảo Báo cáo kết quả gửi Sở.pdf",
      "Dự thảo Tờ trình đề nghị công nhận.pdf",
      "Dự thảo Quyết định công nhận.pdf",
      "Bảng theo dõi - Phòng Giáo dục và Đào tạo - năm học 2026-2027.xlsx",
    ]);
    // Written to the office's own staff, not from the office to itself.
    expect(mail?.text).toContain(
      "Gửi: Lãnh đạo và cán bộ phụ trách phong trào của Phòng Giáo dục và Đào tạo huyện Nhà Bè,",
    );
    expect(mail?.text).not.toContain("Kính gửi");
    expect(mail?.text).toContain("trình lãnh đạo ký và vào sổ văn thư");
    expect(mail?.text).toContain("Số trường đạt qua kiểm tra: 1 (33,3%)");
    expect(mail?.text).toContain("Số trường được công nhận: 0");
    // A new number is a new document: it goes out again.
    expect((await sendOfficeReport(sending(), campaign.id, workbook, { number: 8 })).outcome).toBe("sent");
  });

  it("never sends twice a message whose sender stopped mid-send, until the office releases it", async () => {
    const campaign = await campaignWithResults(
      [SCHOOLS[0] as School, { ...th1, emails: ["mot@test.example"] }, cs1],
      { approved: false },
    );
    // The acknowledgements first (nothing else goes before the office approves), then approved.
    await sendSchoolMail(sending(), campaign.id);
    expect(smtp.messages.every(isAcknowledgement)).toBe(true);
    smtp.reset();
    await approveSchools(testStore(), campaign);
    // Only this school's mail is pending, so the stuck sender holds exactly its message.
    const cs1Mail = (await testStore().outbox.pending(campaign.id, "mail")).find((i) => i.code === cs1.code);
    expect(
      await testStore().outbox.settle(campaign.id, cs1Mail, "mail", cs1Mail?.entry.contentHash ?? "", NOW),
    ).toBe(true);
    // A sender that claims, then never comes back (the process died while talking to the server).
    const stuck: MailTransport = { describe: "stuck", send: () => new Promise(() => {}) };
    void sendSchoolMail({ ...deps(), transport: stuck }, campaign.id);
    const claimed = async () =>
      (await testStore().mail.list(campaign.id)).filter((m) => m.state === "sending").length;
    while ((await claimed()) === 0) await new Promise((r) => setTimeout(r, 50));
    const later = await sendSchoolMail({ ...sending(), claimTimeoutMs: 0 }, campaign.id);
    expect(later.messages.find((m) => m.to === "mot@test.example")?.outcome).toBe("unknown");
    expect(
      smtp.messages.filter((m) => !Array.isArray(m.to) && m.to?.text === "mot@test.example"),
    ).toHaveLength(0);
    const events = (await testStore().events.recent(campaign.id, 300)).map((e) => e.message);
    expect(events.some((e) => e.startsWith("Không rõ thư đến mot@test.example"))).toBe(true);
    // The office checked the sent mailbox: released, it goes out once.
    await sendSchoolMail({ ...sending(), resendUnknown: true }, campaign.id);
    await sendSchoolMail({ ...sending(), resendUnknown: true }, campaign.id);
    expect(
      smtp.messages.filter((m) => !Array.isArray(m.to) && m.to?.text === "mot@test.example"),
    ).toHaveLength(1);
  });

  it("records a permanent refusal, logs it, and does not try again", async () => {
    const campaign = await campaignWithResults();
    smtp.refuseRecipient(cs1.emails[0] ?? "");
    await sendSchoolMail(sending(), campaign.id);
    await sendSchoolMail(sending(), campaign.id);
    const failed = (await testStore().mail.list(campaign.id)).filter((m) => m.state === "failed");
    // Its acknowledgement and its documents, each refused once and never tried again.
    expect(failed.map((f) => [f.recipient, isAcknowledgement(f)]).sort()).toEqual([
      [cs1.emails[0], false],
      [cs1.emails[0], true],
    ]);
    expect(failed.map((f) => f.attempts)).toEqual([1, 1]);
    const events = (await testStore().events.recent(campaign.id, 300)).map((e) => e.message);
    expect(events.filter((e) => e.startsWith(`Không gửi được thư đến ${cs1.emails[0]}`))).toHaveLength(1);
  });

  it("defers past the daily limit instead of dropping, and sends the next day", async () => {
    // Not approved yet: each school is sent one message, its acknowledgement.
    const campaign = await campaignWithResults(SCHOOLS, { approved: false });
    // A day no other test, nor an earlier run against the same emulator, sends on: the day's
    // count is the deployment's (quotas/mail-YYYY-MM-DD), shared by every campaign.
    const day = new Date(Date.UTC(2100 + Math.floor(Math.random() * 800), 0, 10, 3));
    // Two schools (one message each, whatever their addresses), a limit of one a day.
    const capped = { ...sending({ clock: () => day }), dailyLimit: 1 };
    const first = await sendSchoolMail(capped, campaign.id);
    expect(first.messages.map((m) => m.outcome).sort()).toEqual(["deferred", "sent"]);
    const sameDay = await sendSchoolMail(capped, campaign.id);
    expect(sameDay.messages.filter((m) => m.outcome === "sent")).toHaveLength(0);
    const nextDay = new Date(day.getTime() + 25 * 3_600_000);
    const later = await sendSchoolMail({ ...sending({ clock: () => nextDay }), dailyLimit: 1 }, campaign.id);
    expect(later.messages.filter((m) => m.outcome === "sent")).toHaveLength(1);
    expect(smtp.messages).toHaveLength(2);
  });
});

describe("Google: Drive for the PDFs, Gmail for the mail", () => {
  let google: MailDriveServer;
  beforeAll(async () => {
    google = await startMailDriveServer();
  });
  afterAll(() => google.close());

  it("stores the PDF in the Drive folder, links it, and sends through users.messages.send", async () => {
    const campaign = await campaignWithResults();
    const folderId = google.addFolder("Báo cáo điển hình");
    const files = driveReportStore(folderId, { rootUrl: google.url, auth: localAuth() });
    await renderSchoolReports(deps({ files }), campaign.id, { codes: [th1.code] });
    const doc = (await testStore().states.load(campaign.id)).get(th1.code);
    expect(doc?.reportUrl).toMatch(new RegExp(`^${google.url}/file/d/`, "u"));
    // The Word copy, converted by Drive: a Google Doc.
    expect(doc?.reportDocxUrl).toMatch(new RegExp(`^${google.url}/document/d/.+/edit$`, "u"));
    const stored = [...google.files.values()].find((f) => f.parents?.includes(folderId));
    expect(stored?.content.subarray(0, 5).toString()).toBe("%PDF-");

    const transport = gmailTransport({
      sender: "phong@test.example",
      auth: localAuth(),
      rootUrl: google.url,
    });
    await sendSchoolMail({ ...deps({ files }), transport, backoffMs: 5 }, campaign.id);
    await sendSchoolMail({ ...deps({ files }), transport, backoffMs: 5 }, campaign.id);
    const raws = google.messages.map((m) => m.raw.toString("utf8"));
    // Two messages per school, each with all its addresses in To: its acknowledgement, then its
    // documents (the one with an attachment).
    expect(raws).toHaveLength(4);
    expect(raws.filter((r) => r.includes("Content-Type: application/pdf"))).toHaveLength(2);
    expect(raws.some((r) => r.includes(`To: ${th1.emails.join(", ")}`))).toBe(true);
    expect(raws.some((r) => /Subject: =\?UTF-8\?/u.test(r))).toBe(true);
  });
});
