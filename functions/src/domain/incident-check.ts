import type { Incident, IncidentRecord } from "./incident.js";
import { parseVietnameseNumber } from "./numbers.js";
import { formatDateVi } from "./time.js";

/**
 * What the office's tables show of the incidents schools reported: the count on the school's row,
 * and on the inspection tab the contradiction between a report and a dossier that declares none of
 * that kind in the period (flagged for the team to look into, never failed by itself). Pure.
 */

/** Each report's latest accepted version (a school may edit its report), in the order they happened. */
export const reportedIncidents = (
  records: readonly IncidentRecord[],
  schoolCode: string,
): Array<Incident & { responseId: string }> => {
  const latest = new Map<string, IncidentRecord>();
  for (const r of records) {
    if (r.schoolCode !== schoolCode || r.disposition !== "accepted") continue;
    const before = latest.get(r.responseId);
    if (!before || r.lastSubmittedTime > before.lastSubmittedTime) latest.set(r.responseId, r);
  }
  return [...latest.values()]
    .map((r) => ({ ...(r.incident as Incident), responseId: r.responseId }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.responseId.localeCompare(b.responseId));
};

/** "2 vụ; gần nhất 14/10/2026: 4.1. Vụ bạo lực học đường" for the school's row, or null. */
export const incidentsInWords = (records: readonly IncidentRecord[], schoolCode: string): string | null => {
  const reported = reportedIncidents(records, schoolCode);
  const setAside = new Set(
    records
      .filter((r) => r.schoolCode === schoolCode && r.disposition === "quarantined")
      .filter((r) => !reported.some((i) => i.responseId === r.responseId))
      .map((r) => r.responseId),
  ).size;
  const last = reported.at(-1);
  const parts = [
    ...(last ? [`${reported.length} vụ; gần nhất ${formatDateVi(last.date)}: ${last.kindLabel}`] : []),
    ...(setAside ? [`${setAside} báo cáo chưa hợp lệ, trường cần gửi lại (xem Nhật ký)`] : []),
  ];
  return parts.join("; ") || null;
};

/** A declared count, as typed or stored: 0, "0", "0,0". */
const countOf = (value: unknown): number | undefined =>
  typeof value === "number" ? value : typeof value === "string" ? parseVietnameseNumber(value) : undefined;

/**
 * The contradiction the inspector must see: the dossier declares 0 of this kind of incident, but
 * the school itself reported one (or more) dated within the assessment period. Null otherwise.
 */
export const incidentContradiction = (
  records: readonly IncidentRecord[],
  schoolCode: string,
  indicatorId: string,
  declared: unknown,
  period: { from: string; to: string },
): string | null => {
  if (countOf(declared) !== 0) return null;
  const days = reportedIncidents(records, schoolCode)
    .filter((i) => i.indicatorId === indicatorId && i.date >= period.from && i.date <= period.to)
    .map((i) => formatDateVi(i.date));
  if (days.length === 0) return null;
  return (
    `Trường đã báo cáo ${days.length} vụ việc loại này (ngày ${days.join(", ")}) nhưng hồ sơ khai 0: ` +
    "đề nghị đoàn kiểm tra đối chiếu."
  );
};
