import { allIndicators, appliesToLevel, type CriteriaSet } from "./criteria.js";
import { LEVEL_LABELS, type SchoolLevel } from "./levels.js";
import type { School } from "./school.js";
import { formatNumberVi, formatPoints } from "./text.js";

/**
 * What the office's files must agree on together, beyond each file's own checks (`dienhinh check`):
 * the criteria's points add up to the scale schools are shown (100), and every level in the
 * registry has indicators that apply to it. Pure: each problem in words the office can act on.
 */
export const POINTS_SCALE = 100;

export const filesProblems = (set: CriteriaSet, schools: readonly School[]): string[] => {
  const problems: string[] = [];
  const total = set.criteria.reduce((sum, c) => sum + c.points, 0);
  if (total !== POINTS_SCALE)
    problems.push(
      `Tổng điểm các tiêu chí là ${formatPoints(total)}, cần bằng ${POINTS_SCALE} (` +
        set.criteria.map((c, i) => `Tiêu chí ${c.id || i + 1}: ${formatPoints(c.points)}`).join("; ") +
        "): sửa điểm các tiêu chí trong tệp bộ tiêu chí.",
    );
  const levels = new Map<SchoolLevel, number>();
  for (const school of schools)
    for (const level of school.levels) levels.set(level, (levels.get(level) ?? 0) + 1);
  for (const [level, count] of levels) {
    const applying = allIndicators(set).filter(
      ({ criterion, indicator }) =>
        appliesToLevel(criterion.levels, level) && appliesToLevel(indicator.levels, level),
    );
    if (applying.length === 0)
      problems.push(
        `Cấp học “${LEVEL_LABELS[level]}” (${formatNumberVi(count)} trường trong danh sách) không có chỉ tiêu nào áp dụng: ` +
          "thêm cấp học này vào “levels” của các chỉ tiêu, hoặc sửa cấp học của các trường.",
      );
  }
  return problems;
};
