import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { ingestResponses } from "../../functions/src/app/intake.js";
import { syncSheet } from "../../functions/src/app/sheet-cycle.js";
import { currentWorkbook } from "../../functions/src/app/workbook.js";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import { DEFAULT_COMMUNE_LABEL } from "../../functions/src/domain/office.js";
import type { School } from "../../functions/src/domain/school.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import { columnLetter } from "../../functions/src/infra/google/sheets-plan.js";
import { xlsxTarget } from "../../functions/src/infra/sheet-target.js";
import { readWorkbookFile, writeWorkbookFile } from "../../functions/src/infra/xlsx-workbook.js";
import {
  formResponse,
  makeCampaign,
  OFFICE,
  PASSING_DOSSIER,
  PASSING_REGISTRATION,
  SCHOOLS,
  specBindings,
  testDeps,
  testStore,
} from "../kit/index.js";

let layout: SheetLayout;
let dir: string;
beforeAll(async () => {
  layout = await loadSheetLayout();
  dir = await mkdtemp(join(tmpdir(), "dienhinh-xlsx-"));
});

const submit = async (campaign: Campaign, school: School) => {
  const options = { email: school.emails[0] ?? null };
  await ingestResponses(testDeps(), campaign, "registration", [
    formResponse(specBindings("registration"), school, PASSING_REGISTRATION, {
      ...options,
      lastSubmittedTime: "2026-03-01T01:00:00.000Z",
    }),
  ]);
  await ingestResponses(testDeps(), campaign, "dossier", [
    formResponse(specBindings("dossier"), school, PASSING_DOSSIER, {
      ...options,
      lastSubmittedTime: "2026-11-05T01:30:00.000Z",
    }),
  ]);
};

const open = async (file: string) => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
};

const rowValues = (sheet: ExcelJS.Worksheet, r: number) => (sheet.getRow(r).values as unknown[]).slice(1);

