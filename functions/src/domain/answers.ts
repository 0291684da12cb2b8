import { z } from "zod";
import { STAGES } from "./criteria.js";
import { cleanText, foldKey } from "./text.js";

/**
 * One answer to one indicator. `value` is a boolean (yes/no), a number, or the text of a choice;
 * `files` are the evidence uploaded with it (Drive file ids or links); `notApplicable` is set
 * when the school picked the indicator's "does not apply" option. Values are read according to the
 * indicator's kind when scoring ("Có" is yes, "1.234" is a number), so text from a form can be
 * stored as typed.
 */
export const answerSchema = z.strictObject({
  value: z
    .union([z.boolean(), z.number(), z.string().transform(cleanText), z.null()])
    .optional()
    .transform((v) => v ?? null),
  files: z.array(z.string().transform(cleanText)).default([]),
  notApplicable: z.boolean().default(false),
});
export type Answer = z.output<typeof answerSchema>;
export type Answers = Readonly<Record<string, Answer>>;

/** A submission the intake has accepted: one school's answers at one stage. */
export const submissionSchema = z.strictObject({
  schoolCode: z.string().transform(cleanText),
  stage: z.enum(STAGES).default("dossier"),
  submittedAt: z.iso.datetime({ offset: true }),
  respondentEmail: z.email().optional(),
  answers: z.record(z.string(), answerSchema),
});
export type Submission = z.output<typeof submissionSchema>;

/**
 * The answers a school's evaluation uses: its latest registration, overlaid by its latest
 * dossier (a dossier may restate a registration indicator, and the later word counts).
 */
export const mergeStageAnswers = (submissions: readonly Submission[]): Answers => {
  const latest = (stage: Submission["stage"]) =>
    submissions
      .filter((s) => s.stage === stage)
      .reduce<Submission | undefined>(
        (a, b) => (a && Date.parse(a.submittedAt) >= Date.parse(b.submittedAt) ? a : b),
        undefined,
      );
  return { ...latest("registration")?.answers, ...latest("dossier")?.answers };
};

const YES = new Set(["co", "yes", "true", "x", "da co", "dat"]);
const NO = new Set(["khong", "no", "false", "chua", "chua co", "khong co"]);

/** true / "Có" / "yes" → true; false / "Không" / "chưa có" → false; anything else undefined. */
export const readYesNo = (value: boolean | number | string): boolean | undefined => {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1 ? true : value === 0 ? false : undefined;
  const key = foldKey(value);
  return YES.has(key) ? true : NO.has(key) ? false : undefined;
};

/** The option an answer names, compared without case, accents or extra spaces. */
export const matchOption = (value: string, options: readonly string[]): string | undefined => {
  const key = foldKey(value);
  return options.find((option) => foldKey(option) === key);
};
