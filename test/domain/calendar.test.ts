import { describe, expect, it } from "vitest";
import {
  calendarOf,
  calendarSchema,
  daysLeft,
  daysLeftInWords,
  deadlineFor,
  deadlineInWords,
  defaultCalendar,
  isOpen,
} from "../../functions/src/domain/calendar.js";

const calendar = defaultCalendar("2025-2026");

describe("the campaign calendar", () => {
  it("defaults to the school year's: quý I registration, November dossiers, supplements, inspection, report", () => {
    expect(calendar).toEqual({
      registration: { from: "2026-01-01", to: "2026-03-31" },
      dossier: { from: "2026-11-01", to: "2026-11-15" },
      fixBy: "2026-11-25",
      inspection: { from: "2026-11-16", to: "2026-11-30" },
      reportDue: "2026-12-10",
      reminderDays: [7, 3, 1],
    });
    expect(calendarOf({ schoolYear: "2025-2026" })).toEqual(calendar);
    const own = { ...calendar, fixBy: "2026-11-28" };
    expect(calendarOf({ schoolYear: "2025-2026", calendar: own }).fixBy).toBe("2026-11-28");
  });

  it("refuses days out of order, each where it is, in Vietnamese", () => {
    const result = calendarSchema.safeParse({
      ...calendar,
      dossier: { from: "2026-11-20", to: "2026-11-10" },
      fixBy: "2026-11-05",
      reportDue: "2026-31-12",
    });
    const issues = result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(issues).toEqual(
      expect.arrayContaining([
        "dossier.to: ngày mở sau ngày đóng",
        "reportDue: ngày dạng YYYY-MM-DD, ví dụ 2026-11-15",
      ]),
    );
    const ordered = calendarSchema.safeParse({ ...calendar, fixBy: "2026-11-05" });
    expect(ordered.error?.issues.map((i) => i.message)).toEqual(["hạn bổ sung trước hạn nộp hồ sơ"]);
  });

  it("keeps reminder days once each, the earliest first", () => {
    expect(calendarSchema.parse({ ...calendar, reminderDays: [1, 3, 3, 14] }).reminderDays).toEqual([
      14, 3, 1,
    ]);
    expect(calendarSchema.safeParse({ ...calendar, reminderDays: [0] }).success).toBe(false);
  });

  it("gives a school its own later deadline when the office extended it, with the reason", () => {
    const extensions = [
      { deadline: "dossier" as const, until: "2026-11-20", reason: "Trường sáp nhập, đổi hiệu trưởng" },
      { deadline: "dossier" as const, until: "2026-11-10", reason: "sớm hơn hạn chung: không dùng" },
      { deadline: "fix" as const, until: "2026-11-27", reason: "Mất điện" },
    ];
    expect(deadlineFor(calendar, "dossier", extensions)).toEqual({
      day: "2026-11-20",
      extended: extensions[0],
    });
    expect(deadlineFor(calendar, "registration", extensions)).toEqual({ day: "2026-03-31" });
    expect(deadlineInWords(calendar, "dossier", extensions)).toBe(
      "Hạn nộp hồ sơ: 20/11/2026 (được gia hạn: Trường sáp nhập, đổi hiệu trưởng)",
    );
    expect(deadlineInWords(calendar, "fix")).toBe("Hạn bổ sung: 25/11/2026");
  });

  it("counts the days left in calendar days, and says them", () => {
    expect(daysLeft("2026-11-08", "2026-11-15")).toBe(7);
    expect(daysLeft("2026-03-30", "2026-04-01")).toBe(2);
    expect(daysLeftInWords("2026-11-12", "2026-11-15")).toBe("còn 3 ngày");
    expect(daysLeftInWords("2026-11-15", "2026-11-15")).toBe("hôm nay là hạn cuối");
    expect(daysLeftInWords("2026-11-17", "2026-11-15")).toBe("đã quá hạn 2 ngày");
    expect([isOpen(calendar.dossier, "2026-11-01"), isOpen(calendar.dossier, "2026-11-16")]).toEqual([
      true,
      false,
    ]);
  });
});
