import { describe, expect, it } from "vitest";
import { DataFileError } from "../../functions/src/data/errors.js";
import { loadRegistry, parseRegistryCsv } from "../../functions/src/data/registry-csv.js";
import { MAX_SCHOOL_CODE_CHARS, schoolCodeProblem, schoolSchema } from "../../functions/src/domain/school.js";
import { compareVi } from "../../functions/src/domain/text.js";

const HEADER = "Mã trường,Tên trường,Cấp học,Xã/Phường,Loại hình,Email";

const errorOf = (text: string): DataFileError => {
  try {
    parseRegistryCsv(text, "truong.csv");
  } catch (error) {
    if (error instanceof DataFileError) return error;
    throw error;
  }
  throw new Error("expected the registry to be rejected");
};

describe("school registry CSV", () => {
  it("loads the sample registry: about 70 schools of every level, marked as sample data", async () => {
    const schools = await loadRegistry();
    expect(schools.length).toBeGreaterThanOrEqual(65);
    expect(schools.length).toBeLessThanOrEqual(80);
    expect(new Set(schools.flatMap((s) => s.levels))).toEqual(
      new Set(["mam-non", "tieu-hoc", "thcs", "thpt", "khac"]),
    );
    // A school of several levels (trường nhiều cấp học) has each of them.
    expect(schools.find((s) => s.code === "NB-K02")?.levels).toEqual(["tieu-hoc", "thcs", "thpt"]);
    expect(new Set(schools.map((s) => s.code)).size).toBe(schools.length);
    const { readFile } = await import("node:fs/promises");
    const { SAMPLE_REGISTRY_FILE } = await import("../../functions/src/data/registry-csv.js");
    expect((await readFile(SAMPLE_REGISTRY_FILE, "utf8")).split("\n")[0]).toMatch(/^# DỮ LIỆU MẪU/);
  });

  it("reads labels, several emails, a BOM and Excel's semicolons", () => {
    const text = `\uFEFF${HEADER.replaceAll(",", ";")}\nA1;Trường Mầm non Sen;MN;Phú Xuân;tư thục;a@x.example, b@x.example\n`;
    expect(parseRegistryCsv(text, "truong.csv")).toEqual([
      {
        code: "A1",
        name: "Trường Mầm non Sen",
        levels: ["mam-non"],
        commune: "Phú Xuân",
        ownership: "ngoai-cong-lap",
        emails: ["a@x.example", "b@x.example"],
      },
    ]);
  });

  it("normalises decomposed text to NFC and sorts by level, then Vietnamese collation", () => {
    const nfd = (s: string) => s.normalize("NFD");
    const text = [
      HEADER,
      `C,${nfd("Trường Tiểu học Đinh Bộ Lĩnh")},Tiểu học,Nhơn Đức,Công lập,c@x.example`,
      `B,${nfd("Trường Tiểu học Dương Văn Lịch")},Tiểu học,${nfd("Nhơn Đức")},Công lập,b@x.example`,
      `A,Trường THCS An Lạc,THCS,Phú Xuân,Công lập,a@x.example`,
      `D,${nfd("Trường Mầm non Ánh Dương")},Mầm non,Phú Xuân,Công lập,d@x.example`,
    ].join("\n");
    const schools = parseRegistryCsv(text, "truong.csv");
    expect(schools.map((s) => s.code)).toEqual(["D", "B", "C", "A"]);
    expect(schools[1]?.name).toBe("Trường Tiểu học Dương Văn Lịch".normalize("NFC"));
    expect(schools[1]?.commune).toBe("Nhơn Đức");
    expect(compareVi("Đinh", "Dương")).toBeGreaterThan(0); // Đ after D, unlike code-point order of NFD text
  });

  it("reports every bad row with its line, code and column", () => {
    const text = [
      "# dòng ghi chú",
      HEADER,
      "A1,Trường A,Mầm non,Phú Xuân,Công lập,a@x.example",
      "A2,Trường B,Đại học,Phú Xuân,Công lập,b@x.example",
      "A3,Trường C,THCS,Phú Xuân,Công lập,khong-phai-email",
      "A1,Trường D,THCS,Phú Xuân,Công lập,d@x.example",
      ",Trường E,THCS,Phú Xuân,Bán công,e@x.example",
    ].join("\n");
    const error = errorOf(text);
    expect(error.issues.map((i) => i.path)).toEqual([
      'dòng 4 (mã A2), cột "Cấp học"',
      'dòng 5 (mã A3), cột "Email"',
      "dòng 6 (mã A1)",
      'dòng 7, cột "Mã trường"',
      'dòng 7, cột "Loại hình"',
    ]);
    expect(error.message).toContain('dòng 4 (mã A2), cột "Cấp học": Cấp học không hợp lệ: “Đại học”');
    expect(error.message).toContain("mã trường trùng với dòng 3");
  });

  it.each([
    ["..", "phải có ít nhất một chữ hoặc số"],
    [".", "phải có ít nhất một chữ hoặc số"],
    ["-_-", "phải có ít nhất một chữ hoặc số"],
    ["__x__", "hai dấu gạch dưới (__)"],
    ["__TH01__", "hai dấu gạch dưới (__)"],
    ["NB/TH01", 'ký tự không dùng được: "/"'],
    ["NB TH01", "ký tự không dùng được: dấu cách"],
    ["", "không được để trống"],
    ["A".repeat(MAX_SCHOOL_CODE_CHARS + 1), `dài ${MAX_SCHOOL_CODE_CHARS + 1} ký tự, tối đa 64`],
    ["Ấ".repeat(1_000), "dài 1000 ký tự"],
  ])("refuses the school code %j, which Firestore would refuse or which is unusable", (code, reason) => {
    expect(schoolCodeProblem(code)).toContain(reason);
    const parsed = schoolSchema.safeParse({
      code,
      name: "Trường A",
      level: "THCS",
      commune: "Phú Xuân",
      ownership: "Công lập",
      emails: "a@x.example",
    });
    expect(parsed.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [["code"], expect.stringContaining(reason)],
    ]);
  });

  it.each(["NB-TH01", "A1", "th.01", "__x", "x__", "_TH_", "Mầm-non.Hoa_Mi", "A".repeat(64)])(
    "accepts the school code %j",
    (code) => expect(schoolCodeProblem(code)).toBeUndefined(),
  );

  it("lists every row whose code cannot be used, with its line and reason, and no other row", () => {
    const long = "X".repeat(70);
    const error = errorOf(
      [
        HEADER,
        "A1,Trường A,THCS,Phú Xuân,Công lập,a@x.example",
        "..,Trường B,THCS,Phú Xuân,Công lập,b@x.example",
        "__x__,Trường C,THCS,Phú Xuân,Công lập,c@x.example",
        `${long},Trường D,THCS,Phú Xuân,Công lập,d@x.example`,
      ].join("\n"),
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      'dòng 3 (mã ..), cột "Mã trường"',
      'dòng 4 (mã __x__), cột "Mã trường"',
      `dòng 5 (mã ${"X".repeat(39)}…), cột "Mã trường"`,
    ]);
    expect(error.message).toContain(
      'dòng 3 (mã ..), cột "Mã trường": mã trường phải có ít nhất một chữ hoặc số',
    );
    expect(error.message).toContain("mã trường dài 70 ký tự, tối đa 64");
    expect(error.fixable).toBe(true);
  });

  it("lowercases emails given as a list, as it does emails given as text", () => {
    const parsed = schoolSchema.parse({
      code: "A",
      name: "B",
      level: "THCS",
      commune: "C",
      ownership: "Công lập",
      emails: ["HoaMi@Truong.Example"],
    });
    expect(parsed.emails).toEqual(["hoami@truong.example"]);
  });

  it("reads the optional head's name and phone, normalising the phone, and a Xã/Thị trấn column", () => {
    const text = [
      "Mã trường,Tên trường,Cấp học,Xã/Thị trấn,Loại hình,Email,Hiệu trưởng,Điện thoại",
      "A,Trường THCS An Lạc,THCS,Thị trấn Nhà Bè,Công lập,a@x.example,Nguyễn  Văn Mẫu,(028) 3873.1234",
      "B,Trường Mầm non Sen,Mầm non,Phú Xuân,Tư thục,b@x.example,,+84 912-345-678",
      "C,Trường Tiểu học Sao Mai,Tiểu học,Phú Xuân,Công lập,c@x.example,,",
    ].join("\n");
    const schools = parseRegistryCsv(text, "truong.csv");
    expect(schools.map((s) => [s.code, s.commune, s.head, s.phone])).toEqual([
      ["B", "Phú Xuân", undefined, "0912 345 678"],
      ["C", "Phú Xuân", undefined, undefined],
      ["A", "Thị trấn Nhà Bè", "Nguyễn Văn Mẫu", "028 3873 1234"],
    ]);
    // Left empty, they are absent, not "" (nothing empty is stored).
    expect(schools[1]).not.toHaveProperty("head");
    expect(schools[1]).not.toHaveProperty("phone");
  });

  it.each([
    ["0912345678", "0912 345 678"],
    ["0912.345.678", "0912 345 678"],
    ["84 983 456 789", "0983 456 789"],
    ["912345678", "0912 345 678"],
    ["0283 873 1234", "028 3873 1234"],
    ["02513 822 123", "0251 3822 123"],
  ])("normalises the phone %s to %s", (typed, phone) => {
    expect(
      parseRegistryCsv(`${HEADER},Điện thoại\nA,B,THCS,C,Công lập,a@x.example,${typed}\n`, "t.csv")[0]?.phone,
    ).toBe(phone);
  });

  it("refuses a phone that is not a Vietnamese number, in Vietnamese, naming the line and column", () => {
    const error = errorOf(
      `${HEADER},Điện thoại\nA,B,THCS,C,Công lập,a@x.example,0123 456\nB,C,THCS,C,Công lập,b@x.example,gọi thầy Nam\n`,
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      'dòng 2 (mã A), cột "Điện thoại"',
      'dòng 3 (mã B), cột "Điện thoại"',
    ]);
    expect(error.issues[0]?.message).toBe(
      'số điện thoại không hợp lệ: "0123 456"; dùng số di động 10 chữ số (ví dụ 0912 345 678) hoặc số cố định 11 chữ số có mã vùng (ví dụ 028 3873 1234)',
    );
  });

  it("has the sample schools' heads and phones, some left out as they may be", async () => {
    const schools = await loadRegistry();
    expect(schools.filter((s) => s.head).length).toBeGreaterThan(60);
    expect(schools.filter((s) => s.phone).length).toBeGreaterThan(60);
    expect(schools.some((s) => !s.head) && schools.some((s) => !s.phone)).toBe(true);
  });

  it("names missing columns", () => {
    const error = errorOf("Mã trường,Tên trường,Email\nA,B,a@x.example\n");
    expect(error.issues[0]?.message).toBe('thiếu cột: "Cấp học", "Xã/Phường", "Loại hình"');
  });
});

