import { describe, expect, it } from "vitest";
import type { Answers, Submission } from "../../functions/src/domain/answers.js";
import { evaluate, evaluateSchool } from "../../functions/src/domain/evaluate.js";
import { nfc } from "../../functions/src/domain/text.js";
import { answer, defaultSet, schoolAt, trafficSet } from "../kit/index.js";

const traffic = trafficSet();
const official = defaultSet();

/** Answers to the traffic set that meet everything, for a primary school. */
const passingTraffic = (): Record<string, ReturnType<typeof answer>> => ({
  "A-tiet-hoc": answer(4),
  "A-ke-hoach": answer(true, ["drive:ke-hoach"]),
  "B-vi-pham": answer(0),
  "B-mu-bao-hiem": answer(96),
  "B-toc-do": answer(40),
  "C-danh-gia": answer("Tốt", ["drive:bien-ban"]),
});

const indicator = (answers: Answers, id: string, level: Parameters<typeof schoolAt>[0] = "tieu-hoc") => {
  const result = evaluate(answers, traffic, schoolAt(level))
    .criteria.flatMap((c) => c.indicators)
    .find((i) => i.id === id);
  if (!result) throw new Error(`indicator ${id} not in the evaluation`);
  return result;
};

describe("evaluate: each kind of indicator", () => {
  it.each([
    // evidence: a yes/no fact that needs a file
    ["evidence, yes with a file", "A-ke-hoach", answer(true, ["f"]), "met", undefined],
    ["evidence, 'Có' typed, with a file", "A-ke-hoach", answer("Có", ["f"]), "met", undefined],
    [
      "evidence, yes without a file",
      "A-ke-hoach",
      answer(true),
      "evidence-missing",
      "Tiêu chí A: Kế hoạch tuyên truyền an toàn giao thông: chưa nộp tệp minh chứng.",
    ],
    [
      "evidence, no",
      "A-ke-hoach",
      answer("Không"),
      "not-met",
      "Tiêu chí A: Chưa có kế hoạch tuyên truyền an toàn giao thông.",
    ],
    [
      "evidence, nonsense",
      "A-ke-hoach",
      answer("có lẽ"),
      "not-met",
      "Tiêu chí A: Câu trả lời “có lẽ” không hợp lệ cho kế hoạch tuyên truyền an toàn giao thông.",
    ],
    [
      "evidence, unanswered",
      "A-ke-hoach",
      undefined,
      "not-met",
      "Tiêu chí A: Chưa khai báo kế hoạch tuyên truyền an toàn giao thông.",
    ],
    // number with a threshold (≥ 4 for primary)
    ["number ≥, at the threshold", "A-tiet-hoc", answer(4), "met", undefined],
    ["number ≥, typed '4'", "A-tiet-hoc", answer("4"), "met", undefined],
    [
      "number ≥, below",
      "A-tiet-hoc",
      answer(3),
      "not-met",
      "Tiêu chí A: Số tiết học về an toàn giao thông là 3 tiết, yêu cầu từ 4 tiết trở lên.",
    ],
    [
      "number, not an integer",
      "A-tiet-hoc",
      answer(4.5),
      "not-met",
      "Tiêu chí A: Câu trả lời “4.5” không hợp lệ cho số tiết học về an toàn giao thông.",
    ],
    [
      "number >, equal is not enough",
      "B-mu-bao-hiem",
      answer("95 %"),
      "not-met",
      "Tiêu chí B: Tỷ lệ học sinh đội mũ bảo hiểm là 95%, yêu cầu trên 95%.",
    ],
    ["number >, above", "B-mu-bao-hiem", answer("95,5%"), "met", undefined],
    [
      "number, over its max",
      "B-mu-bao-hiem",
      answer(101),
      "not-met",
      "Tiêu chí B: Câu trả lời “101” không hợp lệ cho tỷ lệ học sinh đội mũ bảo hiểm.",
    ],
    [
      "number ≤, above (not mandatory)",
      "B-toc-do",
      answer(50),
      "not-met",
      "Tiêu chí B: Tốc độ tối đa của xe đưa đón là 50 km/h, yêu cầu không quá 40 km/h (không bắt buộc).",
    ],
    // count that must be zero
    ["zero, zero", "B-vi-pham", answer(0), "met", undefined],
    [
      "zero, one",
      "B-vi-pham",
      answer(1),
      "not-met",
      "Tiêu chí B: Có 1 học sinh vi phạm luật giao thông bị xử phạt, yêu cầu 0.",
    ],
    [
      "zero, negative",
      "B-vi-pham",
      answer(-1),
      "not-met",
      "Tiêu chí B: Câu trả lời “-1” không hợp lệ cho học sinh vi phạm luật giao thông bị xử phạt.",
    ],
    // choice from a list (criterion C is not mandatory)
    ["choice, accepted, with file", "C-danh-gia", answer("Khá", ["f"]), "met", undefined],
    ["choice, case and spacing differ", "C-danh-gia", answer("  tốt ", ["f"]), "met", undefined],
    [
      "choice, accepted, no file",
      "C-danh-gia",
      answer("Tốt"),
      "evidence-missing",
      "Tiêu chí C: Đánh giá của Ban đại diện cha mẹ học sinh: chưa nộp tệp minh chứng (không bắt buộc).",
    ],
    [
      "choice, not accepted",
      "C-danh-gia",
      answer("Trung bình", ["f"]),
      "not-met",
      "Tiêu chí C: Đánh giá của Ban đại diện cha mẹ học sinh là “Trung bình”, yêu cầu “Tốt” hoặc “Khá” (không bắt buộc).",
    ],
    [
      "choice, not an option",
      "C-danh-gia",
      answer("Xuất sắc", ["f"]),
      "not-met",
      "Tiêu chí C: Câu trả lời “Xuất sắc” không hợp lệ cho đánh giá của Ban đại diện cha mẹ học sinh (không bắt buộc).",
    ],
    [
      "choice, the not-applicable option",
      "C-danh-gia",
      answer("Chưa có Ban đại diện"),
      "not-applicable",
      undefined,
    ],
  ])("%s", (_name, id, given, status, message) => {
    const answers = { ...passingTraffic() };
    if (given === undefined) delete answers[id];
    else answers[id] = given;
    const result = indicator(answers, id);
    expect(result.status).toBe(status);
    expect(result.message).toBe(message);
  });

  it.each([
    ["mam-non", 1, "Từ 1 tiết trở lên"],
    ["tieu-hoc", 4, "Từ 4 tiết trở lên"],
    ["thcs", 6, "Từ 6 tiết trở lên"],
    ["thpt", 4, "Từ 4 tiết trở lên"],
  ] as const)("uses the threshold for the level: %s needs %d", (level, needed, requirement) => {
    const meets = indicator({ "A-tiet-hoc": answer(needed) }, "A-tiet-hoc", level);
    const short = indicator({ "A-tiet-hoc": answer(needed - 1) }, "A-tiet-hoc", level);
    expect([meets.status, short.status, meets.requirement]).toEqual(["met", "not-met", requirement]);
  });
});

