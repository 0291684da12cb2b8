import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SAMPLE_OFFICE_FILE } from "../../functions/src/data/office-file.js";
import { type Campaign, FORM_KINDS } from "../../functions/src/domain/campaign.js";
import type { FormItem } from "../../functions/src/domain/form-spec.js";
import { readFormResponse } from "../../functions/src/domain/intake.js";
import type { School } from "../../functions/src/domain/school.js";
import {
  captureCli,
  defaultSet,
  type FormsServer,
  fixture,
  formResponse,
  formSpec,
  type GoogleServers,
  PASSING_DOSSIER,
  revisedSet,
  startGoogleServers,
  testStore,
  uniqueId,
} from "../kit/index.js";

/**
 * Issue 16, item 3, through the command line against the local Google servers and the emulator:
 * a school typed into the sheet's registry tab reaches every form's drop-down at the next `sync`
 * (and a second sync calls the Forms API not at all), a row deleted there leaves them; `setup
 * --registry` drops a school from them;
 * `setup --criteria` on a running campaign re-creates exactly the questions the change affects, and
 * an answer stored before the change reads the same after it.
 */
let google: GoogleServers;
let forms: FormsServer;
beforeAll(async () => {
  google = await startGoogleServers();
  forms = google.forms;
});
afterAll(() => google.close());

const env = () => ({
  FIRESTORE_EMULATOR_HOST: inject("firestoreHost"),
  DIENHINH_GOOGLE_ROOT_URL: google.url,
  DIENHINH_SHEETS_INTERVAL_MS: "0",
});
const cli = (argv: string[]) => captureCli(argv, env());
const registry = fixture("registry-small.csv");
const stored = (id: string): Promise<Campaign> => testStore().campaigns.get(id);

const setUp = async () => {
  const id = uniqueId("formsync");
  const first = await cli([
    "setup",
    "--campaign",
    id,
    "--registry",
    registry,
    "--office",
    SAMPLE_OFFICE_FILE,
    "--school-year",
    "2026-2027",
  ]);
  expect(first.code).toBe(0);
  return { id, campaign: await stored(id) };
};

/** The codes each form's school drop-down lists, in the order of FORM_KINDS. */
const listedCodes = (campaign: Campaign) =>
  FORM_KINDS.map((kind) => {
    const items = (forms.forms.get(campaign.forms[kind]?.formId ?? "")?.items ?? []) as FormItem[];
    const school = items.find((i) => i.title === "Trường (đơn vị)");
    return school?.questionItem?.question.choiceQuestion?.options.map((o) => o.value.split(" – ")[0]);
  });
/** Calls on the forms themselves (reads and changes), not on their responses (which sync pulls). */
const formCalls = (campaign: Campaign) =>
  forms.requests.filter((r) =>
    Object.values(campaign.forms).some(
      (f) => r.path === `/v1/forms/${f.formId}` || r.path === `/v1/forms/${f.formId}:batchUpdate`,
    ),
  );

