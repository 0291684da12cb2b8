import { describe, expect, it } from "vitest";
import { selfAssessedResult } from "../../functions/src/domain/campaign-score.js";
import { evaluate, evaluateSchool } from "../../functions/src/domain/evaluate.js";
import { summaryReportDocument, wholeOfficeLabel } from "../../functions/src/domain/report-document.js";
import type { School } from "../../functions/src/domain/school.js";
import { answer } from "../kit/index.js";
import { CS1, CS2, ctx, MN1, resultOf, SET, TH1, TH2 } from "./inspection-documents-fixtures.js";

/** The report to the Sở: the parts such a report has, the office's own words where it has them. */
const unsent = (school: School) => selfAssessedResult(school, evaluateSchool(school, SET, []));
const fixable = {
  ...resultOf(MN1, "can-bo-sung"),
  evaluation: {
    ...evaluate({ "1.4": answer("Không") }, SET, MN1),
    submitted: ["registration", "dossier"] as const,
  },
};
const results = [
  fixable,
  resultOf(TH1, "dat"),
  resultOf(CS1, "khong-du-dieu-kien"),
  resultOf(TH2, "duoc-cong-nhan"),
  unsent({ ...CS2, ownership: "ngoai-cong-lap" }),
] as Parameters<typeof summaryReportDocument>[1];
const source = { criteriaSetTitle: SET.title, legalBasis: SET.legalBasis };

describe("the report to the Sở", () => {
  it("cites the plan it answers, with the campaign's year and period", () => {
    const doc = summaryReportDocument(ctx(), results, source);
    expect(doc.opening).toMatch(/^Thực hiện Kế hoạch số 3560\/KH-SGDĐT /u);
    expect(doc.opening).toContain("năm học 2026-2027 (kỳ đánh giá từ ngày 16 tháng 11 năm 2026");
  });

  it("counts quý I registrations and dossiers, and tallies by level, commune and ownership with a whole-office row", () => {
    const doc = summaryReportDocument(ctx(), results, source);
    expect(doc.results[0]).toBe("Đăng ký xây dựng (quý I): 4/5 trường đăng ký, đạt tỷ lệ 80%.");
    for (const table of [doc.byLevel, doc.byCommune, doc.byOwnership]) {
      expect(table.at(-1)).toMatchObject({ label: "Toàn huyện", schools: "5", total: true });
    }
    expect(doc.byOwnership.map((r) => r.label)).toEqual(["Công lập", "Ngoài công lập", "Toàn huyện"]);
    // A level with no school has no row.
    expect(doc.byLevel.map((r) => r.label)).toEqual(["Mầm non", "Tiểu học", "THCS", "Toàn huyện"]);
  });

  it("lists the schools that can still fix something apart from those a reported fact rules out", () => {
    const doc = summaryReportDocument(ctx(), results, source);
    expect(doc.fixable).toHaveLength(1);
    expect(doc.fixable[0]).toMatch(new RegExp(`^${MN1.name}: Tiêu chí 1: `, "u"));
    expect(doc.fixable[0]).toContain("Tiêu chí 1: Chưa có nội quy, quy chế");
    expect(doc.ruledOut).toEqual([
      `${CS1.name}: ${resultOf(CS1, "khong-du-dieu-kien")
        .evaluation.missing.filter((m) => m.disqualifying)
        .map((m) => m.message)
        .join(" ")}`,
    ]);
  });

  it("prints the office's own words for organisation, difficulties and proposals, and says what to write when empty", () => {
    const empty = summaryReportDocument(ctx(), results, source);
    expect(empty.organisation[0]).toMatch(/^\(Phòng ghi tại trang Báo cáo của bảng theo dõi/u);
    expect(empty.difficulties[0]).toContain("khó khăn, vướng mắc");
    expect(empty.proposals[0]).toContain("đề xuất, kiến nghị");
    const typed = summaryReportDocument(ctx(), results, {
      ...source,
      narrative: {
        organisation: "Ban hành Kế hoạch số 12/KH-GDĐT.\nTổ chức hội nghị triển khai.",
        proposals: "",
      },
    });
    expect(typed.organisation).toEqual(["Ban hành Kế hoạch số 12/KH-GDĐT.", "Tổ chức hội nghị triển khai."]);
    expect(typed.proposals[0]).toMatch(/^\(Phòng ghi/u);
  });

  it("shows no points for a school that sent no dossier", () => {
    const doc = summaryReportDocument(ctx(), results, source);
    const row = (school: School) => doc.appendix.rows.find((r) => r.code === school.code);
    expect(row(CS2)?.points).toBe("");
    expect(row(TH1)?.points).not.toBe("");
  });

  it("names the whole office from its parent body", () => {
    expect(wholeOfficeLabel("Ủy ban nhân dân huyện Nhà Bè")).toBe("Toàn huyện");
    expect(wholeOfficeLabel("Ủy ban nhân dân xã Nhà Bè")).toBe("Toàn xã");
    expect(wholeOfficeLabel("Ủy ban nhân dân phường Sài Gòn")).toBe("Toàn phường");
    expect(wholeOfficeLabel("Sở Giáo dục và Đào tạo")).toBe("Toàn đơn vị");
  });
});
