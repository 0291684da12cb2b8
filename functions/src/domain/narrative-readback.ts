import { NARRATIVE_PARTS, NARRATIVE_TITLES, type ReportNarrative } from "./report-document.js";
import { cellText, locateColumns, type SnapshotTab } from "./sheet-readback.js";
import { cleanMultiline, foldKey } from "./text.js";
import type { ColumnModel } from "./workbook-model.js";

/**
 * The narrative parts of the office's report as typed in the sheet's Báo cáo tab: each row is found
 * by its part's title (a row the office moved is still found), its text kept with its line breaks.
 * Undefined when the tab cannot be read (missing): what is stored stays.
 */
export const readNarrative = (
  columns: readonly ColumnModel[],
  tab: SnapshotTab | undefined,
): ReportNarrative | undefined => {
  if (!tab || tab.values.length === 0) return undefined;
  const at = locateColumns(columns, tab.values[0] ?? []);
  const partAt = at.get("part");
  const textAt = at.get("text");
  if (partAt === undefined || textAt === undefined) return undefined;
  const narrative: ReportNarrative = {};
  for (const row of tab.values.slice(1)) {
    const part = NARRATIVE_PARTS.find((p) => foldKey(NARRATIVE_TITLES[p]) === foldKey(cellText(row[partAt])));
    if (!part || part in narrative) continue;
    const cell = row[textAt];
    narrative[part] = cell === null || cell === undefined ? "" : cleanMultiline(String(cell));
  }
  return narrative;
};

/** Whether two narratives say the same (a part missing is an empty one). */
export const sameNarrative = (a: ReportNarrative | undefined, b: ReportNarrative | undefined): boolean =>
  NARRATIVE_PARTS.every((p) => (a?.[p] ?? "") === (b?.[p] ?? ""));