describe("the .xlsx workbook", () => {
  it("has the configured tabs, headers, values, formats, colours, dropdowns and protections", async () => {
    const sly: School = { ...(SCHOOLS[0] as School), name: "=1+1 Trường Mầm non" };
    const campaign = await makeCampaign({ schools: [sly, ...SCHOOLS.slice(1)] });
    await submit(campaign, SCHOOLS[1] as School);
    const file = join(dir, "export.xlsx");
    await writeWorkbookFile(await currentWorkbook(testStore(), campaign.id, layout), file);

    const workbook = await open(file);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      "Tổng quan",
      "Điều khiển",
      "Theo dõi",
      "Lịch kiểm tra",
      "Kiểm tra",
      "Quyết định công nhận",
      "Báo cáo",
      "Lịch",
      "Gia hạn",
      "Đôn đốc",
      "Danh sách trường",
      "Tiêu chí",
      "Nhật ký",
      "Hướng dẫn",
    ]);
    for (const key of ["tracking", "registry", "criteria", "log"] as const) {
      const sheet = workbook.getWorksheet(layout.tabs[key].title) as ExcelJS.Worksheet;
      const headers = rowValues(sheet, 1);
      // Commune columns are headed as the office calls its communes (issue 14): the kit's office says nothing.
      const configured = layout.tabs[key].columns
        .filter((c) => c.field !== "criteria")
        .map((c) => c.header.replace("{commune}", DEFAULT_COMMUNE_LABEL));
      expect(headers).toEqual(expect.arrayContaining(configured));
    }

    const tracking = workbook.getWorksheet("Theo dõi") as ExcelJS.Worksheet;
    const headers = rowValues(tracking, 1) as string[];
    const col = (header: string) => headers.indexOf(header) + 1;
    const row = (code: string) => {
      for (let r = 2; r <= tracking.rowCount; r++) if (tracking.getRow(r).getCell(1).value === code) return r;
      throw new Error(`no row for ${code}`);
    };
    const th1 = tracking.getRow(row("T-TH1"));
    expect(th1.getCell(col("Tình trạng")).value).toBe("Chờ kiểm tra");
    expect(th1.getCell(col("Tổng điểm")).value).toBe(100);
    // The time of the last submission, as the office's wall clock shows it (UTC+7).
    const submitted = th1.getCell(col("Lần nộp gần nhất"));
    expect((submitted.value as Date).toISOString()).toBe("2026-11-05T08:30:00.000Z");
    expect(submitted.numFmt).toBe("dd/mm/yyyy hh:mm");
    expect(th1.getCell(col("Tổng điểm")).numFmt).toBe("#,##0.0");
    // A formula-looking name is text, never a formula.
    const name = tracking.getRow(row("T-MN1")).getCell(col("Tên trường"));
    expect(name.value).toBe("=1+1 Trường Mầm non");
    expect(name.type).toBe(ExcelJS.ValueType.String);
    // Header colours, frozen panes, colours by status, the verdict dropdown, protection.
    expect(tracking.getRow(1).getCell(1).fill).toMatchObject({
      pattern: "solid",
      fgColor: { argb: "FF1F4E79" },
    });
    expect(tracking.views[0]).toMatchObject({ state: "frozen", xSplit: 2, ySplit: 1 });
    // exceljs reads conditional formats back, but leaves them out of its type declarations.
    const formats = (tracking as unknown as { conditionalFormattings: Array<{ rules: unknown[] }> })
      .conditionalFormattings;
    const rules = formats.flatMap((cf) => cf.rules) as Array<{
      formulae?: string[];
      style?: { fill?: { bgColor?: { argb?: string } } };
    }>;
    expect(rules.find((r) => r.formulae?.[0] === '"Chờ kiểm tra"')?.style?.fill?.bgColor?.argb).toBe(
      "FFCFE2F3",
    );
    // The verdict is the inspection's, written by the system; the team's finding is a dropdown of the
    // Kiểm tra tab, one row per indicator of the school waiting for its inspection.
    expect(th1.getCell(col("Kết quả kiểm tra")).protection?.locked).not.toBe(false);
    expect(th1.getCell(col("Ghi chú của phòng")).protection?.locked).toBe(false);
    expect(th1.getCell(col("Tình trạng")).protection?.locked).not.toBe(false);
    const inspection = workbook.getWorksheet("Kiểm tra") as ExcelJS.Worksheet;
    const inspectionHeaders = rowValues(inspection, 1) as string[];
    expect(rowValues(inspection, 2).slice(0, 3)).toEqual(["T-TH1", "Trường Tiểu học Đồng Khởi", "1.1"]);
    const finding = inspection.getRow(2).getCell(inspectionHeaders.indexOf("Kết quả kiểm tra") + 1);
    expect(finding.dataValidation).toMatchObject({ type: "list", formulae: ['"Xác nhận,Không xác nhận"'] });
    expect(finding.protection?.locked).toBe(false);
    expect((tracking as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet).toBe(
      true,
    );

    const overview = workbook.getWorksheet("Tổng quan") as ExcelJS.Worksheet;
    const total = [...Array(overview.rowCount).keys()]
      .map((i) => overview.getRow(i + 1))
      .find((r) => r.getCell(1).value === "Toàn huyện") as ExcelJS.Row;
    // Schools, submitted, each step of the path, Đạt qua kiểm tra, Được công nhận, both shares, target, remaining.
    expect(rowValues(overview, total.number).slice(0, 15)).toEqual([
      "Toàn huyện",
      3,
      1,
      2,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      0,
      0,
      1,
      3,
    ]);
    expect(total.getCell(13).numFmt).toBe("0.0%");
    expect(total.font?.bold).toBe(true);
  });

  it("filters every table, prints each tab on A4 fitted to its width, and shows the registry and commune as the office keeps them", async () => {
    const mn1: School = { ...(SCHOOLS[0] as School), head: "Nguyễn Thị Mẫu", phone: "028 3873 1234" };
    const campaign = await makeCampaign({
      office: { ...OFFICE, communeLabel: "Xã/Thị trấn" },
      schools: [mn1, ...SCHOOLS.slice(1)],
    });
    const file = join(dir, `${campaign.id}-in.xlsx`);
    const model = await currentWorkbook(testStore(), campaign.id, layout);
    await writeWorkbookFile(model, file);
    const workbook = await open(file);
    for (const tab of model.tabs) {
      const sheet = workbook.getWorksheet(tab.title) as ExcelJS.Worksheet;
      const last = tab.columns.length;
      // A filter over the header and the rows of every table; the overview has no header row.
      expect(sheet.autoFilter, tab.title).toEqual(
        tab.header ? `A1:${columnLetter(last - 1)}${tab.rows.length + 1}` : undefined,
      );
      expect(sheet.pageSetup, tab.title).toMatchObject({
        paperSize: 9,
        orientation: tab.print.orientation,
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
      });
      expect(sheet.pageSetup.printTitlesRow, tab.title).toBe(tab.header ? "1:1" : undefined);
    }
    expect(
      ["Theo dõi", "Kiểm tra", "Lịch kiểm tra", "Danh sách trường"].map(
        (title) => workbook.getWorksheet(title)?.pageSetup.orientation,
      ),
    ).toEqual(["landscape", "landscape", "landscape", "landscape"]);
    const registry = workbook.getWorksheet("Danh sách trường") as ExcelJS.Worksheet;
    const headers = rowValues(registry, 1) as string[];
    expect(headers).toEqual(expect.arrayContaining(["Xã/Thị trấn", "Hiệu trưởng", "Điện thoại"]));
    expect(rowValues(registry, 2)[headers.indexOf("Hiệu trưởng")]).toBe("Nguyễn Thị Mẫu");
    expect(rowValues(registry, 2)[headers.indexOf("Điện thoại")]).toBe("028 3873 1234");
    for (const title of ["Theo dõi", "Lịch kiểm tra"])
      expect(rowValues(workbook.getWorksheet(title) as ExcelJS.Worksheet, 1), title).toContain("Xã/Thị trấn");
    const overview = workbook.getWorksheet("Tổng quan") as ExcelJS.Worksheet;
    const firsts = [...Array(overview.rowCount).keys()].map((i) => overview.getRow(i + 1).getCell(1).value);
    expect(firsts).toEqual(expect.arrayContaining(["Cấp học, xã/thị trấn", "Theo xã/thị trấn"]));
    // The kit's office has no THPT and no "Khác" school: no row for them.
    expect(firsts).not.toContain("THPT");
    expect(firsts).not.toContain("Khác");

    // The sync reads the same headers back: nothing typed, nothing changes.
    const result = await syncSheet(testDeps(), campaign.id, layout, xlsxTarget(file, layout.timeZone));
    expect(result.registry).toEqual({ added: 0, updated: 0, refused: 0, removed: 0 });
    expect((await testStore().schools.load(campaign.id)).get(mn1.code)).toMatchObject({
      head: "Nguyễn Thị Mẫu",
      phone: "028 3873 1234",
    });
  });

  it("takes back what the office typed in Excel at the next sync, and keeps it", async () => {
    const campaign = await makeCampaign();
    await submit(campaign, SCHOOLS[1] as School);
    const file = join(dir, `${campaign.id}.xlsx`);
    const target = xlsxTarget(file, layout.timeZone);
    await syncSheet(testDeps(), campaign.id, layout, target);

    // The office types a note, plans T-TH1's inspection, records the team's findings (one claim not
    // confirmed), adds a new school, then saves.
    const edited = await open(file);
    const tracking = edited.getWorksheet("Theo dõi") as ExcelJS.Worksheet;
    const headers = rowValues(tracking, 1) as string[];
    const th1Row = [...Array(tracking.rowCount).keys()].find(
      (i) => tracking.getRow(i + 1).getCell(1).value === "T-TH1",
    ) as number;
    tracking.getRow(th1Row + 1).getCell(headers.indexOf("Ghi chú của phòng") + 1).value = "Thiếu sổ trực";
    typePlan(edited, "T-TH1", new Date("2026-11-20T00:00:00Z"));
    typeFindings(edited, "T-TH1", { "1.2": "Sổ trực bảo vệ không có" });
    const registry = edited.getWorksheet("Danh sách trường") as ExcelJS.Worksheet;
    registry.getRow(5).values = [
      "T-MN2",
      "Trường Mầm non Sơn Ca",
      "MN",
      "Phước Kiển",
      "Công lập",
      "mn2@test.example",
    ];
    registry.getRow(6).values = [
      "T-XX",
      "Trường Không Rõ",
      "Đại học",
      "Phước Kiển",
      "Công lập",
      "khong-phai-email",
    ];
    await edited.xlsx.writeFile(file);

    const result = await syncSheet(testDeps(), campaign.id, layout, target);
    expect([result.reviews, result.inspections]).toEqual([1, 1]);
    // Times read back from the file are the instants written, whatever the file's wall clock says.
    const snapshot = await readWorkbookFile(file, layout.timeZone);
    const [header = [], ...rows] = snapshot.tabs.get("Theo dõi")?.values ?? [];
    const submittedAt = rows.find((r) => r[0] === "T-TH1")?.[header.indexOf("Lần nộp gần nhất")];
    expect((submittedAt as Date).toISOString()).toBe("2026-11-05T01:30:00.000Z");
    expect(result.registry).toEqual({ added: 1, updated: 0, refused: 1, removed: 0 });
    expect((await testStore().states.load(campaign.id)).get("T-TH1")?.status).toBe("khong-dat");
    expect((await testStore().schools.load(campaign.id)).get("T-MN2")?.levels).toEqual(["mam-non"]);

    const after = await open(file);
    const trackingAfter = after.getWorksheet("Theo dõi") as ExcelJS.Worksheet;
    const codes = [...Array(trackingAfter.rowCount).keys()]
      .map((i) => trackingAfter.getRow(i + 1).getCell(1).value)
      .filter(Boolean);
    expect(codes).toEqual(["Mã trường", "T-MN1", "T-MN2", "T-TH1", "T-CS1"]);
    const th1 = trackingAfter.getRow(codes.indexOf("T-TH1") + 1);
    expect(th1.getCell(headers.indexOf("Kết quả kiểm tra") + 1).value).toBe("Không đạt");
    expect(th1.getCell(headers.indexOf("Ghi chú của phòng") + 1).value).toBe("Thiếu sổ trực");
    expect(th1.getCell(headers.indexOf("Tình trạng") + 1).value).toBe("Không đạt");
    const plan = rowValues(after.getWorksheet("Lịch kiểm tra") as ExcelJS.Worksheet, 4);
    expect(plan.slice(0, 1)).toEqual(["T-TH1"]);
    expect(plan).toContain("Đoàn số 1");
    // The refused row stays as typed, with the reason beside it.
    const registryAfter = after.getWorksheet("Danh sách trường") as ExcelJS.Worksheet;
    const refused = rowValues(registryAfter, 6);
    // The check column comes after the head's name and the phone (issue 14).
    const check = (rowValues(registryAfter, 1) as string[]).indexOf("Kiểm tra dữ liệu");
    expect(refused.slice(0, 3)).toEqual(["T-XX", "Trường Không Rõ", "Đại học"]);
    expect(String(refused[check])).toMatch(
      /^Chưa dùng được dòng này\. Cấp học: Cấp học không hợp lệ: “Đại học”/,
    );
    expect(String(refused[check])).toContain("Email liên hệ");
  });

  it("records the competent authority's decision typed in Excel: the schools found Đạt become Được công nhận", async () => {
    const campaign = await makeCampaign();
    await submit(campaign, SCHOOLS[1] as School);
    const file = join(dir, `${campaign.id}-qd.xlsx`);
    const target = xlsxTarget(file, layout.timeZone);
    await syncSheet(testDeps(), campaign.id, layout, target);
    const edited = await open(file);
    typePlan(edited, "T-TH1", new Date("2026-11-20T00:00:00Z"));
    typeFindings(edited, "T-TH1");
    const decisions = edited.getWorksheet("Quyết định công nhận") as ExcelJS.Worksheet;
    decisions.getRow(2).values = ["125/QĐ-UBND", new Date("2026-12-20T00:00:00Z")];
    decisions.getRow(3).values = ["sai số", "20/12/2026"];
    await edited.xlsx.writeFile(file);

    const result = await syncSheet(testDeps(), campaign.id, layout, target);
    expect(result.recognised).toBe(1);
    const state = (await testStore().states.load(campaign.id)).get("T-TH1");
    expect(state?.status).toBe("duoc-cong-nhan");
    expect(state?.inputs.recognition).toEqual({ number: "125/QĐ-UBND", date: "2026-12-20" });
    const after = await open(file);
    const sheet = after.getWorksheet("Quyết định công nhận") as ExcelJS.Worksheet;
    expect(rowValues(sheet, 2).slice(2, 5)).toEqual([1, "T-TH1", "Đã ghi nhận: 1 trường được công nhận"]);
    expect(String(rowValues(sheet, 3)[4])).toContain("không đúng dạng số/ký hiệu");
    // Taken once: the next sync recognises nothing more.
    expect((await syncSheet(testDeps(), campaign.id, layout, target)).recognised).toBe(0);
  });
});

