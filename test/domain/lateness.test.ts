import { describe, expect, it } from "vitest";
import { defaultCalendar, type Extension } from "../../functions/src/domain/calendar.js";
import type { IntakeOutcome } from "../../functions/src/domain/intake.js";
import { lateness, latenessInWords } from "../../functions/src/domain/lateness.js";
import type { School } from "../../functions/src/domain/school.js";
import { applyOutcome } from "../../functions/src/domain/school-state.js";
import { defaultSet, SCHOOLS } from "../kit/index.js";

const calendar = defaultCalendar("2025-2026"); // dossiers 1–15/11/2026, Hạn bổ sung 25/11/2026
const TZ = "Asia/Ho_Chi_Minh";
const at = (local: string) => new Date(`${local}+07:00`).toISOString();

describe("a response after the school's deadline", () => {
  it("is on time up to the end of the deadline's day in the campaign's zone, and late after", () => {
    expect(
      lateness("dossier", { lastSubmittedTime: at("2026-11-15T23:59:00") }, calendar, [], TZ),
    ).toBeUndefined();
    const late = lateness("dossier", { lastSubmittedTime: at("2026-11-18T08:00:00") }, calendar, [], TZ);
    expect(late).toEqual({
      stage: "dossier",
      deadline: "dossier",
      due: "2026-11-15",
      sent: "2026-11-18",
      daysLate: 3,
    });
    expect(latenessInWords(late as NonNullable<typeof late>)).toBe(
      "Nộp muộn 3 ngày (hạn nộp hồ sơ 15/11/2026): phòng quyết định, gia hạn nếu chấp nhận",
    );
    expect(
      lateness("registration", { lastSubmittedTime: at("2026-04-02T09:00:00") }, calendar, [], TZ)?.daysLate,
    ).toBe(2);
  });

  it("is on time within the school's own extension, which is how the office accepts it", () => {
    const extension: Extension = { deadline: "dossier", until: "2026-11-20", reason: "Trường bị ngập" };
    const input = { lastSubmittedTime: at("2026-11-18T08:00:00") };
    expect(lateness("dossier", input, calendar, [extension], TZ)).toBeUndefined();
  });

  it("judges a later version of a dossier first sent on time by Hạn bổ sung", () => {
    const fixed = {
      firstSubmittedTime: at("2026-11-05T08:00:00"),
      lastSubmittedTime: at("2026-11-24T08:00:00"),
    };
    expect(lateness("dossier", fixed, calendar, [], TZ)).toBeUndefined();
    const tooLate = { ...fixed, lastSubmittedTime: at("2026-11-27T08:00:00") };
    expect(lateness("dossier", tooLate, calendar, [], TZ)).toMatchObject({
      deadline: "fix",
      due: "2026-11-25",
      daysLate: 2,
    });
    // A first version already late makes no Hạn bổ sung of its own.
    const lateFirst = {
      firstSubmittedTime: at("2026-11-17T08:00:00"),
      lastSubmittedTime: at("2026-11-20T08:00:00"),
    };
    expect(lateness("dossier", lateFirst, calendar, [], TZ)).toMatchObject({
      deadline: "dossier",
      daysLate: 5,
    });
  });

  it("keeps the earliest version's time whatever order the versions arrive in", () => {
    const set = defaultSet();
    const school = SCHOOLS[0] as School;
    const outcome = (key: string, lastSubmittedTime: string): IntakeOutcome => ({
      key,
      responseId: key,
      formId: null,
      stage: "dossier",
      lastSubmittedTime,
      respondentEmail: null,
      senderVerified: true,
      respondent: { name: null, role: null },
      schoolCode: school.code,
      disposition: "accepted",
      malformed: false,
      reasons: [],
      answers: {},
      raw: {},
    });
    const first = outcome("a", at("2026-11-05T08:00:00"));
    const second = outcome("b", at("2026-11-24T08:00:00"));
    for (const [a, b] of [
      [first, second],
      [second, first],
    ] as const) {
      const one = applyOutcome(undefined, a, school, set).state;
      const both = applyOutcome(one, b, school, set).state;
      expect(both.latest.dossier).toMatchObject({ key: "b", firstSubmittedTime: first.lastSubmittedTime });
    }
  });
});
