import { execFile, execFileSync } from "node:child_process";
import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { simpleParser } from "mailparser";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { OutputSummaryJson } from "../../functions/src/app/outputs.js";
import { DEFAULT_CRITERIA_FILE, loadCriteriaSet } from "../../functions/src/data/criteria-file.js";
import type { SchoolResult, StatusTally } from "../../functions/src/domain/campaign-score.js";
import type { School } from "../../functions/src/domain/school.js";
import {
  SAMPLE_SUBMISSIONS_FILE,
  sampleSubmissionsJson,
} from "../../functions/src/sample/write-sample-submissions.js";
import {
  captureCli,
  fixture,
  formResponse,
  isAcknowledgement,
  PASSING_DOSSIER,
  SCHOOLS,
  specBindings,
  uniqueId,
} from "../kit/index.js";

/** Run the CLI in-process and collect what it prints. */
const cli = (...argv: string[]) => captureCli(argv);

const tempFile = async (name: string, content: string) => {
  const dir = await mkdtemp(join(tmpdir(), "dienhinh-cli-"));
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
};

describe("dienhinh criteria", () => {
  it("prints the default set as JSON, exactly as loaded", async () => {
    const { code, out } = await cli("criteria", "--json");
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(await loadCriteriaSet(DEFAULT_CRITERIA_FILE));
  });

  it("prints a readable listing with every criterion", async () => {
    const { code, out } = await cli("criteria");
    expect(code).toBe(0);
    for (let i = 1; i <= 6; i++) expect(out).toContain(`Tiêu chí ${i}. `);
    expect(out).toContain("Từ 70% trở lên");
  });

  it("prints another set when given one", async () => {
    const { out } = await cli("criteria", "--criteria", fixture("criteria-giao-thong.yaml"), "--json");
    expect(JSON.parse(out).id).toBe("truong-hoc-an-toan-giao-thong");
  });

  it("says where a broken criteria file is broken, with exit code 2", async () => {
    const file = await tempFile(
      "loi.yaml",
      "id: x\nversion: 1\ntitle: X\ncriteria:\n  - id: '1'\n    title: A\n    points: -5\n    indicators: []\n",
    );
    const { code, out, err } = await cli("criteria", "--criteria", file);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(`Tệp bộ tiêu chí ${file} không hợp lệ:`);
    // As the office numbers its criteria first, then the schema's path and the line.
    expect(err).toContain("Tiêu chí 1 (criteria[0].points) (dòng 7)");
    expect(err).toContain("Tiêu chí 1 (criteria[0].indicators) (dòng 8): cần ít nhất một chỉ tiêu");
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe("dienhinh score", () => {
  const registry = fixture("registry-small.csv");
  const submission = (schoolCode: string, answers: object) =>
    JSON.stringify({
      submissions: [{ schoolCode, stage: "dossier", submittedAt: "2026-11-05T08:00:00+07:00", answers }],
    });

  it("scores a file against a registry, as JSON", async () => {
    const file = await tempFile("bai-nop.json", submission("T-CS1", { "4.1": { value: 1 } }));
    const { code, out } = await cli("score", file, "--registry", registry, "--json");
    expect(code).toBe(0);
    const result = JSON.parse(out) as { schools: SchoolResult[]; summary: StatusTally[] };
    const statuses = Object.fromEntries(result.schools.map((s) => [s.school.code, s.status]));
    // An incident the school reported is a fact: Không đủ điều kiện, not something to supply.
    expect(statuses).toEqual({
      "T-MN1": "chua-dang-ky",
      "T-TH1": "chua-dang-ky",
      "T-CS1": "khong-du-dieu-kien",
    });
    const cs1 = result.schools.find((s) => s.school.code === "T-CS1");
    expect(cs1?.evaluation.missing.map((m) => m.message)).toContain(
      "Tiêu chí 4: Có 1 vụ bạo lực học đường, yêu cầu 0.",
    );
    expect(result.summary.at(-1)).toMatchObject({
      group: "all",
      schools: 3,
      counts: { "khong-du-dieu-kien": 1, "chua-dang-ky": 2 },
    });
  });

  it("prints a table per level", async () => {
    const file = await tempFile("bai-nop.json", submission("T-TH1", {}));
    const { code, out } = await cli("score", file, "--registry", registry);
    expect(code).toBe(0);
    expect(out).toMatch(/Mầm non \(1 trường\)[\s\S]*Tiểu học \(1 trường\)[\s\S]*THCS \(1 trường\)/);
    expect(out).toContain("Trường Tiểu học Đồng Khởi");
    expect(out).toContain("Tổng hợp theo cấp học");
  });

  it.each([
    [
      "an unknown school",
      () => submission("KHONG-CO", {}),
      /mã trường không có trong danh sách trường: KHONG-CO/,
    ],
    [
      "malformed JSON",
      () => '{"submissions": [',
      /Tệp bài nộp .* không hợp lệ:\n {2}- \(toàn tệp\) \(dòng \d+\): lỗi cú pháp/,
    ],
    [
      "a wrong shape",
      () => JSON.stringify({ submissions: [{ schoolCode: "T-CS1" }] }),
      /submissions\[0\]\.submittedAt.*thiếu, cần khai báo/,
    ],
    [
      "a bad date",
      () => submission("T-CS1", {}).replace("2026-11-05T08:00:00+07:00", "05/11/2026"),
      /submissions\[0\]\.submittedAt/,
    ],
  ])("rejects %s with a clear message and exit code 2", async (_name, content, message) => {
    const file = await tempFile("bai-nop.json", content());
    const { code, err } = await cli("score", file, "--registry", registry);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it("rejects a missing file and a broken registry with exit code 2", async () => {
    const missing = await cli("score", "/khong/co.json", "--registry", registry);
    expect([missing.code, missing.err]).toEqual([2, expect.stringContaining("không tìm thấy tệp")]);
    const badRegistry = await tempFile("truong.csv", "Mã trường,Tên trường\nA,B\n");
    const file = await tempFile("bai-nop.json", submission("A", {}));
    const broken = await cli("score", file, "--registry", badRegistry);
    expect([broken.code, broken.err]).toEqual([2, expect.stringContaining("thiếu cột")]);
  });

  it("rejects an unknown command or option with exit code 2", async () => {
    expect((await cli("diem")).code).toBe(2);
    expect((await cli("score")).code).toBe(2);
    expect((await cli("criteria", "--khong-co")).code).toBe(2);
    expect((await cli("--help")).code).toBe(0);
  });

  it("says the parser's own errors in Vietnamese with the English beside, and suggests the command meant", async () => {
    const typo = await cli("serv");
    expect(typo.err).toContain("Lỗi: không có lệnh “serv” / unknown command 'serv'");
    expect(typo.err).toContain("(Có phải ý bạn là serve? / Did you mean serve?)");
    const option = await cli("criteria", "--jsn");
    expect([option.code, option.err]).toEqual([
      2,
      expect.stringContaining("Lỗi: không có tùy chọn “--jsn” / unknown option '--jsn'"),
    ]);
    expect(option.err).toContain("(Có phải ý bạn là --json? / Did you mean --json?)");
    const missing = await cli("send", "--campaign");
    expect(missing.err).toContain("Lỗi: tùy chọn “--campaign <id>” cần một giá trị");
    const help = await cli("help", "send");
    expect(help.out).toContain("Cách dùng / Usage: dienhinh send [tùy chọn]");
    expect(help.out).toContain("(mặc định / default:");
    expect(help.out).not.toMatch(/^Usage:|^Options:/mu);
  });

  it("prints its version (--version), the one package.json gives", async () => {
    const { version } = JSON.parse(await readFile("package.json", "utf8")) as { version: string };
    const printed = await cli("--version");
    expect([printed.code, printed.out.trim()]).toEqual([0, version]);
  });
});

describe("dienhinh run (the main job)", () => {
  const env = () => ({ FIRESTORE_EMULATOR_HOST: inject("firestoreHost") });
  // The whole job runs once; each test reads what it printed and wrote.
  let outDir: string;
  let result: { code: number; out: string };
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "dienhinh-run-"));
    // Mail and Drive configured for a deployment: the local run still writes files only, so it
    // can never reach a school (a relay that refuses everything, a Drive folder it cannot reach).
    const deployed = {
      DIENHINH_MAIL: "smtp",
      DIENHINH_SMTP_HOST: "127.0.0.1",
      DIENHINH_SMTP_PORT: "1",
      DIENHINH_DRIVE_FOLDER: "thu-muc-cua-phong",
    };
    result = await captureCli(["run", "--campaign", uniqueId("run"), "--out", outDir], {
      ...env(),
      ...deployed,
    });
  }, 120_000);
  type Summary = Pick<OutputSummaryJson, "files" | "responses" | "schools">;
  const summary = async () => JSON.parse(await readFile(join(outDir, "summary.json"), "utf8")) as Summary;

  it("takes the sample responses through intake, shows its progress, and ends with a short table and where to look", async () => {
    const { code, out } = result;
    expect(code).toBe(0);
    expect(out).toContain("(dữ liệu mẫu)");
    expect(out).toMatch(/Hồ sơ: \d+ câu trả lời · lưu mới \d+, trùng 1 · hợp lệ \d+, cần bổ sung 2/);
    // Each step ends with a line; the long ones say how many of how many.
    expect(out).toMatch(/✓ Kết quả đánh giá từng trường \(PDF\): (\d+)\/\1 · [\d,]+ giây/u);
    expect(out).toMatch(/✓ Thư gửi các trường \(\.eml\): (\d+)\/\1 · /u);
    // The end: the table by level (not 69 school lines), then where each output is.
    // The whole office's row is named from its profile: the sample is a huyện's office.
    for (const heading of ["Tổng hợp theo cấp học", "Mầm non", "Tiểu học", "THCS", "Toàn huyện"]) {
      expect(out).toContain(heading);
    }
    expect(out).not.toContain("Mầm non (");
    expect(out).toContain(`Trang tổng hợp           ${join(outDir, "index.html")}`);
    expect(out).toMatch(new RegExp(`Văn bản PDF và Word \\(\\d+\\)\\s+${join(outDir, "reports")}`, "u"));
    expect(out).toContain(`Bảng theo dõi (Excel)    ${join(outDir, "theo-doi.xlsx")}`);
    expect((await stat(join(outDir, "theo-doi.xlsx"))).size).toBeGreaterThan(10_000);
  });

  it("writes a summary.json that agrees with the workbook, the PDFs and the emails it points to", async () => {
    const { files, responses, schools } = await summary();
    expect(responses.filter((r) => r.disposition === "quarantined").every((r) => r.reasons.length > 0)).toBe(
      true,
    );
    // Each delivery says what became of it: the sample has one redelivery and an edited response.
    const fates = responses.map((r) => r.fate);
    expect(fates.filter((f) => f === "duplicate")).toHaveLength(1);
    expect(new Set(fates)).toEqual(new Set(["new", "superseded", "duplicate"]));
    // index.html counts responses, not deliveries nor versions: an edited one counts once.
    const index = await readFile(join(outDir, "index.html"), "utf8");
    // It links the Word copies and the office's proposal and draft decision.
    expect(index).toContain(">Word</a>");
    expect(index).toContain("Tờ trình đề nghị công nhận (PDF)");
    expect(index).toContain("Dự thảo Quyết định công nhận (PDF)");
    const superseded = fates.filter((f) => f === "superseded").length;
    expect(superseded).toBeGreaterThan(0);
    expect(index).toContain(`${responses.length - 1 - superseded} câu trả lời đã nhận`);
    expect(index).toContain("1 lần nhận trùng");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(outDir, files.workbook));
    // The clerk's guide is in the workbook too, a row for each status.
    const guide = workbook.getWorksheet("Hướng dẫn") as ExcelJS.Worksheet;
    const topics = (guide.getColumn(1).values as unknown[]).map(String);
    for (const school of schools) expect(topics).toContain(school.statusLabel);
    const sheet = workbook.getWorksheet("Theo dõi") as ExcelJS.Worksheet;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const statusInSheet = new Map<string, unknown>();
    sheet.eachRow((row, r) => {
      if (r > 1)
        statusInSheet.set(String(row.getCell(1).value), row.getCell(header.indexOf("Tình trạng") + 1).value);
    });
    for (const school of schools) expect(statusInSheet.get(school.code)).toBe(school.statusLabel);
    const withPdf = schools.filter((s) => s.pdfs.length > 0);
    expect(withPdf.length).toBeGreaterThan(50);
    for (const school of withPdf.slice(0, 5)) {
      const text = execFileSync("pdftotext", [join(outDir, school.pdfs[0] as string), "-"]).toString();
      expect(text.replace(/\s+/gu, " ")).toContain(school.name);
      // Its documents' message (the sample's clerk approved the first schools' results); its
      // acknowledgement of receipt, and a reminder of a deadline, may be among its messages too.
      const mails = await Promise.all(
        school.emails.map(async (f) => simpleParser(await readFile(join(outDir, f)))),
      );
      expect(mails.filter(isAcknowledgement).map((m) => m.attachments.length)).toEqual([0]);
      const mail = mails.find((m) => !/Nhắc hạn|Đã quá hạn/u.test(m.subject ?? "") && !isAcknowledgement(m));
      expect(mail?.subject).toContain(school.name);
      expect(mail?.attachments.length).toBe(school.pdfs.length);
      // Each document's Word copy beside its PDF.
      expect(school.docx).toEqual(school.pdfs.map((p) => p.replace(/\.pdf$/u, ".docx")));
      for (const docx of school.docx)
        expect((await readFile(join(outDir, docx))).subarray(0, 2).toString()).toBe("PK");
    }
    for (const file of [files.report, "index.html"])
      expect((await stat(join(outDir, file as string))).size).toBeGreaterThan(1_000);
  });

  it("writes the office's Kế hoạch triển khai to the schools, PDF and Word, linked from index.html and summary.json", async () => {
    const { files } = await summary();
    expect(files.plan).toMatch(/^reports\/ke-hoach-.*\.pdf$/u);
    expect(files.planDocx).toBe(files.plan?.replace(/\.pdf$/u, ".docx"));
    expect((await readFile(join(outDir, files.planDocx as string))).subarray(0, 2).toString()).toBe("PK");
    const index = await readFile(join(outDir, "index.html"), "utf8");
    expect(index).toContain(`<a href="${files.plan}">Kế hoạch triển khai gửi các trường (PDF)</a>`);
    expect(index).toContain(`<a href="${files.planDocx}">Word</a>`);
    const text = execFileSync("pdftotext", [join(outDir, files.plan as string), "-"])
      .toString()
      .replace(/\s+/gu, " ");
    // A Kế hoạch of the office, on the sample's calendar (the school year's default), its forms'
    // links to follow (a local run has no Google Forms), signed by the office's head.
    for (const part of [
      "KẾ HOẠCH",
      "/KH-GDĐT",
      "Căn cứ Kế hoạch số 3560/KH-SGDĐT",
      "Chỉ tiêu: 100% trường trực thuộc được công nhận",
      "Từ ngày 01 tháng 01 năm 2026 đến ngày 31 tháng 3 năm 2026",
      "Chậm nhất ngày 25 tháng 11 năm 2026",
      "Chậm nhất ngày 10 tháng 12 năm 2026",
      "đường dẫn sẽ được gửi đến địa chỉ thư điện tử của trường",
      "TRƯỞNG PHÒNG",
      "Lưu: VT, GDĐT.",
      "Dữ liệu mẫu, không phải văn bản chính thức.",
    ])
      expect(text, part).toContain(part);
  });

  it("mails the office a workbook whose links to the documents still open once it leaves the folder", async () => {
    const { readdir } = await import("node:fs/promises");
    const { fileURLToPath } = await import("node:url");
    /** The links of the Theo dõi tab's "Kết quả (PDF)" and "Bản Word" columns. */
    const linksOf = async (xlsx: Buffer) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
      const links: string[] = [];
      (workbook.getWorksheet("Theo dõi") as ExcelJS.Worksheet).eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.hyperlink && /\.(pdf|docx)$/u.test(cell.hyperlink)) links.push(cell.hyperlink);
        }),
      );
      return links;
    };
    const mails = await Promise.all(
      (await readdir(join(outDir, "outbox"))).map(async (f) =>
        simpleParser(await readFile(join(outDir, "outbox", f))),
      ),
    );
    const attached = mails
      .flatMap((m) => m.attachments)
      .filter((a) => a.filename?.endsWith(".xlsx"))
      .map((a) => a.content);
    expect(attached).toHaveLength(1);
    const mailed = await linksOf(attached[0] as Buffer);
    expect(mailed.length).toBeGreaterThan(50);
    for (const link of mailed) {
      expect(link).toMatch(/^file:\/\//u);
      expect((await stat(fileURLToPath(link))).size, link).toBeGreaterThan(1_000);
    }
    // The workbook in the folder keeps links relative to itself, so the folder can move whole.
    const inFolder = await linksOf(await readFile(join(outDir, "theo-doi.xlsx")));
    expect(inFolder.length).toBe(mailed.length);
    expect(inFolder.every((l) => l.startsWith("reports/"))).toBe(true);
  });

  it("prints every document in Tinos alone, with the campaign's own year and period, no symbol or software version", async () => {
    const { readdir } = await import("node:fs/promises");
    const files = (await readdir(join(outDir, "reports"))).filter((f) => f.endsWith(".pdf"));
    expect(files.length).toBeGreaterThan(60);
    for (const file of files) {
      const path = join(outDir, "reports", file);
      const fonts = execFileSync("pdffonts", [path]).toString().split("\n").slice(2).filter(Boolean);
      expect(
        fonts.filter((f) => !/Tinos/u.test(f)),
        file,
      ).toEqual([]);
      const text = execFileSync("pdftotext", [path, "-"]).toString().replace(/\s+/gu, " ");
      expect(text, file).toContain("từ ngày 16 tháng 11 năm 2025 đến ngày 15 tháng 11 năm 2026");
      expect(text, file).toContain("năm học 2025-2026");
      for (const wrong of ["/KQ-", "phiên bản", "≥", "≤", "2026-2027", '"', "(chưa khai báo)"])
        expect(text, `${file}: ${wrong}`).not.toContain(wrong);
    }
  });

  it("puts each PDF's Word copy beside it, which opens in Times New Roman on A4", async () => {
    const { readdir } = await import("node:fs/promises");
    const { default: JSZip } = await import("jszip");
    const files = (await readdir(join(outDir, "reports"))).filter((f) => f.endsWith(".pdf"));
    expect(files.length).toBeGreaterThan(60);
    for (const file of files) {
      const docx = join(outDir, "reports", file.replace(/\.pdf$/u, ".docx"));
      const zip = await JSZip.loadAsync(await readFile(docx));
      const body = (await zip.file("word/document.xml")?.async("string")) ?? "";
      const styles = (await zip.file("word/styles.xml")?.async("string")) ?? "";
      expect(body, docx).toMatch(/<w:pgSz w:w="11906" w:h="16838"/u);
      expect(styles, docx).toContain('w:ascii="Times New Roman"');
    }
  });

  it("plays the sample on 22 November 2026: reminders to exactly the schools that lack something, once; the late dossier marked", async () => {
    expect(result.out).toContain("Ngày của dữ liệu mẫu: 22/11/2026");
    const { schools, reminders } = JSON.parse(
      await readFile(join(outDir, "summary.json"), "utf8"),
    ) as Summary & {
      reminders: Array<{
        school: string;
        stage: string;
        step: number | string;
        due: string;
        outcome: string;
      }>;
    };
    const statusOf = new Map(schools.map((s) => [s.code, s.status]));
    expect(reminders.length).toBeGreaterThan(10);
    for (const r of reminders) {
      expect(r.outcome).toBe("sent");
      expect(["chua-dang-ky", "da-dang-ky", "can-bo-sung"]).toContain(statusOf.get(r.school));
    }
    // Every school that sent nothing is told its registration deadline passed; none that is done is written to.
    const silent = schools.filter((s) => s.status === "chua-dang-ky").map((s) => s.code);
    expect(
      reminders
        .filter((r) => r.stage === "registration")
        .map((r) => r.school)
        .sort(),
    ).toEqual(silent.sort());
    // The school the office gave ten more days (Gia hạn) is reminded three days ahead of its own deadline.
    expect(reminders.filter((r) => r.step === 3)).toEqual([
      expect.objectContaining({ stage: "dossier", due: "2026-11-25" }),
    ]);
    expect(schools.filter((s) => s.late.length > 0).map((s) => [s.code, s.late[0]?.daysLate])).toEqual([
      ["NB-MN07", 3],
    ]);
    expect(result.out).toMatch(/Nhắc hạn: \d+ thư/u);
    expect(result.out).toContain("Nộp muộn: 1 trường gửi sau hạn");
    // No real forms locally: the run says where each stands that day (the job would apply it).
    expect(result.out).toMatch(
      /Biểu mẫu: Đăng ký \(quý I\): đóng từ ngày 01\/04\/2026 · Hồ sơ công nhận \(tháng 11\): mở lại đến hết ngày \d\d\/11\/2026 \(NB-/u,
    );
  });

  it("sends the office the day's digest with the Công văn đôn đốc listing exactly the overdue schools", async () => {
    const { schools, digest } = JSON.parse(
      await readFile(join(outDir, "summary.json"), "utf8"),
    ) as Summary & {
      digest: { outcome: string; overdue: Array<{ school: string; stages: string[] }>; letter?: string };
    };
    expect(digest.outcome).toBe("sent");
    // On 22 November: every school without a dossier past 15 November (or past its own extension).
    const lacking = schools
      .filter((s) => ["chua-dang-ky", "da-dang-ky"].includes(s.status) && s.code !== "NB-MN04")
      .map((s) => s.code);
    expect(digest.overdue.map((o) => o.school).sort()).toEqual(lacking.sort());
    const letter = execFileSync("pdftotext", [join(outDir, digest.letter ?? ""), "-"])
      .toString()
      .replace(/\s+/gu, " ");
    expect(letter).toContain("V/v đôn đốc hoàn thành đăng ký, hồ sơ đề nghị công nhận");
    expect(letter).toContain(`còn ${digest.overdue.length} trường chưa hoàn thành đúng hạn`);
    expect(letter).toMatch(/Số: \s*\/GDĐT /u);
    expect(result.out).toContain(`Tổng hợp ngày: đã gửi phòng · ${digest.overdue.length} trường quá hạn`);
  });

  it("sends nothing official the sample's clerk has not approved, and prints BẢN CHỜ KÝ until the văn thư numbers a result", async () => {
    const { schools } = JSON.parse(await readFile(join(outDir, "summary.json"), "utf8")) as Summary;
    const line = result.out.split("\n").find((l) => l.startsWith("Thư gửi trường:")) ?? "";
    expect(line).toMatch(
      /^Thư gửi trường: \d+ thư xác nhận đã nhận \(tự động, không phải văn bản chính thức\) · 3 trường có văn bản chờ phòng duyệt/u,
    );
    const awaiting = (line.split(": ").at(-1) ?? "").split(", ");
    expect(awaiting).toHaveLength(3);
    expect(
      schools
        .filter((s) => s.awaitingApproval)
        .map((s) => s.code)
        .sort(),
    ).toEqual([...awaiting].sort());
    for (const code of awaiting) {
      const school = schools.find((s) => s.code === code);
      // Its documents are made for the clerk to look at, and not mailed: only its acknowledgement.
      expect(school?.pdfs.length).toBeGreaterThan(0);
      const mails = await Promise.all(
        (school?.emails ?? []).map(async (f) => simpleParser(await readFile(join(outDir, f)))),
      );
      expect(mails.filter((m) => m.attachments.length > 0)).toEqual([]);
      expect(mails.filter(isAcknowledgement)).toHaveLength(1);
    }
    // The văn thư numbered the first ten approved (from 21; a number lapses when an inspection
    // changes the result, a new notice); one not numbered prints BẢN CHỜ KÝ.
    const results = schools.flatMap((s) => s.pdfs.filter((p) => p.includes("/ket-qua-")));
    const texts = results.map((p) => execFileSync("pdftotext", [join(outDir, p), "-"]).toString());
    expect(texts.some((t) => /Số: (2\d|30)\/TB-GDĐT/u.test(t) && !t.includes("BẢN CHỜ KÝ"))).toBe(true);
    expect(texts.some((t) => /Số:\s*\/TB-GDĐT/u.test(t) && t.includes("BẢN CHỜ KÝ"))).toBe(true);
  });

  it("takes the sample's incident reports: the leader alerted once, a misdated one set aside, the contradiction flagged", async () => {
    expect(result.out).toContain("Báo cáo vụ việc: 2 báo cáo · đã báo ngay lãnh đạo phòng 1 thư");
    const { incidents } = JSON.parse(await readFile(join(outDir, "summary.json"), "utf8")) as {
      incidents: Array<{
        school: string;
        kind: string;
        disposition: string;
        reasons: string[];
        alert: string;
      }>;
    };
    expect(incidents.map((i) => [i.kind, i.disposition, i.alert])).toEqual([
      ["4.1", "accepted", "sent"],
      ["4.1", "quarantined", "none"],
    ]);
    expect(incidents[1]?.reasons[0]).toContain("ở sau ngày gửi báo cáo");
    const { readdir } = await import("node:fs/promises");
    const mails = await Promise.all(
      (await readdir(join(outDir, "outbox"))).map(async (f) =>
        simpleParser(await readFile(join(outDir, "outbox", f))),
      ),
    );
    const alerts = mails.filter((m) => m.subject?.includes("Báo cáo vụ việc"));
    expect(alerts.map((m) => (m.to && "text" in m.to ? m.to.text : ""))).toEqual([
      "truongphong@nhabe.example",
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(outDir, "theo-doi.xlsx"));
    const flagged: string[] = [];
    (workbook.getWorksheet("Kiểm tra") as ExcelJS.Worksheet).eachRow((row) =>
      row.eachCell((cell) => {
        if (String(cell.value).includes("hồ sơ khai 0")) flagged.push(String(row.getCell(1).value));
      }),
    );
    expect(flagged).toEqual([incidents[0]?.school]);
  });

  it("plays the campaign as of a day (--today): only what was sent by then, documents dated that day", async () => {
    const { readdir } = await import("node:fs/promises");
    const dir = await mkdtemp(join(tmpdir(), "dienhinh-today-"));
    const env = { FIRESTORE_EMULATOR_HOST: inject("firestoreHost") };
    const campaignId = uniqueId("homnay");
    const played = await captureCli(
      ["run", "--campaign", campaignId, "--today", "2026-11-10", "--out", dir],
      env,
    );
    expect(played.code).toBe(0);
    expect(played.out).toMatch(/Hồ sơ: \d+ câu trả lời .* · \d+ gửi sau ngày 10\/11\/2026, chưa tính/u);
    const { responses } = JSON.parse(await readFile(join(dir, "summary.json"), "utf8")) as OutputSummaryJson;
    const { responses: all } = await summary();
    expect(responses.length).toBeLessThan(all.length);
    const pdf = (await readdir(join(dir, "reports"))).find((f) => /^ket-qua-.*\.pdf$/u.test(f)) ?? "";
    const text = execFileSync("pdftotext", [join(dir, "reports", pdf), "-"])
      .toString()
      .replace(/\s+/gu, " ");
    expect(text).toContain("ngày 10 tháng 11 năm 2026");
    // The same campaign on the same day again: every message was sent already, nothing new goes out.
    const mailed = await readdir(join(dir, "outbox"));
    const again = await captureCli(
      ["run", "--campaign", campaignId, "--today", "2026-11-10", "--out", dir],
      env,
    );
    expect(again.code).toBe(0);
    expect(await readdir(join(dir, "outbox"))).toEqual(mailed);
    const second = JSON.parse(await readFile(join(dir, "summary.json"), "utf8")) as {
      reminders: unknown[];
      digest: { outcome: string };
    };
    expect(second.reminders).toEqual([]);
    // Nothing new in the log since the morning's digest, or the day's digest already gone: none sent.
    expect(["nothing-changed", "already-sent"]).toContain(second.digest.outcome);
    expect(again.out).not.toMatch(/Nhắc hạn: \d+ thư|Tổng hợp ngày: đã gửi phòng ·/u);
    const refused = await captureCli(["run", "--today", "10/11/2026", "--out", dir], env);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--today "10/11/2026": ngày dạng YYYY-MM-DD');
  });

  it("refuses a run on the office's own registry without the campaign's school year", async () => {
    const refused = await captureCli(["run", "--registry", fixture("registry-small.csv"), "--out", outDir], {
      FIRESTORE_EMULATOR_HOST: inject("firestoreHost"),
    });
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("Ghi năm học của đợt đánh giá: --school-year 2025-2026");
  });

  it("refuses the office's own registry with no answers (it would invent them), unless it is a trial marked as sample data", async () => {
    const own = ["run", "--registry", fixture("registry-small.csv"), "--school-year", "2025-2026"];
    const env = { FIRESTORE_EMULATOR_HOST: inject("firestoreHost") };
    const refused = await captureCli([...own, "--out", outDir], env);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      "Chạy trên danh sách trường của phòng cần câu trả lời của các trường: --responses TỆP",
    );
    expect(refused.err).toContain("thêm --sample");
    const dir = await mkdtemp(join(tmpdir(), "dienhinh-trial-"));
    const trial = await captureCli([...own, "--sample", "--campaign", uniqueId("thu"), "--out", dir], env);
    expect(trial.code).toBe(0);
    expect(trial.out).toContain("(dữ liệu mẫu)");
    const { readdir } = await import("node:fs/promises");
    const pdf = (await readdir(join(dir, "reports"))).find((f) => /^bao-cao-.*\.pdf$/u.test(f)) ?? "";
    const text = execFileSync("pdftotext", [join(dir, "reports", pdf), "-"]).toString();
    expect(text).toContain("Dữ liệu mẫu, không phải văn bản chính thức.");
  }, 120_000);

  it("proposes and drafts the recognition of exactly the schools the inspection found Đạt", async () => {
    const { files, schools } = await summary();
    const pdfText = (file: string | undefined) =>
      execFileSync("pdftotext", [join(outDir, file ?? ""), "-"])
        .toString()
        .replace(/\s+/gu, " ");
    const proposal = pdfText(files.proposal);
    const decision = pdfText(files.decision);
    expect(decision).toContain("DỰ THẢO");
    expect(decision).toContain("ỦY BAN NHÂN DÂN HUYỆN NHÀ BÈ");
    // The sample shows the whole path: some Đạt, one Không đạt with its reason, the rest waiting.
    const passed = schools.filter((s) => s.status === "dat");
    expect(passed.length).toBeGreaterThan(5);
    expect(schools.filter((s) => s.status === "khong-dat")).toHaveLength(1);
    expect(schools.filter((s) => s.status === "cho-kiem-tra").length).toBeGreaterThan(5);
    for (const school of schools) {
      const named = proposal.includes(school.name) && decision.includes(school.name);
      expect([school.code, named]).toEqual([school.code, school.status === "dat"]);
      expect(school.proposed).toBe(school.status === "dat");
      if (named) expect(school.inspection?.verdict).toBe("dat");
    }
    // The school the team rejected is told which claim and why, in its result and its email.
    const rejected = schools.find((s) => s.status === "khong-dat");
    const reason = rejected?.inspection?.rejected[0]?.reason ?? "";
    expect(reason.length).toBeGreaterThan(10);
    expect(rejected?.inspection?.team[1]?.unit).toMatch(/^Công an (xã|phường|thị trấn) /u);
    const result = rejected?.pdfs.find((p) => p.includes("ket-qua"));
    expect(pdfText(result).toLowerCase()).toContain(reason.toLowerCase().slice(0, 30));
    expect(rejected?.pdfs.some((p) => p.includes("bien-ban"))).toBe(true);
    const mail = await simpleParser(await readFile(join(outDir, rejected?.emails[0] ?? ""), "utf8"));
    expect(mail.text).toContain("đoàn kiểm tra không xác nhận");
    // A school only self-assessed is in neither document, and has no minutes.
    const waiting = schools.find((s) => s.status === "cho-kiem-tra");
    expect(waiting?.pdfs.some((p) => p.includes("bien-ban"))).toBe(false);
  });

  it("writes no PDF for a school whose latest response was set aside, and emails it what to send again", async () => {
    const { schools } = await summary();
    const setAside = schools.filter((s) => s.responseSetAside);
    expect(setAside.map((s) => [s.status, s.pdfs])).toEqual([
      ["can-bo-sung", []],
      ["can-bo-sung", []],
    ]);
    for (const school of setAside) {
      expect(school.emails.length).toBeGreaterThan(0);
      // Its result's message (a reminder of its deadline may be among its messages too).
      const mails = await Promise.all(
        school.emails.map(async (f) => simpleParser(await readFile(join(outDir, f)))),
      );
      const mail = mails.find((m) => m.subject?.includes("Đề nghị gửi lại câu trả lời"));
      if (!mail)
        throw new Error(`no message asking ${school.code} to send again: ${mails.map((m) => m.subject)}`);
      expect(mail.attachments).toHaveLength(0);
      expect(mail.text).toContain("chưa được tiếp nhận, nên chưa được đánh giá");
      // What to fix is the response set aside, not every question an older one left unanswered.
      expect(mail.text).not.toContain("chưa khai báo");
      expect(mail.text).toMatch(/chậm nhất ngày \d\d\/\d\d\/\d{4}/u);
    }
  });

  it("agrees with scoring the sample file, except the schools whose latest response was quarantined", async () => {
    const viaIntake = (await summary()).schools;
    const scored = JSON.parse((await cli("score", SAMPLE_SUBMISSIONS_FILE, "--json")).out) as {
      schools: SchoolResult[];
    };
    const scoredStatus = new Map(scored.schools.map((s) => [s.school.code, s.status as string]));
    // Scoring a file knows the self-assessment only: compare with it, not with the inspection's verdict.
    const differing = viaIntake.filter((s) => s.selfAssessed !== scoredStatus.get(s.code));
    expect(differing.map((s) => s.selfAssessed)).toEqual(["can-bo-sung", "can-bo-sung"]);
    expect(differing.flatMap((s) => s.missing).join(" ")).toMatch(
      /Email người gửi không thuộc trường đã chọn[\s\S]*không đọc được thành một số|không đọc được thành một số[\s\S]*Email người gửi/,
    );
  });

  it("takes the office's inspection tables back from the workbook it wrote (run --inspections FILE.xlsx)", async () => {
    const first = (await summary()).schools;
    const again = join(outDir, "lan-2");
    const { code, err } = await captureCli(
      ["run", "--campaign", uniqueId("lan2"), "--inspections", join(outDir, "theo-doi.xlsx"), "--out", again],
      { FIRESTORE_EMULATOR_HOST: inject("firestoreHost") },
    );
    expect([code, err]).toEqual([0, ""]);
    const second = (JSON.parse(await readFile(join(again, "summary.json"), "utf8")) as Summary).schools;
    const standing = (s: Summary["schools"][number]) => [s.code, s.status, s.inspection?.rejected ?? []];
    expect(second.map(standing)).toEqual(first.map(standing));
    // A file that is not one of the tables is refused before anything starts, saying what it wants.
    const refused = await captureCli(
      ["run", "--inspections", "functions/data/sample/truong-nha-be.csv", "--out", again],
      {
        FIRESTORE_EMULATOR_HOST: inject("firestoreHost"),
      },
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("không nhận ra bảng nào");
  }, 120_000);

  it("ships a sample file that the generator still produces", async () => {
    const { readFile } = await import("node:fs/promises");
    expect(await readFile(SAMPLE_SUBMISSIONS_FILE, "utf8")).toBe(await sampleSubmissionsJson());
  });
});

