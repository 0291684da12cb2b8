import { describe, expect, it } from "vitest";
import { defaultCalendar } from "../../functions/src/domain/calendar.js";
import { chaseLetterDocument } from "../../functions/src/domain/chase-letter.js";
import { changesSince, DIGEST_EVENT, digestView } from "../../functions/src/domain/digest.js";
import { overdueSchools } from "../../functions/src/domain/overdue.js";
import type { School } from "../../functions/src/domain/school.js";
import type { SchoolState } from "../../functions/src/domain/school-state.js";
import { ctx } from "./inspection-documents-fixtures.js";

/** The schools past a deadline, as the chase list, the Công văn đôn đốc and the office's digest say them. */
const school = (code: string, commune: string, extra: Partial<School> = {}) =>
  ({ code, name: `Trường ${code}`, levels: ["tieu-hoc"], commune, emails: [], ...extra }) as School;
const input = { key: "k", responseId: "r", lastSubmittedTime: "2026-02-01T00:00:00.000Z", answers: {} };
const registered = { latest: { registration: input }, status: "da-dang-ky" } as unknown as SchoolState;
const toFix = {
  latest: { registration: input, dossier: input },
  status: "can-bo-sung",
} as unknown as SchoolState;

const SCHOOLS = [
  school("A", "Phú Xuân", { head: "Nguyễn Thị An", phone: "0912 345 678" }),
  school("B", "Hiệp Phước"),
  school("C", "Phú Xuân"),
  school("E", "Phú Xuân"),
];
const STATES = new Map([
  ["A", registered],
  ["C", toFix],
  ["E", toFix],
]);
const calendar = defaultCalendar("2025-2026");
const overdueOn = (today: string) =>
  overdueSchools({
    schools: SCHOOLS,
    states: STATES,
    calendar,
    today,
    // C was sent its notice on 10 November: its Hạn bổ sung is the calendar's, 25/11. E's notice is
    // not known yet.
    notices: { days: new Map([["C", "2026-11-10"]]), minimumDays: 7 },
  });

describe("overdue schools", () => {
  it("lists each school once, with every deadline it missed, most overdue first", () => {
    expect(
      overdueOn("2026-11-28").map((o) => [o.school.code, o.daysOver, o.missed.map((r) => r.stage)]),
    ).toEqual([
      ["B", 242, ["registration", "dossier"]],
      ["A", 13, ["dossier"]],
      ["C", 3, ["fix"]],
    ]);
  });

  it("counts a school asked to fix only against the Hạn bổ sung its notice gave", () => {
    expect(overdueOn("2026-11-25").map((o) => o.school.code)).toEqual(["B", "A"]);
  });
});

describe("Công văn đôn đốc", () => {
  const doc = chaseLetterDocument(ctx(), overdueOn("2026-11-28"), calendar, {
    today: "2026-11-28",
    answerBy: new Date("2026-12-05T05:00:00Z"),
  });

  it("is a công văn: no kind printed, its V/v under a number without a kind abbreviation", () => {
    expect(doc.type).toBe("");
    expect(doc.header.number).toMatch(/^Số: \s+\/GDĐT$/u);
    expect(doc.header.abstract).toMatch(/^V\/v đôn đốc hoàn thành đăng ký, hồ sơ đề nghị công nhận /u);
  });

  it("says how many schools are late on which day, what they must do by when, and lists them", () => {
    const text = [...doc.paragraphs, ...doc.asks].join(" ");
    expect(text).toContain("Đến ngày 28 tháng 11 năm 2026, còn 3 trường chưa hoàn thành đúng hạn");
    expect(text).toContain("hạn đăng ký là ngày 31/03/2026, hạn nộp hồ sơ là ngày 15/11/2026");
    expect(text).toContain("chậm nhất ngày 05/12/2026");
    expect(doc.appendix.reference).toMatch(
      /^\(Kèm theo Công văn số \s+\/GDĐT ngày \d\d tháng \d+ năm \d{4} của /u,
    );
    expect(doc.appendix.rows.map((r) => [r.index, r.name, r.due, r.daysOver])).toEqual([
      [1, "Trường B", "31/03/2026; 15/11/2026", "242"],
      [2, "Trường A", "15/11/2026", "13"],
      [3, "Trường C", "25/11/2026", "3"],
    ]);
    expect(doc.appendix.rows.map((r) => r.lacking)).toEqual([
      "Chưa đăng ký; Chưa nộp hồ sơ",
      "Chưa nộp hồ sơ",
      "Chưa bổ sung hồ sơ theo thông báo",
    ]);
  });
});

describe("the office's daily digest", () => {
  it("counts what changed since the last digest, by kind, its own record aside", () => {
    const at = (h: number) => new Date(Date.UTC(2026, 10, 22, h));
    const events = [
      { at: at(1), kind: "Nhận câu trả lời", message: "" },
      { at: at(3), kind: "Nhận câu trả lời", message: "" },
      { at: at(4), kind: "Nhắc hạn", message: "" },
      { at: at(5), kind: DIGEST_EVENT, message: "" },
    ];
    // As many of each: in the alphabet's order (ă before â).
    expect(changesSince(events, at(2))).toEqual(["Nhắc hạn: 1", "Nhận câu trả lời: 1"]);
    expect(changesSince(events, undefined)).toEqual(["Nhận câu trả lời: 2", "Nhắc hạn: 1"]);
    expect(changesSince(events, at(5))).toEqual([]);
  });

  it("groups who is behind by commune, the most behind first, with whom to call", () => {
    const view = digestView("2026-11-28", [], overdueOn("2026-11-28"));
    expect(view.communes.map((c) => [c.commune, c.count, c.schools.map((s) => s.name)])).toEqual([
      ["Phú Xuân", "2", ["Trường A", "Trường C"]],
      ["Hiệp Phước", "1", ["Trường B"]],
    ]);
    expect(view.communes[0]?.schools[0]).toEqual({
      name: "Trường A",
      lacking: "Hồ sơ đề nghị công nhận (phiếu tự đánh giá kèm minh chứng), hạn 15/11/2026",
      daysOver: "13",
      head: "Nguyễn Thị An",
      phone: "0912 345 678",
    });
  });
});
