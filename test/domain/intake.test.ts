import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type IntakeContext,
  mayHaveEarlierVersions,
  normalizeTimestamp,
  responseFates,
  submittedBy,
} from "../../functions/src/domain/intake.js";
import { readResponse } from "../../functions/src/domain/intake-guard.js";
import {
  defaultSet,
  formResponse,
  PASSING_DOSSIER,
  SCHOOLS,
  specBindings,
  type TypedAnswers,
} from "../kit/index.js";

const set = defaultSet();
const bindings = specBindings("dossier");
const schools = new Map(SCHOOLS.map((s) => [s.code, s]));
const ctx: IntakeContext = {
  stage: "dossier",
  set,
  bindings,
  schools,
  receivedAt: "2026-11-06T00:00:00.000Z",
};
const th1 = SCHOOLS[1] as (typeof SCHOOLS)[number];

const read = (
  answers: Record<string, string | [string, string]>,
  options: Parameters<typeof formResponse>[3] = {},
  school: Parameters<typeof formResponse>[1] = th1,
) => readResponse(formResponse(bindings, school, answers, options), ctx);

describe("intake: reading a form response", () => {
  it("accepts a complete response and reads numbers, choices and evidence links", () => {
    const outcome = read(PASSING_DOSSIER, {
      responseId: "ACYDBNa",
      lastSubmittedTime: "2026-11-05T08:30:00.5+07:00",
    });
    expect(outcome).toMatchObject({
      key: "ACYDBNa@2026-11-05T01:30:00.500Z",
      disposition: "accepted",
      reasons: [],
      schoolCode: "T-TH1",
      respondentEmail: "th1@test.example",
      respondent: { name: "Lê Thị Khai", role: "Phó Hiệu trưởng" },
    });
    expect(outcome.answers["1.5"]).toEqual({ value: 100, files: [], notApplicable: false });
    expect(outcome.answers["6.1"]?.value).toBe(85);
    expect(outcome.answers["1.6"]).toEqual({
      value: 2,
      files: ["https://drive.google.com/open?id=mo-hinh"],
      notApplicable: false,
    });
    expect(outcome.answers["5.2"]?.value).toBe("Hoàn thành tốt nhiệm vụ");
    expect(outcome.answers["2.1"]?.value).toBe(true);
  });

  it("reads file-upload answers when the office switched an evidence question to an upload", () => {
    const response = formResponse(bindings, th1, { "2.1": "Có" });
    const evidence = bindings.find((b) => b.role === "evidence" && b.indicatorId === "2.1");
    response.answers = {
      ...response.answers,
      [evidence?.questionId ?? ""]: {
        questionId: evidence?.questionId,
        fileUploadAnswers: { answers: [{ fileId: "1AbC", fileName: "kh.pdf" }] },
      },
    };
    expect(readResponse(response, ctx).answers["2.1"]?.files).toEqual([
      "https://drive.google.com/open?id=1AbC",
    ]);
  });

  it("maps answers by title when the sender knows titles, not question ids (Apps Script, CSV)", () => {
    const byId = read(PASSING_DOSSIER);
    const titled = {
      responseId: "r-titled",
      lastSubmittedTime: "2026-11-05T01:30:00Z",
      respondentEmail: "th1@test.example",
      titledAnswers: Object.values(formResponse(bindings, th1, PASSING_DOSSIER).answers ?? {}).map((a) => {
        const answer = a as { questionId: string; textAnswers: unknown };
        return {
          title: bindings.find((b) => b.questionId === answer.questionId)?.title.normalize("NFD") ?? "",
          textAnswers: answer.textAnswers,
        };
      }),
    };
    const outcome = readResponse(titled, ctx);
    expect(outcome.disposition).toBe("accepted");
    expect(outcome.answers).toEqual(byId.answers);
  });

  it("normalises decomposed Vietnamese text to NFC", () => {
    const outcome = read(
      { "5.2": "Hoàn thành tốt nhiệm vụ".normalize("NFD") },
      {},
      `${th1.code} – ${th1.name.normalize("NFD")}`,
    );
    expect(outcome.answers["5.2"]?.value).toBe("Hoàn thành tốt nhiệm vụ");
    expect(outcome.schoolCode).toBe("T-TH1");
  });

  it.each([
    [
      "a sender who is not the school's",
      { email: "nguoi-la@gmail.com" },
      {},
      th1,
      "Email người gửi không thuộc trường đã chọn: nguoi-la@gmail.com không phải email đã đăng ký của Trường Tiểu học Đồng Khởi.",
    ],
    ["no sender email", { email: null }, {}, th1, "Không có email người gửi"],
    [
      "a school not in the registry",
      {},
      {},
      "X-99 – Trường Không Có",
      'Trường đã chọn "X-99 – Trường Không Có" không có trong danh sách trường của Phòng.',
    ],
    [
      "a number that is not one",
      {},
      { "1.5": "chín mươi" },
      th1,
      'Câu 1.5: "chín mươi" không đọc được thành một số; nhập số không có dấu phân cách hàng nghìn, ví dụ 100 hoặc 0,5.',
    ],
    ["a percentage over 100", {}, { "1.5": "120%" }, th1, 'Câu 1.5: "120%" lớn hơn giá trị tối đa 100.'],
    ["a negative count", {}, { "4.1": "-1" }, th1, 'Câu 4.1: số vụ việc không thể âm (đã nhập "-1").'],
    ["a fractional count", {}, { "4.1": "1,5" }, th1, 'Câu 4.1: phải là số nguyên (đã nhập "1,5").'],
    [
      "a choice not offered",
      {},
      { "5.2": "Xuất sắc" },
      th1,
      'Câu 5.2: "Xuất sắc" không có trong các lựa chọn.',
    ],
    [
      "evidence that is not a link",
      {},
      { "2.1": ["Có", "xem tệp đính kèm"] },
      th1,
      'Câu 2.1: minh chứng phải là đường dẫn tệp (https://...), không phải "xem".',
    ],
  ] as const)("quarantines %s, with a reason in Vietnamese", (_name, options, answers, school, reason) => {
    const outcome = read(
      { ...PASSING_DOSSIER, ...(answers as unknown as TypedAnswers) },
      options as Parameters<typeof formResponse>[3],
      school,
    );
    expect(outcome.disposition).toBe("quarantined");
    expect(outcome.reasons.join("\n")).toContain(reason);
  });

  it("keeps the school of a response from the wrong sender, so the school sees it needs fixing", () => {
    expect(read(PASSING_DOSSIER, { email: "nguoi-la@gmail.com" }).schoolCode).toBe("T-TH1");
  });

  it("quarantines a payload that is not a form response, under a stable key", () => {
    const a = readResponse({ hello: "world" }, ctx);
    const b = readResponse({ hello: "world" }, ctx);
    expect(a.disposition).toBe("quarantined");
    expect(a.malformed).toBe(true);
    expect(a.reasons[0]).toMatch(/^Dữ liệu câu trả lời không đúng định dạng/);
    expect(a.key).toBe(b.key);
    expect(a.raw).toEqual({ hello: "world" });
  });

  it.each([
    ["2026-11-05T08:30:00+07:00", "2026-11-05T01:30:00.000Z"],
    ["2026-11-05T01:30:00.123456789Z", "2026-11-05T01:30:00.123Z"],
    ["2026-11-05T01:30:00.1234567891Z", "2026-11-05T01:30:00.123Z"],
    ["2026-11-05T01:30:00.5Z", "2026-11-05T01:30:00.500Z"],
    ["05/11/2026", undefined],
  ])("normalises the timestamp %s", (input, expected) => {
    expect(normalizeTimestamp(input)).toBe(expected);
  });

  it("accepts or quarantines any payload with a reason, and never throws", () => {
    const answer = fc.record(
      {
        questionId: fc.constantFrom(...bindings.map((b) => b.questionId), "zzz"),
        textAnswers: fc.record(
          {
            answers: fc.array(
              fc.record(
                { value: fc.oneof(fc.string(), fc.constantFrom("Có", "0", "100%", "T-TH1")) },
                { requiredKeys: [] },
              ),
            ),
          },
          { requiredKeys: [] },
        ),
        fileUploadAnswers: fc.record({ answers: fc.array(fc.record({ fileId: fc.string() })) }),
      },
      { requiredKeys: [] },
    );
    const payload = fc.oneof(
      fc.anything(),
      fc.record(
        {
          formId: fc.string(),
          responseId: fc.oneof(fc.string(), fc.constant("ok-id")),
          lastSubmittedTime: fc.oneof(
            fc.string(),
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          ),
          respondentEmail: fc.oneof(
            fc.emailAddress(),
            fc.constantFrom("th1@test.example", "TH1@TEST.EXAMPLE"),
          ),
          answers: fc.dictionary(fc.string(), answer),
          titledAnswers: fc.array(
            fc.record({
              title: fc.constantFrom(...bindings.map((b) => b.title), "?"),
              textAnswers: fc.record({ answers: fc.array(fc.record({ value: fc.string() })) }),
            }),
          ),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(payload, (p) => {
        const outcome = readResponse(p, ctx);
        expect(["accepted", "quarantined"]).toContain(outcome.disposition);
        if (outcome.disposition === "quarantined") expect(outcome.reasons.length).toBeGreaterThan(0);
        else expect(outcome.reasons).toEqual([]);
        expect(outcome.key).toMatch(/^[^/]+@\d{4}-/);
      }),
      { numRuns: 500 },
    );
  });
});

describe("what became of each response delivered", () => {
  it("tells a new response from a superseded version and from a redelivery", () => {
    const first = read(PASSING_DOSSIER, { responseId: "r1", lastSubmittedTime: "2026-11-05T01:00:00Z" });
    const edited = read(PASSING_DOSSIER, { responseId: "r1", lastSubmittedTime: "2026-11-05T02:00:00Z" });
    const before = read(PASSING_DOSSIER, { responseId: "r0", lastSubmittedTime: "2026-11-04T01:00:00Z" });
    // Delivered: r1's first version, r1 edited, r1's first again, and r0 (stored by an earlier run).
    const fates = responseFates([first, edited, first, before], new Set([first.key, edited.key]), [
      { key: first.key, supersededBy: edited.key },
      { key: edited.key, supersededBy: null },
      { key: before.key, supersededBy: null },
    ]);
    expect(fates.map((f) => f.fate)).toEqual(["superseded", "new", "duplicate", "duplicate"]);
    expect(fates[1]?.outcome).toBe(edited);
  });
});

describe("which responses may have an earlier version", () => {
  const at = (lastSubmittedTime: string, createTime?: unknown) => ({
    lastSubmittedTime,
    raw: createTime === undefined ? { responseId: "r" } : { responseId: "r", createTime },
  });
  it.each([
    [
      "never edited (Google's two times agree)",
      at("2026-11-05T01:00:00.000Z", "2026-11-05T01:00:00Z"),
      false,
    ],
    [
      "never edited, times a few milliseconds apart",
      at("2026-11-05T01:00:00.120Z", "2026-11-05T01:00:00.000Z"),
      false,
    ],
    ["edited a day later", at("2026-11-06T01:00:00.000Z", "2026-11-05T01:00:00Z"), true],
    ["without createTime (a CSV export)", at("2026-11-05T01:00:00.000Z"), true],
    ["with a createTime that is not a time", at("2026-11-05T01:00:00.000Z", "hôm qua"), true],
  ])("%s", (_what, outcome, may) => {
    expect(mayHaveEarlierVersions(outcome)).toBe(may);
  });
});

describe("a run played as of a day", () => {
  it("takes the responses submitted by then, and counts the others as not yet sent", () => {
    const at = (lastSubmittedTime?: unknown) => ({ responseId: "r", lastSubmittedTime });
    const payloads = [
      at("2026-11-09T17:00:00Z"),
      at("2026-11-10T01:00:00Z"),
      at("2026-11-10T01:00:01Z"),
      at("hôm qua"),
      at(undefined),
      "không phải câu trả lời",
    ];
    const { due, notYet } = submittedBy(payloads, new Date("2026-11-10T01:00:00Z"));
    expect(notYet).toBe(1);
    // An unreadable time is kept: intake says what is wrong with it.
    expect(due).toEqual([payloads[0], payloads[1], payloads[3], payloads[4], payloads[5]]);
  });
});
