import { type ComparisonOp, type Indicator, thresholdsFor } from "./criteria.js";
import { LEVEL_LABELS, SCHOOL_LEVELS, type SchoolLevel } from "./levels.js";
import { formatNumberVi, upperFirst } from "./text.js";

/** What an indicator requires, in words: the same in the sheet, the documents and every message. */

/** A threshold in words (Tinos, the documents' font, has no ≥ or ≤, and words read as the office writes). */
const IN_WORDS: Record<ComparisonOp, (value: string) => string> = {
  ">=": (v) => `từ ${v} trở lên`,
  "<=": (v) => `không quá ${v}`,
  "=": (v) => `bằng ${v}`,
  ">": (v) => `trên ${v}`,
  "<": (v) => `dưới ${v}`,
};

export const withUnit = (n: number, unit: string | undefined): string =>
  unit === undefined
    ? formatNumberVi(n)
    : unit === "%"
      ? `${formatNumberVi(n)}%`
      : `${formatNumberVi(n)} ${unit}`;

/**
 * What the indicator requires of a school of these levels. A school of several levels whose
 * levels set different thresholds meets each: "Từ 70% trở lên (Tiểu học); từ 80% trở lên (THCS)".
 */
export const describeRequirement = (
  indicator: Indicator,
  levels: SchoolLevel | readonly SchoolLevel[],
): string => {
  switch (indicator.kind) {
    case "evidence":
      return "Có, kèm minh chứng";
    case "zero":
      return "0";
    case "number": {
      const all = thresholdsFor(indicator, typeof levels === "string" ? [levels] : levels);
      const words = all.map(({ threshold: t }) => IN_WORDS[t.op](withUnit(t.value, indicator.unit)));
      if (all.length === 1) return upperFirst(words[0] as string);
      return upperFirst(
        all.map((t, i) => `${words[i]} (${t.levels.map((l) => LEVEL_LABELS[l]).join(", ")})`).join("; "),
      );
    }
    case "choice":
      return indicator.accepted.map((a) => `“${a}”`).join(" hoặc ");
  }
};

/**
 * What an indicator requires, level by level where levels differ ("Tiểu học, THCS: từ 70% trở lên;
 * THPT: …"), over the levels it applies to (`among`, when given: the levels the office has schools of).
 */
export const requirementByLevel = (indicator: Indicator, among?: readonly SchoolLevel[]): string => {
  const levels = (indicator.levels ?? SCHOOL_LEVELS).filter((l) => !among || among.includes(l));
  const byText = new Map<string, string[]>();
  for (const level of levels.length > 0 ? levels : (indicator.levels ?? SCHOOL_LEVELS)) {
    const text = describeRequirement(indicator, level);
    byText.set(text, [...(byText.get(text) ?? []), LEVEL_LABELS[level]]);
  }
  if (byText.size === 1) return [...byText.keys()][0] ?? "";
  return [...byText].map(([text, levels]) => `${levels.join(", ")}: ${text}`).join("; ");
};