describe("evaluate: criteria, points and the verdict", () => {
  it("waits for inspection (Chờ kiểm tra) with full points when everything is met", () => {
    const e = evaluate(passingTraffic(), traffic, schoolAt("tieu-hoc"));
    expect(e.selfAssessed).toBe("cho-kiem-tra");
    expect([e.points, e.maxPoints]).toEqual([100, 100]);
    expect(e.missing).toEqual([]);
    expect(e.criteriaSetId).toBe("truong-hoc-an-toan-giao-thong");
    expect(e.criteriaVersion).toBe("3");
  });

  it("shares a criterion's points by weight and keeps the verdict all-or-nothing", () => {
    const e = evaluate({ ...passingTraffic(), "A-tiet-hoc": answer(0) }, traffic, schoolAt("tieu-hoc"));
    const a = e.criteria.find((c) => c.id === "A");
    expect(a?.status).toBe("not-met");
    expect(a?.points).toBe(30); // weight 3 of 4 of 40 points
    expect(e.points).toBe(90);
    expect(e.selfAssessed).toBe("can-bo-sung");
  });

  it("does not fail the verdict on a non-mandatory indicator or criterion, but lists it", () => {
    const e = evaluate(
      { ...passingTraffic(), "B-toc-do": answer(60), "C-danh-gia": answer("Trung bình", ["f"]) },
      traffic,
      schoolAt("tieu-hoc"),
    );
    expect(e.selfAssessed).toBe("cho-kiem-tra");
    expect(e.missing.map((m) => [m.indicatorId, m.mandatory])).toEqual([
      ["B-toc-do", false],
      ["C-danh-gia", false],
    ]);
  });

  it("shows an optional criterion as not met when its indicators fail, without failing the verdict", () => {
    const e = evaluate(
      { ...passingTraffic(), "C-danh-gia": answer("Trung bình", ["f"]) },
      traffic,
      schoolAt("tieu-hoc"),
    );
    expect(e.criteria.find((c) => c.id === "C")?.status).toBe("not-met");
    expect(e.selfAssessed).toBe("cho-kiem-tra");
  });

  it("rules a school out on a fact it reported (an incident), and asks nothing of it", () => {
    const e = evaluate(
      { ...passingTraffic(), "B-vi-pham": answer(2), "A-tiet-hoc": answer(0) },
      traffic,
      schoolAt("tieu-hoc"),
    );
    expect(e.selfAssessed).toBe("khong-du-dieu-kien");
    // The incident is a fact; the missing lesson is still something the school could supply.
    expect(e.missing.map((m) => [m.indicatorId, m.disqualifying])).toEqual([
      ["A-tiet-hoc", false],
      ["B-vi-pham", true],
    ]);
  });

  it("asks for a fact the school left unanswered or could not be read, instead of ruling it out", () => {
    const unanswered = evaluate(
      { ...passingTraffic(), "B-vi-pham": answer("") },
      traffic,
      schoolAt("tieu-hoc"),
    );
    const unreadable = evaluate(
      { ...passingTraffic(), "B-vi-pham": answer("hai") },
      traffic,
      schoolAt("tieu-hoc"),
    );
    expect([unanswered.selfAssessed, unreadable.selfAssessed]).toEqual(["can-bo-sung", "can-bo-sung"]);
  });

  it("lists mandatory failures before optional ones", () => {
    const e = evaluate(
      { ...passingTraffic(), "C-danh-gia": answer("Trung bình", ["f"]), "B-vi-pham": answer(2) },
      traffic,
      schoolAt("tieu-hoc"),
    );
    expect(e.missing.map((m) => m.indicatorId)).toEqual(["B-vi-pham", "C-danh-gia"]);
  });

  it("leaves out criteria and indicators that do not apply to the level", () => {
    const e = evaluate(
      {
        "A-tiet-hoc": answer(1),
        "A-ke-hoach": answer(true, ["f"]),
        "B-vi-pham": answer(0),
        "B-toc-do": answer(30),
      },
      traffic,
      schoolAt("mam-non"),
    );
    expect(e.selfAssessed).toBe("cho-kiem-tra");
    expect(e.criteria.find((c) => c.id === "C")?.status).toBe("not-applicable");
    expect(e.maxPoints).toBe(90);
    expect(e.points).toBe(90);
  });

  it("scores only registration indicators at the registration stage", () => {
    const e = evaluate({ "A-ke-hoach": answer(true, ["f"]) }, traffic, schoolAt("thcs"), {
      stage: "registration",
    });
    expect(e.criteria.map((c) => c.id)).toEqual(["A"]);
    expect(e.criteria[0]?.indicators.map((i) => i.id)).toEqual(["A-ke-hoach"]);
    expect(e.selfAssessed).toBe("cho-kiem-tra");
  });

  it("normalises decomposed Vietnamese (NFD) in answers before matching", () => {
    const decomposed = "Hoàn thành tốt nhiệm vụ".normalize("NFD");
    const e = evaluate({ "5.2": answer(nfc(decomposed)) }, official, schoolAt("thcs"));
    const typedNfd = evaluate({ "5.2": answer(decomposed) }, official, schoolAt("thcs"));
    const find = (x: typeof e) => x.criteria.flatMap((c) => c.indicators).find((i) => i.id === "5.2");
    expect(find(e)?.status).toBe("met");
    expect(find(typedNfd)?.status).toBe("met");
    expect(find(typedNfd)?.value).toBe("Hoàn thành tốt nhiệm vụ");
  });
});