describe("the forms' school list follows the registry", () => {
  it("takes a school typed into the registry tab at the next sync, drops one deleted there, and one setup --registry removes", async () => {
    const { id, campaign } = await setUp();
    expect(listedCodes(campaign)).toEqual(FORM_KINDS.map(() => ["T-MN1", "T-TH1", "T-CS1"]));
    const spreadsheetId = campaign.spreadsheetId ?? "";
    const rows = google.sheets.values(spreadsheetId, "Danh sách trường").length;
    google.sheets.setValues(spreadsheetId, `'Danh sách trường'!A${rows + 1}`, [
      ["T-TH9", "Trường Tiểu học Mới", "Tiểu học", "Phú Xuân", "Công lập", "th9@test.example"],
    ]);
    const synced = await cli(["sync", "--campaign", id]);
    expect(synced.code).toBe(0);
    expect(listedCodes(campaign)).toEqual(FORM_KINDS.map(() => ["T-MN1", "T-TH1", "T-CS1", "T-TH9"]));
    expect(synced.out).toContain("Danh sách trường trên biểu mẫu Hồ sơ công nhận (tháng 11): thêm 1, bỏ 0");

    // The next cycle: the registry is the one the lists follow; the Forms API is not called.
    const calls = formCalls(campaign).length;
    const again = await cli(["sync", "--campaign", id]);
    expect(again.code).toBe(0);
    expect(again.out).not.toContain("Danh sách trường trên biểu mẫu");
    expect(formCalls(campaign).length).toBe(calls);

    // The clerk deletes T-TH9's row from the tab: it leaves the registry and every list at the next
    // sync (what it sent would stay stored), and Nhật ký says how to bring it back.
    const typed = google.sheets.values(spreadsheetId, "Danh sách trường");
    const th9 = typed.findIndex((r) => r[0] === "T-TH9");
    google.sheets.setValues(spreadsheetId, `'Danh sách trường'!A${th9 + 1}:F${th9 + 1}`, [
      ["", "", "", "", "", ""],
    ]);
    const deleted = await cli(["sync", "--campaign", id]);
    expect(deleted.code).toBe(0);
    expect(deleted.out).toContain("1 trường bỏ khỏi danh sách");
    expect(listedCodes(campaign)).toEqual(FORM_KINDS.map(() => ["T-MN1", "T-TH1", "T-CS1"]));
    expect([...(await testStore().schools.load(id)).keys()].sort()).toEqual(["T-CS1", "T-MN1", "T-TH1"]);
    expect(google.sheets.values(spreadsheetId, "Theo dõi").some((r) => r[0] === "T-TH9")).toBe(false);
    expect((await testStore().events.recent(id, 30)).map((e) => e.message)).toContainEqual(
      expect.stringContaining("Bỏ trường khỏi danh sách: Trường Tiểu học Mới"),
    );

    // A registry file without T-CS1: it leaves every list, at once.
    const smaller = join(await mkdtemp(join(tmpdir(), "dienhinh-formsync-")), "truong.csv");
    await writeFile(
      smaller,
      (await readFile(registry, "utf8"))
        .split("\n")
        .filter((l) => !l.startsWith("T-CS1"))
        .join("\n"),
    );
    const setup = await cli(["setup", "--campaign", id, "--registry", smaller]);
    expect(setup.code).toBe(0);
    expect(setup.out).toContain("danh sách trường: thêm 0, bỏ 1");
    expect(listedCodes(campaign)).toEqual(FORM_KINDS.map(() => ["T-MN1", "T-TH1"]));
    const log = await testStore().events.recent(id, 30);
    expect(
      log.filter(
        (e) => e.kind === "Danh sách trường" && e.message.startsWith("Danh sách trường trên biểu mẫu"),
      ),
    ).toHaveLength(9);
  }, 60_000);
});

