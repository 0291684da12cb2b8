import {
  CONTROL_DOCUMENTS,
  CONTROL_ROWS,
  CONTROL_TITLES,
  type Control,
  type ControlDocument,
  type ControlRow,
  MAKE,
  NO_CONTROL,
  PAUSE_CHOICES,
} from "./control.js";
import { cellText, locateColumns, type SnapshotTab } from "./sheet-readback.js";
import { foldKey } from "./text.js";
import { columnsOf, tabBase, type WorkbookData } from "./workbook-data.js";
import type { Cell, ColumnModel, TabModel } from "./workbook-model.js";

/** What each row's note says, for the clerk. */
const NOTES: Record<ControlRow, string> = {
  paused:
    "Chọn Có để dừng mọi thư gửi các trường của đợt (văn bản, thư xác nhận, nhắc hạn, lịch kiểm tra); thư chưa gửi được giữ lại và gửi khi chọn Không. Thư gửi phòng vẫn gửi.",
  "ke-hoach":
    "Chọn Lập: lần chạy sau lập Kế hoạch triển khai gửi các trường (lịch của đợt, tiêu chí, đường dẫn biểu mẫu), để trưởng phòng ký ban hành.",
  "bao-cao":
    "Chọn Lập: lần chạy sau lập dự thảo Báo cáo gửi Sở theo số liệu lúc đó (nội dung tự viết ở trang Báo cáo).",
  "to-trinh": "Chọn Lập: lần chạy sau lập dự thảo Tờ trình đề nghị công nhận các trường đạt qua kiểm tra.",
  "quyet-dinh":
    "Chọn Lập: lần chạy sau lập dự thảo Quyết định công nhận các trường đạt qua kiểm tra, để trình cấp có thẩm quyền.",
};

/**
 * Điều khiển: the office's controls, a row each (control.ts): the pause switch (Có/Không), and
 * each document it can ask for (Lập), with the link to the latest made and when. A request is
 * taken and its cell emptied (the note says it waits for the next delivery), so typing Lập again
 * asks again and nothing the system wrote is ever read as a new request.
 */
export const controlTab = (data: WorkbookData): TabModel[] => {
  if (!data.layout.tabs.control) return [];
  const columns = columnsOf(data.layout, "control", data.communeLabel);
  const control = data.control ?? NO_CONTROL;
  const rows = CONTROL_ROWS.map((row) => {
    const doc = row === "paused" ? undefined : control.made[row];
    const refused = row === "paused" ? undefined : control.refused[row];
    const values: Record<string, Cell> = {
      item: CONTROL_TITLES[row],
      // A request is taken, then its cell emptied: Lập typed again asks again.
      value: row === "paused" ? (control.paused ? PAUSE_CHOICES.yes : PAUSE_CHOICES.no) : null,
      result: doc?.url ?? null,
      at: doc ? new Date(doc.at) : null,
      note:
        row !== "paused" && control.requested.includes(row)
          ? "Đã nhận yêu cầu: văn bản được lập ở lần chạy gửi tiếp theo."
          : refused
            ? `Chưa lập được: ${refused}`
            : NOTES[row],
    };
    return columns.map((c) => values[c.field] ?? null);
  });
  return [
    {
      ...tabBase(data.layout, "control", columns),
      columns,
      header: true,
      rows,
      keyColumns: [columns.findIndex((c) => c.field === "item")],
      rewrittenColumns: columns.flatMap((c, i) => (c.field === "value" ? [i] : [])),
      headingRows: [0],
      boldRows: [],
    },
  ];
};

/** The Điều khiển tab as the clerk left it: the pause switch, and the documents asked for. */
export interface ControlReadBack {
  /** Undefined: the row is missing or its cell empty (the stored switch stays). */
  paused?: boolean;
  requested: ControlDocument[];
}

/**
 * Read the Điều khiển tab: each row found by its title (a row moved is still found). Undefined
 * when the tab cannot be read, so what is stored stays.
 */
export const readControl = (
  columns: readonly ColumnModel[],
  tab: SnapshotTab | undefined,
): ControlReadBack | undefined => {
  if (!tab || tab.values.length === 0) return undefined;
  const at = locateColumns(columns, tab.values[0] ?? []);
  const itemAt = at.get("item");
  const valueAt = at.get("value");
  if (itemAt === undefined || valueAt === undefined) return undefined;
  const read: ControlReadBack = { requested: [] };
  for (const row of tab.values.slice(1)) {
    const item = CONTROL_ROWS.find((r) => foldKey(CONTROL_TITLES[r]) === foldKey(cellText(row[itemAt])));
    const value = foldKey(cellText(row[valueAt]));
    if (item === "paused") {
      if (value === foldKey(PAUSE_CHOICES.yes)) read.paused = true;
      else if (value === foldKey(PAUSE_CHOICES.no)) read.paused = false;
    } else if (item && value === foldKey(MAKE) && !read.requested.includes(item)) read.requested.push(item);
  }
  return read;
};

/** The stored controls with what was read: the switch as set, the requests added to those pending. */
export const withControlRead = (stored: Control | undefined, read: ControlReadBack | undefined): Control => {
  const control = stored ?? NO_CONTROL;
  if (!read) return control;
  return {
    ...control,
    paused: read.paused ?? control.paused,
    requested: CONTROL_DOCUMENTS.filter((d) => read.requested.includes(d) || control.requested.includes(d)),
  };
};
