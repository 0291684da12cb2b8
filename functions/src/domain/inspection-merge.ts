import type { IndicatorFinding, Inspection } from "./inspection.js";
import { findingKey, type InspectionReadBack } from "./inspection-readback.js";
import type { Recognition, SchoolState } from "./school-state.js";

/**
 * What the office's inspection tabs change in the store. Pure. A row that could not be read keeps
 * what was stored; a row that is missing (a tab re-created, a row deleted) keeps it too and is
 * written back; only a cell the office emptied erases.
 */

export const PLAN_MISSING =
  "Đã ghi kết quả kiểm tra ở trang Kiểm tra nhưng chưa ghi ngày, địa điểm và đoàn kiểm tra ở dòng này: kết quả chưa được tính";

/** The school's inspection after this cycle's input, and a problem to show on its plan row. */
export const mergeInspection = (
  code: string,
  stored: Inspection | null,
  input: InspectionReadBack,
): { inspection: Inspection | null; problem?: string } => {
  const { findings: _, ...storedPlan } = stored ?? { findings: {} };
  const typedPlan = input.read.plans && input.plans.has(code) ? input.plans.get(code) : undefined;
  const plan = typedPlan === undefined ? (stored ? storedPlan : null) : typedPlan;
  const findings: Record<string, IndicatorFinding> = { ...stored?.findings };
  if (input.read.findings) {
    const read = input.findings.get(code) ?? {};
    const unreadable = input.unreadable.get(code);
    const prefix = findingKey(code, "");
    for (const key of input.typedFindings.keys()) {
      if (!key.startsWith(prefix)) continue;
      const id = key.slice(prefix.length);
      if (unreadable?.has(id)) continue;
      const finding = read[id];
      if (finding) findings[id] = finding;
      else delete findings[id];
    }
  }
  if (!plan || !("date" in plan))
    return Object.keys(findings).length > 0
      ? { inspection: null, problem: PLAN_MISSING }
      : { inspection: null };
  return { inspection: { ...(plan as Omit<Inspection, "findings">), findings } };
};

export const sameInspection = (a: Inspection | null, b: Inspection | null): boolean =>
  JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** The same inspection whatever the order its fields or findings were written in. */
const canonical = (i: Inspection | null) =>
  i && {
    date: i.date,
    time: i.time ?? null,
    place: i.place,
    teamName: i.teamName ?? null,
    team: i.team.map((m) => [m.name, m.unit]),
    commend: i.commend,
    findings: Object.entries(i.findings)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, f]) => [id, f.finding, f.reason]),
  };

/**
 * The schools a recorded decision recognises: those found Đạt by an inspection held on or before
 * the decision's date and not recognised yet (a decision cannot list a school inspected after it
 * was signed). A decision whose date the office corrects moves its schools' date with it.
 */
export const recognitionsOf = (
  decisions: ReadonlyArray<{ number: string; date: string; problem?: string }>,
  states: ReadonlyMap<string, SchoolState>,
): Map<string, Recognition> => {
  const result = new Map<string, Recognition>();
  for (const decision of decisions) {
    if (decision.problem) continue;
    const recognition = { number: decision.number, date: decision.date };
    for (const [code, state] of states) {
      if (result.has(code)) continue;
      const mine = state.recognition?.number === decision.number;
      const eligible =
        state.recognition === null &&
        state.status === "dat" &&
        state.inspection !== null &&
        state.inspection.date <= decision.date;
      if ((mine && state.recognition?.date !== decision.date) || eligible) result.set(code, recognition);
    }
  }
  return result;
};
