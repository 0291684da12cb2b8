import { beforeAll, describe, expect, it } from "vitest";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import { guideSections, STATUS_ACTIONS } from "../../functions/src/domain/guide-tab.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import {
  SCHOOL_STATUS_LABELS,
  SCHOOL_STATUS_MEANINGS,
  SCHOOL_STATUSES,
} from "../../functions/src/domain/status.js";
import { buildWorkbook, gridOf, type TabModel } from "../../functions/src/domain/tracking-workbook.js";
import { defaultSet, SCHOOLS } from "../kit/index.js";

/** Hướng dẫn: the clerk's guide in the tracking workbook, written by the system, never read back. */
let layout: SheetLayout;
beforeAll(async () => {
  layout = await loadSheetLayout();
});

const guideOf = (l: SheetLayout): TabModel | undefined =>
  buildWorkbook({
    layout: l,
    schoolYear: "2025-2026",
    place: "Nhà Bè",
    communeLabel: "Xã/Thị trấn",
    criteriaSet: defaultSet(),
    schools: SCHOOLS,
    states: new Map(),
    events: [],
    dataTime: null,
  }).tabs.find((t) => t.key === "guide");

describe("the Hướng dẫn tab", () => {
  it("comes last, written by the system: no column the office types, headed Mục and Hướng dẫn", () => {
    const guide = guideOf(layout);
    expect(guide?.title).toBe("Hướng dẫn");
    expect(buildWorkbook({ ...minimal(), layout }).tabs.at(-1)?.key).toBe("guide");
    expect(guide?.columns.map((c) => [c.header, c.owner])).toEqual([
      ["Mục", "system"],
      ["Hướng dẫn", "system"],
    ]);
    expect(guide?.keyColumns).toBeUndefined();
  });

  it("says what each status means and what to do for it, a row each", () => {
    const rows = gridOf(guideOf(layout) as TabModel);
    for (const status of SCHOOL_STATUSES) {
      const row = rows.find((r) => r[0] === SCHOOL_STATUS_LABELS[status]);
      expect(row?.[1], status).toBe(
        `${SCHOOL_STATUS_MEANINGS[status]} Việc cần làm: ${STATUS_ACTIONS[status]}`,
      );
    }
  });

  it("names the tabs as the layout does, and explains every choice the office makes and the controls", () => {
    const renamed: SheetLayout = {
      ...layout,
      tabs: {
        ...layout.tabs,
        inspection: {
          ...(layout.tabs.inspection as NonNullable<SheetLayout["tabs"]["inspection"]>),
          title: "Kết quả đoàn",
        },
      },
    };
    const rows = gridOf(guideOf(renamed) as TabModel);
    const topics = rows.map((r) => r[0]);
    expect(topics).toContain("Kết quả đoàn");
    expect(topics).toContain("Kết quả đoàn: Xác nhận");
    expect(topics).toContain("Kết quả đoàn: Không xác nhận");
    expect(topics).not.toContain("Kiểm tra: Xác nhận");
    for (const topic of [
      "Lịch kiểm tra: Đề nghị khen thưởng",
      "Gia hạn",
      "Quyết định công nhận",
      "Danh sách trường",
      "Theo dõi: Phòng duyệt gửi",
      "Theo dõi: Số văn bản",
      "Kết quả đoàn: Minh chứng",
      "Tạm dừng gửi thư cho các trường",
      "Điều khiển",
    ])
      expect(topics, topic).toContain(topic);
    const text = rows.map((r) => r[1]).join("\n");
    expect(text).toContain("BẢN CHỜ KÝ");
    expect(text).toContain("Xác nhận đã nhận");
    expect(text).toContain("Chọn Lập ở ô Yêu cầu");
    expect(text).toContain("ô Kết quả bên cạnh");
  });

  it("keeps each section short enough to read on one screen, its heading in bold", () => {
    const guide = guideOf(layout) as TabModel;
    const sections = guideSections(layout);
    for (const s of sections) expect(s.lines.length, s.title).toBeLessThanOrEqual(14);
    const grid = gridOf(guide);
    expect(guide.boldRows.map((r) => grid[r]?.[0])).toEqual(sections.map((s) => s.title));
  });

  it("is left out of a layout saved before it", () => {
    const { guide: _, ...tabs } = layout.tabs;
    expect(guideOf({ ...layout, tabs })).toBeUndefined();
  });
});

const minimal = () => ({
  schoolYear: "2025-2026",
  place: "Nhà Bè",
  communeLabel: "Xã/Thị trấn",
  criteriaSet: defaultSet(),
  schools: SCHOOLS,
  states: new Map(),
  events: [],
  dataTime: null,
});
