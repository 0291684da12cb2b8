import { describe, expect, it } from "vitest";
import { inspectionOutcome } from "../../functions/src/domain/inspection.js";
import {
  inspectionRecordDocument,
  proposalDocument,
} from "../../functions/src/domain/inspection-documents.js";
import { officeProfileSchema } from "../../functions/src/domain/office.js";
import { decisionDocument, officeHeadName } from "../../functions/src/domain/office-documents.js";
import { OFFICE } from "../kit/index.js";
import {
  AUTHORITY,
  CS1,
  CS2,
  campaignAtInspection,
  ctx,
  inspectionOf,
  MN1,
  REJECTED_REASON,
  resultOf,
  SET,
  TH1,
  TH2,
} from "./inspection-documents-fixtures.js";

const { results, inspections } = campaignAtInspection();
const resultFor = (code: string) => {
  const found = results.find((r) => r.school.code === code);
  if (!found) throw new Error(code);
  return found;
};
const recordFor = (code: string, inspection = inspections.get(code)) => {
  if (!inspection) throw new Error(code);
  const result = resultFor(code);
  return inspectionRecordDocument(
    ctx(),
    result,
    inspection,
    inspectionOutcome(inspection, result.evaluation),
  );
};
const names = (list: { rows: Array<{ name: string }> } | undefined) => list?.rows.map((r) => r.name);

describe("the Biên bản kiểm tra", () => {
  it("opens with the time, day and place, lists the team leader first, and leaves the school's head to fill in", () => {
    const doc = recordFor(TH1.code);
    expect(doc).toMatchObject({ kind: "bien-ban", type: "BIÊN BẢN", recipients: [] });
    expect(doc.header.number).toBe("Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BB-GDĐT");
    expect(doc.header.placeDate).toBe("");
    expect(doc.subject).toContain(SET.award);
    expect(doc.opening).toMatch(
      /^Hôm nay, vào lúc 08 giờ 30 phút, ngày 19 tháng 11 năm 2026, tại Trường Tiểu học Đồng Khởi, /u,
    );
    expect(doc.teamTitle).toBe("Đoàn kiểm tra (Đoàn số 1)");
    expect(doc.team).toEqual([
      "Nguyễn Văn Thử, Phòng Giáo dục và Đào tạo: Trưởng đoàn;",
      "Trần Văn Bảo, Công an xã Nhà Bè: Thành viên;",
      "Phạm Thị Hoa, Phòng Giáo dục và Đào tạo: Thành viên.",
    ]);
    expect(doc.schoolSide[0]).toMatch(/^Ông \(bà\): …+, chức vụ: Hiệu trưởng;$/u);
  });

  it("says 'vào ngày' when the plan gives no time, and the day with its leading zeros", () => {
    const mn1 = resultFor(MN1.code);
    const doc = recordFor(MN1.code, inspectionOf(mn1, { date: "2027-02-05", time: undefined }));
    expect(doc.opening).toMatch(/^Hôm nay, vào ngày 05 tháng 02 năm 2027, tại /u);
  });

  it("is signed by the school (name by hand) and the team leader, never by the office's head", () => {
    const doc = recordFor(TH1.code);
    expect(doc.schoolSignature).toEqual({ authority: "ĐẠI DIỆN NHÀ TRƯỜNG", title: "HIỆU TRƯỞNG", name: "" });
    expect(doc.signature).toEqual({ authority: "TRƯỞNG ĐOÀN KIỂM TRA", name: "Nguyễn Văn Thử" });
    expect(JSON.stringify(doc)).not.toContain(OFFICE.signer.authority);
  });

  it("tables every applicable indicator with the school's answer and the team's finding", () => {
    const doc = recordFor(TH1.code);
    const rows = doc.criteria.flatMap((c) => c.indicators);
    const applicable = resultFor(TH1.code)
      .evaluation.criteria.flatMap((c) => c.indicators)
      .filter((i) => i.status !== "not-applicable");
    expect(rows.map((r) => r.id)).toEqual(applicable.map((i) => i.id));
    expect(rows.find((r) => r.id === "1.2")).toMatchObject({
      text: "Đơn vị đã xây dựng kế hoạch công tác bảo đảm an ninh, trật tự năm học",
      answer: "Có (1 tệp)",
      finding: "Xác nhận",
      rejected: false,
    });
    expect(rows.find((r) => r.id === "1.6")?.reason).toBe("Mô hình “Cổng trường an toàn” hoạt động đều");
    expect(JSON.stringify(doc)).not.toMatch(/[≥≤]/u);
  });

  it("concludes Đạt, and proposes the school for recognition and commendation when marked", () => {
    const doc = recordFor(TH1.code);
    expect(doc.verdict).toBe("ĐẠT");
    expect(doc.rejected).toEqual([]);
    expect(doc.conclusion).toContain("đạt tất cả các chỉ tiêu bắt buộc");
    expect(doc.conclusion).toContain("và đề nghị khen thưởng nhà trường");
    expect(recordFor(MN1.code).conclusion).not.toContain("khen thưởng");
    expect(doc.closing).toContain("được lập thành 02 bản");
    expect(doc.closing).toContain("đã được đọc lại cho các thành viên cùng nghe và thống nhất ký tên");
  });

  it("concludes Không đạt with each rejected indicator and the team's reason as a sentence", () => {
    const doc = recordFor(CS1.code);
    expect(doc.verdict).toBe("KHÔNG ĐẠT");
    expect(doc.conclusion).toContain("do 1 chỉ tiêu bắt buộc không được Đoàn kiểm tra xác nhận:");
    expect(doc.rejected).toEqual([
      `Chỉ tiêu 1.2 (Đơn vị đã xây dựng kế hoạch công tác bảo đảm an ninh, trật tự năm học): ${REJECTED_REASON}.`,
    ]);
    expect(doc.criteria[0]?.indicators.find((i) => i.id === "1.2")).toMatchObject({
      finding: "Không xác nhận",
      reason: REJECTED_REASON,
      rejected: true,
    });
  });

  it("says what is not judged yet, and concludes nothing", () => {
    const doc = recordFor(CS2.code);
    expect(doc.verdict).toBe("CHƯA KẾT LUẬN");
    expect(doc.conclusion).toBe(
      "Đoàn kiểm tra chưa kết luận: còn 1 chỉ tiêu bắt buộc chưa kiểm tra (chỉ tiêu 2.1).",
    );
    expect(doc.criteria.flatMap((c) => c.indicators).find((i) => i.id === "2.1")?.finding).toBe(
      "Chưa kiểm tra",
    );
  });
});

