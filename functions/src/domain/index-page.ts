import type { StatusTally } from "./campaign-score.js";
import { levelsLabel, type SchoolLevels } from "./levels.js";
import { PROGRESS_COLUMNS } from "./status.js";
import { formatNumberVi, formatPercent } from "./text.js";

/** What the local run's index.html shows (templates/index.hbs): progress, files, every school. */
export interface IndexPageInput {
  /** The title of what is recognised, from the criteria set. */
  heading: string;
  /** "Phòng Giáo dục và Đào tạo · Nhà Bè · năm học 2025-2026". */
  title: string;
  sample: boolean;
  files: {
    workbook: string;
    /** The Kế hoạch triển khai and its Word copy. */
    plan?: string;
    planDocx?: string;
    report?: string;
    proposal?: string;
    decision?: string;
  };
  tally: readonly StatusTally[];
  schools: ReadonlyArray<{
    code: string;
    name: string;
    levels: SchoolLevels;
    status: string;
    statusLabel: string;
    points: number;
    pdfs: readonly string[];
    /** The Word copy of each PDF. */
    docx?: readonly string[];
    emails: readonly string[];
    /** Its status page, relative to the folder. */
    page?: string | null;
  }>;
  /** Responses received (a response delivered twice counts once), and those not taken. */
  responses: number;
  quarantined: number;
  /** Deliveries of a response already received. */
  duplicates: number;
}

export const indexPage = (input: IndexPageInput) => ({
  ...input,
  tally: input.tally.map((t) => ({
    ...t,
    total: t.group === "all",
    passedPercent: formatPercent(t.passedPercent),
    percent: formatPercent(t.recognisedPercent),
    counts: PROGRESS_COLUMNS.map((c) => c.statuses.reduce((n, s) => n + t.counts[s], 0)),
  })),
  statuses: PROGRESS_COLUMNS.map((c) => c.label),
  schools: input.schools.map((s) => ({
    ...s,
    levelLabel: levelsLabel(s.levels),
    // A school code may hold letters outside ASCII: the link is encoded, the file keeps its name.
    pageHref: s.page ? encodeURI(s.page) : undefined,
    // No points for a school that has sent no dossier: it was not scored.
    pointsLabel: s.status === "chua-dang-ky" || s.status === "da-dang-ky" ? "" : formatNumberVi(s.points),
  })),
});
export type IndexPage = ReturnType<typeof indexPage>;
