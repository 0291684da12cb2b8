import { z } from "zod";
import { levelSchema, SCHOOL_LEVELS, type SchoolLevel } from "./levels.js";
import { cleanText } from "./text.js";

/**
 * A criteria set (bộ tiêu chí) is data the office edits: criteria (tiêu chí), each with indicators
 * (chỉ tiêu / nội dung). The schema below is the whole contract for a criteria file.
 */

/** Registration happens in the first quarter (đăng ký); the dossier (hồ sơ) in November. */
export const STAGES = ["registration", "dossier"] as const;
export type Stage = (typeof STAGES)[number];
export const STAGE_LABELS: Record<Stage, string> = {
  registration: "Đăng ký (quý I)",
  dossier: "Hồ sơ công nhận (tháng 11)",
};

export const COMPARISON_OPS = [">=", "<=", "=", ">", "<"] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

const text = z.string().trim().min(1, "không được để trống").transform(cleanText);
const idSchema = z
  .string()
  .regex(/^[\p{L}\p{N}._-]+$/u, "chỉ dùng chữ, số, dấu chấm, gạch ngang hoặc gạch dưới");

/**
 * Cross-field checks run on what zod has parsed so far, which may still be partly raw input when
 * other fields are wrong: they look at the value's shape rather than trust its type.
 */
const ALWAYS = { when: () => true };
type Issue = { code: "custom"; path: Array<string | number>; message: string };
const recordOf = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const addIssues = (ctx: { addIssue: (issue: Issue) => void }, issues: readonly Issue[]): void => {
  for (const issue of issues) ctx.addIssue(issue);
};
const itemsOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const textOf = (value: unknown): string | undefined =>
  typeof value === "string" ? cleanText(value) : undefined;

/** An accepted option missing from the options; min above max. */
const indicatorIssues = (value: unknown): Issue[] => {
  const indicator = recordOf(value);
  const issues: Issue[] = [];
  if (indicator.kind === "choice" && Array.isArray(indicator.options)) {
    const options = new Set(itemsOf(indicator.options).map(textOf));
    itemsOf(indicator.accepted).forEach((option, i) => {
      const accepted = textOf(option);
      if (accepted !== undefined && !options.has(accepted))
        issues.push({
          code: "custom",
          path: ["accepted", i],
          message: `"${accepted}" không có trong danh sách lựa chọn (options)`,
        });
    });
  }
  const { min, max } = indicator;
  if (indicator.kind === "number" && typeof min === "number" && typeof max === "number" && min > max)
    issues.push({ code: "custom", path: ["min"], message: "min lớn hơn max" });
  return issues;
};

/** Criterion ids used twice, and indicator ids used twice anywhere in the set. */
const duplicateIdIssues = (value: unknown): Issue[] => {
  const issues: Issue[] = [];
  const seenCriteria = new Map<string, number>();
  const seenIndicators = new Map<string, string>();
  itemsOf(recordOf(value).criteria).forEach((item, ci) => {
    const criterion = recordOf(item);
    if (typeof criterion.id === "string") {
      const earlier = seenCriteria.get(criterion.id);
      if (earlier !== undefined)
        issues.push({
          code: "custom",
          path: ["criteria", ci, "id"],
          message: `mã tiêu chí "${criterion.id}" bị trùng với criteria[${earlier}]`,
        });
      else seenCriteria.set(criterion.id, ci);
    }
    itemsOf(criterion.indicators).forEach((indicator, ii) => {
      const { id } = recordOf(indicator);
      if (typeof id !== "string") return;
      const other = seenIndicators.get(id);
      if (other)
        issues.push({
          code: "custom",
          path: ["criteria", ci, "indicators", ii, "id"],
          message: `mã chỉ tiêu "${id}" bị trùng với ${other}`,
        });
      else seenIndicators.set(id, `criteria[${ci}].indicators[${ii}]`);
    });
  });
  return issues;
};

const thresholdSchema = z.strictObject({ op: z.enum(COMPARISON_OPS), value: z.number() });
export type Threshold = z.infer<typeof thresholdSchema>;