describe("the report's narrative typed in Excel", () => {
  it("is taken back into the campaign at the next sync and kept in its tab", async () => {
    const campaign = await makeCampaign();
    const file = join(dir, `${campaign.id}-bc.xlsx`);
    const target = xlsxTarget(file, layout.timeZone);
    await syncSheet(testDeps(), campaign.id, layout, target);
    const edited = await open(file);
    const sheet = edited.getWorksheet("Báo cáo") as ExcelJS.Worksheet;
    expect(rowValues(sheet, 1)).toEqual(["Phần của báo cáo", "Nội dung (phòng ghi)"]);
    expect([2, 3, 4].map((r) => rowValues(sheet, r)[0])).toEqual([
      "Công tác triển khai, tổ chức thực hiện",
      "Khó khăn, vướng mắc",
      "Đề xuất, kiến nghị",
    ]);
    sheet.getRow(2).getCell(2).value = "Ban hành Kế hoạch số 12/KH-GDĐT.\nTổ chức hội nghị triển khai.";
    sheet.getRow(4).getCell(2).value = "Đề nghị Sở tổ chức tập huấn.";
    await edited.xlsx.writeFile(file);
    await syncSheet(testDeps(), campaign.id, layout, target);
    expect((await testStore().campaigns.get(campaign.id)).report).toEqual({
      organisation: "Ban hành Kế hoạch số 12/KH-GDĐT.\nTổ chức hội nghị triển khai.",
      difficulties: "",
      proposals: "Đề nghị Sở tổ chức tập huấn.",
    });
    const after = (await open(file)).getWorksheet("Báo cáo") as ExcelJS.Worksheet;
    expect(rowValues(after, 4)[1]).toBe("Đề nghị Sở tổ chức tập huấn.");
  });
});

