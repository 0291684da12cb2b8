import { beforeAll, describe, expect, it } from "vitest";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import { defaultCalendar } from "../../functions/src/domain/calendar.js";
import { chaseTab } from "../../functions/src/domain/chase-tab.js";
import type { School } from "../../functions/src/domain/school.js";
import type { SchoolState } from "../../functions/src/domain/school-state.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import type { WorkbookData } from "../../functions/src/domain/workbook-data.js";

let layout: SheetLayout;
beforeAll(async () => {
  layout = await loadSheetLayout();
});

const school = (code: string, extra: Partial<School> = {}) =>
  ({
    code,
    name: `Trường ${code}`,
    levels: ["tieu-hoc"],
    commune: "Phú Xuân",
    emails: [],
    ...extra,
  }) as School;
const input = { key: "k", responseId: "r", lastSubmittedTime: "2026-02-01T00:00:00.000Z", answers: {} };
const registered = { latest: { registration: input }, status: "da-dang-ky" } as unknown as SchoolState;
const done = {
  latest: { registration: input, dossier: input },
  status: "cho-kiem-tra",
} as unknown as SchoolState;

describe("Đôn đốc, the chase list", () => {
  it("lists the schools past a deadline with nothing received, most overdue first, with whom to call", () => {
    const data = {
      layout,
      communeLabel: "Xã/Thị trấn",
      schoolYear: "2025-2026",
      calendar: defaultCalendar("2025-2026"),
      today: "2026-11-22",
      schools: [
        school("A", { head: "Nguyễn Thị An", phone: "0912 345 678" }),
        school("B"),
        school("C"),
        school("D"),
      ],
      states: new Map([
        ["A", registered],
        ["C", done],
        ["D", registered],
      ]),
      extensions: [{ school: "D", deadline: "dossier", until: "2026-11-25", reason: "Sửa chữa" }],
    } as unknown as WorkbookData;
    const [tab] = chaseTab(data);
    const header = tab?.columns.map((c) => c.header) ?? [];
    const rows = (tab?.rows ?? []).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    // B sent nothing at all (registration overdue since 31/03), A no dossier (since 15/11); C is
    // done, and D's own deadline has not passed. Equally overdue, the registry's order.
    expect(rows.map((r) => [r["Mã trường"], r["Hạn đã qua"], r["Số ngày quá hạn"]])).toEqual([
      ["B", "Hạn đăng ký 31/03/2026", 236],
      ["A", "Hạn nộp hồ sơ 15/11/2026", 7],
      ["B", "Hạn nộp hồ sơ 15/11/2026", 7],
    ]);
    expect(rows[1]).toMatchObject({ "Hiệu trưởng": "Nguyễn Thị An", "Điện thoại": "0912 345 678" });
    // Without the day the workbook is made, the tab is there and empty.
    expect(chaseTab({ ...data, today: undefined } as unknown as WorkbookData)[0]?.rows).toEqual([]);
  });
});
