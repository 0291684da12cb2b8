import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SAMPLE_OFFICE_FILE } from "../../functions/src/data/office-file.js";
import { loadRegistry, SAMPLE_REGISTRY_FILE } from "../../functions/src/data/registry-csv.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import {
  captureCli,
  fixture,
  type GoogleServers,
  startGoogleServers,
  testStore,
  uniqueId,
} from "../kit/index.js";

/**
 * A city-wide deployment: one campaign already running (the first office's, on the Nhà Bè profile
 * and registry, so that any leak of them shows), and a second office onboarded with one command.
 */
let google: GoogleServers;
let dir: string;
let officeB: string;
let registryB: string;
let officeA: string;
beforeAll(async () => {
  google = await startGoogleServers();
  dir = await mkdtemp(join(tmpdir(), "dienhinh-onboard-"));
  officeB = join(dir, "phong-tan-thuan.yaml");
  await writeFile(officeB, OFFICE_B);
  registryB = join(dir, "truong-tan-thuan.csv");
  await writeFile(registryB, REGISTRY_B);
  // The first office: the Nhà Bè profile as a real office's (not marked sample), so a leak of it shows.
  officeA = join(dir, "phong-nha-be.yaml");
  await writeFile(officeA, (await readFile(SAMPLE_OFFICE_FILE, "utf8")).replace(/^sample: true$/mu, ""));
});
afterAll(() => google.close());

const OFFICE_B = `parentBody: ỦY BAN NHÂN DÂN PHƯỜNG TÂN THUẬN
issuingBody: PHÒNG VĂN HÓA - XÃ HỘI
issuingBodyName: Phòng Văn hóa - Xã hội
parentBodyName: Ủy ban nhân dân phường Tân Thuận
numberPrefix: VHXH
place: Tân Thuận
signer:
  authority: TRƯỞNG PHÒNG
  name: Võ Thị Hạnh
superiorBody: Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh
email: vhxh@tanthuan.example
`;
const SCHOOLS_B = ["Trường Mầm non Rạng Đông", "Trường Tiểu học Lê Anh Xuân", "Trường THCS Nguyễn Hữu Thọ"];
const REGISTRY_B = `Mã trường,Tên trường,Cấp học,Xã/Phường,Loại hình,Email
TT-MN1,${SCHOOLS_B[0]},Mầm non,Tân Thuận,Công lập,mn1@tanthuan.example
TT-TH1,${SCHOOLS_B[1]},Tiểu học,Tân Thuận,Công lập,th1@tanthuan.example
TT-CS1,${SCHOOLS_B[2]},THCS,Tân Thuận,Công lập,cs1@tanthuan.example
`;
const STAFF_B = ["canbo@tanthuan.example", "phophong@tanthuan.example"];
const DEPLOYMENT_ACCOUNTS = [
  "dienhinh-runtime@demo-dienhinh.iam.gserviceaccount.com",
  "dienhinh-job@demo-dienhinh.iam.gserviceaccount.com",
];

const env = () => ({
  FIRESTORE_EMULATOR_HOST: inject("firestoreHost"),
  GOOGLE_CLOUD_PROJECT: "demo-dienhinh",
  DIENHINH_GOOGLE_ROOT_URL: google.url,
  DIENHINH_SHEETS_INTERVAL_MS: "0",
});
const cli = (argv: string[]) => captureCli(argv, env());
const stored = (id: string): Promise<Campaign> => testStore().campaigns.get(id);

/** What the sample data would leave: its district, its schools (both sample registries), its signers, its notice. */
const sampleMarks = async (): Promise<string[]> => {
  const sampleSchools = (await loadRegistry(SAMPLE_REGISTRY_FILE)).map((s) => s.name);
  const smallSchools = (await loadRegistry(fixture("registry-small.csv"))).map((s) => s.name);
  expect(sampleSchools.length).toBeGreaterThan(20);
  return [
    "nhà bè",
    "nha be",
    "nhabe",
    "dữ liệu mẫu",
    "nguyễn thị mẫu",
    "lê văn mẫu",
    "trần văn mẫu",
    "phước kiển",
    ...[...sampleSchools, ...smallSchools].map((n) => n.toLocaleLowerCase("vi")),
  ];
};
const leaks = (text: string, marks: readonly string[]) => {
  const lower = text.normalize("NFC").toLocaleLowerCase("vi");
  return marks.filter((m) => lower.includes(m));
};

/** Every form of a campaign, and every tab of its sheet, as the servers hold them. */
const snapshot = (campaign: Campaign) => ({
  forms: Object.values(campaign.forms).map((f) => {
    const form = google.forms.forms.get(f.formId);
    return { info: form?.info, items: form?.items, permissions: form?.permissions };
  }),
  sheet: google.sheets.spreadsheets
    .get(campaign.spreadsheetId ?? "")
    ?.sheets.map((s) => [
      s.properties.title,
      google.sheets.values(campaign.spreadsheetId ?? "", s.properties.title),
    ]),
});