/** The office plans a school's inspection in the workbook's Lịch kiểm tra tab. */
const typePlan = (workbook: ExcelJS.Workbook, code: string, day: Date) => {
  const sheet = workbook.getWorksheet("Lịch kiểm tra") as ExcelJS.Worksheet;
  const headers = rowValues(sheet, 1) as string[];
  const at = (h: string) => headers.indexOf(h) + 1;
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    if (row.getCell(1).value !== code) continue;
    row.getCell(at("Đoàn kiểm tra")).value = "Đoàn số 1";
    row.getCell(at("Thành viên đoàn: Họ tên (Đơn vị), trưởng đoàn ghi trước")).value =
      "Nguyễn Văn Thử (Phòng Giáo dục và Đào tạo); Trần Văn Bảo (Công an xã Phú Xuân)";
    row.getCell(at("Ngày kiểm tra")).value = day;
    row.getCell(at("Địa điểm")).value = "Tại trường";
  }
};

/** The team's findings on a school in the Kiểm tra tab: all confirmed but those in `reject`. */
const typeFindings = (workbook: ExcelJS.Workbook, code: string, reject: Record<string, string> = {}) => {
  const sheet = workbook.getWorksheet("Kiểm tra") as ExcelJS.Worksheet;
  const headers = rowValues(sheet, 1) as string[];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    if (row.getCell(1).value !== code) continue;
    const reason = reject[String(row.getCell(3).value)];
    row.getCell(headers.indexOf("Kết quả kiểm tra") + 1).value = reason ? "Không xác nhận" : "Xác nhận";
    if (reason) row.getCell(headers.indexOf("Lý do (khi không xác nhận)") + 1).value = reason;
  }
};