const indicatorBase = {
  id: idSchema,
  /** The question as the school reads it on the form. */
  text,
  /** A noun phrase as it reads mid-sentence, used in messages: "Tiêu chí 4: có 1 {subject}, yêu cầu 0". */
  subject: text,
  help: text.optional(),
  stage: z.enum(STAGES).default("dossier"),
  /** Levels the indicator applies to; absent means every level. */
  levels: z.array(levelSchema).min(1).optional(),
  mandatory: z.boolean().default(true),
  /** Share of the criterion's points, relative to the other applicable indicators. */
  weight: z.number().positive().default(1),
  /** An answer that means "this does not exist at our school" (e.g. no Party cell): not applicable. */
  notApplicableOption: text.optional(),
  /**
   * A fact of the assessment period the school cannot change by sending again (an incident, a
   * rating): answered and not met, it rules the school out (Không đủ điều kiện) instead of asking
   * it to supply something. Default: true for `zero` and `choice` indicators, false otherwise.
   */
  fact: z.boolean().optional(),
};

const evidenceIndicator = z.strictObject({
  ...indicatorBase,
  /** A yes/no fact that must be backed by a file (minh chứng). */
  kind: z.literal("evidence"),
});

const numberIndicator = z.strictObject({
  ...indicatorBase,
  kind: z.literal("number"),
  threshold: thresholdSchema,
  /** Different thresholds for some levels; levels not listed use `threshold`. */
  thresholdByLevel: z.partialRecord(z.enum(SCHOOL_LEVELS), thresholdSchema).optional(),
  unit: text.optional(),
  integer: z.boolean().default(false),
  min: z.number().optional(),
  max: z.number().optional(),
  /** Also require a file (e.g. the decision that set up a movement model). */
  evidence: z.boolean().default(false),
});

const zeroIndicator = z.strictObject({
  ...indicatorBase,
  /** A count of incidents that must be zero ("số vụ bạo lực học đường"). */
  kind: z.literal("zero"),
  evidence: z.boolean().default(false),
});

const choiceIndicator = z.strictObject({
  ...indicatorBase,
  kind: z.literal("choice"),
  options: z.array(text).min(2),
  /** The options that meet the indicator, e.g. "Hoàn thành tốt nhiệm vụ" and better. */
  accepted: z.array(text).min(1),
  evidence: z.boolean().default(false),
});

export const indicatorSchema = z
  .discriminatedUnion("kind", [evidenceIndicator, numberIndicator, zeroIndicator, choiceIndicator], {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `kind phải là một trong: evidence (có/không kèm minh chứng), number (số), zero (số vụ phải bằng 0), choice (lựa chọn); nhận được "${String((issue.input as { kind?: unknown } | undefined)?.kind)}"`
        : undefined,
  })
  // Runs even when other parts of the indicator are wrong, so a file's problems come all at once.
  .superRefine((indicator, ctx) => addIssues(ctx, indicatorIssues(indicator)), ALWAYS);
export type Indicator = z.infer<typeof indicatorSchema>;
export type IndicatorKind = Indicator["kind"];

/** Whether an indicator records a fact of the period (see `fact`): incidents and ratings are, by default. */
export const isFact = (indicator: Pick<Indicator, "kind" | "fact">): boolean =>
  indicator.fact ?? (indicator.kind === "zero" || indicator.kind === "choice");

export const criterionSchema = z.strictObject({
  id: idSchema,
  title: text,
  description: text.optional(),
  /** Points shown to schools so they see how close they are; the verdict stays all-or-nothing. */
  points: z.number().positive(),
  mandatory: z.boolean().default(true),
  levels: z.array(levelSchema).min(1).optional(),
  indicators: z.array(indicatorSchema).min(1, "cần ít nhất một chỉ tiêu"),
});
export type Criterion = z.infer<typeof criterionSchema>;

