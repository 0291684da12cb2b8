import { describe, expect, it } from "vitest";
import { calendarSchema } from "../../functions/src/domain/calendar.js";
import type { DocumentContext } from "../../functions/src/domain/documents.js";
import type { OfficeProfile } from "../../functions/src/domain/office.js";
import { planDocument } from "../../functions/src/domain/plan-document.js";
import { defaultSet, OFFICE, trafficSet } from "../kit/index.js";

/**
 * Kế hoạch triển khai: the office's plan to its schools, all of it from the campaign (the criteria,
 * the calendar, the forms, the office's profile), nothing of the sample's for another office.
 */
const OTHER: OfficeProfile = {
  parentBody: "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH",
  issuingBody: "PHÒNG VĂN HÓA - XÃ HỘI",
  issuingBodyName: "Phòng Văn hóa - Xã hội",
  parentBodyName: "Ủy ban nhân dân phường Bến Thành",
  numberPrefix: "VHXH",
  place: "Bến Thành",
  signer: { authority: "TRƯỞNG PHÒNG", name: "Trần Thị Kế" },
  superiorBody: "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh",
  email: "vhxh@benthanh.example",
  communeLabel: "Phường",
  sample: false,
};

const CALENDAR = calendarSchema.parse({
  registration: { from: "2027-01-05", to: "2027-03-20" },
  dossier: { from: "2027-11-02", to: "2027-11-14" },
  fixBy: "2027-11-24",
  inspection: { from: "2027-11-17", to: "2027-11-28" },
  reportDue: "2027-12-08",
});

const ctx = (office: OfficeProfile, award: string): DocumentContext => ({
  office,
  schoolYear: "2026-2027",
  period: "từ ngày 16 tháng 11 năm 2026 đến ngày 15 tháng 11 năm 2027",
  award,
  date: new Date("2026-12-10T03:00:00Z"),
  timeZone: "Asia/Ho_Chi_Minh",
});

const FORM = "https://docs.google.com/forms/d/e/ho-so-vhxh/viewform";

const otherPlan = () => {
  const set = trafficSet();
  return planDocument(ctx(OTHER, set.award), {
    criteriaSet: set,
    calendar: CALENDAR,
    levels: ["mam-non", "thcs"],
    forms: { dossier: FORM },
  });
};