describe("the registry as the office saved it", () => {
  const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

  it("finds the header row below a title and an empty line", () => {
    const schools = parseRegistryCsv(
      `DANH SÁCH TRƯỜNG HỌC NĂM HỌC 2025-2026,,,,,\n,,,,,\n${HEADER}\nT-1,Trường Tiểu học A,Tiểu học,Phú Xuân,Công lập,a@x.example\n`,
      "truong.csv",
    );
    expect(schools.map((s) => s.code)).toEqual(["T-1"]);
  });

  it("reads a CSV Excel saved in Windows-1258 as the same schools as its UTF-8 copy", async () => {
    const [legacy, utf8] = await Promise.all([
      loadRegistry(fixture("registry-windows-1258.csv")),
      loadRegistry(fixture("registry-small.csv")),
    ]);
    expect(legacy).toEqual(utf8);
    expect(legacy.map((s) => s.name)).toContain("Trường Tiểu học Đồng Khởi");
  });

  it("reads an .xlsx workbook's first sheet, its title rows skipped, and names bad rows by their row", async () => {
    const { mkdtemp } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { default: ExcelJS } = await import("exceljs");
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Danh sách");
    sheet.addRow(["DANH SÁCH TRƯỜNG HỌC"]);
    sheet.addRow([]);
    sheet.addRow(HEADER.split(","));
    sheet.addRow(["T-1", "Trường Tiểu học A", "Tiểu học", "Phú Xuân", "Công lập", "a@x.example"]);
    sheet.addRow(["T-2", "Trường Mầm non B", "Nhà trẻ?", "Phú Xuân", "Công lập", "b@x.example"]);
    const file = join(await mkdtemp(join(tmpdir(), "dienhinh-registry-")), "truong.xlsx");
    await workbook.xlsx.writeFile(file);
    const error = await loadRegistry(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).issues.map((i) => i.path)).toEqual(['dòng 5 (mã T-2), cột "Cấp học"']);
    sheet.spliceRows(5, 1);
    await workbook.xlsx.writeFile(file);
    expect((await loadRegistry(file)).map((s) => s.code)).toEqual(["T-1"]);
  });

  it("refuses a file named .xlsx that is not one, saying so", async () => {
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const file = join(await mkdtemp(join(tmpdir(), "dienhinh-registry-")), "truong.xlsx");
    await writeFile(file, `${HEADER}\n`);
    const error = await loadRegistry(file).catch((e: unknown) => e);
    expect((error as DataFileError).issues[0]?.message).toMatch(/^không đọc được tệp Excel \(\.xlsx\)/u);
  });
});
