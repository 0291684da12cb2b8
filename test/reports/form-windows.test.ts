import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCampaignView } from "../../functions/src/app/campaign-view.js";
import { type DeliverDeps, type DeliverRun, deliverCampaign } from "../../functions/src/app/deliver.js";
import { applyFormWindows } from "../../functions/src/app/form-windows.js";
import { ingestResponses, pullResponses } from "../../functions/src/app/intake.js";
import { extensionsOf } from "../../functions/src/domain/calendar.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import { latenessOf } from "../../functions/src/domain/lateness.js";
import type { School } from "../../functions/src/domain/school.js";
import { fromWallClock } from "../../functions/src/domain/time.js";
import { googleFormsGateway, localAuth } from "../../functions/src/infra/google/forms.js";
import { fileTransport } from "../../functions/src/infra/mail/mailer.js";
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
  specBindings,
  startFormsServer,
  TEST_CALENDAR,
  testDeps,
  testStore,
} from "../kit/index.js";

/**
 * The forms open and close by the calendar, through the local Forms API server: the delivery job
 * closes the dossier form the day after Hạn nộp hồ sơ, with the notice, reopens it when the office
 * extends a school's deadline, and calls the API only on a change. A school answering the reopened
 * form past its own deadline is kept and marked late, never dropped.
 */
const TZ = "Asia/Ho_Chi_Minh";
let forms: FormsServer;
let renderer: PdfRenderer;
let templates: Templates;
let dir: string;
beforeAll(async () => {
  forms = await startFormsServer();
  renderer = new PdfRenderer({ pages: 1 });
  templates = await loadTemplates();
  dir = await mkdtemp(join(tmpdir(), "dienhinh-form-windows-"));
});
afterAll(async () => {
  await renderer.close();
  await forms.close();
});

const [mn1, th1, cs1] = SCHOOLS as [School, School, School];
/** A wall-clock time in Ho Chi Minh City ("2026-11-16T01:00"). */
const at = (local: string) => fromWallClock(new Date(`${local}:00Z`), TZ);
const gateway = () => googleFormsGateway({ rootUrl: forms.url, auth: localAuth() });

/** A campaign with its forms on the local server (dossiers 1–15/11/2026), every school registered. */
const campaignWithForms = async () => {
  const campaign = await makeCampaign({ forms: gateway() });
  expect(campaign.calendar).toEqual(TEST_CALENDAR);
  const registering = testDeps({ clock: () => at("2026-11-01T08:00") });
  for (const school of SCHOOLS)
    await ingestResponses(registering, campaign, "registration", [
      formResponse(specBindings("registration"), school, PASSING_REGISTRATION, {
        email: school.emails[0] ?? null,
        lastSubmittedTime: "2026-03-01T01:00:00.000Z",
      }),
    ]);
  const dossier = campaign.forms.dossier?.formId as string;
  return { campaign, dossier, description: forms.forms.get(dossier)?.info.description as string };
};

const jobOn = (local: string): DeliverDeps => ({
  ...testDeps({ clock: () => at(local) }),
  forms: gateway(),
  renderer,
  templates,
  files: localReportStore(join(dir, "reports")),
  timeZone: TZ,
  transport: fileTransport(join(dir, "outbox")),
});

const deliver = async (campaign: Campaign, local: string) => {
  const run = await deliverCampaign(jobOn(local), campaign);
  expect(run.delivered).toBe(true);
  return (run as Extract<DeliverRun, { delivered: true }>).forms;
};

/** A school sends its dossier through the form's page at a local time; the job pulls it in. */
const send = async (campaign: Campaign, dossier: string, school: School, local: string) => {
  const taken = forms.submit(dossier, {
    ...formResponse(specBindings("dossier"), school, PASSING_DOSSIER, {
      email: school.emails[0] ?? null,
      lastSubmittedTime: at(local).toISOString(),
    }),
  } as never);
  const pulling = testDeps({ clock: () => at(local), forms: gateway() });
  if (taken) await pullResponses(pulling, await testStore().campaigns.get(campaign.id), "dossier");
  return taken;
};

const publishCalls = (formId: string) =>
  forms.requests.filter((r) => r.path === `/v1/forms/${formId}:setPublishSettings`).length;

