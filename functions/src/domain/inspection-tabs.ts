import { STAGES } from "./criteria.js";
import { incidentContradiction } from "./incident-check.js";
import { FINDING_LABELS, type Inspection } from "./inspection.js";
import { findingKey } from "./inspection-readback.js";
import { levelsLabel } from "./levels.js";
import { VERDICT_LABELS } from "./review.js";
import { compareSchools, type School } from "./school.js";
import type { SchoolState } from "./school-state.js";
import type { TabKey } from "./sheet-layout.js";
import { SCHOOL_STATUS_LABELS } from "./status.js";
import { formatNumberVi } from "./text.js";
import { columnsOf, dayCell, rowOf, tabBase, type WorkbookData } from "./workbook-data.js";
import type { Cell, TabModel } from "./workbook-model.js";

/**
 * The office's inspection tabs as they should be: Lịch kiểm tra (the plan, a row per school),
 * Kiểm tra (a row per school and applicable indicator, with the school's answer and evidence beside
 * the team's finding) and Quyết định công nhận (the decisions recorded). The office's cells show
 * what it typed (read back this cycle) or else what is stored, so nothing typed is overwritten.
 */

/** What the verdict column shows for a school (empty before any inspection is recorded). */
export const verdictLabel = (state: Pick<SchoolState, "inspection" | "outcome">): string | null => {
  if (state.outcome.verdict) return VERDICT_LABELS[state.outcome.verdict];
  if (!state.inspection) return null;
  const judged = Object.keys(state.inspection.findings).length;
  return `Đang kiểm tra (${formatNumberVi(judged)} chỉ tiêu đã ghi)`;
};

/** "Nguyễn Văn A (Phòng Giáo dục và Đào tạo); Trần Văn B (Công an xã Nhà Bè)". */
export const teamText = (inspection: Pick<Inspection, "team">): string =>
  inspection.team.map((m) => `${m.name} (${m.unit})`).join("; ");

const keyed = (columns: readonly { field: string }[], fields: string[]) =>
  fields.map((f) => columns.findIndex((c) => c.field === f));

const scheduleTab = (data: WorkbookData): TabModel => {
  const columns = columnsOf(data.layout, "schedule", data.communeLabel);
  const input = data.inspectionInput;
  const rows = [...data.schools].sort(compareSchools).map((school) => {
    const state = data.states.get(school.code);
    const stored = state?.inspection;
    const office: Record<string, Cell> = input?.typedPlans.get(school.code) ?? {
      teamName: stored?.teamName ?? null,
      team: stored ? teamText(stored) : null,
      date: stored ? dayCell(stored.date, data.layout.timeZone) : null,
      time: stored?.time ?? null,
      place: stored?.place ?? null,
      commend: stored?.commend ? "Có" : null,
    };
    return rowOf(columns, {
      ...schoolCells(school),
      status: SCHOOL_STATUS_LABELS[state?.status ?? "chua-dang-ky"],
      ...office,
      verdict: state ? verdictLabel(state) : null,
      check: input?.problems.get(school.code) ?? null,
    });
  });
  return tab(data, "schedule", columns, rows, ["code"]);
};

const schoolCells = (school: School): Record<string, Cell> => ({
  code: school.code,
  name: school.name,
  level: levelsLabel(school.levels),
  commune: school.commune,
});

/** Whether the school's indicators are listed for the team: it waits for, or had, an inspection. */
const toInspect = (state: SchoolState, typedCodes: ReadonlySet<string>): boolean =>
  state.assessedStatus === "cho-kiem-tra" ||
  state.inspection !== null ||
  state.recognition !== null ||
  typedCodes.has(state.schoolCode);