describe("dienhinh run on the office's own files", () => {
  const env = () => ({ FIRESTORE_EMULATOR_HOST: inject("firestoreHost") });
  const registry = fixture("registry-small.csv");
  /** The same answers, as a responses.list reply and as Google Forms' CSV export. */
  const files = async () => {
    const bindings = specBindings("dossier");
    const list = [
      formResponse(bindings, SCHOOLS[1] as School, PASSING_DOSSIER, {
        responseId: "a",
        lastSubmittedTime: "2026-11-05T01:00:00Z",
      }),
      formResponse(
        bindings,
        SCHOOLS[2] as School,
        { ...PASSING_DOSSIER, "4.1": "2" },
        {
          responseId: "b",
          email: "cs1@test.example",
          lastSubmittedTime: "2026-11-05T02:00:00Z",
        },
      ),
      formResponse(bindings, SCHOOLS[0] as School, PASSING_DOSSIER, {
        responseId: "c",
        email: "ai-do@gmail.com",
        lastSubmittedTime: "2026-11-05T03:00:00Z",
      }),
    ];
    const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const rows = list.map((r, i) =>
      [
        `2026/11/05 ${8 + i}:00:00 SA GMT+7`,
        r.respondentEmail ?? "",
        ...bindings.map(
          (b) =>
            (
              r.answers?.[b.questionId] as
                | { textAnswers?: { answers?: Array<{ value?: string }> } }
                | undefined
            )?.textAnswers?.answers?.[0]?.value ?? "",
        ),
      ]
        .map(quote)
        .join(","),
    );
    const dir = await mkdtemp(join(tmpdir(), "dienhinh-own-"));
    const json = join(dir, "tra-loi.json");
    const csv = join(dir, "tra-loi.csv");
    await writeFile(json, JSON.stringify({ responses: list }));
    await writeFile(
      csv,
      `\uFEFF${["Dấu thời gian", "Địa chỉ email", ...bindings.map((b) => b.title)].map(quote).join(",")}\n${rows.join("\n")}\n`,
    );
    return { dir, json, csv };
  };

  it("gives the same statuses for a Forms CSV export as for the same answers as Forms API JSON", async () => {
    const { dir, json, csv } = await files();
    type Out = {
      schools: Array<{ code: string; status: string }>;
      ingest: { dossier: { received: number } };
    };
    const outOf = async (file: string, name: string) => {
      const { code, out, err } = await captureCli(
        [
          "run",
          "--campaign",
          uniqueId("own"),
          "--registry",
          registry,
          "--school-year",
          "2025-2026",
          "--responses",
          file,
          "--out",
          join(dir, name),
          "--json",
        ],
        env(),
      );
      expect([code, err]).toEqual([0, ""]);
      return JSON.parse(out) as Out;
    };
    const viaJson = await outOf(json, "json");
    const viaCsv = await outOf(csv, "csv");
    expect(viaJson.ingest.dossier.received).toBe(3);
    expect(viaCsv.schools).toEqual(viaJson.schools);
    expect(Object.fromEntries(viaJson.schools.map((s) => [s.code, s.status]))).toEqual({
      "T-MN1": "can-bo-sung",
      // T-TH1 never registered (its registration items are to supply); T-CS1 reported an incident.
      "T-TH1": "can-bo-sung",
      "T-CS1": "khong-du-dieu-kien",
    });
  }, 120_000);
});

describe("the dienhinh binary", () => {
  it("exits with code 2 and a message, never a stack trace, on bad input", async () => {
    const run = promisify(execFile);
    const failure = await run(process.execPath, [
      "--import",
      "tsx",
      "functions/src/cli/main.ts",
      "score",
      "/khong/co.json",
    ]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/^Lỗi: Tệp bài nộp \/khong\/co\.json không hợp lệ:/);
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });
});
