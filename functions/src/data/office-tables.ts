import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { parse } from "csv-parse/sync";
import type { CriteriaSet } from "../domain/criteria.js";
import type { SheetLayout, TabKey } from "../domain/sheet-layout.js";
import type { SheetSnapshot } from "../domain/sheet-readback.js";
import { type Cell, tabColumns } from "../domain/tracking-workbook.js";
import { readWorkbookFile } from "../infra/xlsx-workbook.js";
import { DataFileError } from "./errors.js";
import { readDataFile } from "./yaml-file.js";

const WHAT = "Tệp kiểm tra";

/** The tabs an office can give as files for a local run: the plan, the findings, the decisions. */
const TABLES: TabKey[] = ["schedule", "inspection", "decision", "narrative"];

/**
 * The office's inspection tables for a local run (`dienhinh run --inspections FILE…`), as the sheet
 * would hold them: an .xlsx (the tracking workbook, or any with tabs titled Lịch kiểm tra, Kiểm tra,
 * Quyết định công nhận) or a CSV of one of those tables (known by its header row). The same read-back
 * as the Google Sheet's then takes them in.
 */
export const loadOfficeTables = async (
  files: readonly string[],
  layout: SheetLayout,
  set: CriteriaSet,
  /** The office's name for its communes, which heads the commune columns (office.ts, communeLabelOf). */
  communeLabel: string,
): Promise<SheetSnapshot> => {
  const snapshot: SheetSnapshot = { tabs: new Map() };
  for (const file of files) {
    if (!(await stat(file).catch(() => undefined)))
      throw new DataFileError(file, WHAT, [{ path: "", message: "không tìm thấy tệp" }]);
    const kind = extname(file).toLowerCase();
    if (kind !== ".xlsx" && kind !== ".csv")
      throw new DataFileError(file, WHAT, [
        { path: "", message: "chỉ nhận bảng tính .xlsx (như bảng theo dõi) hoặc tệp .csv của từng bảng" },
      ]);
    if (kind === ".xlsx") {
      const workbook = await readWorkbookFile(file, layout.timeZone);
      const found = TABLES.flatMap((key) => {
        const title = layout.tabs[key]?.title;
        const tab = title === undefined ? undefined : workbook.tabs.get(title);
        return title && tab ? [[title, tab] as const] : [];
      });
      if (found.length === 0) throw new DataFileError(file, WHAT, [{ path: "", message: noTable(layout) }]);
      for (const [title, tab] of found) snapshot.tabs.set(title, tab);
      continue;
    }
    const values = parseCsv(await readDataFile(file, WHAT), file);
    const key = tableOf(values[0] ?? [], layout, set, communeLabel);
    const title = key && layout.tabs[key]?.title;
    if (!title) throw new DataFileError(file, WHAT, [{ path: "dòng 1", message: noTable(layout) }]);
    snapshot.tabs.set(title, { rowCount: values.length, columnCount: values[0]?.length ?? 0, values });
  }
  return snapshot;
};

const noTable = (layout: SheetLayout) =>
  `không nhận ra bảng nào: dòng tiêu đề phải là tiêu đề cột của một trong các trang ${TABLES.map(
    (k) => `"${layout.tabs[k]?.title ?? k}"`,
  ).join(", ")} (xem bảng theo dõi .xlsx)`;

/** Which table a header row belongs to: the one with the most of its columns, its key columns all there. */
const tableOf = (
  header: readonly Cell[],
  layout: SheetLayout,
  set: CriteriaSet,
  communeLabel: string,
): TabKey | undefined => {
  const needs: Record<string, string[]> = {
    schedule: ["code", "date"],
    inspection: ["code", "indicator", "finding"],
    decision: ["number", "date"],
    narrative: ["part", "text"],
  };
  const texts = new Set(header.map((h) => String(h ?? "").trim()));
  let best: { key: TabKey; found: number } | undefined;
  for (const key of TABLES) {
    if (!layout.tabs[key]) continue;
    const columns = tabColumns(layout, key, set, communeLabel);
    const has = (field: string) => texts.has(columns.find((c) => c.field === field)?.header ?? "\0");
    if (!(needs[key] ?? []).every(has)) continue;
    const found = columns.filter((c) => texts.has(c.header)).length;
    if (!best || found > best.found) best = { key, found };
  }
  return best?.key;
};

const parseCsv = (text: string, file: string): Cell[][] => {
  const firstLine = text.split(/\r?\n/u).find((l) => l.trim()) ?? "";
  const delimiter = firstLine.split(";").length > firstLine.split(",").length ? ";" : ",";
  try {
    return parse(text, {
      bom: true,
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as string[][];
  } catch (error) {
    throw new DataFileError(file, WHAT, [
      { path: "", message: `lỗi định dạng CSV: ${(error as Error).message}` },
    ]);
  }
};
