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
  .superRefine((indicator, ctx) => {
    if (indicator.kind === "choice") {
      indicator.accepted.forEach((option, i) => {
        if (!indicator.options.includes(option)) {
          ctx.addIssue({
            code: "custom",
            path: ["accepted", i],
            message: `"${option}" không có trong danh sách lựa chọn (options)`,
          });
        }
      });
    }
    if (indicator.kind === "number" && indicator.min !== undefined && indicator.max !== undefined) {
      if (indicator.min > indicator.max) {
        ctx.addIssue({ code: "custom", path: ["min"], message: "min lớn hơn max" });
      }
    }
  });
export type Indicator = z.infer<typeof indicatorSchema>;
export type IndicatorKind = Indicator["kind"];

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
    criteria: z.array(criterionSchema).min(1, "cần ít nhất một tiêu chí"),
  })
  .superRefine((set, ctx) => {
    const seenCriteria = new Map<string, number>();
    const seenIndicators = new Map<string, string>();
    set.criteria.forEach((criterion, ci) => {
      const earlier = seenCriteria.get(criterion.id);
      if (earlier !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["criteria", ci, "id"],
          message: `mã tiêu chí "${criterion.id}" bị trùng với criteria[${earlier}]`,
        });
      }
      seenCriteria.set(criterion.id, ci);
      criterion.indicators.forEach((indicator, ii) => {
        const where = `criteria[${ci}].indicators[${ii}]`;
        const other = seenIndicators.get(indicator.id);
        if (other) {
          ctx.addIssue({
            code: "custom",
            path: ["criteria", ci, "indicators", ii, "id"],
            message: `mã chỉ tiêu "${indicator.id}" bị trùng với ${other}`,
          });
        }
        seenIndicators.set(indicator.id, where);
      });
    });
  })
  .transform((set) => ({ ...set, award: set.award ?? awardFromTitle(set.title) }));
export type CriteriaSet = z.output<typeof criteriaSetSchema>;
/** What a criteria file holds before defaults are applied. */
export type CriteriaSetInput = z.input<typeof criteriaSetSchema>;

/** "Bộ tiêu chí trường học an toàn giao thông" → "trường học an toàn giao thông". */
export const awardFromTitle = (title: string): string => {
  const rest = title.replace(/^(bộ\s+)?tiêu\s+chí\s+/iu, "");
  return rest.charAt(0).toLocaleLowerCase("vi") + rest.slice(1);
};

/** Whether a criterion or indicator applies to a level (absent `levels` means every level). */
export const appliesToLevel = (levels: readonly SchoolLevel[] | undefined, level: SchoolLevel): boolean =>
  levels === undefined || levels.includes(level);

/** The threshold a number indicator uses for a level. */
export const thresholdFor = (
  indicator: Extract<Indicator, { kind: "number" }>,
  level: SchoolLevel,
): Threshold => indicator.thresholdByLevel?.[level] ?? indicator.threshold;

export const allIndicators = (set: CriteriaSet): Array<{ criterion: Criterion; indicator: Indicator }> =>
  set.criteria.flatMap((criterion) => criterion.indicators.map((indicator) => ({ criterion, indicator })));
