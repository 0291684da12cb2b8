import { z } from "zod";
import { calendarSchema, schoolExtensionSchema } from "./calendar.js";
import { controlSchema } from "./control.js";
import { criteriaSetSchema, STAGE_LABELS, STAGES, type Stage } from "./criteria.js";
import { QUESTION_ROLES } from "./form-spec.js";
import { officeProfileSchema } from "./office.js";
import { type SheetLayout, sheetLayoutSchema } from "./sheet-layout.js";

/**
 * A campaign: one office, one school year, one criteria set (a snapshot, so a later edit of the
 * file does not silently change past results), and a Google Form per stage.
 */

const bindingSchema = z.object({
  questionId: z.string(),
  title: z.string(),
  role: z.enum(QUESTION_ROLES),
  indicatorId: z.string().optional(),
  /** The ids its question had before a criteria change re-created it: answers to them still map. */
  previousQuestionIds: z.array(z.string()).optional(),
});

export const watchSchema = z.object({
  id: z.string(),
  topicName: z.string(),
  expireTime: z.string(),
});

export const formBindingSchema = z.object({
  formId: z.string().min(1),
  responderUri: z.string().optional(),
  bindings: z.array(bindingSchema),
  /** Latest lastSubmittedTime taken from this form (RFC 3339, UTC). */
  watermark: z.string().optional(),
  watch: watchSchema.optional(),
  /**
   * The publish state dienhinh last applied to the form by the calendar (form-windows.ts): whether
   * it accepts responses, and the notice its description shows while closed. Absent: as setup left
   * it, open with its own description.
   */
  publish: z.object({ accepting: z.boolean(), notice: z.string().nullable(), at: z.string() }).optional(),
  /**
   * The registry (a fingerprint of its schools, form-sync.ts `schoolListHash`) the form's school
   * list was last brought in line with, and when: a cycle checks the form again only when it differs.
   */
  schoolList: z.object({ hash: z.string(), at: z.string() }).optional(),
});
export type FormBinding = z.infer<typeof formBindingSchema>;

/** A campaign's forms: one per stage, and the incident reports' (never a stage: nothing is scored). */
export const FORM_KINDS = [...STAGES, "incident"] as const;
export type FormKind = (typeof FORM_KINDS)[number];
export const FORM_LABELS: Record<FormKind, string> = {
  ...STAGE_LABELS,
  incident: "Báo cáo vụ việc (cả năm)",
};

export const campaignSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/u, "mã đợt chỉ gồm chữ thường, số và gạch ngang"),
  schoolYear: z
    .string()
    .regex(/^\d{4}-\d{4}$/u, "năm học dạng 2025-2026")
    .refine(
      (y) => Number(y.slice(5)) === Number(y.slice(0, 4)) + 1,
      "năm học là hai năm liền nhau, ví dụ 2025-2026",
    ),
  /**
   * The assessment period (kỳ đánh giá), "YYYY-MM-DD" days; by default the school year's (16
   * November of its first year to 15 November of its second).
   */
  period: z.object({ from: z.iso.date(), to: z.iso.date() }).optional(),
  /**
   * The campaign calendar (windows and deadlines, calendar.ts); campaigns set up before it follow
   * the school year's default (`calendarOf`).
   */
  calendar: calendarSchema.optional(),
  /** Extensions the office granted single schools, with their reasons (the sheet's Gia hạn tab). */
  extensions: z.array(schoolExtensionSchema).optional(),
  /** The office's pause switch and document requests, from the sheet's Điều khiển tab (control.ts). */
  control: controlSchema.optional(),
  /** The narrative parts of the office's report to the Sở, typed in the sheet's Báo cáo tab. */
  report: z
    .object({ organisation: z.string(), difficulties: z.string(), proposals: z.string() })
    .partial()
    .optional(),
  office: officeProfileSchema,
  criteriaSet: criteriaSetSchema,
  /**
   * The criteria the forms were built from, when `score --criteria` changed the set without them:
   * the next `setup` revises the forms from it (form-revision.ts) and drops it.
   */
  formsCriteriaSet: criteriaSetSchema.optional(),
  /** A form per stage, and the incident form (open all year, incident.ts). */
  forms: z.partialRecord(z.enum(FORM_KINDS), formBindingSchema).default({}),
  /** Every form id of the campaign, for finding the campaign of a notification. */
  formIds: z.array(z.string()).default([]),
  spreadsheetId: z.string().optional(),
  /**
   * The office's own tracking-sheet layout (a snapshot, like the criteria set), when it set one
   * up with `setup --layout`; otherwise the deployment's sheets-config/theo-doi.yaml.
   */
  sheetLayout: sheetLayoutSchema.optional(),
});
export type Campaign = z.output<typeof campaignSchema>;
export type CampaignInput = z.input<typeof campaignSchema>;

