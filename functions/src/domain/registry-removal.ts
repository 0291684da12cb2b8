import type { RegistryReadBack } from "./sheet-readback.js";

/**
 * A school the office deleted from the Danh sách trường tab leaves the campaign's registry (and
 * with it the forms' school lists, Theo dõi and the counts); what it sent stays stored, and typing
 * its row back brings it back with all of it. A tab that lost many rows at once was more likely
 * cleared or sorted by mistake than edited: then nothing is removed, the rows are written back, and
 * the office is told how to remove more than that (a few at a time, or `setup --registry`).
 */
export const removalLimit = (registered: number): number => Math.max(1, Math.floor(registered / 10));

export type Removal = { removed: string[] } | { refused: string; missing: string[] };

/** The registered schools whose row is gone from the tab (a refused row still counts as there). */
export const removedFromTab = (tab: RegistryReadBack, registered: readonly string[]): Removal => {
  const present = new Set(tab.rows.map((r) => r.code));
  const missing = registered.filter((code) => !present.has(code));
  if (missing.length === 0) return { removed: [] };
  const limit = removalLimit(registered.length);
  if (missing.length <= limit && missing.length < registered.length) return { removed: missing };
  return {
    missing,
    refused:
      `${missing.length} trường không còn trong trang Danh sách trường (${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", …" : ""}): ` +
      `để tránh xóa nhầm, mỗi lần chỉ bỏ tối đa ${limit} trường và không bỏ hết; các dòng đã được ghi lại. ` +
      "Muốn bỏ nhiều trường, xóa từng ít dòng một, hoặc báo người vận hành cập nhật danh sách (dienhinh setup --registry).",
  };
};
