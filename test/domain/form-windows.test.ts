import { describe, expect, it } from "vitest";
import { defaultCalendar, type SchoolExtension } from "../../functions/src/domain/calendar.js";
import type { Stage } from "../../functions/src/domain/criteria.js";
import {
  closedNotice,
  type FormWindowInput,
  fixDueDays,
  formStandingInWords,
  formWindowInWords,
  formWindowState,
  formWindowStateAt,
  withNotice,
  withoutNotice,
} from "../../functions/src/domain/form-windows.js";

// Registration 01/01–31/03/2026, dossiers 01–15/11/2026, Hạn bổ sung 25/11/2026.
const calendar = defaultCalendar("2025-2026");
const none: FormWindowInput = { calendar, extensions: [], fixes: [] };
const accepting = (stage: Stage, input: FormWindowInput, day: string) =>
  formWindowState(stage, input, day).accepting;

describe("whether a form accepts responses on a day", () => {
  it.each([
    ["registration", "2025-12-31", false, "not-yet"],
    ["registration", "2026-01-01", true, "window"],
    ["registration", "2026-03-31", true, "window"],
    ["registration", "2026-04-01", false, "closed"],
    ["dossier", "2026-10-31", false, "not-yet"],
    ["dossier", "2026-11-01", true, "window"],
    ["dossier", "2026-11-15", true, "window"],
    ["dossier", "2026-11-16", false, "closed"],
    ["dossier", "2027-02-01", false, "closed"],
  ] as const)("%s on %s: %s (%s)", (stage, day, open, reason) => {
    const state = formWindowState(stage, none, day);
    expect(state.accepting).toBe(open);
    expect(state.reason).toBe(reason);
  });

  it("reopens the dossier form for an extension past the window, until the extension's last day", () => {
    const extensions: SchoolExtension[] = [
      { school: "T-TH1", deadline: "dossier", until: "2026-11-20", reason: "Trường bị ngập" },
      // An extension within the window changes nothing; another deadline's does not open this form.
      { school: "T-MN1", deadline: "dossier", until: "2026-11-10", reason: "Sớm hơn hạn" },
      { school: "T-CS1", deadline: "registration", until: "2026-04-15", reason: "Đổi hiệu trưởng" },
    ];
    const input = { ...none, extensions };
    expect(formWindowState("dossier", input, "2026-11-18")).toEqual({
      accepting: true,
      reason: "later-deadline",
      window: calendar.dossier,
      until: "2026-11-20",
      for: [{ school: "T-TH1", deadline: "dossier", until: "2026-11-20" }],
    });
    expect(accepting("dossier", input, "2026-11-20")).toBe(true);
    expect(formWindowState("dossier", input, "2026-11-21")).toMatchObject({
      accepting: false,
      reason: "closed",
      since: "2026-11-21",
    });
    // The registration extension reopens the registration form, not the dossier one.
    expect(accepting("registration", input, "2026-04-15")).toBe(true);
    expect(accepting("registration", input, "2026-04-16")).toBe(false);
    expect(accepting("dossier", { ...none, extensions: extensions.slice(2) }, "2026-11-16")).toBe(false);
  });

  it("keeps the dossier form open while a school asked to fix still has days left", () => {
    const input = { ...none, fixes: [{ school: "T-CS1", until: "2026-11-27" }] };
    expect(formWindowState("dossier", input, "2026-11-16")).toMatchObject({
      accepting: true,
      reason: "later-deadline",
      until: "2026-11-27",
      for: [{ school: "T-CS1", deadline: "fix", until: "2026-11-27" }],
    });
    expect(accepting("dossier", input, "2026-11-27")).toBe(true);
    expect(formWindowState("dossier", input, "2026-11-28")).toMatchObject({
      accepting: false,
      since: "2026-11-28",
    });
    // A fix is made through the dossier form: the registration form stays closed.
    expect(accepting("registration", input, "2026-04-02")).toBe(false);
  });

  it("keeps a stage with no window in the calendar open all year", () => {
    for (const day of ["2025-06-01", "2026-11-16", "2030-01-01"])
      expect(formWindowState("incident", none, day)).toEqual({
        accepting: true,
        reason: "all-year",
      });
    // Named as the office knows it (the incident form has no stage).
    expect(formStandingInWords("incident", { accepting: true, reason: "all-year" })).toBe(
      "Báo cáo vụ việc (cả năm): mở cả năm",
    );
  });

  it("turns at midnight in the campaign's time zone, not in UTC", () => {
    const zone = "Asia/Ho_Chi_Minh";
    // 23:59 on 15/11 in Ho Chi Minh City is 16:59 UTC: still the last day.
    expect(formWindowStateAt("dossier", none, new Date("2026-11-15T16:59:00Z"), zone).accepting).toBe(true);
    expect(formWindowStateAt("dossier", none, new Date("2026-11-15T17:00:00Z"), zone).accepting).toBe(false);
    // 06:59 on 01/11 there is 23:59 UTC on 31/10: open already.
    expect(formWindowStateAt("dossier", none, new Date("2026-10-31T23:30:00Z"), zone).accepting).toBe(true);
    expect(formWindowStateAt("dossier", none, new Date("2026-10-31T16:59:00Z"), zone).accepting).toBe(false);
  });
});

