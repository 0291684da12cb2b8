import type { LogEvent } from "./log.js";
import type { OverdueSchool } from "./overdue.js";
import { REMINDER_ASKS } from "./reminders.js";
import { compareVi, formatNumberVi } from "./text.js";
import { formatDateVi } from "./time.js";

/**
 * The office's daily digest (thư tổng hợp hằng ngày): what changed since the last one, and who is
 * behind, by commune, with whom to call. Sent on a day something changed, at most once that day.
 * Pure: the words and figures from the overdue schools and the log.
 */
export interface DigestView {
  /** "22/11/2026". */
  day: string;
  /** "Nhận câu trả lời: 3", one line per kind of event since the last digest, most frequent first. */
  changes: string[];
  /** The schools past a deadline. */
  overdueCount: string;
  /** "dd/mm/yyyy": the day the Công văn đôn đốc gives the schools it lists (when one is attached). */
  answerBy?: string;
  communes: Array<{
    commune: string;
    count: string;
    schools: Array<{ name: string; lacking: string; daysOver: string; head: string; phone: string }>;
  }>;
}

/** Kinds of log entry the digest does not count as a change (its own record). */
export const DIGEST_EVENT = "Tổng hợp ngày";

/** What happened since the last digest, by kind of log entry, most frequent first. */
export const changesSince = (events: readonly LogEvent[], since: Date | undefined): string[] => {
  const counts = new Map<string, number>();
  for (const e of events)
    if (e.kind !== DIGEST_EVENT && (!since || e.at > since))
      counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || compareVi(a[0], b[0]))
    .map(([kind, n]) => `${kind}: ${formatNumberVi(n)}`);
};

export const digestView = (
  day: string,
  changes: string[],
  overdue: readonly OverdueSchool[],
  answerBy?: string,
): DigestView => {
  const byCommune = new Map<string, OverdueSchool[]>();
  for (const o of overdue) byCommune.set(o.school.commune, [...(byCommune.get(o.school.commune) ?? []), o]);
  return {
    day: formatDateVi(day),
    changes,
    overdueCount: formatNumberVi(overdue.length),
    ...(answerBy ? { answerBy: formatDateVi(answerBy) } : {}),
    communes: [...byCommune]
      .sort((a, b) => b[1].length - a[1].length || compareVi(a[0], b[0]))
      .map(([commune, schools]) => ({
        commune,
        count: formatNumberVi(schools.length),
        schools: schools.map(({ school, missed, daysOver }) => ({
          name: school.name,
          lacking: missed.map((r) => `${REMINDER_ASKS[r.stage]}, hạn ${formatDateVi(r.due)}`).join("; "),
          daysOver: formatNumberVi(daysOver),
          head: school.head ?? "",
          phone: school.phone ?? "",
        })),
      })),
  };
};
