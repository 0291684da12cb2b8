import { describe, expect, it } from "vitest";
import { tallyByLevel } from "../../functions/src/domain/campaign-score.js";
import { evaluate } from "../../functions/src/domain/evaluate.js";
import { levelsLabel, parseLevels, type SchoolLevel } from "../../functions/src/domain/levels.js";
import { compareSchools, type SchoolRef, schoolSchema } from "../../functions/src/domain/school.js";
import { answer, defaultSet, trafficSet } from "../kit/index.js";

/** A school of several levels (trường nhiều cấp học), as the registry names it. */
const spanning = (levels: SchoolLevel[], code = `T-${levels.join("-")}`): SchoolRef => ({
  code,
  name: `Trường thử ${levelsLabel(levels)}`,
  levels,
});

const row = (level: unknown) => ({
  code: "T-1",
  name: "Trường Tiểu học, THCS và THPT Ngôi Sao",
  level,
  commune: "Phước Kiển",
  ownership: "Ngoài công lập",
  emails: "a@x.vn",
});

describe("schools of several levels", () => {
  it.each([
    ["TH-THCS-THPT", ["tieu-hoc", "thcs", "thpt"]],
    ["Tiểu học, THCS và THPT", ["tieu-hoc", "thcs", "thpt"]],
    ["THPT - THCS", ["thcs", "thpt"]],
    ["mam-non; tieu-hoc", ["mam-non", "tieu-hoc"]],
    ["MN + TH", ["mam-non", "tieu-hoc"]],
    ["Mầm non", ["mam-non"]],
    ["THCS, thcs", ["thcs"]],
  ])("reads %s as its levels, in order, each once", (text, levels) => {
    expect(parseLevels(text)).toEqual(levels);
  });

  it.each(["Đại học", "TH-Đại học", "Khác-TH", "", " - "])("names no level in %j", (text) => {
    expect(parseLevels(text)).toBeUndefined();
  });

  it("keeps them in the registry, and reads a school stored with one `level` as before", () => {
    const school = schoolSchema.parse(row("TH-THCS-THPT"));
    expect(school.levels).toEqual(["tieu-hoc", "thcs", "thpt"]);
    expect(levelsLabel(school.levels)).toBe("TH-THCS-THPT");
    // What the sheet writes reads back the same.
    expect(schoolSchema.parse(row(levelsLabel(school.levels))).levels).toEqual(school.levels);
    expect(schoolSchema.parse({ ...school, levels: undefined, level: "thcs" }).levels).toEqual(["thcs"]);
    const refused = schoolSchema.safeParse(row("Đại học"));
    expect(refused.error?.issues[0]?.message).toMatch(/^Cấp học không hợp lệ: “Đại học”.*“TH-THCS-THPT”/u);
  });

  it("meets the threshold of each of its levels", () => {
    // The traffic set asks for 4 lessons in a primary school and 6 in a lower-secondary one.
    const lessons = (n: number) =>
      evaluate({ "A-tiet-hoc": answer(n) }, trafficSet(), spanning(["tieu-hoc", "thcs"]))
        .criteria.flatMap((c) => c.indicators)
        .find((i) => i.id === "A-tiet-hoc");
    expect(lessons(5)?.status).toBe("not-met");
    expect(lessons(6)?.status).toBe("met");
    expect(lessons(5)?.requirement).toBe("Từ 4 tiết trở lên (Tiểu học); từ 6 tiết trở lên (THCS)");
    expect(lessons(5)?.message).toContain("yêu cầu từ 4 tiết trở lên (Tiểu học); từ 6 tiết trở lên (THCS)");
    // Levels that agree state the threshold once.
    const same = evaluate({}, trafficSet(), spanning(["tieu-hoc", "thpt"]))
      .criteria.flatMap((c) => c.indicators)
      .find((i) => i.id === "A-tiet-hoc");
    expect(same?.requirement).toBe("Từ 4 tiết trở lên");
  });

  it("answers every indicator that applies to any of its levels, in the words of each", () => {
    const set = defaultSet();
    const indicatorOf = (school: SchoolRef, id: string) =>
      evaluate({}, set, school)
        .criteria.flatMap((c) => c.indicators)
        .find((i) => i.id === id);
    // 2.2 (the parents' association) is for schools, not kindergartens.
    expect(indicatorOf(spanning(["mam-non"]), "2.2")?.status).toBe("not-applicable");
    expect(indicatorOf(spanning(["mam-non", "tieu-hoc"]), "2.2")?.status).toBe("not-met");
    // A kindergarten says "trẻ"; a kindergarten with a primary school says both.
    const words = evaluate({}, set, spanning(["mam-non", "tieu-hoc"])).missing.map((m) => m.message);
    expect(words.join(" ")).toContain("trẻ và học sinh");
  });

  it("counts such a school once, under Nhiều cấp học, after the single levels", () => {
    const results = [spanning(["thcs"]), spanning(["tieu-hoc", "thcs", "thpt"]), spanning(["mam-non"])].map(
      (school) => ({ school: { ...school, commune: "Phước Kiển", ownership: "cong-lap" }, status: "dat" }),
    );
    const tallies = tallyByLevel(results as never, "Toàn huyện");
    expect(tallies.map((t) => [t.label, t.schools])).toEqual([
      ["Mầm non", 1],
      ["THCS", 1],
      ["Nhiều cấp học", 1],
      ["Toàn huyện", 3],
    ]);
    expect(
      results
        .map((r) => r.school)
        .sort(compareSchools)
        .map((s) => s.code),
    ).toEqual(["T-mam-non", "T-thcs", "T-tieu-hoc-thcs-thpt"]);
  });
});
