import { describe, expect, it } from "vitest";
import { evaluate } from "../../functions/src/domain/evaluate.js";
import { type Inspection, inspectionOutcome, parseFinding } from "../../functions/src/domain/inspection.js";
import { answer, schoolAt, trafficSet } from "../kit/index.js";

const traffic = trafficSet();
const evaluation = evaluate(
  {
    "A-tiet-hoc": answer(4),
    "A-ke-hoach": answer(true, ["drive:ke-hoach"]),
    "B-vi-pham": answer(0),
    "B-mu-bao-hiem": answer(96),
    "B-toc-do": answer(40),
    "C-danh-gia": answer("Tốt", ["drive:bien-ban"]),
  },
  traffic,
  schoolAt("tieu-hoc"),
);

const inspection = (findings: Inspection["findings"]): Inspection => ({
  date: "2026-11-20",
  place: "Trường Tiểu học Phú Xuân",
  team: [
    { name: "Nguyễn Văn Thử", unit: "Phòng Giáo dục và Đào tạo" },
    { name: "Trần Văn Bảo", unit: "Công an xã Nhà Bè" },
  ],
  findings,
  commend: false,
});
const confirmed = { finding: "xac-nhan", reason: "" } as const;

describe("an inspection's outcome", () => {
  it("waits for every applicable mandatory indicator, and only those", () => {
    expect(inspectionOutcome(null, evaluation)).toEqual({
      verdict: null,
      rejected: [],
      pending: ["A-tiet-hoc", "A-ke-hoach", "B-vi-pham", "B-mu-bao-hiem"],
    });
    const partly = inspectionOutcome(
      inspection({ "A-tiet-hoc": confirmed, "A-ke-hoach": confirmed }),
      evaluation,
    );
    expect(partly).toMatchObject({ verdict: null, pending: ["B-vi-pham", "B-mu-bao-hiem"] });
  });

  it("is Đạt when every one is confirmed, whatever the optional ones", () => {
    const all = inspection({
      "A-tiet-hoc": confirmed,
      "A-ke-hoach": confirmed,
      "B-vi-pham": confirmed,
      "B-mu-bao-hiem": confirmed,
      "C-danh-gia": { finding: "khong-xac-nhan", reason: "Biên bản chưa ký" },
    });
    expect(inspectionOutcome(all, evaluation)).toEqual({ verdict: "dat", rejected: [], pending: [] });
  });

  it("is Không đạt on one rejected claim, with the team's reason, even before the rest is judged", () => {
    const outcome = inspectionOutcome(
      inspection({ "A-ke-hoach": { finding: "khong-xac-nhan", reason: "Kế hoạch chưa được ký ban hành" } }),
      evaluation,
    );
    expect(outcome.verdict).toBe("khong-dat");
    expect(outcome.rejected).toEqual([
      {
        indicatorId: "A-ke-hoach",
        text: expect.any(String),
        reason: "Kế hoạch chưa được ký ban hành",
      },
    ]);
  });

  it.each([
    ["Xác nhận", "xac-nhan"],
    ["xac nhan", "xac-nhan"],
    ["ĐẠT", "xac-nhan"],
    ["Không xác nhận", "khong-xac-nhan"],
    ["không  đạt", "khong-xac-nhan"],
    ["", undefined],
    ["Có lẽ", undefined],
  ])("reads the finding %j as %s", (text, finding) => {
    expect(parseFinding(text)).toBe(finding);
  });
});
