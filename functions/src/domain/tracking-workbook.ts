import { approvalCells } from "./approval.js";
import { type Calendar, defaultCalendar, extensionsOf } from "./calendar.js";
import { calendarTab, extensionsTab } from "./calendar-tabs.js";
import { calendarLines } from "./calendar-view.js";
import { chaseTab } from "./chase-tab.js";
import { controlTab } from "./control-tab.js";
import { allIndicators, type CriteriaSet, STAGE_LABELS, STAGES } from "./criteria.js";
import { evaluateSchool } from "./evaluate.js";
import { guideTab } from "./guide-tab.js";
import { incidentsInWords } from "./incident-check.js";
import { inspectionTabs, verdictLabel } from "./inspection-tabs.js";
import { latenessInWords, latenessOf } from "./lateness.js";
import { LEVEL_GROUP_LABELS, LEVEL_GROUPS, type LevelGroup, levelGroupOf, levelsLabel } from "./levels.js";
import { criteriaTab, logTab, narrativeTab } from "./reference-tabs.js";
import { compareSchools, OWNERSHIP_LABELS, type School } from "./school.js";
import { lastSubmittedTimeOf, quarantineReasonsOf, type SchoolState } from "./school-state.js";
import type { SheetLayout, TabKey } from "./sheet-layout.js";
import {
  SCHOOL_STATUS_LABELS,
  SCHOOL_STATUS_MEANINGS,
  SCHOOL_STATUSES,
  type SchoolStatus,
} from "./status.js";
import { compareVi, formatNumberVi } from "./text.js";
import { formatDateTimeVi } from "./time.js";
import { columnsOf, fill, REGISTRY_OK, tabBase, type WorkbookData } from "./workbook-data.js";

export { REGISTRY_OK } from "./workbook-data.js";

import type { Cell, ColumnModel, TabModel, WorkbookModel } from "./workbook-model.js";

export type { WorkbookData } from "./workbook-data.js";
export { columnsOf, tabBase } from "./workbook-data.js";
export type {
  Cell,
  ColumnModel,
  Delivery,
  PrintSetup,
  RegistryRow,
  TabModel,
  WorkbookModel,
} from "./workbook-model.js";
export { gridOf, headerRow } from "./workbook-model.js";

/**
 * The tracking workbook as it should be: every tab's header and rows, computed from the campaign's
 * data and the layout. Pure: the Google Sheets adapter turns it into API requests (writing only
 * what differs), the .xlsx adapter into a file.
 */

export const workbookTitle = (layout: SheetLayout, schoolYear: string, place: string): string =>
  fill(layout.title, { schoolYear, place });

/**
 * The columns of a tab as written (Theo dõi has one per criterion of the set; commune columns are
 * headed with the office's name for its communes): the read-back finds them by these headers.
 */
export const tabColumns = (
  layout: SheetLayout,
  key: TabKey,
  set: CriteriaSet,
  communeLabel: string,
): ColumnModel[] =>
  key === "tracking" ? trackingColumns(layout, set, communeLabel) : columnsOf(layout, key, communeLabel);

/** A school with no state yet: scored on nothing, so Chưa đăng ký. */
const stateOf = (data: WorkbookData, school: School) => data.states.get(school.code);

const statusOf = (data: WorkbookData, school: School): SchoolStatus =>
  stateOf(data, school)?.status ?? "chua-dang-ky";

export const buildWorkbook = (data: WorkbookData): WorkbookModel => {
  const { layout } = data;
  const tabs = [
    overviewTab(data),
    ...controlTab(data),
    trackingTab(data),
    ...inspectionTabs(data),
    ...narrativeTab(data),
    ...calendarTab(data),
    ...extensionsTab(data),
    ...chaseTab(data),
    registryTab(data),
    criteriaTab(data),
    logTab(data),
    ...guideTab(data),
  ];
  const overview = tabs[0] as TabModel;
  const field = (f: string) => overview.columns.findIndex((c) => c.field === f);
  return {
    title: workbookTitle(layout, data.schoolYear, data.place),
    locale: layout.locale,
    timeZone: layout.timeZone,
    tabs,
    formats: layout.formats,
    headerStyle: layout.header,
    warningOnlyProtection: layout.warningOnlyProtection,
    chart: {
      tab: "overview",
      title: layout.tabs.overview.chartTitle,
      headerRow: OVERVIEW_HEADER_ROW,
      firstRow: OVERVIEW_HEADER_ROW + 1,
      endRow: OVERVIEW_HEADER_ROW + 1 + levelsPresent(data.schools).length,
      columns: [field("group"), ...SCHOOL_STATUSES.map(field)].filter((i) => i >= 0),
    },
  };
};

/** The overview's table starts here; its level rows, and so the chart's range, follow the data. */
const OVERVIEW_HEADER_ROW = 3;

/** The levels the office has schools of, in order: a level with none has no row (nor bar). */
const levelsPresent = (schools: readonly School[]): LevelGroup[] =>
  LEVEL_GROUPS.filter((group) => schools.some((s) => levelGroupOf(s.levels) === group));