describe("each school's Hạn bổ sung", () => {
  it("counts from its notice for a school asked to fix, never for the others", () => {
    const extensions: SchoolExtension[] = [
      { school: "T-MN1", deadline: "fix", until: "2026-11-29", reason: "Chờ xác nhận của công an" },
    ];
    const schools = [
      { code: "T-CS1", status: "can-bo-sung" as const, recognised: false },
      { code: "T-MN1", status: "can-bo-sung" as const, recognised: false },
      { code: "T-TH1", status: "cho-kiem-tra" as const, recognised: false },
      { code: "T-TH2", status: "can-bo-sung" as const, recognised: true },
    ];
    // T-CS1 was told on the 24th: 7 days from there, past the calendar's 25th.
    expect(fixDueDays(schools, calendar, extensions, new Map([["T-CS1", "2026-11-24"]]), 7)).toEqual([
      { school: "T-CS1", until: "2026-12-01" },
      { school: "T-MN1", until: "2026-11-29" },
    ]);
  });
});

describe("the closed form's notice", () => {
  const contact = { name: "Phòng Giáo dục và Đào tạo huyện Nhà Bè", email: "phong@test.example" };

  it("says since when the form is closed and whom to contact, in Vietnamese", () => {
    const closed = formWindowState("dossier", none, "2026-11-16");
    if (closed.accepting) throw new Error("expected closed");
    expect(closedNotice(closed, contact)).toBe(
      "Biểu mẫu đã đóng từ ngày 16/11/2026 (hạn cuối 15/11/2026); trường cần gia hạn hoặc cần bổ sung hồ sơ " +
        "xin liên hệ Phòng Giáo dục và Đào tạo huyện Nhà Bè (phong@test.example).",
    );
    const early = formWindowState("dossier", none, "2026-10-20");
    if (early.accepting) throw new Error("expected closed");
    expect(closedNotice(early, contact)).toContain(
      "Biểu mẫu nhận câu trả lời từ ngày 01/11/2026 đến hết ngày 15/11/2026",
    );
  });

  it("goes on top of the form's own description and comes off again, whatever was there", () => {
    const own = "Phiếu tự đánh giá của trường.\n\nMỗi trường gửi một phiếu.";
    const notice = "Biểu mẫu đã đóng từ ngày 16/11/2026 (hạn cuối 15/11/2026); xin liên hệ phòng.";
    const closed = withNotice(own, notice);
    expect(closed).toBe(`${notice}\n\n${own}`);
    expect(withoutNotice(closed)).toBe(own);
    // Closing twice, or with a newer notice, never stacks notices.
    expect(withNotice(closed, notice)).toBe(closed);
    expect(withNotice(closed, notice.replace("16/11", "21/11"))).toBe(
      `${notice.replace("16/11", "21/11")}\n\n${own}`,
    );
    expect(withNotice("", notice)).toBe(notice);
    expect(withoutNotice(notice)).toBe("");
    expect(withoutNotice(own)).toBe(own);
  });

  it("is logged in words the office reads", () => {
    const input = {
      ...none,
      extensions: [{ school: "T-TH1", deadline: "dossier" as const, until: "2026-11-20", reason: "Ngập" }],
    };
    expect(formWindowInWords("dossier", formWindowState("dossier", input, "2026-11-17"))).toBe(
      "Mở lại biểu mẫu Hồ sơ công nhận (tháng 11) đến hết ngày 20/11/2026: T-TH1 được gia hạn đến 20/11/2026; " +
        "câu trả lời của trường khác sau hạn được giữ và ghi nộp muộn",
    );
    expect(formWindowInWords("dossier", formWindowState("dossier", none, "2026-11-16"))).toBe(
      "Đóng biểu mẫu Hồ sơ công nhận (tháng 11): đã hết hạn ngày 15/11/2026",
    );
  });

  it("says where each form stands on a day, for the local run's printout", () => {
    const input = { ...none, fixes: [{ school: "T-CS1", until: "2026-11-27" }] };
    expect(
      (["registration", "dossier"] as const).map((stage) =>
        formStandingInWords(stage, formWindowState(stage, input, "2026-11-20")),
      ),
    ).toEqual([
      "Đăng ký (quý I): đóng từ ngày 01/04/2026",
      "Hồ sơ công nhận (tháng 11): mở lại đến hết ngày 27/11/2026 (T-CS1)",
    ]);
    expect(formStandingInWords("dossier", formWindowState("dossier", none, "2026-10-01"))).toBe(
      "Hồ sơ công nhận (tháng 11): đóng, mở từ ngày 01/11/2026",
    );
    expect(formStandingInWords("dossier", formWindowState("dossier", none, "2026-11-02"))).toBe(
      "Hồ sơ công nhận (tháng 11): mở đến hết ngày 15/11/2026",
    );
  });
});