describe("the forms open and close by the calendar", () => {
  it("closes the dossier form after the deadline, reopens it for an extension, and keeps a late response marked", async () => {
    const { campaign, dossier, description } = await campaignWithForms();
    const registration = campaign.forms.registration?.formId as string;
    expect(description.length).toBeGreaterThan(0);

    // Within the window: the dossier form stays open (no call); the registration form, past its
    // quarter, is closed.
    const during = await deliver(campaign, "2026-11-10T09:00");
    expect(during.map((c) => [c.stage, c.accepting])).toEqual([["registration", false]]);
    expect(forms.accepting(dossier)).toBe(true);
    expect(forms.accepting(registration)).toBe(false);
    expect(publishCalls(dossier)).toBe(1); // the one setup made to publish it
    expect(await send(campaign, dossier, th1, "2026-11-10T10:00")).toBe(true);

    // The day after Hạn nộp hồ sơ: closed, with the notice on top of its own description.
    const after = await deliver(campaign, "2026-11-16T00:30");
    expect(after.map((c) => [c.stage, c.accepting, c.error])).toEqual([["dossier", false, undefined]]);
    expect(forms.accepting(dossier)).toBe(false);
    expect(forms.forms.get(dossier)?.info.description).toBe(
      "Biểu mẫu đã đóng từ ngày 16/11/2026 (hạn cuối 15/11/2026); trường cần gia hạn hoặc cần bổ sung hồ sơ " +
        `xin liên hệ Phòng Giáo dục và Đào tạo huyện Nhà Bè (phong@test.example).\n\n${description}`,
    );
    // Running again changes nothing and calls nothing.
    const before = forms.requests.length;
    expect(await deliver(campaign, "2026-11-16T08:00")).toEqual([]);
    expect(forms.requests.length).toBe(before);
    expect(publishCalls(dossier)).toBe(2);
    // The closed form refuses a school's response, as Google's page does.
    expect(await send(campaign, dossier, cs1, "2026-11-16T09:00")).toBe(false);

    // The office extends T-MN1's deadline (Gia hạn tab): the form reopens, its own description back.
    await testStore().campaigns.setExtensions(campaign.id, [
      { school: mn1.code, deadline: "dossier", until: "2026-11-20", reason: "Trường bị ngập" },
    ]);
    const reopened = await deliver(campaign, "2026-11-17T07:00");
    expect(reopened.map((c) => [c.stage, c.accepting])).toEqual([["dossier", true]]);
    expect(reopened[0]?.message).toContain("T-MN1 được gia hạn đến 20/11/2026");
    expect(forms.accepting(dossier)).toBe(true);
    expect(forms.forms.get(dossier)?.info.description).toBe(description);
    expect(publishCalls(dossier)).toBe(3);

    // T-CS1 had no extension: its dossier through the reopened form is kept, and marked late.
    expect(await send(campaign, dossier, cs1, "2026-11-17T10:00")).toBe(true);
    expect(await send(campaign, dossier, mn1, "2026-11-19T10:00")).toBe(true);
    const view = await loadCampaignView(testStore(), campaign.id);
    const lateOf = (school: School) =>
      latenessOf(
        view.stored.get(school.code)?.state.latest ?? {},
        TEST_CALENDAR,
        extensionsOf(view.campaign.extensions, school.code),
        TZ,
      );
    expect(view.stored.get(cs1.code)?.state.latest.dossier).toBeDefined();
    expect(lateOf(cs1)).toEqual([
      { stage: "dossier", deadline: "dossier", due: "2026-11-15", sent: "2026-11-17", daysLate: 2 },
    ]);
    expect(lateOf(mn1)).toEqual([]);
    expect(lateOf(th1)).toEqual([]);

    // Past the extension: closed again, since the 21st.
    const closedAgain = await deliver(campaign, "2026-11-21T00:10");
    expect(closedAgain.map((c) => [c.stage, c.accepting])).toEqual([["dossier", false]]);
    expect(forms.forms.get(dossier)?.info.description).toContain("Biểu mẫu đã đóng từ ngày 21/11/2026");

    const log = await testStore().events.recent(campaign.id, 50);
    expect(log.filter((e) => e.kind === "Đóng biểu mẫu").map((e) => e.message)).toEqual([
      "Đóng biểu mẫu Hồ sơ công nhận (tháng 11): đã hết hạn ngày 20/11/2026",
      "Đóng biểu mẫu Hồ sơ công nhận (tháng 11): đã hết hạn ngày 15/11/2026",
      "Đóng biểu mẫu Đăng ký (quý I): đã hết hạn ngày 31/03/2026",
    ]);
    expect(log.filter((e) => e.kind === "Mở biểu mẫu")).toHaveLength(1);
  });

  it("leaves a form the API would not change for the next run, without stopping the rest", async () => {
    const { campaign, dossier } = await campaignWithForms();
    const deps = jobOn("2026-11-16T08:00");
    // The registration form first: it closes; then the dossier form's read fails.
    await applyFormWindows(jobOn("2026-11-10T08:00"), campaign.id);
    forms.failNext(1, 403); // e.g. the job's account is not an editor of the form
    const failed = await applyFormWindows(deps, campaign.id);
    expect(failed).toEqual([
      expect.objectContaining({ stage: "dossier", accepting: false, error: expect.any(String) }),
    ]);
    expect(forms.accepting(dossier)).toBe(true);
    const log = await testStore().events.recent(campaign.id, 20);
    expect(log.find((e) => e.kind === "Lỗi")?.message).toMatch(
      /^Chưa đóng được biểu mẫu .*lần chạy sau sẽ thử lại\.$/u,
    );
    // The next run closes it.
    const next = await applyFormWindows(deps, campaign.id);
    expect(next.map((c) => [c.stage, c.accepting, c.error])).toEqual([["dossier", false, undefined]]);
    expect(forms.accepting(dossier)).toBe(false);
  });

  it("reads a form it never changed (set up before, or adopted) and changes it only if it must", async () => {
    const { campaign, dossier } = await campaignWithForms();
    const state = forms.forms.get(dossier)?.publishSettings.publishState;
    if (state) state.isAcceptingResponses = false; // closed by hand in the Forms editor
    const first = await applyFormWindows(jobOn("2026-11-10T08:00"), campaign.id);
    expect(first.map((c) => [c.stage, c.accepting])).toEqual([
      ["registration", false],
      ["dossier", true],
    ]);
    expect(forms.accepting(dossier)).toBe(true);
    // Both states are now known: the next run reads nothing and calls nothing.
    const before = forms.requests.length;
    expect(await applyFormWindows(jobOn("2026-11-11T08:00"), campaign.id)).toEqual([]);
    expect(forms.requests.length).toBe(before);
  });
});
