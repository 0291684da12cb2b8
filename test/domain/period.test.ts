import { describe, expect, it } from "vitest";
import { assessmentPeriod, campaignSchema } from "../../functions/src/domain/campaign.js";
import { periodInWords } from "../../functions/src/domain/documents.js";

describe("the campaign's own year and period", () => {
  it("runs from 16 November of the school year's first year to 15 November of its second", () => {
    expect(assessmentPeriod({ schoolYear: "2025-2026" })).toEqual({ from: "2025-11-16", to: "2026-11-15" });
    expect(periodInWords(assessmentPeriod({ schoolYear: "2025-2026" }))).toBe(
      "từ ngày 16 tháng 11 năm 2025 đến ngày 15 tháng 11 năm 2026",
    );
  });

  it("keeps a period the campaign sets itself", () => {
    const period = { from: "2025-09-05", to: "2026-05-31" };
    expect(assessmentPeriod({ schoolYear: "2025-2026", period })).toBe(period);
    expect(periodInWords(period)).toBe("từ ngày 05 tháng 9 năm 2025 đến ngày 31 tháng 5 năm 2026");
  });

  it("refuses a school year that is not two years in a row", () => {
    const year = campaignSchema.shape.schoolYear;
    expect(year.safeParse("2025-2026").success).toBe(true);
    expect(year.safeParse("2025-2027").error?.issues[0]?.message).toBe(
      "năm học là hai năm liền nhau, ví dụ 2025-2026",
    );
    expect(year.safeParse("2025").error?.issues[0]?.message).toBe("năm học dạng 2025-2026");
  });
});

describe("wording that depends on the school's level", () => {
  it("says trẻ for a kindergarten where the criteria say học sinh, and keeps học sinh elsewhere", async () => {
    const { defaultSet, schoolAt } = await import("../kit/fixtures.js");
    const { evaluate } = await import("../../functions/src/domain/evaluate.js");
    const { inLevelWords } = await import("../../functions/src/domain/terms.js");
    const set = defaultSet();
    const texts = (level: "mam-non" | "tieu-hoc") =>
      evaluate({}, set, schoolAt(level)).criteria.flatMap((c) => c.indicators.map((i) => i.text));
    expect(texts("mam-non").join(" ")).not.toContain("học sinh");
    expect(texts("mam-non").join(" ")).toContain("quản lý trẻ");
    expect(texts("tieu-hoc").join(" ")).toContain("quản lý học sinh");
    expect(
      evaluate({}, set, schoolAt("mam-non")).missing.some((m) => m.message.includes("nhân viên và trẻ")),
    ).toBe(true);
    expect(inLevelWords("Học sinh và cha mẹ học sinh", { "học sinh": { "mam-non": "trẻ" } }, "mam-non")).toBe(
      "Trẻ và cha mẹ trẻ",
    );
  });
});