describe("the default criteria set", () => {
  it("has the six criteria of Circular 124/2021 and the seed, worth 100 points", () => {
    expect(official.criteria.map((c) => c.id)).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(official.criteria.reduce((s, c) => s + c.points, 0)).toBe(100);
  });

  it("says 'Tiêu chí 4: Có 1 vụ bạo lực học đường, yêu cầu 0.'", () => {
    const e = evaluate({ "4.1": answer(1) }, official, schoolAt("thcs"));
    expect(e.missing.map((m) => m.message)).toContain("Tiêu chí 4: Có 1 vụ bạo lực học đường, yêu cầu 0.");
  });

  it("does not ask kindergartens for the parents' association plan (2.2)", () => {
    const ids = (level: Parameters<typeof schoolAt>[0]) =>
      evaluate({}, official, schoolAt(level))
        .criteria.flatMap((c) => c.indicators)
        .filter((i) => i.status !== "not-applicable")
        .map((i) => i.id);
    expect(ids("mam-non")).not.toContain("2.2");
    expect(ids("tieu-hoc")).toContain("2.2");
  });

  it("accepts 'no Party cell' for the Party resolution (1.1)", () => {
    const e = evaluate({ "1.1": answer("Đơn vị chưa có chi bộ Đảng") }, official, schoolAt("mam-non"));
    const r = e.criteria[0]?.indicators.find((i) => i.id === "1.1");
    expect(r?.status).toBe("not-applicable");
    expect(r?.seen).toBe("Đơn vị chưa có chi bộ Đảng");
  });
});