const overviewTab = (data: WorkbookData): TabModel => {
  const { layout } = data;
  const columns = columnsOf(layout, "overview", data.communeLabel);
  const width = columns.length;
  const row = (values: Record<string, Cell>): Cell[] => columns.map((c) => values[c.field] ?? null);
  const line = (text: string): Cell[] => [text, ...Array<Cell>(width - 1).fill(null)];
  const tally = (label: string, schools: readonly School[]): Cell[] => {
    const counts = Object.fromEntries(SCHOOL_STATUSES.map((s) => [s, 0])) as Record<SchoolStatus, number>;
    let submitted = 0;
    for (const school of schools) {
      counts[statusOf(data, school)]++;
      if (stateOf(data, school)?.evaluation.submitted.includes("dossier")) submitted++;
    }
    return row({
      group: label,
      schools: schools.length,
      submitted,
      ...counts,
      passed: counts.dat + counts["duoc-cong-nhan"],
      passedShare: schools.length === 0 ? 0 : (counts.dat + counts["duoc-cong-nhan"]) / schools.length,
      recognised: schools.length === 0 ? 0 : counts["duoc-cong-nhan"] / schools.length,
      target: 1,
      remaining: schools.length - counts["duoc-cong-nhan"],
    });
  };
  const byLevel = levelsPresent(data.schools).map((level) =>
    tally(
      LEVEL_GROUP_LABELS[level],
      data.schools.filter((s) => levelGroupOf(s.levels) === level),
    ),
  );
  const communes = [...new Set(data.schools.map((s) => s.commune))].sort(compareVi);
  const rows: Cell[][] = [
    line(workbookTitle(layout, data.schoolYear, data.place)),
    line(
      data.dataTime
        ? `Số liệu cập nhật đến ${formatDateTimeVi(data.dataTime, layout.timeZone)}`
        : "Chưa nhận được câu trả lời nào",
    ),
    line(
      `${formatNumberVi(data.schools.length)} trường; mục tiêu 100% được công nhận điển hình. ` +
        `Cột "${columns.find((c) => c.field === "submitted")?.header ?? "Đã nộp"}" tính hồ sơ công nhận (tháng 11).`,
    ),
    columns.map((c) => c.header),
    ...byLevel,
    tally(data.wholeLabel ?? "Toàn đơn vị", data.schools),
    line(`Theo ${data.communeLabel.toLocaleLowerCase("vi")}`),
    ...communes.map((commune) =>
      tally(
        commune,
        data.schools.filter((s) => s.commune === commune),
      ),
    ),
    line("Ý nghĩa các tình trạng"),
    // The path as the office reads it: each status and what it means, beside it.
    ...SCHOOL_STATUSES.map((s) => [
      SCHOOL_STATUS_LABELS[s],
      SCHOOL_STATUS_MEANINGS[s],
      ...Array<Cell>(width - 2).fill(null),
    ]),
  ];
  const totalRow = OVERVIEW_HEADER_ROW + 1 + byLevel.length;
  const legendRow = rows.length - SCHOOL_STATUSES.length - 1;
  // The calendar last, with where each window or deadline stands today (below the chart's rows).
  const calendarRow = rows.length;
  if (data.calendar) rows.push(...calendarRows(data.calendar, data.today, width));
  return {
    ...tabBase(layout, "overview", columns),
    header: false,
    rows,
    headingRows: [OVERVIEW_HEADER_ROW],
    boldRows: [0, totalRow, totalRow + 1, legendRow, ...(data.calendar ? [calendarRow] : [])],
  };
};

/** Tổng quan's calendar part: its heading, then a row per window or deadline (calendar-view.ts). */
const calendarRows = (calendar: Calendar, today: string | undefined, width: number): Cell[][] => [
  ["Lịch của đợt", ...Array<Cell>(width - 1).fill(null)],
  ...calendarLines(calendar, today).map((l) => [
    l.label,
    l.days,
    l.standing,
    ...Array<Cell>(width - 3).fill(null),
  ]),
];

const trackingColumns = (layout: SheetLayout, set: CriteriaSet, communeLabel: string): ColumnModel[] =>
  columnsOf(layout, "tracking", communeLabel).flatMap((c) =>
    c.field === "criteria"
      ? set.criteria.map((criterion) => ({
          ...c,
          field: `criteria:${criterion.id}`,
          header: fill(c.header, { id: criterion.id, points: formatNumberVi(criterion.points) }),
        }))
      : [c],
  );

/** "Nộp muộn 3 ngày (…)" for each response that came after the school's deadline, or null. */
const lateText = (
  data: WorkbookData,
  calendar: Calendar,
  code: string,
  state: SchoolState | undefined,
): string | null => {
  if (!state) return null;
  const late = latenessOf(state.latest, calendar, extensionsOf(data.extensions, code), data.layout.timeZone);
  return late.map(latenessInWords).join("; ") || null;
};