const onboardB = (id: string, extra: string[] = []) =>
  cli([
    "onboard",
    "--campaign",
    id,
    "--school-year",
    "2026-2027",
    "--office",
    officeB,
    "--registry",
    registryB,
    "--share",
    STAFF_B.join(", "),
    ...extra,
  ]);

describe("dienhinh onboard: a second office in a running deployment", () => {
  let first: string;
  beforeAll(async () => {
    first = uniqueId("office-a");
    const setup = await cli([
      "setup",
      "--campaign",
      first,
      "--school-year",
      "2026-2027",
      "--office",
      officeA,
      "--registry",
      fixture("registry-small.csv"),
      "--share",
      "canbo@nhabe.example",
    ]);
    expect(setup.code, setup.err).toBe(0);
  });

  it("sets up its forms, sheet and shares in one command, with none of the sample data, and leaves the first office's campaign as it was", async () => {
    const before = await stored(first);
    const beforeServers = structuredClone(snapshot(before));
    const id = uniqueId("office-b");
    const run = await onboardB(id);
    expect(run.code, run.err).toBe(0);

    const campaign = await stored(id);
    expect(campaign.office.sample).toBe(false);
    expect(campaign.office.parentBodyName).toBe("Ủy ban nhân dân phường Tân Thuận");
    expect([...(await testStore().schools.load(id)).keys()].sort()).toEqual(["TT-CS1", "TT-MN1", "TT-TH1"]);
    const forms = Object.values(campaign.forms);
    expect(forms.length).toBeGreaterThanOrEqual(2);
    // The forms are watched on the deployment's topic (the name scripts/deploy gives it).
    for (const form of forms)
      expect(form.watch?.topicName).toBe("projects/demo-dienhinh/topics/dienhinh-form-responses");
    // What to send the office: the sheet's link, each form's link for the schools, who can open them.
    expect(run.out).toContain(
      `Bảng theo dõi / tracking sheet: https://docs.google.com/spreadsheets/d/${campaign.spreadsheetId}/edit`,
    );
    for (const form of forms) {
      const responder = google.forms.forms.get(form.formId)?.responderUri ?? "";
      expect(responder).not.toBe("");
      expect(run.out).toContain(responder);
      expect(run.out).toContain(`https://docs.google.com/forms/d/${form.formId}/edit`);
      const editors = google.forms.forms
        .get(form.formId)
        ?.permissions.filter((p) => p.role === "writer")
        .map((p) => p.emailAddress);
      expect(editors).toEqual([...DEPLOYMENT_ACCOUNTS, ...STAFF_B]);
    }
    expect(run.out).toContain(`shared with (editor): ${STAFF_B.join(", ")}`);
    const sheetEditors = google.sheets.spreadsheets
      .get(campaign.spreadsheetId ?? "")
      ?.permissions.map((p) => p.emailAddress);
    expect(sheetEditors).toEqual(expect.arrayContaining([...DEPLOYMENT_ACCOUNTS, ...STAFF_B]));

    // No sample data anywhere: forms, sheet, the campaign's documents in Firestore.
    const marks = await sampleMarks();
    const servers = snapshot(campaign);
    const formsText = JSON.stringify(servers.forms);
    expect(leaks(formsText, marks)).toEqual([]);
    for (const school of SCHOOLS_B) expect(formsText).toContain(school);
    const sheetText = JSON.stringify(servers.sheet);
    expect(leaks(sheetText, marks)).toEqual([]);
    for (const school of SCHOOLS_B) expect(sheetText).toContain(school);
    const storedText = JSON.stringify([campaign, [...(await testStore().schools.load(id)).values()]]);
    expect(leaks(storedText, marks)).toEqual([]);

    // The first office's campaign: untouched, in Firestore and on Google's side.
    expect(await stored(first)).toEqual(before);
    expect(snapshot(await stored(first))).toEqual(beforeServers);
  });

  it("prints documents with the office's own letterhead, never the sample's", async () => {
    const id = uniqueId("office-b-doc");
    expect((await onboardB(id)).code).toBe(0);
    const out = join(dir, id);
    const report = await cli(["report", "--campaign", id, "--summary", "--out", out]);
    expect(report.code, report.err).toBe(0);
    const pdf = join(out, "reports");
    const files = (await readdir(pdf)).filter((f) => f.endsWith(".pdf"));
    expect(files.length).toBeGreaterThan(0);
    const marks = await sampleMarks();
    for (const file of files) {
      const text = execFileSync("pdftotext", [join(pdf, file), "-"])
        .toString()
        .replace(/\s+/gu, " ");
      expect(text).toContain("ỦY BAN NHÂN DÂN PHƯỜNG TÂN THUẬN");
      expect(leaks(text, marks), file).toEqual([]);
    }
  });

  it("refuses a campaign id another office already uses, and changes nothing of it", async () => {
    const before = await stored(first);
    const beforeServers = structuredClone(snapshot(before));
    const creates = google.forms.requests.filter((r) => r.method === "POST" && r.path === "/v1/forms").length;
    const run = await onboardB(first);
    expect(run.code).toBe(2);
    expect(run.err).toContain(
      `Mã đợt “${first}” đã được dùng cho Phòng Giáo dục và Đào tạo (Ủy ban nhân dân huyện Nhà Bè)`,
    );
    expect(run.err).toContain("không ghi đè đợt của đơn vị khác");
    expect(await stored(first)).toEqual(before);
    expect(snapshot(await stored(first))).toEqual(beforeServers);
    expect(google.forms.requests.filter((r) => r.method === "POST" && r.path === "/v1/forms").length).toBe(
      creates,
    );
  });

  it("refuses a campaign id a trial on the sample data uses: onboarding never takes over sample data", async () => {
    const trial = uniqueId("thu");
    const setup = await cli([
      "setup",
      "--campaign",
      trial,
      "--school-year",
      "2026-2027",
      "--sample",
      "--no-sheet",
    ]);
    expect(setup.code, setup.err).toBe(0);
    const run = await onboardB(trial);
    expect(run.code).toBe(2);
    expect(run.err).toContain(`Mã đợt “${trial}” đã được dùng cho một đợt chạy thử bằng dữ liệu mẫu`);
    expect((await stored(trial)).office.sample).toBe(true);
  });

  it("run again for the same office, repairs its campaign: same forms and sheet, nothing created", async () => {
    const id = uniqueId("office-b-again");
    expect((await onboardB(id)).code).toBe(0);
    const campaign = await stored(id);
    const creates = google.forms.requests.filter((r) => r.method === "POST" && r.path === "/v1/forms").length;
    const again = await onboardB(id);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain("Đã kiểm tra và sửa đơn vị / office repaired");
    const after = await stored(id);
    expect(after.spreadsheetId).toBe(campaign.spreadsheetId);
    expect(Object.values(after.forms).map((f) => f.formId)).toEqual(
      Object.values(campaign.forms).map((f) => f.formId),
    );
    expect(google.forms.requests.filter((r) => r.method === "POST" && r.path === "/v1/forms").length).toBe(
      creates,
    );
  });
});

