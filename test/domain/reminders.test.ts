import { describe, expect, it } from "vitest";
import { defaultCalendar } from "../../functions/src/domain/calendar.js";
import { remindersFor, stepAt, stepInWords } from "../../functions/src/domain/reminders.js";
import type { SchoolState } from "../../functions/src/domain/school-state.js";

const calendar = defaultCalendar("2025-2026"); // dossiers by 15/11/2026, Hạn bổ sung 25/11/2026
const input = { key: "k", responseId: "r", lastSubmittedTime: "2026-02-01T00:00:00.000Z", answers: {} };
const registered = { latest: { registration: input }, status: "da-dang-ky" } as unknown as SchoolState;
const toFix = {
  latest: { registration: input, dossier: input },
  status: "can-bo-sung",
} as unknown as SchoolState;
const done = {
  latest: { registration: input, dossier: input },
  status: "cho-kiem-tra",
} as unknown as SchoolState;

describe("reminders that chase", () => {
  it("reach the most urgent step of the reminder days, and the notice once the deadline passed", () => {
    expect([10, 8, 7, 5, 3, 2, 1, 0, -1].map((d) => stepAt(d, [7, 3, 1]))).toEqual([
      undefined,
      undefined,
      7,
      7,
      3,
      3,
      1,
      1,
      "qua-han",
    ]);
    expect(stepInWords({ step: 3, daysLeft: 2 })).toBe("còn 2 ngày");
    expect(stepInWords({ step: 1, daysLeft: 0 })).toBe("hôm nay là hạn cuối");
  });

  it("go to a school for each deadline it has not met, and to none that is done", () => {
    expect(remindersFor("A", registered, calendar, [], "2026-11-12")).toEqual([
      { school: "A", stage: "dossier", step: 3, due: "2026-11-15", daysLeft: 3 },
    ]);
    expect(remindersFor("A", undefined, calendar, [], "2026-11-12").map((r) => [r.stage, r.step])).toEqual([
      ["registration", "qua-han"],
      ["dossier", 3],
    ]);
    expect(remindersFor("A", toFix, calendar, [], "2026-11-22")).toEqual([
      { school: "A", stage: "fix", step: 3, due: "2026-11-25", daysLeft: 3 },
    ]);
    expect(remindersFor("A", done, calendar, [], "2026-11-22")).toEqual([]);
    // A dossier set aside was sent: the school is chased by Hạn bổ sung, not told nothing came.
    const setAside = {
      ...registered,
      quarantine: { key: "q", lastSubmittedTime: "x", reasons: ["r"] },
      status: "can-bo-sung",
    };
    expect(
      remindersFor("A", setAside as SchoolState, calendar, [], "2026-11-22").map((r) => r.stage),
    ).toEqual(["fix"]);
    // Before the dossier form opens, nothing about it.
    expect(remindersFor("A", registered, calendar, [], "2026-10-30")).toEqual([]);
  });

  it("give a school told late the Hạn bổ sung its notice printed, never an earlier one", () => {
    // Told on the 22nd, with seven days at least: due the 29th, not the calendar's 25th.
    const notice = { day: "2026-11-22", minimumDays: 7 };
    expect(remindersFor("A", toFix, calendar, [], "2026-11-26", notice)).toEqual([
      { school: "A", stage: "fix", step: 3, due: "2026-11-29", daysLeft: 3 },
    ]);
    // The notice told it the deadline a week ahead: no "còn 7 ngày" beside it, that day or the next.
    expect(remindersFor("A", toFix, calendar, [], "2026-11-22", notice)).toEqual([]);
    expect(remindersFor("A", toFix, calendar, [], "2026-11-23", notice)).toEqual([]);
  });

  it("follow the school's own extension", () => {
    const extension = { deadline: "dossier" as const, until: "2026-11-25", reason: "Trường bị ngập" };
    expect(remindersFor("A", registered, calendar, [extension], "2026-11-22")).toEqual([
      { school: "A", stage: "dossier", step: 3, due: "2026-11-25", daysLeft: 3, extended: extension },
    ]);
  });
});
