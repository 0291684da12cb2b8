import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { captureCli } from "../kit/cli.js";

/** `dienhinh check`: the office's three files, as it saves them, validated together. */
const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const tmp = () => mkdtemp(join(tmpdir(), "dienhinh-check-"));

describe("dienhinh check", () => {
  it("says what each file holds when all are good together", async () => {
    const run = await captureCli(["check"]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/✓ Danh sách trường: 69 trường \(Mầm non \d+, /u);
    expect(run.out).toContain("Các tệp hợp lệ và khớp nhau");
  });

  it("reads a CSV Excel saved in Windows-1258, and says to save it as CSV UTF-8", async () => {
    const run = await captureCli(["check", "--registry", fixture("registry-windows-1258.csv")]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("✓ Danh sách trường: 3 trường");
    expect(run.out).toContain("Tệp CSV lưu theo bảng mã Windows-1258");
  });

  it("reads an .xlsx registry with a title above its header", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Trường");
    sheet.addRow(["DANH SÁCH CÁC TRƯỜNG NĂM HỌC 2025-2026"]);
    sheet.addRow(["Mã trường", "Tên trường", "Cấp học", "Xã/Thị trấn", "Loại hình", "Email"]);
    sheet.addRow(["T-1", "Trường Tiểu học A", "Tiểu học", "Hiệp Phước", "Công lập", "a@x.example"]);
    const file = join(await tmp(), "truong.xlsx");
    await workbook.xlsx.writeFile(file);
    const run = await captureCli(["check", "--registry", file]);
    expect([run.code, run.out]).toEqual([
      0,
      expect.stringContaining("✓ Danh sách trường: 1 trường (Tiểu học 1)"),
    ]);
  });

  it("refuses with exit code 2 and every problem of every file at its place, the fix beside", async () => {
    const dir = await tmp();
    const criteria = join(dir, "tieu-chi.yaml");
    await writeFile(
      criteria,
      [
        "id: x",
        "version: 1",
        "title: Bộ tiêu chí thử",
        "criteria:",
        '  - id: "1"',
        "    title: Kế hoạch",
        "    points: 90",
        "    indicators:",
        '      - id: "1.1"',
        "        kind: evidence",
        "        text: Có kế hoạch",
        "        subject: kế hoạch",
        "        levels: [mam-non, tieu-hoc]",
        "",
      ].join("\n"),
    );
    const run = await captureCli([
      "check",
      "--registry",
      fixture("registry-small.csv"),
      "--criteria",
      criteria,
    ]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("Tổng điểm các tiêu chí là 90, cần bằng 100 (Tiêu chí 1: 90)");
    expect(run.err).toContain("Cấp học “THCS” (1 trường trong danh sách) không có chỉ tiêu nào áp dụng");
    // A broken file is named with its place, 1-based as the office counts.
    await writeFile(
      criteria,
      "id: x\nversion: 1\ntitle: X\ncriteria:\n  - id: '1'\n    title: A\n    points: -5\n    indicators: []\n",
    );
    const broken = await captureCli(["check", "--criteria", criteria]);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain("Tiêu chí 1 (criteria[0].points) (dòng 7)");
    expect(broken.out).toContain("✓ Danh sách trường: 69 trường");
  });
});