describe("dienhinh onboard refuses, before creating anything", () => {
  const formsCreated = () =>
    google.forms.requests.filter((r) => r.method === "POST" && r.path === "/v1/forms").length;

  it("without every required option, naming them all (exit 2)", async () => {
    const before = formsCreated();
    const run = await cli([
      "onboard",
      "--campaign",
      uniqueId("thieu"),
      "--criteria",
      fixture("criteria-giao-thong.yaml"),
    ]);
    expect(run.code).toBe(2);
    for (const what of ["--school-year 2026-2027", "--office TỆP.yaml", "--registry TỆP", "--share EMAIL"])
      expect(run.err).toContain(what);
    expect(run.err).not.toContain("--campaign MÃ");
    const bare = await cli(["onboard"]);
    expect([bare.code, bare.err]).toEqual([2, expect.stringContaining("--campaign MÃ")]);
    expect(formsCreated()).toBe(before);
  });

  it("with an address in --share that is not an email", async () => {
    const run = await cli([
      "onboard",
      "--campaign",
      uniqueId("share"),
      "--school-year",
      "2026-2027",
      "--office",
      officeB,
      "--registry",
      registryB,
      "--share",
      "canbo@tanthuan.example, phó phòng",
    ]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("không hợp lệ: phó");
  });

  it("with the sample office profile or the sample registry", async () => {
    const before = formsCreated();
    const base = ["onboard", "--school-year", "2026-2027", "--share", STAFF_B[0] ?? ""];
    const office = await cli([
      ...base,
      "--campaign",
      uniqueId("mau"),
      "--office",
      SAMPLE_OFFICE_FILE,
      "--registry",
      registryB,
    ]);
    expect(office.code).toBe(2);
    expect(office.err).toContain("hồ sơ phòng (--office) là hồ sơ mẫu");
    const registry = await cli([
      ...base,
      "--campaign",
      uniqueId("mau"),
      "--office",
      officeB,
      "--registry",
      SAMPLE_REGISTRY_FILE,
    ]);
    expect(registry.code).toBe(2);
    expect(registry.err).toContain("danh sách trường (--registry) là danh sách mẫu");
    expect(formsCreated()).toBe(before);
  });

  it("with files that do not check together, every problem listed as dienhinh check lists it", async () => {
    const before = formsCreated();
    const broken = join(dir, "hong.csv");
    await writeFile(broken, "Mã trường,Tên trường\nX1,Trường X\n");
    const id = uniqueId("hong");
    const run = await cli([
      "onboard",
      "--campaign",
      id,
      "--school-year",
      "2026-2027",
      "--office",
      officeB,
      "--registry",
      broken,
      "--share",
      STAFF_B[0] ?? "",
    ]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("các tệp chưa dùng được để tạo đợt đánh giá");
    expect(run.out).toContain("✓ Hồ sơ phòng: Phòng Văn hóa - Xã hội");
    expect(formsCreated()).toBe(before);
    expect(await testStore().campaigns.find(id)).toBeUndefined();
  });
});
