import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { syncSheet } from "../../functions/src/app/sheet-cycle.js";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import { xlsxTarget } from "../../functions/src/infra/sheet-target.js";
import { makeCampaign, SCHOOLS, testDeps, testStore } from "../kit/index.js";

/**
 * The campaign calendar and the schools' extensions as the office keeps them in its workbook: the
 * Lịch and Gia hạn tabs typed, taken back at the next sync, stored, logged, and written back.
 */
let layout: SheetLayout;
let dir: string;
beforeAll(async () => {
  layout = await loadSheetLayout();
  dir = await mkdtemp(join(tmpdir(), "dienhinh-calendar-"));
});

const open = async (file: string) => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
};

const rowValues = (sheet: ExcelJS.Worksheet, r: number) => (sheet.getRow(r).values as unknown[]).slice(1);

describe("the Lịch and Gia hạn tabs typed in Excel", () => {
  it("take the office's days and extensions at the next sync, and refuse what they cannot use", async () => {
    const campaign = await makeCampaign();
    const school = SCHOOLS[0]?.code ?? "";
    const file = join(dir, `${campaign.id}.xlsx`);
    const target = xlsxTarget(file, layout.timeZone);
    await syncSheet(testDeps(), campaign.id, layout, target);

    const edited = await open(file);
    const calendar = edited.getWorksheet("Lịch") as ExcelJS.Worksheet;
    expect(rowValues(calendar, 1)).toEqual([
      "Mốc của đợt",
      "Từ ngày",
      "Đến ngày (hạn)",
      "Tình trạng hôm nay",
      "Kiểm tra dữ liệu",
    ]);
    expect(rowValues(calendar, 4)[0]).toBe("Hạn bổ sung hồ sơ");
    calendar.getRow(4).getCell(3).value = "28/11/2026";
    const extensions = edited.getWorksheet("Gia hạn") as ExcelJS.Worksheet;
    extensions.getRow(2).values = [school, null, "Hạn nộp hồ sơ", "20/11/2026", "Trường sửa chữa phòng học"];
    extensions.getRow(3).values = ["KHONG-CO", null, "Hạn nộp hồ sơ", "20/11/2026", "Nhầm mã"];
    await edited.xlsx.writeFile(file);
    await syncSheet(testDeps(), campaign.id, layout, target);

    const stored = await testStore().campaigns.get(campaign.id);
    expect(stored.calendar?.fixBy).toBe("2026-11-28");
    expect(stored.extensions).toEqual([
      { school, deadline: "dossier", until: "2026-11-20", reason: "Trường sửa chữa phòng học" },
    ]);
    const log = await testStore().events.recent(campaign.id, 50);
    expect(log.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        "Lịch của đợt được cập nhật theo trang Lịch",
        "Gia hạn hạn nộp hồ sơ đến 20/11/2026: Trường sửa chữa phòng học",
        "Gia hạn: Mã trường “KHONG-CO” không có trong danh sách trường",
      ]),
    );

    const after = await open(file);
    const tab = after.getWorksheet("Gia hạn") as ExcelJS.Worksheet;
    expect(rowValues(tab, 2)[1]).toBe(SCHOOLS[0]?.name);
    expect(rowValues(tab, 2)[5]).toBe("Hợp lệ");
    expect(rowValues(tab, 3)[0]).toBe("KHONG-CO");
    expect(String(rowValues(tab, 3)[5])).toContain("không có trong danh sách trường");
    expect(rowValues(after.getWorksheet("Lịch") as ExcelJS.Worksheet, 4)[4]).toBe("Hợp lệ");

    // A day out of order is refused on its row; the stored calendar stays.
    const again = await open(file);
    (again.getWorksheet("Lịch") as ExcelJS.Worksheet).getRow(4).getCell(3).value = "01/11/2026";
    await again.xlsx.writeFile(file);
    await syncSheet(testDeps(), campaign.id, layout, target);
    expect((await testStore().campaigns.get(campaign.id)).calendar?.fixBy).toBe("2026-11-28");
    const refused = (await open(file)).getWorksheet("Lịch") as ExcelJS.Worksheet;
    expect(rowValues(refused, 4)[4]).toBe("Lịch chưa được nhận: hạn bổ sung trước hạn nộp hồ sơ");
  });
});
