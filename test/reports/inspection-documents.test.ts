import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportDeps } from "../../functions/src/app/documents.js";
import { officeDocuments } from "../../functions/src/app/office-documents.js";
import { loadOfficeProfile, SAMPLE_OFFICE_FILE } from "../../functions/src/data/office-file.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import type { OfficialDocument } from "../../functions/src/domain/documents.js";
import { inspectionOutcome } from "../../functions/src/domain/inspection.js";
import {
  inspectionRecordDocument,
  proposalDocument,
} from "../../functions/src/domain/inspection-documents.js";
import type { OfficeProfile } from "../../functions/src/domain/office.js";
import { decisionDocument } from "../../functions/src/domain/office-documents.js";
import { passedInspection } from "../../functions/src/domain/status.js";
import { PdfRenderer } from "../../functions/src/infra/render/pdf.js";
import { loadTemplates, type Templates } from "../../functions/src/infra/templates.js";
import {
  AUTHORITY,
  CS1,
  campaignAtInspection,
  ctx,
  MN1,
  OFFICE_WITH_AUTHORITY,
  REJECTED_REASON,
  SET,
  TH1,
} from "../domain/inspection-documents-fixtures.js";
import { OFFICE } from "../kit/index.js";

/**
 * The documents of the office's inspection act, rendered by the real Chromium through the real
 * templates, read back with pdftotext. The PDFs stay in the temporary directory below, to be looked at.
 */
const OUT = join(tmpdir(), "dienhinh-inspection-documents");
let renderer: PdfRenderer;
let templates: Templates;
beforeAll(async () => {
  renderer = new PdfRenderer({ pages: 2 });
  templates = await loadTemplates();
  await mkdir(OUT, { recursive: true });
});
afterAll(() => renderer.close());

/** The PDF's file, its text (runs of white space as one space) and its page count. */
const render = async (name: string, doc: OfficialDocument) => {
  const file = join(OUT, `${name}.pdf`);
  await writeFile(file, await renderer.render(templates.document(doc)));
  const text = execFileSync("pdftotext", [file, "-"]).toString().replace(/\s+/gu, " ");
  const info = execFileSync("pdfinfo", [file]).toString();
  return { file, text, pages: Number(/Pages:\s+(\d+)/u.exec(info)?.[1]), info };
};

const { results, inspections } = campaignAtInspection();
const byCode = (code: string) => results.find((r) => r.school.code === code) ?? results[0];
const record = (code: string) => {
  const result = byCode(code);
  const inspection = inspections.get(code);
  if (!inspection) throw new Error(`no inspection for ${code}`);
  return inspectionRecordDocument(
    ctx(),
    result,
    inspection,
    inspectionOutcome(inspection, result.evaluation),
  );
};