describe("Kế hoạch triển khai", () => {
  it("is a Kế hoạch (KH) of the office, signed by its head, to the schools, kept in its archive", () => {
    const doc = otherPlan();
    expect(doc.type).toBe("KẾ HOẠCH");
    expect(doc.header.number).toBe("Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/KH-VHXH");
    expect(doc.header.placeDate).toBe("Bến Thành, ngày 10 tháng 12 năm 2026");
    expect(doc.header.issuingBody).toBe("PHÒNG VĂN HÓA - XÃ HỘI");
    expect(doc.signature).toEqual({ authority: "TRƯỞNG PHÒNG", name: "Trần Thị Kế" });
    expect(doc.subject).toBe(
      "Triển khai thực hiện xây dựng, công nhận trường học an toàn giao thông năm học 2026-2027",
    );
    expect(doc.recipients[0]).toBe("Các trường trực thuộc (để thực hiện);");
    expect(doc.recipients).toContain("Công an các phường (để phối hợp);");
    expect(doc.recipients.at(-1)).toBe("Lưu: VT, VHXH.");
  });

  it("cites the criteria set's legal basis, the plan it answers last; the target is 100% recognised", () => {
    const set = defaultSet();
    const doc = planDocument(ctx(OFFICE, set.award), {
      criteriaSet: set,
      calendar: CALENDAR,
      levels: [],
      forms: {},
    });
    expect(doc.bases).toHaveLength(set.legalBasis.length);
    expect(doc.bases[0]).toMatch(/^Căn cứ Quyết định số 9745\/QĐ-BCA-V05 .*;$/u);
    expect(doc.bases.at(-1)).toMatch(/^Căn cứ Kế hoạch số 3560\/KH-SGDĐT .*,$/u);
    expect(doc.purposes.at(-1)).toBe(
      "Chỉ tiêu: 100% trường trực thuộc được công nhận “Trường học điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc”.",
    );
  });

  it("gives the calendar's windows and deadlines in words, as the documents write dates", () => {
    const doc = otherPlan();
    expect(doc.timeline).toEqual([
      {
        label: "Đăng ký xây dựng (quý I)",
        when: "Từ ngày 05 tháng 01 năm 2027 đến ngày 20 tháng 3 năm 2027",
      },
      {
        label: "Nộp hồ sơ đề nghị công nhận",
        when: "Từ ngày 02 tháng 11 năm 2027 đến ngày 14 tháng 11 năm 2027",
      },
      {
        label: "Hạn bổ sung hồ sơ",
        when: "Chậm nhất ngày 24 tháng 11 năm 2027 (hoặc thời hạn ghi tại thông báo bổ sung của phòng)",
      },
      { label: "Kiểm tra thực tế", when: "Từ ngày 17 tháng 11 năm 2027 đến ngày 28 tháng 11 năm 2027" },
      { label: "Hạn báo cáo Sở", when: "Chậm nhất ngày 08 tháng 12 năm 2027" },
    ]);
    // What each school does carries the same days.
    expect(doc.tasks[0]).toContain("kế hoạch tuyên truyền an toàn giao thông");
    expect(doc.tasks[0]).toContain("từ ngày 05 tháng 01 năm 2027 đến ngày 20 tháng 3 năm 2027");
    expect(doc.tasks[3]).toContain("chậm nhất ngày 24 tháng 11 năm 2027");
    expect(doc.organisation[0]?.paragraphs.join(" ")).toContain("chậm nhất ngày 08 tháng 12 năm 2027");
    expect(doc.organisation[2]?.title).toBe("3. Công an các phường (đề nghị phối hợp)");
  });

  it("sums up the criteria: points, mandatory or not, thresholds by level for the office's levels", () => {
    const doc = otherPlan();
    expect(doc.criteriaIntro).toContain("gồm 3 tiêu chí, tổng 100 điểm");
    // C applies to Tiểu học, THCS, THPT: the office has THCS schools, so it is there, and says so.
    expect(doc.criteria.map((c) => [c.id, c.points])).toEqual([
      ["A", "40"],
      ["B", "50"],
      ["C", "10"],
    ]);
    expect(doc.criteria[2]?.title).toBe(
      "Đánh giá của Ban đại diện cha mẹ học sinh (áp dụng cho Tiểu học, THCS, THPT) (không bắt buộc)",
    );
    const a = doc.criteria[0]?.indicators ?? [];
    // The levels differ: Mầm non from 1, THCS from 6 (the office has no primary school).
    expect(a[0]).toEqual({
      id: "A-tiet-hoc",
      text: "Số tiết học về an toàn giao thông",
      requirement: "Mầm non: Từ 1 tiết trở lên; THCS: Từ 6 tiết trở lên",
      mandatory: "Có",
    });
    expect(a[1]?.text).toBe("Kế hoạch tuyên truyền an toàn giao thông (nộp khi đăng ký)");
    const b = doc.criteria[1]?.indicators ?? [];
    expect(b.map((i) => [i.id, i.requirement, i.mandatory])).toEqual([
      ["B-vi-pham", "Không có (bằng 0)", "Có"],
      ["B-mu-bao-hiem", "Áp dụng cho Tiểu học, THCS. Trên 95%", "Có"],
      ["B-toc-do", "Không quá 40 km/h", "Không"],
    ]);
  });

  it("links each form that has an address; the others are said to follow by email", () => {
    expect(otherPlan().forms).toEqual([
      { name: "Biểu mẫu đăng ký xây dựng (quý I)" },
      { name: "Biểu mẫu hồ sơ đề nghị công nhận (tháng 11)", url: FORM },
      { name: "Biểu mẫu báo cáo vụ việc (mở trong cả năm học)" },
    ]);
  });

  it("holds nothing of the sample or of another office for an office's own campaign", () => {
    const doc = otherPlan();
    const text = JSON.stringify(doc);
    expect(doc.sampleNotice).toBeUndefined();
    for (const sample of ["Nhà Bè", "Dữ liệu mẫu", "an ninh", "GDĐT", "Nguyễn Văn Thử", "phong@test.example"])
      expect(text).not.toContain(sample);
    expect(text).toContain("vhxh@benthanh.example");
    expect(doc.intro).toMatch(/^Phòng Văn hóa - Xã hội phường Bến Thành xây dựng Kế hoạch/u);
  });
});
