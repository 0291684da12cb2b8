import { isApproved } from "../domain/approval.js";
import { FINDING_LABELS } from "../domain/inspection.js";
import { mergeInspection, recognitionsOf, sameInspection } from "../domain/inspection-merge.js";
import {
  emptyInspectionReadBack,
  type InspectionReadBack,
  readDecisions,
  readFindings,
  readPlans,
} from "../domain/inspection-readback.js";
import { teamText } from "../domain/inspection-tabs.js";
import type { OfficeReview } from "../domain/review.js";
import type { School } from "../domain/school.js";
import {
  deriveSchoolState,
  type OfficeInputs,
  officeInputsOf,
  type SchoolState,
} from "../domain/school-state.js";
import type { SheetLayout, TabKey } from "../domain/sheet-layout.js";
import { findTab, type SheetSnapshot } from "../domain/sheet-readback.js";
import { SCHOOL_STATUS_LABELS } from "../domain/status.js";
import { formatDateVi } from "../domain/time.js";
import type { ColumnModel } from "../domain/tracking-workbook.js";
import type { StateChange, StoredEvent } from "../infra/store/index.js";
import { type CampaignView, statesOf } from "./campaign-view.js";

/**
 * The office's act on its schools, as typed in the sheet (or a workbook, or files for a local run):
 * notes, inspection plans and findings, decisions recorded. Turned into state changes (each school
 * scored again with its new inputs) and the log lines the office reads in Nhật ký.
 */

/** Read the three inspection tabs of a snapshot (the ones the layout has and the sheet holds). */
export const readInspectionTabs = (
  layout: SheetLayout,
  columns: (key: TabKey) => ColumnModel[],
  snapshot: SheetSnapshot,
  known: ReadonlySet<string>,
): InspectionReadBack => {
  const result = emptyInspectionReadBack();
  readPlans(result, columns("schedule"), findTab(snapshot, layout, "schedule"), known, layout.timeZone);
  readFindings(result, columns("inspection"), findTab(snapshot, layout, "inspection"), known);
  readDecisions(result, columns("decision"), findTab(snapshot, layout, "decision"), layout.timeZone);
  return result;
};

export interface OfficeChanges {
  changes: StateChange[];
  events: StoredEvent[];
  inspections: number;
  recognised: number;
}

/**
 * What the office's input changes: each school whose registry entry, note, inspection or
 * recognition changed, scored again. Problems found on the way are put on their rows (`tab.problems`).
 */
export const officeChanges = (
  view: CampaignView,
  schoolWrites: readonly School[],
  notes: ReadonlyMap<string, OfficeReview>,
  tab: InspectionReadBack,
  now: Date,
): OfficeChanges => {
  const patches = new Map<string, OfficeInputs>();
  const patch = (code: string, p: OfficeInputs) => patches.set(code, { ...patches.get(code), ...p });
  for (const [code, review] of notes) patch(code, { review });
  let inspections = 0;
  for (const code of view.schools.keys()) {
    const stored = view.stored.get(code)?.state.inspection ?? null;
    const merged = mergeInspection(code, stored, tab);
    if (merged.problem && !tab.problems.has(code)) tab.problems.set(code, merged.problem);
    if (sameInspection(merged.inspection, stored)) continue;
    patch(code, { inspection: merged.inspection });
    inspections++;
  }
  const derive = (code: string) => {
    const school = view.schools.get(code);
    const before = view.stored.get(code)?.state;
    if (!school) return undefined;
    const office = { ...officeInputsOf(before), ...patches.get(code) };
    return deriveSchoolState(
      school,
      view.campaign.criteriaSet,
      before?.latest ?? {},
      before?.quarantine ?? null,
      office,
    );
  };
  const touched = new Set([...schoolWrites.map((s) => s.code), ...patches.keys()]);
  const states = statesOf(view.stored);
  for (const code of touched) {
    const state = derive(code);
    if (state) states.set(code, state);
  }
  const recognitions = recognitionsOf(tab.decisions ?? [], states);
  for (const [code, recognition] of recognitions) {
    patch(code, { recognition });
    touched.add(code);
  }
  const changes: StateChange[] = [];
  const events: StoredEvent[] = [];
  for (const code of touched) {
    const state = derive(code);
    const before = view.stored.get(code);
    if (!state) continue;
    if (!before && !patches.has(code)) continue; // nothing stored, nothing to keep
    // A number or an approval prints differently (and dates the documents): rendered again, not re-mailed.
    const rerender =
      (state.review?.number?.value ?? 0) !== (before?.state.review?.number?.value ?? 0) ||
      isApproved(state) !== (before ? isApproved(before.state) : false);
    changes.push({ state, ...(before ? { before } : {}), ...(rerender ? { rerender: true } : {}) });
    events.push(...changeEvents(now, state, before?.state));
  }
  return { changes, events, inspections, recognised: recognitions.size };
};