describe("the documents of the inspection act, as PDFs", () => {
  it("prints a Biên bản kiểm tra: A4, the team and the school, the findings, both signatures", async () => {
    const { text, info } = await render("bien-ban-dat", record(TH1.code));
    expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 841(\.\d+)? pts \(A4\)/u);
    for (const part of [
      "/BB-GDĐT",
      "BIÊN BẢN",
      "Hôm nay, vào lúc 08 giờ 30 phút, ngày 19 tháng 11 năm 2026",
      "Đoàn kiểm tra (Đoàn số 1)",
      "Nguyễn Văn Thử, Phòng Giáo dục và Đào tạo: Trưởng đoàn",
      "Trần Văn Bảo, Công an xã Nhà Bè: Thành viên",
      "Nhà trường tự đánh giá",
      "Xác nhận",
      "Mô hình “Cổng trường an toàn” hoạt động đều",
      "Kết quả: ĐẠT",
      "được lập thành 02 bản có giá trị như nhau",
      "đã được đọc lại cho các thành viên cùng nghe và thống nhất ký tên",
      "ĐẠI DIỆN NHÀ TRƯỜNG",
      "HIỆU TRƯỞNG",
      "TRƯỞNG ĐOÀN KIỂM TRA",
    ])
      expect(text).toContain(part);
    expect(text).not.toContain("TRƯỞNG PHÒNG");
    expect(text).not.toMatch(/[≥≤]/u);
  });

  it("prints a Biên bản that does not pass with the rejected indicator and its reason", async () => {
    const { text } = await render("bien-ban-khong-dat", record(CS1.code));
    expect(text).toContain("Kết quả: KHÔNG ĐẠT");
    expect(text).toContain(
      `Chỉ tiêu 1.2 (Đơn vị đã xây dựng kế hoạch công tác bảo đảm an ninh, trật tự năm học): ${REJECTED_REASON}.`,
    );
  });

  it("prints the Tờ trình with the schools proposed and those for commendation in two appendices", async () => {
    const { text, pages } = await render(
      "to-trinh",
      proposalDocument(ctx({ number: 12 }), results, inspections, AUTHORITY, SET.legalBasis),
    );
    expect(text).toContain("Số: 12/TTr-GDĐT");
    expect(text).toContain("Kính gửi: Ủy ban nhân dân xã Nhà Bè");
    expect(text).toContain("TỜ TRÌNH");
    expect(text).toContain("Phụ lục I");
    expect(text).toContain("Phụ lục II");
    expect(text).toContain("DANH SÁCH TRƯỜNG ĐỀ NGHỊ KHEN THƯỞNG");
    expect(text).toContain(`${MN1.name} Mầm non ${MN1.commune} 18/11/2026`);
    expect(text).not.toContain(CS1.name);
    expect(text).toContain("TRƯỞNG PHÒNG Nguyễn Văn Thử");
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it("prints the decision as the draft of the sample profile's authority: its header, DỰ THẢO, no number", async () => {
    const office = await loadOfficeProfile(SAMPLE_OFFICE_FILE);
    if (!office.authority) throw new Error("the sample office profile names no authority");
    const listed = results.filter((r) => passedInspection(r.status)).slice(0, 2);
    const { text } = await render(
      "quyet-dinh-du-thao",
      decisionDocument(ctx({ office }), listed, SET.legalBasis, office.authority),
    );
    // Ủy ban nhân dân huyện Nhà Bè has no parent body on its header: the office's own is gone.
    expect(text).toMatch(/^ỦY BAN NHÂN DÂN HUYỆN NHÀ BÈ Số: /u);
    expect(text).not.toContain("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO");
    expect(text).toContain("/QĐ-UBND");
    expect(text).not.toMatch(/Số: \d/u);
    expect(text).toContain("DỰ THẢO");
    expect(text).toContain("Nhà Bè, ngày tháng năm 2026");
    expect(text).toContain(
      "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN NHÀ BÈ Căn cứ Luật Tổ chức chính quyền địa phương",
    );
    expect(text).toContain("Xét đề nghị của Phòng Giáo dục và Đào tạo huyện Nhà Bè tại Tờ trình số ……/TTr");
    expect(text).toContain("Điều 1. Công nhận 2 trường");
    expect(text).toContain("KT. CHỦ TỊCH PHÓ CHỦ TỊCH");
    expect(text).toContain(
      "(Kèm theo Quyết định số /QĐ-UBND ngày tháng năm 2026 của Ủy ban nhân dân huyện Nhà Bè)",
    );
  });

  it("prints the decision once issued: its number, its date, the authority's parent body, no DỰ THẢO", async () => {
    const listed = results.filter((r) => passedInspection(r.status)).slice(0, 2);
    const { text } = await render(
      "quyet-dinh",
      decisionDocument(ctx(), listed, SET.legalBasis, AUTHORITY, {
        number: "123",
        date: new Date("2026-12-02T02:00:00Z"),
      }),
    );
    expect(text).toContain("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH ỦY BAN NHÂN DÂN XÃ NHÀ BÈ");
    expect(text).toContain("Số: 123/QĐ-UBND");
    expect(text).toContain("Nhà Bè, ngày 02 tháng 12 năm 2026");
    expect(text).not.toContain("DỰ THẢO");
    expect(text).toContain(
      "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025; Căn cứ Quyết định số 9745",
    );
    expect(text).toContain(
      "(Kèm theo Quyết định số 123/QĐ-UBND ngày 02 tháng 12 năm 2026 của Ủy ban nhân dân xã Nhà Bè)",
    );
    for (const r of listed) expect(text).toContain(r.school.name);
  });

  it("plans the decision only when the office profile names the authority, for the schools found Đạt", () => {
    const deps = { templates, timeZone: "Asia/Ho_Chi_Minh" } as ReportDeps;
    const campaign = (office: OfficeProfile) =>
      ({ id: "dot-thu", office, schoolYear: "2026-2027", criteriaSet: SET }) as Campaign;
    const kinds = ["bao-cao", "quyet-dinh"] as const;
    expect(officeDocuments(deps, campaign(OFFICE), results, new Map(), kinds).map((d) => d.kind)).toEqual([
      "bao-cao",
    ]);
    const planned = officeDocuments(deps, campaign(OFFICE_WITH_AUTHORITY), results, new Map(), kinds);
    expect(planned.map((d) => d.kind)).toEqual(["bao-cao", "quyet-dinh"]);
    const decision = planned[1]?.build(new Date("2026-11-25T03:00:00Z"));
    expect(decision?.kind === "quyet-dinh" && decision.appendix.rows.map((r) => r.name)).toEqual(
      results.filter((r) => passedInspection(r.status)).map((r) => r.school.name),
    );
  });
});
