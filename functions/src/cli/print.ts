import Table from "cli-table3";
import { type SchoolResult, type StatusTally, tallyByLevel } from "../domain/campaign-score.js";
import type { CriteriaSet } from "../domain/criteria.js";
import { STAGE_LABELS } from "../domain/criteria.js";
import type { Evaluation } from "../domain/evaluate.js";
import {
  LEVEL_GROUP_LABELS,
  LEVEL_GROUPS,
  LEVEL_LABELS,
  levelGroupOf,
  SCHOOL_LEVELS,
} from "../domain/levels.js";
import { describeRequirement } from "../domain/requirements.js";
import { PROGRESS_COLUMNS, SCHOOL_STATUS_LABELS, type SchoolStatus } from "../domain/status.js";
import { formatNumberVi } from "../domain/text.js";

const KIND_LABELS = {
  evidence: "Có/Không + minh chứng",
  number: "Số",
  zero: "Số vụ (phải bằng 0)",
  choice: "Lựa chọn",
};

const table = (head: string[], colAligns?: Array<"left" | "right" | "center">, colWidths?: number[]) =>
  new Table({
    head,
    ...(colWidths ? { colWidths } : {}),
    // Compact: no rule between rows, so a 70-school table stays readable in a terminal.
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
    style: { head: [], border: [] },
    wordWrap: true,
    ...(colAligns ? { colAligns } : {}),
  });

/** The criteria set as the office reads it. */
export const formatCriteriaSet = (set: CriteriaSet): string => {
  const lines = [`${set.title}`, `Mã: ${set.id} · phiên bản ${set.version}`];
  if (set.assessmentPeriod) lines.push(`Thời gian đánh giá: ${set.assessmentPeriod}`);
  for (const basis of set.legalBasis) lines.push(`Căn cứ: ${basis}`);
  for (const criterion of set.criteria) {
    const levels = criterion.levels
      ? ` · chỉ áp dụng: ${criterion.levels.map((l) => LEVEL_LABELS[l]).join(", ")}`
      : "";
    lines.push(
      "",
      `Tiêu chí ${criterion.id}. ${criterion.title} (${formatNumberVi(criterion.points)} điểm${criterion.mandatory ? "" : ", không bắt buộc"}${levels})`,
    );
    const t = table(
      ["Mã", "Nội dung", "Loại", "Yêu cầu", "Giai đoạn", "Áp dụng"],
      undefined,
      [7, 62, 16, 22, 18, 14],
    );
    for (const indicator of criterion.indicators) {
      const requirement = [
        ...new Set(
          SCHOOL_LEVELS.filter((l) => !indicator.levels || indicator.levels.includes(l)).map((l) =>
            describeRequirement(indicator, l),
          ),
        ),
      ].join(" / ");
      t.push([
        indicator.id,
        indicator.text,
        KIND_LABELS[indicator.kind],
        `${requirement}${indicator.mandatory ? "" : " (không bắt buộc)"}`,
        STAGE_LABELS[indicator.stage],
        indicator.levels ? indicator.levels.map((l) => LEVEL_LABELS[l]).join(", ") : "Tất cả",
      ]);
    }
    lines.push(t.toString());
  }
  return lines.join("\n");
};

/** One table per level: every school, its result, points and what it still lacks. */
export const formatSchoolResults = (results: readonly SchoolResult[]): string => {
  const parts: string[] = [];
  for (const level of LEVEL_GROUPS) {
    const rows = results.filter((r) => levelGroupOf(r.school.levels) === level);
    if (rows.length === 0) continue;
    const t = table(
      ["Mã trường", "Tên trường", "Kết quả", "Điểm", "Còn thiếu"],
      ["left", "left", "left", "right", "left"],
      [12, 44, 13, 11, 72],
    );
    for (const { school, status, evaluation, quarantineReasons } of rows) {
      t.push([
        school.code,
        school.name,
        SCHOOL_STATUS_LABELS[status],
        evaluation.submitted.length === 0
          ? "-"
          : `${formatNumberVi(evaluation.points)}/${formatNumberVi(evaluation.maxPoints)}`,
        whatIsMissing(status, evaluation, quarantineReasons),
      ]);
    }
    parts.push(`${LEVEL_GROUP_LABELS[level]} (${rows.length} trường)`, t.toString(), "");
  }
  parts.push("Tổng hợp theo cấp học", formatTally(tallyByLevel(results)));
  return parts.join("\n");
};

/** The one line a clerk needs: what the school must still do. */
const whatIsMissing = (
  status: SchoolStatus,
  evaluation: Evaluation,
  quarantineReasons: readonly string[],
): string => {
  const more = (list: readonly string[]) => (list.length > 1 ? ` (và ${list.length - 1} mục khác)` : "");
  if (quarantineReasons.length > 0)
    return `Bài gửi chưa hợp lệ: ${quarantineReasons[0] ?? ""}${more(quarantineReasons)}`;
  if (status === "chua-dang-ky" || status === "da-dang-ky") return "Chưa nộp hồ sơ";
  // A fact that rules the school out comes first: nothing else matters this year.
  const facts = evaluation.missing.filter((m) => m.mandatory && m.disqualifying).map((m) => m.message);
  const missing = evaluation.missing.filter((m) => m.mandatory && !m.disqualifying).map((m) => m.message);
  const first = facts.length > 0 ? facts : missing;
  return first.length === 0 ? "" : `${first[0]}${more(first)}`;
};

export const formatTally = (tallies: readonly StatusTally[]): string => {
  const t = table(
    [
      "Cấp học",
      "Số trường",
      ...PROGRESS_COLUMNS.map((c) => c.short),
      "% đạt qua KT",
      "% được CN (chỉ tiêu 100%)",
    ],
    ["left", "right", ...PROGRESS_COLUMNS.map(() => "right" as const), "right", "right"],
  );
  for (const tally of tallies) {
    t.push([
      tally.label,
      tally.schools,
      ...PROGRESS_COLUMNS.map((c) => c.statuses.reduce((n, s) => n + tally.counts[s], 0)),
      `${formatNumberVi(tally.passedPercent)}%`,
      `${formatNumberVi(tally.recognisedPercent)}%`,
    ]);
  }
  return t.toString();
};
