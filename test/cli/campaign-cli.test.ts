import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_CRITERIA_FILE } from "../../functions/src/data/criteria-file.js";
import { SAMPLE_OFFICE_FILE } from "../../functions/src/data/office-file.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import type { FormSpec } from "../../functions/src/domain/form-spec.js";
import { googleFormsGateway, localAuth } from "../../functions/src/infra/google/forms.js";
import {
  captureCli,
  type FormsServer,
  fixture,
  formResponse,
  type GoogleServers,
  PASSING_DOSSIER,
  PASSING_REGISTRATION,
  startGoogleServers,
  testStore,
  uniqueId,
} from "../kit/index.js";

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
const registry = fixture("registry-small.csv");
/** A new campaign is given the office's profile (setup refuses to take the sample's by default). */
const office = SAMPLE_OFFICE_FILE;

const cli = (argv: string[], environment: Record<string, string | undefined> = env()) =>
  captureCli(argv, environment);

const storedCampaign = async (id: string): Promise<Campaign> => testStore().campaigns.get(id);

describe("dienhinh form", () => {
  it("prints the dossier form as a Forms API Form: school selector, role, a page per criterion", async () => {
    const { code, out } = await cli([
      "form",
      "--json",
      "--registry",
      registry,
      "--office",
      office,
      "--school-year",
      "2026-2027",
    ]);
    expect(code).toBe(0);
    const spec = JSON.parse(out) as FormSpec;
    expect(spec.settings?.emailCollectionType).toBe("VERIFIED");
    expect(spec.info.title).toContain("năm học 2026-2027");
    const [school, name, role] = spec.items;
    expect(school?.questionItem?.question.choiceQuestion).toMatchObject({
      type: "DROP_DOWN",
      options: [
        { value: "T-MN1 – Trường Mầm non Ánh Sao" },
        { value: "T-TH1 – Trường Tiểu học Đồng Khởi" },
        { value: "T-CS1 – Trường THCS Dương Bá Trạc" },
      ],
    });
    expect(name?.title).toBe("Họ và tên người khai");
    expect(role?.questionItem?.question.choiceQuestion?.options.map((o) => o.value)).toEqual([
      "Hiệu trưởng",
      "Phó Hiệu trưởng",
      "Cán bộ được phân công",
    ]);
    expect(spec.items.filter((i) => i.pageBreakItem).map((i) => i.title?.split(".")[0])).toEqual([
      "Tiêu chí 1",
      "Tiêu chí 2",
      "Tiêu chí 3",
      "Tiêu chí 4",
      "Tiêu chí 5",
      "Tiêu chí 6",
    ]);
    const item = (title: string) =>
      spec.items.find((i) => i.title?.startsWith(title))?.questionItem?.question;
    expect(item("1.5. ")?.textQuestion).toEqual({});
    expect(item("5.2. ")?.choiceQuestion?.options.map((o) => o.value)).toContain(
      "Đơn vị không có lực lượng bảo vệ",
    );
    expect(item("2.1. Đơn vị")?.choiceQuestion?.options.map((o) => o.value)).toEqual(["Có", "Không"]);
    expect(item("2.1. Minh chứng")?.textQuestion).toEqual({ paragraph: true });
    expect(spec.items.find((i) => i.title?.startsWith("1.5. "))?.description).toContain(
      "Yêu cầu: Từ 100% trở lên.",
    );
    expect(item("1.1. ")).toBeUndefined(); // asked at registration
  });

  it("asks only the registration indicators on the registration form", async () => {
    const spec = JSON.parse(
      (
        await cli([
          "form",
          "--json",
          "--stage",
          "registration",
          "--registry",
          registry,
          "--office",
          office,
          "--school-year",
          "2026-2027",
        ])
      ).out,
    ) as FormSpec;
    const ids = spec.items.flatMap((i) =>
      /^(\d\.\d)\. /u.exec(i.title ?? "")?.[1] ? [i.title?.slice(0, 3)] : [],
    );
    expect([...new Set(ids)]).toEqual(["1.1", "1.2", "1.3"]);
  });

  it("refuses an unknown stage with exit code 2", async () => {
    expect((await cli(["form", "--stage", "thang-11"])).code).toBe(2);
  });
});