const findingsTab = (data: WorkbookData): TabModel => {
  const columns = columnsOf(data.layout, "inspection", data.communeLabel);
  const input = data.inspectionInput;
  const typedCodes = new Set([...(input?.typedFindings.keys() ?? [])].map((k) => k.split("|")[0] ?? ""));
  const rows: Cell[][] = [];
  for (const school of [...data.schools].sort(compareSchools)) {
    const state = data.states.get(school.code);
    if (!state || !toInspect(state, typedCodes)) continue;
    for (const criterion of state.evaluation.criteria) {
      if (criterion.status === "not-applicable") continue;
      for (const indicator of criterion.indicators) {
        if (indicator.status === "not-applicable") continue;
        const key = findingKey(school.code, indicator.id);
        const stored = state.inspection?.findings[indicator.id];
        const evidence = STAGES.flatMap((s) => state.latest[s]?.answers[indicator.id]?.files ?? []);
        rows.push(
          rowOf(columns, {
            code: school.code,
            name: school.name,
            indicator: indicator.id,
            text: indicator.text,
            mandatory: indicator.mandatory ? "Bắt buộc" : "Không bắt buộc",
            answer: indicator.seen ?? "Chưa khai báo",
            evidence: evidence.join("\n") || null,
            ...(input?.typedFindings.get(key) ?? {
              finding: stored ? FINDING_LABELS[stored.finding] : null,
              reason: stored?.reason || null,
            }),
            check: input?.problems.get(key) ?? null,
            crosscheck: crossCheck(data, state, indicator.id),
          }),
        );
      }
    }
  }
  return tab(data, "inspection", columns, rows, ["code", "indicator"]);
};

/** A reported incident the dossier's answer contradicts (incident-check.ts), or null. */
const crossCheck = (data: WorkbookData, state: SchoolState, indicatorId: string): string | null => {
  if (!data.incidents?.length || !data.period) return null;
  const answer =
    state.latest.dossier?.answers[indicatorId] ?? state.latest.registration?.answers[indicatorId];
  const declared = answer?.value;
  return incidentContradiction(data.incidents, state.schoolCode, indicatorId, declared, data.period);
};

/** The decisions recorded, by number: their date and the schools they recognised. */
export const recordedDecisions = (states: ReadonlyMap<string, SchoolState>) => {
  const decisions = new Map<string, { date: string; codes: string[] }>();
  const byCode = [...states.values()].sort((a, b) => (a.schoolCode < b.schoolCode ? -1 : 1));
  for (const state of byCode) {
    const r = state.recognition;
    if (!r) continue;
    const entry = decisions.get(r.number) ?? { date: r.date, codes: [] };
    entry.codes.push(state.schoolCode);
    decisions.set(r.number, entry);
  }
  return decisions;
};

const decisionTab = (data: WorkbookData): TabModel => {
  const columns = columnsOf(data.layout, "decision", data.communeLabel);
  const recorded = recordedDecisions(data.states);
  const typed = data.inspectionInput?.decisions ?? [];
  const listed = (number: string, problem?: string): Record<string, Cell> => {
    const codes = problem ? [] : (recorded.get(number)?.codes ?? []);
    return {
      schools: codes.length,
      list: codes.join(", ") || null,
      check:
        problem ??
        (codes.length > 0
          ? `Đã ghi nhận: ${formatNumberVi(codes.length)} trường được công nhận`
          : "Chưa có trường nào đạt qua kiểm tra trước ngày ký"),
    };
  };
  const present = new Set(typed.map((d) => d.number));
  const rows = [
    ...typed.map((d) => rowOf(columns, { ...d.cells, ...listed(d.number, d.problem) })),
    ...[...recorded]
      .filter(([number]) => !present.has(number))
      .map(([number, d]) =>
        rowOf(columns, { number, date: dayCell(d.date, data.layout.timeZone), ...listed(number) }),
      ),
  ];
  return tab(data, "decision", columns, rows, ["number"]);
};

const tab = (
  data: WorkbookData,
  key: TabKey,
  columns: TabModel["columns"],
  rows: Cell[][],
  keys: string[],
) => ({
  ...tabBase(data.layout, key, columns),
  header: true,
  rows,
  keyColumns: keyed(columns, keys),
  headingRows: [0],
  boldRows: [],
});

/** The inspection tabs the layout has (a layout from before issue 13 has none). */
export const inspectionTabs = (data: WorkbookData): TabModel[] => [
  ...(data.layout.tabs.schedule ? [scheduleTab(data)] : []),
  ...(data.layout.tabs.inspection ? [findingsTab(data)] : []),
  ...(data.layout.tabs.decision ? [decisionTab(data)] : []),
];
