import { STAGE_LABELS } from "./criteria.js";
import { LEVEL_LABELS } from "./levels.js";
import { NARRATIVE_PARTS, NARRATIVE_TITLES } from "./report-document.js";
import { requirementByLevel } from "./requirements.js";
import { columnsOf, tabBase, type WorkbookData } from "./workbook-data.js";
import type { Cell, TabModel } from "./workbook-model.js";

/** The reference tabs of the tracking workbook: the criteria as configured, and the log (Nhật ký). */

export const criteriaTab = (data: WorkbookData): TabModel => {
  const { layout, criteriaSet } = data;
  const columns = columnsOf(layout, "criteria", data.communeLabel);
  const rows = criteriaSet.criteria.flatMap((criterion) =>
    criterion.indicators.map((indicator, i) => {
      const levels = indicator.levels ?? criterion.levels;
      const values: Record<string, Cell> = {
        criterion: `${criterion.id}. ${criterion.title}`,
        indicator: indicator.id,
        text: indicator.text,
        requirement: requirementByLevel(indicator),
        stage: STAGE_LABELS[indicator.stage],
        levels: levels ? levels.map((l) => LEVEL_LABELS[l]).join(", ") : "Tất cả",
        mandatory: indicator.mandatory && criterion.mandatory ? "Có" : "Không",
        points: i === 0 ? criterion.points : null,
      };
      return columns.map((c) => values[c.field] ?? null);
    }),
  );
  return { ...tabBase(layout, "criteria", columns), header: true, rows, headingRows: [0], boldRows: [] };
};

export const logTab = (data: WorkbookData): TabModel => {
  const { layout } = data;
  const columns = columnsOf(layout, "log", data.communeLabel);
  const names = new Map(data.schools.map((s) => [s.code, s.name]));
  const events = [...data.events]
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, layout.tabs.log.maxRows);
  const rows = events.map((e) => {
    const values: Record<string, Cell> = {
      time: e.at,
      kind: e.kind,
      code: e.schoolCode ?? null,
      school: e.schoolCode ? (names.get(e.schoolCode) ?? null) : null,
      message: e.message,
    };
    return columns.map((c) => values[c.field] ?? null);
  });
  return { ...tabBase(layout, "log", columns), header: true, rows, headingRows: [0], boldRows: [] };
};

/** Báo cáo: a row per narrative part of the office's report to the Sở, its text typed by the office. */
export const narrativeTab = (data: WorkbookData): TabModel[] => {
  if (!data.layout.tabs.narrative) return [];
  const columns = columnsOf(data.layout, "narrative", data.communeLabel);
  const rows = NARRATIVE_PARTS.map((part) => {
    const values: Record<string, Cell> = {
      part: NARRATIVE_TITLES[part],
      text: data.narrative?.[part] ?? null,
    };
    return columns.map((c) => values[c.field] ?? null);
  });
  return [
    {
      ...tabBase(data.layout, "narrative", columns),
      columns,
      header: true,
      rows,
      keyColumns: [columns.findIndex((c) => c.field === "part")],
      headingRows: [0],
      boldRows: [],
    },
  ];
};
