import { type ComparisonOp, type Indicator, thresholdFor } from "./criteria.js";
import type { SchoolLevel } from "./levels.js";
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

export const describeRequirement = (indicator: Indicator, level: SchoolLevel): string => {
  switch (indicator.kind) {
    case "evidence":
      return "Có, kèm minh chứng";
    case "zero":
      return "0";
    case "number": {
      const t = thresholdFor(indicator, level);
      return upperFirst(IN_WORDS[t.op](withUnit(t.value, indicator.unit)));
    }
    case "choice":
      return indicator.accepted.map((a) => `“${a}”`).join(" hoặc ");
  }
};
