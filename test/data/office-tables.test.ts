import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DataFileError } from "../../functions/src/data/errors.js";
import { loadOfficeTables } from "../../functions/src/data/office-tables.js";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import {
  emptyInspectionReadBack,
  readFindings,
  readPlans,
} from "../../functions/src/domain/inspection-readback.js";
import { DEFAULT_COMMUNE_LABEL } from "../../functions/src/domain/office.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import { tabColumns } from "../../functions/src/domain/tracking-workbook.js";
import { defaultSet } from "../kit/fixtures.js";

/** `dienhinh run --inspections FILE`: the office's tables as CSV, known by their header row. */
const set = defaultSet();
let layout: SheetLayout;
let dir: string;
beforeAll(async () => {
  layout = await loadSheetLayout();
  dir = await mkdtemp(join(tmpdir(), "dienhinh-tables-"));
});

const csv = async (name: string, text: string) => {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
};

describe("loadOfficeTables", () => {
  it("knows the plan and the findings by their headers, in any column order, and reads them as the sheet's", async () => {
    const plan = await csv(
      "lich.csv",
      "\uFEFFMã trường;Ngày kiểm tra;Giờ;Địa điểm;Thành viên đoàn: Họ tên (Đơn vị), trưởng đoàn ghi trước\n" +
        'T-TH1;15/12/2026;8h30;Tại trường;"Nguyễn Văn Thử (Phòng Giáo dục và Đào tạo); Trần Văn Bảo (Công an xã Phú Xuân)"\n',
    );
    const findings = await csv(
      "kiem-tra.csv",
      "Mã trường,Chỉ tiêu,Kết quả kiểm tra,Lý do (khi không xác nhận)\n" +
        "T-TH1,1.1,Xác nhận,\nT-TH1,1.2,Không xác nhận,Kế hoạch chưa ký ban hành\n",
    );
    const snapshot = await loadOfficeTables([plan, findings], layout, set, DEFAULT_COMMUNE_LABEL);
    expect([...snapshot.tabs.keys()]).toEqual(["Lịch kiểm tra", "Kiểm tra"]);
    const read = emptyInspectionReadBack();
    const known = new Set(["T-TH1"]);
    readPlans(
      read,
      tabColumns(layout, "schedule", set, DEFAULT_COMMUNE_LABEL),
      snapshot.tabs.get("Lịch kiểm tra"),
      known,
      layout.timeZone,
    );
    readFindings(
      read,
      tabColumns(layout, "inspection", set, DEFAULT_COMMUNE_LABEL),
      snapshot.tabs.get("Kiểm tra"),
      known,
    );
    expect(read.plans.get("T-TH1")).toMatchObject({
      date: "2026-12-15",
      time: "08:30",
      place: "Tại trường",
      team: [
        { name: "Nguyễn Văn Thử", unit: "Phòng Giáo dục và Đào tạo" },
        { name: "Trần Văn Bảo", unit: "Công an xã Phú Xuân" },
      ],
    });
    expect(read.findings.get("T-TH1")).toEqual({
      "1.1": { finding: "xac-nhan", reason: "" },
      "1.2": { finding: "khong-xac-nhan", reason: "Kế hoạch chưa ký ban hành" },
    });
  });

  it("refuses a file it cannot place, and a file that is not there, saying what it expects", async () => {
    const other = await csv("khac.csv", "Mã trường,Tên trường\nT-TH1,Trường Tiểu học\n");
    const error = await loadOfficeTables([other], layout, set, DEFAULT_COMMUNE_LABEL).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toContain(
      'không nhận ra bảng nào: dòng tiêu đề phải là tiêu đề cột của một trong các trang "Lịch kiểm tra", "Kiểm tra", "Quyết định công nhận", "Báo cáo"',
    );
    const missing = await loadOfficeTables(
      [join(dir, "khong-co.xlsx")],
      layout,
      set,
      DEFAULT_COMMUNE_LABEL,
    ).catch((e: unknown) => e);
    expect((missing as Error).message).toContain("không tìm thấy tệp");
    const json = await csv("tra-loi.json", "{}");
    expect(
      ((await loadOfficeTables([json], layout, set, DEFAULT_COMMUNE_LABEL).catch((e: unknown) => e)) as Error)
        .message,
    ).toContain("chỉ nhận bảng tính .xlsx (như bảng theo dõi) hoặc tệp .csv của từng bảng");
  });
});
