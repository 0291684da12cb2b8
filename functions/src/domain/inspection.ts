import type { Evaluation } from "./evaluate.js";
import { foldKey } from "./text.js";

/**
 * The office's inspection of a school (kiểm tra thực tế), done with the related units (the commune
 * police above all): who inspected, when and where, and for each applicable indicator whether the
 * team confirms the school's own claim (xác nhận) or not (không xác nhận), with a short reason.
 * Pure: the verdict is derived, indicator by indicator, never typed as a whole.
 */
export const FINDINGS = ["xac-nhan", "khong-xac-nhan"] as const;
export type Finding = (typeof FINDINGS)[number];

export const FINDING_LABELS: Record<Finding, string> = {
  "xac-nhan": "Xác nhận",
  "khong-xac-nhan": "Không xác nhận",
};

const FINDING_ALIASES: Record<string, Finding> = {
  "xac nhan": "xac-nhan",
  dat: "xac-nhan",
  "khong xac nhan": "khong-xac-nhan",
  "khong dat": "khong-xac-nhan",
};

/** "Xác nhận", "xac nhan", "Đạt" → xac-nhan; "Không xác nhận", "Không đạt" → khong-xac-nhan; else undefined. */
export const parseFinding = (text: string): Finding | undefined => FINDING_ALIASES[foldKey(text)];

export interface InspectorRef {
  name: string;
  /** The inspector's unit: "Phòng Giáo dục và Đào tạo", "Công an xã Nhà Bè". */
  unit: string;
}

export interface IndicatorFinding {
  finding: Finding;
  /** Why the claim is not confirmed (required then), or a note. */
  reason: string;
}

export interface Inspection {
  /** The inspection's day, "YYYY-MM-DD" (the office's calendar). */
  date: string;
  /** Its start, "HH:MM", when the plan gives one. */
  time?: string;
  place: string;
  /** The team's name in the plan ("Đoàn số 1"), when it has one. */
  teamName?: string;
  /** The team: its leader first. */
  team: InspectorRef[];
  findings: Record<string, IndicatorFinding>;
  /** The office proposes the school for commendation (khen thưởng) too. */
  commend: boolean;
}

export interface InspectionOutcome {
  /** Đạt when every applicable mandatory indicator is confirmed; Không đạt on one rejection. */
  verdict: "dat" | "khong-dat" | null;
  /** The rejected mandatory indicators, with the team's reasons, in criteria order. */
  rejected: Array<{ indicatorId: string; text: string; reason: string }>;
  /** Applicable mandatory indicators the team has not judged yet (the verdict waits for them). */
  pending: string[];
}

/**
 * What an inspection concludes about a school, given its evaluation: the indicators that count are
 * the applicable mandatory ones of its mandatory criteria. One rejection is enough for Không đạt;
 * Đạt needs every one confirmed; anything else is not a verdict yet.
 */
export const inspectionOutcome = (
  inspection: Inspection | null,
  evaluation: Pick<Evaluation, "criteria">,
): InspectionOutcome => {
  const counted = evaluation.criteria
    .filter((c) => c.mandatory && c.status !== "not-applicable")
    .flatMap((c) => c.indicators)
    .filter((i) => i.mandatory && i.status !== "not-applicable");
  if (!inspection) return { verdict: null, rejected: [], pending: counted.map((i) => i.id) };
  const rejected = counted
    .filter((i) => inspection.findings[i.id]?.finding === "khong-xac-nhan")
    .map((i) => ({ indicatorId: i.id, text: i.text, reason: inspection.findings[i.id]?.reason ?? "" }));
  const pending = counted.filter((i) => inspection.findings[i.id] === undefined).map((i) => i.id);
  const verdict = rejected.length > 0 ? "khong-dat" : pending.length === 0 ? "dat" : null;
  return { verdict, rejected, pending };
};