describe("evaluateSchool", () => {
  const sub = (stage: Submission["stage"], submittedAt: string, answers: Answers): Submission => ({
    schoolCode: "T-tieu-hoc",
    stage,
    submittedAt,
    answers,
  });

  it("has no self-assessment with no submission", () => {
    const e = evaluateSchool(schoolAt("tieu-hoc"), traffic, []);
    expect(e.selfAssessed).toBeNull();
    expect(e.submitted).toEqual([]);
    expect(e.points).toBe(0);
  });

  it("has no self-assessment after registration only, with the registration's points counted", () => {
    const e = evaluateSchool(schoolAt("tieu-hoc"), traffic, [
      sub("registration", "2026-02-10T08:00:00+07:00", { "A-ke-hoach": answer(true, ["f"]) }),
    ]);
    expect(e.selfAssessed).toBeNull();
    expect(e.submitted).toEqual(["registration"]);
    expect(e.points).toBe(30);
  });

  it("combines registration and dossier, and the latest dossier wins whatever its time zone", () => {
    const { "A-ke-hoach": plan, ...dossier } = passingTraffic();
    const e = evaluateSchool(schoolAt("tieu-hoc"), traffic, [
      sub("dossier", "2026-11-05T01:30:00Z", dossier), // 08:30 in Hồ Chí Minh City: the later one
      sub("registration", "2026-02-10T08:00:00+07:00", { "A-ke-hoach": plan as ReturnType<typeof answer> }),
      sub("dossier", "2026-11-05T08:00:00+07:00", { ...dossier, "B-vi-pham": answer(3) }),
    ]);
    expect(e.submitted).toEqual(["registration", "dossier"]);
    expect(e.selfAssessed).toBe("cho-kiem-tra");
  });
});