describe("a criteria change on a running campaign", () => {
  it("re-creates exactly the questions it affects, and answers before it read the same after it", async () => {
    const { id, campaign } = await setUp();
    const dossier = campaign.forms.dossier;
    const formId = dossier?.formId ?? "";
    const oldBindings = dossier?.bindings ?? [];
    const th1 = (await testStore().schools.load(id)).get("T-TH1") as School;
    const sent = (
      responseId: string,
      minutesAgo: number,
      answers: Record<string, string | [string, string]>,
    ) =>
      forms.addResponse(formId, {
        ...formResponse(oldBindings, th1, answers, {
          responseId,
          email: th1.emails[0] ?? null,
          lastSubmittedTime: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
        }),
      } as never);
    sent("truoc", 60, PASSING_DOSSIER);
    expect((await cli(["sync", "--campaign", id])).code).toBe(0);
    const [before] = await testStore().submissions.list(id, { responseId: "truoc" });
    const itemsBefore = structuredClone(forms.forms.get(formId)?.items ?? []) as FormItem[];
    // Sent to the old form, read only after the change.
    const { "2.3": _, "6.2": __, ...late } = PASSING_DOSSIER;
    sent("muon", 30, late);

    const file = join(await mkdtemp(join(tmpdir(), "dienhinh-criteria-")), "tieu-chi.yaml");
    await writeFile(file, JSON.stringify(revisedSet()));
    const setup = await cli(["setup", "--campaign", id, "--criteria", file]);
    expect(setup.code).toBe(0);
    const line = (sign: string) =>
      setup.out
        .split("\n")
        .filter((l) => l.startsWith(`    ${sign} `))
        .map((l) => l.replace(/:.*$/u, ""));
    // Dossier: 2 created, 4 changed (1.5's help, 2.3's kind, 5.2's options), 1 removed; the incident
    // form's kinds (2.4 in, 6.2 out); the registration form untouched.
    expect(line("+")).toEqual(["    + câu hỏi mới"]);
    expect(line("-")).toEqual(["    - câu hỏi đã bỏ"]);
    expect(line("~")).toEqual(["    ~ câu hỏi đã sửa", "    ~ câu hỏi đã sửa"]);
    expect(setup.out).toMatch(/\+ câu hỏi mới: 2\.3\. Minh chứng: [^|]+ \| 2\.4\. /u);
    expect(setup.out).toMatch(/- câu hỏi đã bỏ: 6\.2\. /u);
    expect(setup.out).toContain("~ câu hỏi đã sửa: Loại vụ việc");

    // The form asks what the new criteria ask; every question the change does not touch keeps its id.
    const itemsAfter = (forms.forms.get(formId)?.items ?? []) as FormItem[];
    expect(itemsAfter.map((i) => i.title)).toEqual(
      formSpec("dossier", revisedSet()).items.map((i) => i.title),
    );
    const idOf = (items: FormItem[], title?: string) =>
      items.find((i) => i.title === title)?.questionItem?.question.questionId;
    const touched = /^(1\.5|2\.3|5\.2|6\.2)\. /u;
    for (const item of itemsBefore.filter((i) => i.questionItem && !touched.test(i.title ?? "")))
      expect(idOf(itemsAfter, item.title)).toBe(item.questionItem?.question.questionId);
    const registration = campaign.forms.registration?.formId ?? "";
    expect(forms.requests.filter((r) => r.path === `/v1/forms/${registration}:batchUpdate`)).toHaveLength(1); // its creation

    // The answer stored before reads the same: as stored, and read again with the new bindings.
    const after = await stored(id);
    const [kept] = await testStore().submissions.list(id, { responseId: "truoc" });
    expect(kept).toEqual(before);
    const answers = JSON.parse(before?.answersJson ?? "{}");
    const reread = readFormResponse(JSON.parse(before?.rawJson ?? "null"), {
      stage: "dossier",
      set: after.criteriaSet,
      bindings: after.forms.dossier?.bindings ?? [],
      schools: await testStore().schools.load(id),
      receivedAt: new Date().toISOString(),
    }).answers;
    const { "2.3": _23, "6.2": _62, ...unchanged } = answers;
    expect(Object.keys(unchanged)).toContain("5.2");
    expect(Object.fromEntries(Object.entries(reread).filter(([k]) => k !== "2.3"))).toEqual(unchanged);

    // The late response, to the old questions, is pulled and read as before.
    expect((await cli(["sync", "--campaign", id])).code).toBe(0);
    const [lateRead] = await testStore().submissions.list(id, { responseId: "muon" });
    expect(lateRead?.disposition).toBe("accepted");
    expect(JSON.parse(lateRead?.answersJson ?? "{}")).toEqual(unchanged);
    expect(defaultSet().version).not.toBe(after.criteriaSet.version);
  }, 90_000);

  it("revises the forms at the next setup when score --criteria changed the set without them", async () => {
    const { id, campaign } = await setUp();
    const formId = campaign.forms.dossier?.formId ?? "";
    const titles = () => ((forms.forms.get(formId)?.items ?? []) as FormItem[]).map((i) => i.title);
    const asked = titles();
    const file = join(await mkdtemp(join(tmpdir(), "dienhinh-criteria-")), "tieu-chi.yaml");
    await writeFile(file, JSON.stringify(revisedSet()));
    const scored = await cli(["score", "--campaign", id, "--criteria", file]);
    expect(scored.code).toBe(0);
    expect(scored.out).toContain(`chạy dienhinh setup --campaign ${id} để cập nhật`);
    expect(titles()).toEqual(asked);
    expect((await stored(id)).formsCriteriaSet?.version).toBe(defaultSet().version);

    const setup = await cli(["setup", "--campaign", id]);
    expect(setup.code).toBe(0);
    expect(setup.out).toMatch(/\+ câu hỏi mới: 2\.3\. Minh chứng: [^|]+ \| 2\.4\. /u);
    expect(titles()).toEqual(formSpec("dossier", revisedSet()).items.map((i) => i.title));
    expect((await stored(id)).formsCriteriaSet).toBeUndefined();
    // Once revised, setup again changes no question.
    const again = await cli(["setup", "--campaign", id]);
    expect(again.out).not.toMatch(/câu hỏi (mới|đã sửa|đã bỏ)/u);
  }, 90_000);
});
