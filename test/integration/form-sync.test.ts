import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliverDeps, type DeliverRun, deliverCampaign } from "../../functions/src/app/deliver.js";
import { ingestResponses } from "../../functions/src/app/intake.js";
import { type Campaign, FORM_KINDS } from "../../functions/src/domain/campaign.js";
import { schoolOption } from "../../functions/src/domain/form-spec.js";
import type { School } from "../../functions/src/domain/school.js";
import { googleFormsGateway, localAuth } from "../../functions/src/infra/google/forms.js";
import { fileTransport } from "../../functions/src/infra/mail/mailer.js";
import { localReportStore } from "../../functions/src/infra/report-store.js";
import { loadTemplates, type Templates } from "../../functions/src/infra/templates.js";
import {
  type FormsServer,
  formResponse,
  makeCampaign,
  PASSING_DOSSIER,
  SCHOOLS,
  specBindings,
  startFormsServer,
  testDeps,
  testStore,
} from "../kit/index.js";

/**
 * Issue 16, item 3: the delivery job brings every form's school drop-down in line with the registry
 * (local Forms server, emulator): a school added appears, a school removed goes (its response stays
 * stored), a run with nothing new calls the Forms API not at all, and a failure is logged and
 * finished by the next run without stopping delivery.
 */
const TZ = "Asia/Ho_Chi_Minh";
const NOW = new Date("2026-11-10T02:00:00.000Z");
const [mn1, th1, cs1] = SCHOOLS as [School, School, School];
const added: School = {
  code: "T-TH9",
  name: "Trường Tiểu học Bình Minh",
  levels: ["tieu-hoc"],
  commune: "Nhơn Đức",
  ownership: "cong-lap",
  emails: ["th9@test.example"],
};

let forms: FormsServer;
let templates: Templates;
let dir: string;
beforeAll(async () => {
  forms = await startFormsServer();
  templates = await loadTemplates();
  dir = await mkdtemp(join(tmpdir(), "dienhinh-form-sync-"));
});
afterAll(() => forms.close());

const gateway = () => googleFormsGateway({ rootUrl: forms.url, auth: localAuth() });
const job = (): DeliverDeps => ({
  ...testDeps({ clock: () => NOW }),
  forms: gateway(),
  renderer: { render: () => Promise.reject(new Error("nothing to render in these tests")) },
  templates,
  files: localReportStore(join(dir, "reports")),
  timeZone: TZ,
  transport: fileTransport(join(dir, "outbox")),
});
const deliver = async (campaign: Campaign) => {
  const run = await deliverCampaign(job(), await testStore().campaigns.get(campaign.id));
  expect(run.delivered).toBe(true);
  return run as Extract<DeliverRun, { delivered: true }>;
};

/** The school drop-down of each of the campaign's forms, as the Forms server holds it. */
const schoolLists = (campaign: Campaign) =>
  FORM_KINDS.map((kind) => {
    const items = forms.forms.get(campaign.forms[kind]?.formId ?? "")?.items ?? [];
    const question = items[0] as {
      questionItem: { question: { choiceQuestion: { options: Array<{ value: string }> } } };
    };
    return question.questionItem.question.choiceQuestion.options.map((o) => o.value);
  });
const formCalls = (campaign: Campaign) => {
  const ids = Object.values(campaign.forms).map((f) => f.formId);
  return forms.requests.filter((r) => ids.some((id) => r.path.startsWith(`/v1/forms/${id}`)));
};

describe("the forms' school lists follow the registry at each delivery", () => {
  it("adds a new school, drops a removed one (its response kept), and calls nothing when nothing changed", async () => {
    const campaign = await makeCampaign({ forms: gateway() });
    await ingestResponses(testDeps({ clock: () => NOW }), campaign, "dossier", [
      formResponse(specBindings("dossier"), cs1, PASSING_DOSSIER, {
        responseId: "cs1-ho-so",
        email: cs1.emails[0] ?? null,
        lastSubmittedTime: "2026-11-09T01:00:00.000Z",
      }),
    ]);
    // Set up with this registry: no list to change (the first run applies the calendar's windows,
    // the second calls nothing).
    expect((await deliver(campaign)).schoolLists).toEqual([]);
    const before = formCalls(campaign).length;
    expect((await deliver(campaign)).schoolLists).toEqual([]);
    expect(formCalls(campaign).length).toBe(before);

    // The registry changes (the sheet's tab, or setup --registry): T-TH9 in, T-CS1 out.
    await testStore().schools.replace(campaign.id, [mn1, th1, added]);
    const mark = formCalls(campaign).length;
    const run = await deliver(campaign);
    expect(run.schoolLists.map((c) => [c.form, c.added, c.removed, c.error])).toEqual(
      FORM_KINDS.map((kind) => [kind, [schoolOption(added)], [schoolOption(cs1)], undefined]),
    );
    const wanted = [mn1, th1, added].map(schoolOption);
    expect(schoolLists(campaign)).toEqual(FORM_KINDS.map(() => wanted));
    // Only that question's options changed, each with one updateItem.
    const updates = formCalls(campaign)
      .slice(mark)
      .filter((r) => r.method !== "GET");
    expect(updates).toHaveLength(3);
    for (const u of updates)
      expect(u.body).toEqual({
        requests: [
          {
            updateItem: expect.objectContaining({
              location: { index: 0 },
              updateMask: "questionItem.question.choiceQuestion.options",
            }),
          },
        ],
      });
    const log = await testStore().events.recent(campaign.id, 20);
    expect(log.filter((e) => e.kind === "Danh sách trường").map((e) => e.message)).toContain(
      `Danh sách trường trên biểu mẫu Hồ sơ công nhận (tháng 11): thêm 1 trường (${schoolOption(added)}); bỏ 1 trường (${schoolOption(cs1)})`,
    );
    // T-CS1's response stays stored, read as it was.
    const kept = await testStore().submissions.list(campaign.id, { responseId: "cs1-ho-so" });
    expect(kept.map((s) => [s.schoolCode, s.disposition])).toEqual([[cs1.code, "accepted"]]);

    // Nothing new: no call at all.
    const calls = formCalls(campaign).length;
    expect((await deliver(campaign)).schoolLists).toEqual([]);
    expect(formCalls(campaign).length).toBe(calls);
  }, 40_000);

  it("logs a form it could not change, delivers anyway, and finishes it at the next run", async () => {
    const campaign = await makeCampaign({ forms: gateway() });
    await testStore().schools.replace(campaign.id, [...SCHOOLS, added]);
    forms.failNext(1, 403); // the first form's read is refused (e.g. the job is not its editor)
    const failed = await deliver(campaign);
    expect(failed.schoolLists.map((c) => [c.form, Boolean(c.error)])).toEqual([
      ["registration", true],
      ["dossier", false],
      ["incident", false],
    ]);
    const log = await testStore().events.recent(campaign.id, 20);
    expect(log.find((e) => e.kind === "Lỗi")?.message).toMatch(
      /^Chưa cập nhật được danh sách trường trên biểu mẫu Đăng ký.*lần chạy sau sẽ thử lại\.$/u,
    );
    expect(schoolLists(campaign)[0]).not.toContain(schoolOption(added));
    const next = await deliver(campaign);
    expect(next.schoolLists.map((c) => [c.form, c.added, c.error])).toEqual([
      ["registration", [schoolOption(added)], undefined],
    ]);
    expect(schoolLists(campaign)).toEqual(FORM_KINDS.map(() => [...SCHOOLS, added].map(schoolOption)));
  });
});
