import { z } from "zod";
import { foldKey } from "./text.js";

/**
 * School levels (cấp học). Codes are stable identifiers used in data files; labels are what users
 * read. THPT (upper secondary) is included because city-wide campaigns cover it.
 */
export const SCHOOL_LEVELS = ["mam-non", "tieu-hoc", "thcs", "thpt", "khac"] as const;
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];

export const LEVEL_LABELS: Record<SchoolLevel, string> = {
  "mam-non": "Mầm non",
  "tieu-hoc": "Tiểu học",
  thcs: "THCS",
  thpt: "THPT",
  khac: "Khác",
};

/** Words people write for each level, folded (see foldKey). */
const LEVEL_ALIASES: Record<string, SchoolLevel> = {};
for (const [level, aliases] of Object.entries({
  "mam-non": ["mam-non", "mam non", "mn", "mau giao", "nha tre"],
  "tieu-hoc": ["tieu-hoc", "tieu hoc", "th"],
  thcs: ["thcs", "trung hoc co so"],
  thpt: ["thpt", "trung hoc pho thong"],
  khac: ["khac", "other"],
})) {
  for (const alias of aliases) LEVEL_ALIASES[alias] = level as SchoolLevel;
}

/** "Mầm non", "mam-non", "MN" → "mam-non"; undefined when the text names no level. */
export const parseLevel = (text: string): SchoolLevel | undefined => LEVEL_ALIASES[foldKey(text)];

/** A level written either as its code or as a label people use. */
export const levelSchema = z.string().transform((text, ctx): SchoolLevel => {
  const level = parseLevel(text);
  if (level) return level;
  ctx.addIssue({
    code: "custom",
    message: `Cấp học không hợp lệ: "${text}". Dùng một trong: ${Object.values(LEVEL_LABELS).join(", ")}`,
  });
  return z.NEVER;
});

/**
 * A school's levels: one, or several for a school that spans them (trường nhiều cấp học, e.g.
 * "TH-THCS-THPT"), in SCHOOL_LEVELS order, each once.
 */
export type SchoolLevels = readonly SchoolLevel[];

/**
 * How statistics group schools: by their level, with the schools of several levels in a group of
 * their own ("Nhiều cấp học", as education statistics count them) so no school is counted twice.
 */
export const LEVEL_GROUPS = ["mam-non", "tieu-hoc", "thcs", "thpt", "nhieu-cap", "khac"] as const;
export type LevelGroup = (typeof LEVEL_GROUPS)[number];

export const LEVEL_GROUP_LABELS: Record<LevelGroup, string> = {
  ...LEVEL_LABELS,
  "nhieu-cap": "Nhiều cấp học",
};

export const levelGroupOf = (levels: SchoolLevels): LevelGroup =>
  levels.length === 1 ? (levels[0] as SchoolLevel) : "nhieu-cap";

/** Short forms, as schools of several levels are named ("Trường TH-THCS-THPT"). */
const LEVEL_SHORT: Record<SchoolLevel, string> = {
  "mam-non": "MN",
  "tieu-hoc": "TH",
  thcs: "THCS",
  thpt: "THPT",
  khac: "Khác",
};

/**
 * "Tiểu học", or "TH-THCS-THPT" for a school of several levels: the short form such schools are
 * named by, which is also one value of the registry's dropdown (a list value holds no comma).
 */
export const levelsLabel = (levels: SchoolLevels): string =>
  levels.length === 1 ? LEVEL_LABELS[levels[0] as SchoolLevel] : levels.map((l) => LEVEL_SHORT[l]).join("-");

/** The levels in SCHOOL_LEVELS order, each once. */
export const orderedLevels = (levels: Iterable<SchoolLevel>): SchoolLevel[] => {
  const set = new Set(levels);
  return SCHOOL_LEVELS.filter((l) => set.has(l));
};

/**
 * The levels a registry names: one level as before, or several written as "TH-THCS-THPT",
 * "Tiểu học, THCS và THPT", "MN + TH" or "tieu-hoc; thcs" (codes keep their own hyphen).
 * Undefined when any part names no level.
 */
export const parseLevels = (text: string): SchoolLevel[] | undefined => {
  const whole = parseLevel(text);
  if (whole) return [whole];
  const parts = text
    .split(/\s*(?:[,;/+&]|-|–|\svà\s)\s*/u)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const found: SchoolLevel[] = [];
  for (let i = 0; i < parts.length; i++) {
    // A code such as "mam-non" was split at its own hyphen: try the part with the next one first.
    const joined = i + 1 < parts.length ? parseLevel(`${parts[i]}-${parts[i + 1]}`) : undefined;
    const level = joined ?? parseLevel(parts[i] as string);
    if (!level) return undefined;
    if (joined) i++;
    found.push(level);
  }
  if (found.length === 0 || (found.length > 1 && found.includes("khac"))) return undefined;
  return orderedLevels(found);
};

/** The levels of a school as registries write them: one level, a list, or a joined text. */
export const levelsSchema = z
  .union([z.string(), z.array(z.string()).min(1)])
  .transform((value, ctx): SchoolLevel[] => {
    const text = Array.isArray(value) ? value.join(", ") : value;
    const levels = parseLevels(text);
    if (levels) return levels;
    ctx.addIssue({
      code: "custom",
      message: `Cấp học không hợp lệ: “${text}”. Dùng một trong: ${Object.values(LEVEL_LABELS).join(", ")}; trường nhiều cấp học ghi các cấp, ví dụ “TH-THCS-THPT”`,
    });
    return z.NEVER;
  });