export const criteriaSetSchema = z
  .strictObject({
    id: idSchema,
    version: z.union([z.string(), z.number()]).transform(String),
    title: text,
    /**
     * The title (danh hiệu) a school that meets the set is recognised with, as it reads in the
     * middle of a sentence: "trường học điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc".
     * Documents, forms and the sheet name the campaign with it. A set written before this field
     * existed takes it from its title ("Bộ tiêu chí trường học …" → "trường học …").
     */
    award: text.optional(),
    legalBasis: z.array(text).default([]),
    assessmentPeriod: text.optional(),
    /**
     * Words that depend on the school's level, e.g. `học sinh: { mam-non: trẻ }`: a kindergarten's
     * documents and messages say "trẻ" where the set says "học sinh".
     */
    terms: z.record(z.string().min(1), z.partialRecord(z.enum(SCHOOL_LEVELS), text)).optional(),
    criteria: z.array(criterionSchema).min(1, "cần ít nhất một tiêu chí"),
  })
  // Duplicated ids are looked for even when the rest of the file is wrong (zod skips a refinement
  // after other issues by default): an office fixing a file sees every problem at once.
  .superRefine((set, ctx) => addIssues(ctx, duplicateIdIssues(set)), ALWAYS)
  .transform((set) => ({ ...set, award: set.award ?? awardFromTitle(set.title) }));
export type CriteriaSet = z.output<typeof criteriaSetSchema>;
/** What a criteria file holds before defaults are applied. */
export type CriteriaSetInput = z.input<typeof criteriaSetSchema>;

/** "Bộ tiêu chí trường học an toàn giao thông" → "trường học an toàn giao thông". */
export const awardFromTitle = (title: string): string => {
  const rest = title.replace(/^(bộ\s+)?tiêu\s+chí\s+/iu, "");
  return rest.charAt(0).toLocaleLowerCase("vi") + rest.slice(1);
};

/**
 * Whether a criterion or indicator applies to a school of these levels (absent `levels` means every
 * level): a school of several levels answers what applies to any of them.
 */
export const appliesToLevel = (
  levels: readonly SchoolLevel[] | undefined,
  school: SchoolLevel | readonly SchoolLevel[],
): boolean =>
  levels === undefined ||
  (typeof school === "string" ? levels.includes(school) : school.some((l) => levels.includes(l)));

/** The threshold a number indicator uses for a level. */
export const thresholdFor = (
  indicator: Extract<Indicator, { kind: "number" }>,
  level: SchoolLevel,
): Threshold => indicator.thresholdByLevel?.[level] ?? indicator.threshold;

/** Whether a value meets a threshold. */
export const meetsThreshold = (value: number, { op, value: limit }: Threshold): boolean => {
  switch (op) {
    case ">=":
      return value >= limit;
    case "<=":
      return value <= limit;
    case "=":
      return value === limit;
    case ">":
      return value > limit;
    case "<":
      return value < limit;
  }
};

/**
 * The thresholds a school of these levels must each meet, with the levels that set them: one for
 * a school of one level; for a school of several, one per distinct threshold of the levels the
 * indicator applies to (a TH-THCS school meets the primary and the lower-secondary threshold).
 */
export const thresholdsFor = (
  indicator: Extract<Indicator, { kind: "number" }>,
  levels: readonly SchoolLevel[],
): Array<{ threshold: Threshold; levels: SchoolLevel[] }> => {
  const applying = levels.filter((l) => appliesToLevel(indicator.levels, l));
  const out: Array<{ threshold: Threshold; levels: SchoolLevel[] }> = [];
  for (const level of applying.length > 0 ? applying : levels) {
    const threshold = thresholdFor(indicator, level);
    const same = out.find((t) => t.threshold.op === threshold.op && t.threshold.value === threshold.value);
    if (same) same.levels.push(level);
    else out.push({ threshold, levels: [level] });
  }
  return out;
};

export const allIndicators = (set: CriteriaSet): Array<{ criterion: Criterion; indicator: Indicator }> =>
  set.criteria.flatMap((criterion) => criterion.indicators.map((indicator) => ({ criterion, indicator })));
