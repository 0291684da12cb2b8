import { describe, expect, it } from "vitest";
import { noticeDeadline } from "../../functions/src/app/documents.js";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import {
  addDays,
  calendarOf,
  calendarSchema,
  daysLeft,
  daysLeftInWords,
  deadlineFor,
  deadlineInWords,
  defaultCalendar,
  fixDeadline,
  isOpen,
} from "../../functions/src/domain/calendar.js";
import { calendarLines } from "../../functions/src/domain/calendar-view.js";
import { dateVi } from "../../functions/src/domain/documents.js";
import { buildWorkbook } from "../../functions/src/domain/tracking-workbook.js";
import { defaultSet } from "../kit/index.js";

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

describe("the calendar in Tổng quan", () => {
  it("says where each window and deadline stands on the day the sheet is written", () => {
    const lines = calendarLines(calendar, "2026-11-22");
    expect(lines.map((l) => [l.label, l.days, l.standing])).toEqual([
      ["Đăng ký xây dựng (quý I)", "01/01/2026 – 31/03/2026", "đã kết thúc"],
      ["Nộp hồ sơ đề nghị công nhận", "01/11/2026 – 15/11/2026", "đã kết thúc"],
      ["Hạn bổ sung hồ sơ", "25/11/2026", "còn 3 ngày"],
      ["Kiểm tra thực tế", "16/11/2026 – 30/11/2026", "đang mở, còn 8 ngày"],
      ["Hạn báo cáo Sở", "10/12/2026", "còn 18 ngày"],
    ]);
    expect(calendarLines(calendar, "2026-10-30")[1]?.standing).toBe("mở sau 2 ngày");
    expect(calendarLines(calendar, "2026-11-15")[1]?.standing).toBe("đang mở, hôm nay là ngày cuối");
    expect(calendarLines(calendar, undefined).every((l) => l.standing === "")).toBe(true);
  });

  it("is the last part of the overview tab, its heading in bold", async () => {
    const model = buildWorkbook({
      layout: await loadSheetLayout(),
      schoolYear: "2025-2026",
      place: "Nhà Bè",
      communeLabel: "Xã/Thị trấn",
      criteriaSet: defaultSet(),
      schools: [],
      states: new Map(),
      events: [],
      dataTime: null,
      calendar,
      today: "2026-11-24",
    });
    const overview = model.tabs.find((t) => t.key === "overview");
    const rows = overview?.rows ?? [];
    const heading = rows.findIndex((r) => r[0] === "Lịch của đợt");
    expect(heading).toBe(rows.length - 6);
    expect(overview?.boldRows).toContain(heading);
    expect(rows[heading + 3]?.slice(0, 3)).toEqual(["Hạn bổ sung hồ sơ", "25/11/2026", "còn 1 ngày"]);
  });
});

describe("the deadline a notice gives", () => {
  it("is the calendar's Hạn bổ sung, or the school's extension, but at least the days given after the notice", () => {
    expect(fixDeadline(calendar, "2026-11-10", 7)).toBe("2026-11-25");
    expect(fixDeadline(calendar, "2026-11-22", 7)).toBe("2026-11-29");
    expect(fixDeadline(calendar, "2026-12-02", 7)).toBe("2026-12-09");
    const extension = { deadline: "fix" as const, until: "2026-11-28", reason: "Trường bị ngập" };
    expect(fixDeadline(calendar, "2026-11-10", 7, [extension])).toBe("2026-11-28");
    expect(addDays("2026-12-28", 7)).toBe("2027-01-04");
  });

  it("prints as that day in the campaign's time zone, whatever the hour of the notice", () => {
    const late = new Date("2026-11-10T16:30:00Z"); // 23:30 in Hồ Chí Minh City
    const day = noticeDeadline(calendar, late, 7, "Asia/Ho_Chi_Minh");
    expect(dateVi(day, "Asia/Ho_Chi_Minh")).toBe("25/11/2026");
    const after = noticeDeadline(calendar, new Date("2026-11-22T17:30:00Z"), 7, "Asia/Ho_Chi_Minh");
    expect(dateVi(after, "Asia/Ho_Chi_Minh")).toBe("30/11/2026"); // the 23rd there, plus seven days
  });
});
