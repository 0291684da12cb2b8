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