describe("the Tờ trình", () => {
  const doc = proposalDocument(ctx(), results, inspections, AUTHORITY, SET.legalBasis);

  it("goes to the authority from the office, signed by the office's head", () => {
    expect(doc).toMatchObject({ kind: "to-trinh", type: "TỜ TRÌNH", to: "Ủy ban nhân dân xã Nhà Bè" });
    expect(doc.header.issuingBody).toBe("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO");
    expect(doc.header.number).toMatch(/\/TTr-GDĐT$/u);
    expect(doc.signature).toEqual({ authority: OFFICE.signer.authority, name: OFFICE.signer.name });
    expect(doc.bases[0]).toMatch(/^Căn cứ Quyết định số 9745/u);
    expect(doc.bases.at(-1)).toContain("kết quả kiểm tra, đánh giá thực tế");
    expect(doc.closing).toBe(
      "Phòng Giáo dục và Đào tạo huyện Nhà Bè kính trình Ủy ban nhân dân xã Nhà Bè xem xét, quyết định./.",
    );
  });

  it("gives the figures: schools, dossiers, inspected, Đạt, Không đạt, waiting", () => {
    expect(doc.figures[0]).toContain("có 5 trường tham gia");
    expect(doc.figures[0]).toContain("5 trường đã nộp hồ sơ");
    expect(doc.figures[1]).toContain(
      "phối hợp với Công an xã Nhà Bè kiểm tra thực tế 4 trường: 3 trường đạt, 1 trường không đạt; 1 trường đang chờ kiểm tra.",
    );
    // Recorded Đạt without a record that concludes Đạt: said, and not proposed.
    expect(doc.figures[2]).toContain(
      "Có 1 trường được ghi nhận đạt nhưng biên bản kiểm tra chưa kết luận đạt",
    );
  });

  it("proposes only the schools found Đạt by an inspection that concludes Đạt, with the day of each", () => {
    expect(doc.proposals[0]).toContain("Công nhận 2 trường đạt danh hiệu");
    expect(doc.appendices[0]).toMatchObject({ label: "Phụ lục I", dated: true });
    expect(doc.appendices[0]?.rows).toEqual([
      { index: 1, name: MN1.name, level: "Mầm non", commune: MN1.commune, date: "18/11/2026" },
      { index: 2, name: TH1.name, level: "Tiểu học", commune: TH1.commune, date: "19/11/2026" },
    ]);
    for (const left of [CS1, TH2, CS2]) expect(names(doc.appendices[0])).not.toContain(left.name);
  });

  it("lists for commendation only the schools marked and proposed (a Không đạt school marked is not)", () => {
    expect(doc.proposals[1]).toContain("Khen thưởng 1 trường");
    expect(doc.appendices[1]?.label).toBe("Phụ lục II");
    expect(names(doc.appendices[1])).toEqual([TH1.name]);
    expect(doc.appendices[1]?.reference).toBe(doc.appendices[0]?.reference);
  });

  it("has one appendix and no commendation when no school is marked", () => {
    const unmarked = new Map([...inspections].map(([code, i]) => [code, { ...i, commend: false }]));
    const plain = proposalDocument(ctx(), results, unmarked, AUTHORITY);
    expect(plain.appendices.map((a) => a.label)).toEqual(["Phụ lục"]);
    expect(plain.proposals).toHaveLength(1);
    expect(plain.proposals[0]).toContain("(danh sách tại Phụ lục kèm theo)");
    expect(plain.bases).toHaveLength(1);
  });

  it("does not propose again a school an earlier decision recognised, and says how many were", () => {
    const after = results.map((r) =>
      r.school.code === MN1.code ? { ...r, status: "duoc-cong-nhan" as const } : r,
    );
    const second = proposalDocument(ctx(), after, inspections, AUTHORITY);
    expect(names(second.appendices[0])).toEqual([TH1.name]);
    expect(second.proposals[0]).toContain("Công nhận 1 trường đạt danh hiệu");
    expect(second.figures.join(" ")).toContain(
      "1 trường trong số đó đã được công nhận theo quyết định trước; Tờ trình này đề nghị các trường còn lại.",
    );
  });

  it("proposes nobody when no inspection has concluded Đạt", () => {
    const none = proposalDocument(ctx(), [resultOf(TH2, "cho-kiem-tra")], new Map(), AUTHORITY);
    expect(none.proposals).toEqual([
      "Chưa có trường nào được Đoàn kiểm tra kết luận đạt: chưa đề nghị công nhận trường nào.",
    ]);
    expect(none.appendices[0]?.rows).toEqual([]);
    expect(none.figures[1]).toContain("phối hợp với các đơn vị liên quan kiểm tra thực tế 0 trường");
  });
});