const trackingTab = (data: WorkbookData): TabModel => {
  const { layout, criteriaSet } = data;
  const calendar = data.calendar ?? defaultCalendar(data.schoolYear);
  const columns = trackingColumns(layout, criteriaSet, data.communeLabel);
  const schools = [...data.schools].sort(compareSchools);
  const stageOf = new Map(allIndicators(criteriaSet).map(({ indicator }) => [indicator.id, indicator.stage]));
  const rows = schools.map((school) => {
    const state = stateOf(data, school);
    const evaluation = state?.evaluation ?? evaluateSchool(school, criteriaSet, []);
    const status = state?.status ?? "chua-dang-ky";
    const delivery = data.delivery?.get(school.code);
    const lastSubmitted = state ? (lastSubmittedTimeOf(state) ?? undefined) : undefined;
    // What the office reads in "Còn thiếu": a stage not submitted is one line, not every question of it.
    const notSubmitted = STAGES.filter((stage) => !evaluation.submitted.includes(stage));
    const missing = [
      ...(state ? quarantineReasonsOf(state) : []),
      ...(state?.status === "khong-dat"
        ? state.outcome.rejected.map((r) => `Kiểm tra không xác nhận ${r.indicatorId}: ${r.reason}`)
        : []),
      ...notSubmitted.map((stage) => `Chưa nộp: ${STAGE_LABELS[stage]}`),
      ...evaluation.missing
        .filter((m) => !notSubmitted.includes(stageOf.get(m.indicatorId) ?? "dossier"))
        .map((m) => m.message),
    ];
    const criterionPoints = new Map(evaluation.criteria.map((c) => [c.id, c.points]));
    const typed = data.typedOffice?.get(school.code);
    return columns.map((c): Cell => {
      // The approval and the number show what was taken: one that lapsed (the school sent something
      // new since) is cleared, never written back as typed (approval.ts).
      if (typed && c.field in typed && c.field !== "approve" && c.field !== "number")
        return typed[c.field] ?? null;
      if (c.field.startsWith("criteria:")) return criterionPoints.get(c.field.slice(9)) ?? null;
      switch (c.field) {
        case "code":
          return school.code;
        case "name":
          return school.name;
        case "level":
          return levelsLabel(school.levels);
        case "commune":
          return school.commune;
        case "status":
          return SCHOOL_STATUS_LABELS[status];
        case "lastSubmitted":
          return lastSubmitted ? new Date(lastSubmitted) : null;
        case "late":
          return lateText(data, calendar, school.code, state);
        case "points":
          return evaluation.points;
        case "missing":
          return missing.join("; ") || null;
        case "report":
          return delivery?.reportUrl ?? null;
        case "reportDocx":
          return delivery?.reportDocxUrl ?? null;
        case "mailedAt":
          return delivery?.mailedAt ?? null;
        case "verdict":
          return state ? verdictLabel(state) : null;
        case "incidents":
          return incidentsInWords(data.incidents ?? [], school.code);
        case "approve":
          return approvalCells(state).approve;
        case "number":
          return approvalCells(state).number;
        case "note":
          return state?.review?.note || null;
        default:
          return null;
      }
    });
  });
  return {
    ...tabBase(layout, "tracking", columns),
    header: true,
    rows: [...rows, ...(data.strayTrackingRows ?? []).map((r) => columns.map((_, i) => r[i] ?? null))],
    keyColumns: [columns.findIndex((c) => c.field === "code")],
    rewrittenColumns: columns.flatMap((c, i) => (c.field === "approve" || c.field === "number" ? [i] : [])),
    headingRows: [0],
    boldRows: [],
  };
};

const registryCells = (school: School): Record<string, Cell> => ({
  code: school.code,
  name: school.name,
  level: levelsLabel(school.levels),
  commune: school.commune,
  ownership: OWNERSHIP_LABELS[school.ownership],
  emails: school.emails.join(", "),
  head: school.head ?? null,
  phone: school.phone ?? null,
});

const registryTab = (data: WorkbookData): TabModel => {
  const { layout } = data;
  const columns = columnsOf(layout, "registry", data.communeLabel);
  // The office's rows stay in the office's order, as typed; schools missing from the tab (a
  // deleted row, a new tab) are written back at the end, so nothing is lost by a slip.
  const typed = data.registryRows ?? [];
  const present = new Set(typed.map((r) => r.code));
  const restored = [...data.schools].sort(compareSchools).filter((s) => !present.has(s.code));
  const rows = [
    ...typed.map((r) => ({ cells: r.cells, check: r.problem ?? REGISTRY_OK })),
    ...restored.map((s) => ({ cells: registryCells(s), check: REGISTRY_OK })),
  ].map(({ cells, check }) => columns.map((c) => (c.field === "check" ? check : (cells[c.field] ?? null))));
  return {
    ...tabBase(layout, "registry", columns),
    header: true,
    rows,
    keyColumns: [columns.findIndex((c) => c.field === "code")],
    ...(data.registryRows ? {} : { authoritative: true }),
    headingRows: [0],
    boldRows: [],
  };
};
