import { describe, expect, it } from "vitest";
import { indexPage } from "../../functions/src/domain/index-page.js";

const school = (status: string, points: number) => ({
  code: `T-${status}`,
  name: "Trường Thử",
  levels: ["tieu-hoc" as const],
  status,
  statusLabel: status,
  points,
  pdfs: [],
  emails: [],
});

describe("index.html's view", () => {
  it("shows no points for a school that has sent no dossier, and a scored school's points", () => {
    const page = indexPage({
      heading: "Trường học điển hình",
      title: "Phòng Giáo dục và Đào tạo",
      sample: true,
      files: { workbook: "theo-doi.xlsx" },
      tally: [],
      schools: [school("chua-dang-ky", 0), school("da-dang-ky", 0), school("can-bo-sung", 62.5)],
      responses: 1,
      quarantined: 0,
      duplicates: 0,
    });
    expect(page.schools.map((s) => s.pointsLabel)).toEqual(["", "", "62,5"]);
  });
});
