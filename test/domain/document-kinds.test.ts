import { describe, expect, it } from "vitest";
import {
  ADMINISTRATIVE_KINDS,
  DOCUMENT_KINDS,
  ISSUED_AS,
  numberCode,
  printedKind,
} from "../../functions/src/domain/document-kinds.js";
import { numberLine } from "../../functions/src/domain/documents.js";

/** Decree 30/2020/NĐ-CP, Phụ lục III: the kinds a văn thư registers, and their abbreviations. */
describe("document kinds and numbers", () => {
  it("issues every document as a kind of Phụ lục III, its number carrying that kind's abbreviation", () => {
    for (const kind of DOCUMENT_KINDS) {
      if (kind === "cong-van") continue; // below: a letter has no kind of its own
      const issued = ADMINISTRATIVE_KINDS[ISSUED_AS[kind]];
      expect(printedKind(kind)).toBe(issued.name.toLocaleUpperCase("vi"));
      expect(numberLine(kind, "GDĐT", "05")).toBe(`Số: 05/${issued.code}-GDĐT`);
    }
  });

  it("numbers a công văn with the issuer's abbreviation alone and prints no kind: its subject stands under the number", () => {
    expect(numberLine("cong-van", "GDĐT", "15")).toBe("Số: 15/GDĐT");
    expect(printedKind("cong-van")).toBe("");
    expect(Object.keys(ADMINISTRATIVE_KINDS)).not.toContain("cong-van");
  });

  it("prints a school's result as a Thông báo (TB): Decree 30 has no kind 'Kết quả'", () => {
    expect([printedKind("ket-qua"), numberCode("ket-qua")]).toEqual(["THÔNG BÁO", "TB"]);
    expect(Object.values(ADMINISTRATIVE_KINDS).map((k) => k.code)).not.toContain("KQ");
  });

  it("issues the office's plan to the schools as a Kế hoạch (KH), printed KẾ HOẠCH", () => {
    expect([printedKind("ke-hoach"), numberCode("ke-hoach")]).toEqual(["KẾ HOẠCH", "KH"]);
    expect(numberLine("ke-hoach", "GDĐT", "03")).toBe("Số: 03/KH-GDĐT");
  });

  it("uses the abbreviations of Phụ lục III for the kinds the campaign issues", () => {
    expect(DOCUMENT_KINDS.map((k) => [k, numberCode(k)])).toEqual([
      ["ket-qua", "TB"],
      ["thong-bao", "TB"],
      ["bao-cao", "BC"],
      ["quyet-dinh", "QĐ"],
      ["bien-ban", "BB"],
      ["to-trinh", "TTr"],
      ["cong-van", undefined],
      ["ke-hoach", "KH"],
    ]);
    expect(ADMINISTRATIVE_KINDS["ke-hoach"].code).toBe("KH");
    expect(ADMINISTRATIVE_KINDS["giay-moi"].code).toBe("GM");
    // Every abbreviation names one kind only.
    const codes = Object.values(ADMINISTRATIVE_KINDS).map((k) => k.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