/** What Nhật ký says of a school's new plan, verdict or recognition. */
const changeEvents = (at: Date, after: SchoolState, before: SchoolState | undefined): StoredEvent[] => {
  const events: StoredEvent[] = [];
  const schoolCode = after.schoolCode;
  const plan = after.inspection;
  const was = before?.inspection;
  if (
    plan &&
    (plan.date !== was?.date || plan.place !== was?.place || teamText(plan) !== teamText(was ?? { team: [] }))
  )
    events.push({
      at,
      kind: "Lịch kiểm tra",
      schoolCode,
      message: `Kiểm tra ngày ${formatDateVi(plan.date)}${plan.time ? ` lúc ${plan.time}` : ""} tại ${plan.place}; đoàn: ${teamText(plan)}`,
    });
  if (after.outcome.verdict !== (before?.outcome.verdict ?? null) && after.outcome.verdict) {
    const reasons = after.outcome.rejected.map(
      (r) => `${r.indicatorId} ${FINDING_LABELS["khong-xac-nhan"].toLowerCase()}: ${r.reason}`,
    );
    events.push({
      at,
      kind: "Kiểm tra",
      schoolCode,
      message: `Kết quả kiểm tra: ${SCHOOL_STATUS_LABELS[after.outcome.verdict]}${reasons.length ? ` (${reasons.join("; ")})` : ""}`,
    });
  }
  if (after.review?.approved && after.review.approved !== before?.review?.approved)
    events.push({ at, kind: "Duyệt gửi", schoolCode, message: "Phòng duyệt gửi văn bản cho trường" });
  if (after.review?.number && after.review.number.value !== before?.review?.number?.value)
    events.push({
      at,
      kind: "Số văn bản",
      schoolCode,
      message: `Thông báo kết quả đã ký, vào số ${after.review.number.value}`,
    });
  if (after.recognition && after.recognition.number !== before?.recognition?.number)
    events.push({
      at,
      kind: "Công nhận",
      schoolCode,
      message: `Được công nhận theo Quyết định số ${after.recognition.number} ngày ${formatDateVi(after.recognition.date)}`,
    });
  return events;
};

/** The rows the office must correct, as Nhật ký lines (once each). */
export const inspectionProblems = (tab: InspectionReadBack, now: Date): StoredEvent[] => [
  ...[...tab.problems].map(([key, message]) => {
    const [code] = key.split("|");
    return {
      at: now,
      kind: "Lỗi nhập liệu",
      ...(code ? { schoolCode: code } : {}),
      message,
      key: `inspection:${key}:${message}`,
    };
  }),
  ...(tab.decisions ?? []).flatMap((d) =>
    d.problem
      ? [
          {
            at: now,
            kind: "Lỗi nhập liệu",
            message: `Quyết định công nhận: ${d.problem}`,
            key: `decision:${d.number}:${d.problem}`,
          },
        ]
      : [],
  ),
];