describe("dienhinh setup and import", () => {
  it("creates both forms and the tracking sheet through Google's APIs; running it again keeps them", async () => {
    const id = uniqueId("cli");
    const first = await cli([
      "setup",
      "--campaign",
      id,
      "--registry",
      registry,
      "--office",
      office,
      "--school-year",
      "2026-2027",
      "--topic",
      "projects/demo-dienhinh/topics/form-responses",
      "--share",
      "dienhinh-runtime@demo.iam.gserviceaccount.com, canbo@pgd.example.edu.vn",
    ]);
    expect(first.code).toBe(0);
    expect(first.out).toContain("(created)");
    expect(first.out).toContain("Bảng theo dõi: đã tạo");
    const campaign = await storedCampaign(id);
    const dossier = campaign.forms.dossier;
    expect(dossier?.bindings.filter((b) => b.role === "value")).toHaveLength(19);
    expect(dossier?.watch?.topicName).toBe("projects/demo-dienhinh/topics/form-responses");
    const stored = forms.forms.get(dossier?.formId ?? "");
    expect(stored?.settings).toEqual({ emailCollectionType: "VERIFIED" });
    // Published and open, or the schools could not answer (API-created forms start unpublished).
    for (const form of Object.values(campaign.forms))
      expect(forms.forms.get(form.formId)?.publishSettings.publishState).toEqual({
        isPublished: true,
        isAcceptingResponses: true,
      });
    // Both forms and the sheet are shared, as editors, with everyone --share names (the
    // functions' service account reads the responses; the office edits).
    const shared = (permissions: Array<Record<string, unknown>> | undefined) =>
      (permissions ?? []).filter((p) => p.role === "writer").map((p) => p.emailAddress);
    for (const form of Object.values(campaign.forms))
      expect(shared(forms.forms.get(form.formId)?.permissions)).toEqual([
        "dienhinh-runtime@demo.iam.gserviceaccount.com",
        "canbo@pgd.example.edu.vn",
      ]);
    expect(shared(google.sheets.spreadsheets.get(campaign.spreadsheetId ?? "")?.permissions)).toEqual(
      expect.arrayContaining(["dienhinh-runtime@demo.iam.gserviceaccount.com", "canbo@pgd.example.edu.vn"]),
    );
    const creates = forms.requests.filter((r) => r.method === "POST" && r.path === "/v1/forms").length;
    const again = await cli([
      "setup",
      "--campaign",
      id,
      "--registry",
      registry,
      "--office",
      office,
      "--school-year",
      "2026-2027",
    ]);
    expect(again.out).toContain("(kept)");
    expect(again.out).toContain("Bảng theo dõi: đã kiểm tra");
    const spreadsheetId = (await storedCampaign(id)).spreadsheetId ?? "";
    expect(google.sheets.spreadsheets.get(spreadsheetId)?.sheets.map((s) => s.properties.title)).toEqual([
      "Tổng quan",
      "Điều khiển",
      "Theo dõi",
      "Lịch kiểm tra",
      "Kiểm tra",
      "Quyết định công nhận",
      "Báo cáo",
      "Lịch",
      "Gia hạn",
      "Đôn đốc",
      "Danh sách trường",
      "Tiêu chí",
      "Nhật ký",
      "Hướng dẫn",
    ]);
    expect(google.sheets.values(spreadsheetId, "Theo dõi").map((r) => r[0])).toEqual([
      "Mã trường",
      "T-MN1",
      "T-TH1",
      "T-CS1",
    ]);
    expect(forms.requests.filter((r) => r.method === "POST" && r.path === "/v1/forms").length).toBe(creates);
    expect((await storedCampaign(id)).forms.dossier?.formId).toBe(dossier?.formId);
  });

  it("refuses to create a campaign without its school year, saying how to give it", async () => {
    const refused = await cli([
      "setup",
      "--campaign",
      uniqueId("cli-noyear"),
      "--registry",
      registry,
      "--office",
      office,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("Đợt mới cần năm học của nó: --school-year 2025-2026");
  });

  it("says, when Google refuses the office's credentials, to run setup as the office's own Workspace user", async () => {
    forms.failNext(1, 403);
    const refused = await cli([
      "setup",
      "--campaign",
      uniqueId("cli-403"),
      "--school-year",
      "2025-2026",
      "--registry",
      registry,
      "--office",
      office,
      "--no-sheet",
    ]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("Lệnh này chạy bằng tài khoản Google Workspace của phòng");
  });

  it("refuses a new campaign without the office's own profile and registry, unless told it is a trial (--sample)", async () => {
    const base = ["setup", "--school-year", "2025-2026", "--local"];
    const bare = await cli([...base, "--campaign", uniqueId("cli-bare")]);
    expect(bare.code).toBe(2);
    expect(bare.err).toContain("Đợt mới cần hồ sơ phòng (--office TỆP.yaml");
    expect(bare.err).toContain("và danh sách trường (--registry TỆP: .csv hoặc .xlsx) của phòng");
    expect(bare.err).toContain("thêm --sample");
    const noOffice = await cli([...base, "--campaign", uniqueId("cli-bare"), "--registry", registry]);
    expect([noOffice.code, noOffice.err]).toEqual([2, expect.stringContaining("Đợt mới cần hồ sơ phòng")]);
    expect(noOffice.err).not.toContain("danh sách trường (--registry");
    const id = uniqueId("cli-thu");
    const trial = await cli([...base, "--campaign", id, "--sample"]);
    expect(trial.code).toBe(0);
    expect((await testStore().campaigns.get(id)).office.sample).toBe(true);
  });

  it("keeps the campaign's calendar from --calendar, and keeps it when setup runs again without one", async () => {
    const id = uniqueId("cli-lich");
    const dir = await mkdtemp(join(tmpdir(), "dienhinh-lich-"));
    const file = join(dir, "lich.yaml");
    const lines = [
      "registration: { from: 2026-01-05, to: 2026-03-31 }",
      "dossier: { from: 2026-11-01, to: 2026-11-14 }",
      "fixBy: 2026-11-24",
      "inspection: { from: 2026-11-16, to: 2026-11-28 }",
      "reportDue: 2026-12-05",
    ];
    await writeFile(file, `${lines.join("\n")}\n`);
    const base = ["setup", "--campaign", id, "--registry", registry, "--office", office, "--local"];
    expect((await cli([...base, "--school-year", "2025-2026", "--calendar", file])).code).toBe(0);
    expect((await storedCampaign(id)).calendar).toEqual({
      registration: { from: "2026-01-05", to: "2026-03-31" },
      dossier: { from: "2026-11-01", to: "2026-11-14" },
      fixBy: "2026-11-24",
      inspection: { from: "2026-11-16", to: "2026-11-28" },
      reportDue: "2026-12-05",
      reminderDays: [7, 3, 1],
    });
    expect((await cli(["setup", "--campaign", id, "--local"])).code).toBe(0);
    expect((await storedCampaign(id)).calendar?.fixBy).toBe("2026-11-24");
    // A calendar out of order is refused with its line, and the campaign keeps the one it had.
    await writeFile(file, `${lines.join("\n").replace("fixBy: 2026-11-24", "fixBy: 2026-11-10")}\n`);
    const refused = await cli([...base, "--calendar", file]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("dòng 3");
    expect(refused.err).toContain("hạn bổ sung trước hạn nộp hồ sơ");
    expect((await storedCampaign(id)).calendar?.fixBy).toBe("2026-11-24");
  });

  it("shares the forms with --share even without a tracking sheet (--no-sheet)", async () => {
    const id = uniqueId("cli-nosheet");
    const run = await cli([
      "setup",
      "--campaign",
      id,
      "--registry",
      registry,
      "--office",
      office,
      "--school-year",
      "2025-2026",
      "--no-sheet",
      "--share",
      "canbo@pgd.example.edu.vn",
    ]);
    expect(run.code).toBe(0);
    expect(run.out).not.toContain("Bảng theo dõi");
    expect(run.out).toContain("Biểu mẫu đã chia sẻ (quyền chỉnh sửa) với: canbo@pgd.example.edu.vn");
    const campaign = await storedCampaign(id);
    expect(campaign.spreadsheetId).toBeUndefined();
    for (const form of Object.values(campaign.forms))
      expect(forms.forms.get(form.formId)?.permissions.map((p) => p.emailAddress)).toEqual([
        "canbo@pgd.example.edu.vn",
      ]);
  });

  it("keeps the registry the office keeps in the sheet when setup runs again, unless a registry file is given", async () => {
    const id = uniqueId("reg");
    await cli([
      "setup",
      "--campaign",
      id,
      "--registry",
      registry,
      "--office",
      office,
      "--school-year",
      "2026-2027",
    ]);
    const spreadsheetId = (await storedCampaign(id)).spreadsheetId ?? "";
    const rows = google.sheets.values(spreadsheetId, "Danh sách trường").length;
    google.sheets.setValues(spreadsheetId, `'Danh sách trường'!A${rows + 1}`, [
      ["T-TH9", "Trường Tiểu học Mới", "Tiểu học", "Phú Xuân", "Công lập", "th9@test.example"],
    ]);
    const synced = await cli(["sync", "--campaign", id]);
    expect(synced.out).toContain("1 trường mới");
    const codes = async () => [...(await testStore().schools.load(id)).keys()].sort();
    expect(await codes()).toEqual(["T-CS1", "T-MN1", "T-TH1", "T-TH9"]);

    const again = await cli(["setup", "--campaign", id]);
    expect(again.code).toBe(0);
    expect(await codes()).toEqual(["T-CS1", "T-MN1", "T-TH1", "T-TH9"]);
    expect((await storedCampaign(id)).schoolYear).toBe("2026-2027");

    // A registry file replaces the registry, and the tab is written from it, changed cells too.
    const changed = join(await mkdtemp(join(tmpdir(), "dienhinh-reg-")), "truong.csv");
    await writeFile(
      changed,
      (await readFile(registry, "utf8")).replace("th1@test.example", "moi.th1@test.example"),
    );
    await cli(["setup", "--campaign", id, "--registry", changed]);
    expect(await codes()).toEqual(["T-CS1", "T-MN1", "T-TH1"]);
    const tab = google.sheets.values(spreadsheetId, "Danh sách trường");
    expect(tab.map((r) => r[0])).toEqual(["Mã trường", "T-MN1", "T-TH1", "T-CS1"]);
    expect(String(tab[2]?.[5])).toContain("moi.th1@test.example");
    // ... and the next sync does not take the old email back.
    await cli(["sync", "--campaign", id]);
    expect((await testStore().schools.load(id)).get("T-TH1")?.emails).toContain("moi.th1@test.example");
  });

  it("adopts an existing form by question title and reports what it could not map", async () => {
    const gateway = googleFormsGateway({ rootUrl: forms.url, auth: localAuth() });
    const own = JSON.parse(
      (
        await cli([
          "form",
          "--json",
          "--registry",
          registry,
          "--office",
          office,
          "--school-year",
          "2026-2027",
        ])
      ).out,
    ) as FormSpec;
    // The office's own form: same titles, but typed on a Mac (NFD), ids Google chose, one question dropped, one extra.
    const items = own.items
      .filter((i) => !i.title?.startsWith("6.2."))
      .map((i) => ({
        ...i,
        title: i.title?.normalize("NFD"),
        ...(i.questionItem
          ? { questionItem: { question: { ...i.questionItem.question, questionId: undefined } } }
          : {}),
      }));
    items.push({ title: "Ghi chú thêm", questionItem: { question: { textQuestion: {} } } } as never);
    const existing = await gateway.create({ ...own, items: items as FormSpec["items"] });
    const id = uniqueId("adopt");
    const { code, out } = await cli([
      "setup",
      "--campaign",
      id,
      "--registry",
      registry,
      "--office",
      office,
      "--school-year",
      "2025-2026",
      "--adopt-dossier",
      existing.formId,
    ]);
    expect(code).toBe(0);
    expect(out).toContain("(adopted)");
    expect(out).toContain("chưa có câu hỏi cho chỉ tiêu: 6.2");
    expect(out).toContain("câu hỏi không khớp chỉ tiêu nào: Ghi chú thêm");
    const campaign = await storedCampaign(id);
    const mapped = campaign.forms.dossier?.bindings.find(
      (b) => b.indicatorId === "4.1" && b.role === "value",
    );
    const onServer = existing.items.find((i) => i.title?.normalize("NFC").startsWith("4.1. "))?.questionItem
      ?.question.questionId;
    expect(mapped?.questionId).toBe(onServer);
  });

  it("imports a saved reply into the campaign and says what became of each response", async () => {
    const id = uniqueId("imp");
    await cli([
      "setup",
      "--campaign",
      id,
      "--registry",
      registry,
      "--office",
      office,
      "--school-year",
      "2025-2026",
      "--local",
    ]);
    const campaign = await storedCampaign(id);
    const dossier = campaign.forms.dossier as NonNullable<Campaign["forms"]["dossier"]>;
    const dir = await mkdtemp(join(tmpdir(), "dienhinh-cli-"));
    const file = join(dir, "tra-loi.json");
    await writeFile(
      file,
      JSON.stringify({
        responses: [
          {
            ...formResponse(dossier.bindings, "T-TH1", PASSING_DOSSIER, { responseId: "x1" }),
            formId: dossier.formId,
          },
          {
            ...formResponse(dossier.bindings, "T-TH1", PASSING_DOSSIER, {
              responseId: "x2",
              email: "la@gmail.com",
            }),
            formId: dossier.formId,
          },
        ],
      }),
    );
    const first = await cli(["import", file, "--campaign", id]);
    expect(first.code).toBe(0);
    expect(first.out).toContain(
      "2 câu trả lời (Hồ sơ công nhận (tháng 11)) · mới lưu 2, đã có từ trước 0 · hợp lệ 1, cần bổ sung 1",
    );
    expect(first.out).toContain("Email người gửi không thuộc trường đã chọn");
    const second = await cli(["import", file, "--campaign", id]);
    expect(second.out).toContain("mới lưu 0, đã có từ trước 2");
  });

  it("re-scores a campaign after a criteria change and says whose result changed", async () => {
    const id = uniqueId("rescore");
    await cli([
      "setup",
      "--campaign",
      id,
      "--registry",
      registry,
      "--office",
      office,
      "--local",
      "--school-year",
      "2026-2027",
    ]);
    const campaign = await storedCampaign(id);
    const dir = await mkdtemp(join(tmpdir(), "dienhinh-rescore-"));
    const write = async (
      name: string,
      stage: "registration" | "dossier",
      answers: typeof PASSING_DOSSIER,
    ) => {
      const form = campaign.forms[stage] as NonNullable<Campaign["forms"]["dossier"]>;
      const file = join(dir, name);
      await writeFile(
        file,
        JSON.stringify({
          responses: [
            { ...formResponse(form.bindings, "T-TH1", answers, { responseId: name }), formId: form.formId },
          ],
        }),
      );
      return file;
    };
    await cli(["import", await write("dk.json", "registration", PASSING_REGISTRATION), "--campaign", id]);
    await cli(["import", await write("hs.json", "dossier", PASSING_DOSSIER), "--campaign", id]);
    // Five sessions a year instead of two: the school held four.
    const stricter = join(dir, "tieu-chi.yaml");
    await writeFile(
      stricter,
      (await readFile(DEFAULT_CRITERIA_FILE, "utf8"))
        .replace('version: "2026.1"', 'version: "2026.2"')
        .replace('threshold: { op: ">=", value: 2 }', 'threshold: { op: ">=", value: 5 }'),
    );
    const first = await cli(["score", "--campaign", id, "--criteria", stricter]);
    expect(first.code).toBe(0);
    expect(first.out).toContain("1 trường thay đổi kết quả");
    expect(first.out).toMatch(/T-TH1 .*: Chờ kiểm tra \(100\) → Cần bổ sung/u);
    expect((await storedCampaign(id)).criteriaSet.version).toBe("2026.2");
    const outbox = await testStore().outbox.get(id, "T-TH1");
    expect(outbox?.report.state).toBe("pending");
    const again = await cli(["score", "--campaign", id]);
    expect(again.out).toContain("0 trường thay đổi kết quả");
  });

  it.each([
    ["no Firestore configured", ["setup", "--campaign", "x", "--local"], {}, /Chưa chọn nơi lưu dữ liệu/],
    [
      "an unknown campaign",
      ["import", fixture("registry-small.csv"), "--campaign", "khong-co"],
      undefined,
      /Không có đợt đánh giá "khong-co"/,
    ],
    [
      "a bad campaign id",
      ["setup", "--campaign", "Có Dấu", "--local", "--registry", fixture("registry-small.csv")],
      undefined,
      /mã đợt chỉ gồm chữ thường/,
    ],
  ])("fails clearly with exit code 2 on %s", async (_name, argv, environment, message) => {
    const { code, err } = await cli(argv, environment ?? env());
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });
});

describe("dienhinh send --resend-unknown", () => {
  it("refuses to release the mail of a school the campaign does not have, before sending anything", async () => {
    const id = uniqueId("release");
    await cli([
      "setup",
      "--campaign",
      id,
      "--registry",
      registry,
      "--office",
      office,
      "--local",
      "--school-year",
      "2026-2027",
    ]);
    const out = await mkdtemp(join(tmpdir(), "dienhinh-release-"));
    const run = await cli(["send", "--campaign", id, "--resend-unknown", "T-TH1", "T-XX9", "--out", out]);
    expect(run.code).toBe(2);
    expect(run.err).toContain(`--resend-unknown: không có trường mã T-XX9 trong đợt ${id}`);
    expect(await testStore().mail.list(id)).toEqual([]);
  });
});