/** The sheet layout a campaign uses: its own, or the deployment's default. */
export const layoutOf = (campaign: Pick<Campaign, "sheetLayout">, fallback: SheetLayout): SheetLayout =>
  campaign.sheetLayout ?? fallback;

/** A form dienhinh made up for a campaign run without the Forms API: nothing to pull from Google. */
export const isLocalForm = (formId: string): boolean => formId.startsWith("local-");

/** Which of the campaign's forms this is: a stage's, or the incident reports'. */
export const formKindOf = (campaign: Campaign, formId: string): FormKind | undefined =>
  FORM_KINDS.find((kind) => campaign.forms[kind]?.formId === formId);

/** The stage a form belongs to in a campaign. */
export const stageOfForm = (campaign: Campaign, formId: string): Stage | undefined =>
  STAGES.find((stage) => campaign.forms[stage]?.formId === formId);

/**
 * The Apps Script push's signing keys, kept in the campaign's document beside it (never in the
 * `Campaign` the rest of the program passes around, so no view, log or export carries them). The
 * first is the current key; each one before it, retired when the office rotated, is still accepted
 * for `PUSH_SECRET_GRACE_MS` after that, so the forms can be given the new key one after another.
 */
export const pushSecretSchema = z.object({
  id: z.string().min(1),
  secret: z.string().min(32),
  /** RFC 3339, UTC. */
  createdAt: z.string(),
  /** When a newer key replaced it (RFC 3339, UTC); absent on the current key. */
  retiredAt: z.string().optional(),
});
export type PushSecret = z.infer<typeof pushSecretSchema>;
export const pushSecretsSchema = z.array(pushSecretSchema).default([]);

/** How long a replaced key is still accepted: a week to paste the new one into every form. */
export const PUSH_SECRET_GRACE_MS = 7 * 24 * 3600 * 1000;

/** The keys a push may be signed with at `now`: the current one, and the replaced ones in their grace. */
export const acceptedPushSecrets = (secrets: readonly PushSecret[], now: Date): string[] =>
  secrets
    .filter(
      (s) => s.retiredAt === undefined || Date.parse(s.retiredAt) + PUSH_SECRET_GRACE_MS > now.getTime(),
    )
    .map((s) => s.secret);

/**
 * The keys after a rotation: `fresh` becomes current, the current one is retired now, and each
 * older one is kept until its own grace ends (the office was told until when it is accepted).
 */
export const rotatedPushSecrets = (
  secrets: readonly PushSecret[],
  fresh: PushSecret,
  now: Date,
): PushSecret[] => [
  fresh,
  ...secrets
    .map((s) => ({ ...s, retiredAt: s.retiredAt ?? now.toISOString() }))
    .filter((s) => Date.parse(s.retiredAt) + PUSH_SECRET_GRACE_MS > now.getTime()),
];

/**
 * The assessment period of a school year's campaign: from 16 November of its first year to 15
 * November of its second (the circular's period; a campaign may set its own).
 */
export const assessmentPeriod = (
  campaign: Pick<Campaign, "schoolYear" | "period">,
): { from: string; to: string } =>
  campaign.period ?? {
    from: `${campaign.schoolYear.slice(0, 4)}-11-16`,
    to: `${campaign.schoolYear.slice(5)}-11-15`,
  };