describe("the Quyết định công nhận, by the competent authority", () => {
  const listed = [resultFor(MN1.code), resultFor(TH1.code)];

  it("carries the authority's header, decider, signer and competence first; the office's proposal last", () => {
    const doc = decisionDocument(ctx(), listed, SET.legalBasis, AUTHORITY);
    expect(doc.header).toMatchObject({
      parentBody: "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
      issuingBody: "ỦY BAN NHÂN DÂN XÃ NHÀ BÈ",
    });
    expect(doc.decider).toBe("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ NHÀ BÈ");
    expect(doc.signature).toEqual({ authority: "KT. CHỦ TỊCH", title: "PHÓ CHỦ TỊCH", name: "Lê Văn Quyết" });
    expect(doc.bases).toEqual([
      "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
      ...SET.legalBasis.map((b) => `Căn cứ ${b};`),
      "Xét đề nghị của Phòng Giáo dục và Đào tạo huyện Nhà Bè tại Tờ trình số ……/TTr-GDĐT ngày …… tháng …… năm 2026.",
    ]);
    expect(doc.recipients).toEqual([
      "Như Điều 3;",
      "Phòng Giáo dục và Đào tạo huyện Nhà Bè;",
      "Lưu: VT, GDĐT.",
    ]);
  });

  it("recognises exactly the schools listed, and names the office's head and the schools' heads in Điều 3", () => {
    const doc = decisionDocument(ctx(), listed, SET.legalBasis, AUTHORITY);
    expect(doc.articles[0]?.text).toMatch(/^Công nhận 2 trường đạt danh hiệu “Trường học điển hình/u);
    expect(names(doc.appendix)).toEqual([MN1.name, TH1.name]);
    expect(doc.appendix.dated).toBe(false);
    expect(doc.articles[2]?.text).toBe(
      "Chánh Văn phòng Ủy ban nhân dân xã Nhà Bè, Trưởng phòng Giáo dục và Đào tạo huyện Nhà Bè, Hiệu trưởng các trường có tên tại Điều 1 và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.",
    );
  });

  it("is a draft until issued: DỰ THẢO, the number and the day left blank", () => {
    const blank = "\u00a0".repeat(6);
    const doc = decisionDocument(ctx({ number: 7 }), listed, SET.legalBasis, AUTHORITY);
    expect(doc.header.draft).toBe(true);
    expect(doc.header.number).toBe(`Số: ${blank}/QĐ-UBND`);
    expect(doc.header.placeDate).toBe(`Nhà Bè, ngày ${blank} tháng ${blank} năm 2026`);
    expect(doc.appendix.reference).toBe(
      `(Kèm theo Quyết định số ${blank}/QĐ-UBND ngày ${blank} tháng ${blank} năm 2026 của Ủy ban nhân dân xã Nhà Bè)`,
    );
  });

  it("once issued, prints its number (with a leading zero below 10), its date and place, and no DỰ THẢO", () => {
    const date = new Date("2026-12-02T02:00:00Z");
    const doc = decisionDocument(
      ctx(),
      listed,
      SET.legalBasis,
      { ...AUTHORITY, place: "Hiệp Phước" },
      { number: "123", date },
    );
    expect(doc.header.draft).toBeUndefined();
    expect(doc.header.number).toBe("Số: 123/QĐ-UBND");
    expect(doc.header.placeDate).toBe("Hiệp Phước, ngày 02 tháng 12 năm 2026");
    expect(doc.appendix.reference).toContain(
      "Quyết định số 123/QĐ-UBND ngày 02 tháng 12 năm 2026 của Ủy ban nhân dân xã Nhà Bè",
    );
    expect(decisionDocument(ctx(), listed, [], AUTHORITY, { number: "5", date }).header.number).toBe(
      "Số: 05/QĐ-UBND",
    );
  });

  it("prints no parent body when the authority has none on its header", () => {
    const { parentBody: _, ...alone } = AUTHORITY;
    expect(decisionDocument(ctx(), listed, [], alone).header.parentBody).toBe("");
  });

  it.each([
    // The office is named in full, with the locality of its parent body (Ủy ban nhân dân huyện Nhà Bè).
    ["TRƯỞNG PHÒNG", "Phòng Giáo dục và Đào tạo", "Trưởng phòng Giáo dục và Đào tạo huyện Nhà Bè"],
    ["KT. TRƯỞNG PHÒNG", "Phòng Văn hóa - Xã hội", "Trưởng phòng Văn hóa - Xã hội huyện Nhà Bè"],
    ["GIÁM ĐỐC", "Trung tâm Giáo dục", "Giám đốc Trung tâm Giáo dục huyện Nhà Bè"],
  ])("names the office's head from %j and %j: %j", (authority, issuingBodyName, head) => {
    expect(officeHeadName({ ...OFFICE, signer: { authority, name: "X" }, issuingBodyName })).toBe(head);
  });
});

describe("the office profile's authority", () => {
  const { sample: _, ...profile } = OFFICE;

  it("is optional, so profiles stored before it still parse", () => {
    expect(officeProfileSchema.parse(profile).authority).toBeUndefined();
  });

  it("is checked when present: a body, a prefix of letters, at least one law of competence", () => {
    expect(officeProfileSchema.parse({ ...profile, authority: AUTHORITY }).authority).toEqual(AUTHORITY);
    const bad = officeProfileSchema.safeParse({
      ...profile,
      authority: { ...AUTHORITY, numberPrefix: "UB ND", competence: [] },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual([
      "authority.numberPrefix",
      "authority.competence",
    ]);
  });
});
