import { Timestamp } from "@google-cloud/firestore";
import { z } from "zod";
import { STAGES } from "../../domain/criteria.js";
import { FINDINGS } from "../../domain/inspection.js";
import type { IntakeOutcome } from "../../domain/intake.js";
import { MAIL_STATES } from "../../domain/mail.js";
import {
  lastSubmittedTimeOf,
  quarantineReasonsOf,
  type SchoolInputs,
  type SchoolState,
} from "../../domain/school-state.js";
import { SCHOOL_STATUSES } from "../../domain/status.js";

/**
 * How each document is written and read back. Every document read is parsed here, so the rest of
 * the program sees checked domain values (Dates, not Timestamps) or a clear error.
 *
 * Bulky nested data (raw payloads, answers, a school's inputs) is stored as JSON text beside the
 * few fields that are queried: every field of a nested map is indexed, and writing a 13 KB state
 * as a map is ten times slower than as text (measured on the emulator: 470 against 4,500
 * documents per second). firestore.indexes.json exempts the text fields from indexing.
 */

/** A Firestore Timestamp, or a Date this process wrote, as a Date. */
export const dateField = z.union([z.instanceof(Timestamp).transform((t) => t.toDate()), z.date()]);

/** JSON text holding a value of `schema`. */
const jsonText = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: "custom", message: "not JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** An answer as stored (already normalised on intake, so read back as is). */
const storedAnswer = z.object({
  value: z.union([z.boolean(), z.number(), z.string(), z.null()]),
  files: z.array(z.string()),
  notApplicable: z.boolean(),
});

const stageInput = z.object({
  key: z.string(),
  responseId: z.string(),
  lastSubmittedTime: z.string(),
  firstSubmittedTime: z.string().optional(),
  answers: z.record(z.string(), storedAnswer),
});

export const schoolInputsSchema = z.object({
  latest: z.partialRecord(z.enum(STAGES), stageInput),
  quarantine: z
    .object({ key: z.string(), lastSubmittedTime: z.string(), reasons: z.array(z.string()) })
    .nullable(),
  // A whole-school verdict stored before issue 13 is dropped: verdicts come from the findings now.
  review: z
    .object({
      note: z.string(),
      approved: z.string().optional(),
      number: z.object({ hash: z.string(), value: z.number().int().positive() }).optional(),
    })
    .transform(({ note, approved, number }) => ({
      note,
      ...(approved ? { approved } : {}),
      ...(number ? { number } : {}),
    }))
    .nullable()
    .optional(),
  inspection: z
    .object({
      date: z.string(),
      time: z.string().optional(),
      place: z.string(),
      teamName: z.string().optional(),
      team: z.array(z.object({ name: z.string(), unit: z.string() })),
      findings: z.record(z.string(), z.object({ finding: z.enum(FINDINGS), reason: z.string() })),
      commend: z.boolean(),
    })
    .nullable()
    .optional(),
  recognition: z.object({ number: z.string(), date: z.string() }).nullable().optional(),
});

/** campaigns/{id}/schoolStates/{code}: a school's inputs, and the fields queries and the sheet need. */
export const schoolStateDocSchema = z.object({
  schoolCode: z.string(),
  status: z.enum(SCHOOL_STATUSES),
  contentHash: z.string(),
  points: z.number(),
  maxPoints: z.number(),
  criteriaVersion: z.string(),
  updatedAt: dateField,
  inputsJson: jsonText(schoolInputsSchema),
  /** What the sheet shows of the school, for a person reading the database; never read back. */
  summaryJson: z.string(),
  /**
   * Where the school's latest result is (its PDF, its Word copy), and when it was last emailed (set
   * by reports and mail).
   */
  reportUrl: z.string().optional(),
  reportDocxUrl: z.string().optional(),
  mailedAt: dateField.optional(),
});

export const encodeSchoolState = (state: SchoolState, criteriaVersion: string, now: Date) => ({
  schoolCode: state.schoolCode,
  status: state.status,
  contentHash: state.contentHash,
  points: state.evaluation.points,
  maxPoints: state.evaluation.maxPoints,
  criteriaVersion,
  updatedAt: now,
  inputsJson: JSON.stringify({
    latest: state.latest,
    quarantine: state.quarantine,
    ...(state.review ? { review: state.review } : {}),
    ...(state.inspection ? { inspection: state.inspection } : {}),
    ...(state.recognition ? { recognition: state.recognition } : {}),
  } satisfies SchoolInputs),
  summaryJson: JSON.stringify({
    submitted: state.evaluation.submitted,
    lastSubmittedTime: lastSubmittedTimeOf(state),
    criteria: state.evaluation.criteria.map((c) => ({
      id: c.id,
      status: c.status,
      points: c.points,
      maxPoints: c.maxPoints,
    })),
    missing: state.evaluation.missing.map((m) => m.message),
    quarantineReasons: quarantineReasonsOf(state),
  }),
});

/** campaigns/{id}/submissions/{key}: a response as received, with what intake made of it. */
export const submissionDocSchema = z.object({
  key: z.string(),
  responseId: z.string(),
  formId: z.string().nullable(),
  stage: z.enum(STAGES),
  lastSubmittedTime: z.string(),
  receivedAt: dateField,
  respondentEmail: z.string().nullable(),
  respondent: z.object({ name: z.string().nullable(), role: z.string().nullable() }),
  schoolCode: z.string().nullable(),
  disposition: z.enum(["accepted", "quarantined"]),
  reasons: z.array(z.string()),
  answersJson: z.string(),
  rawJson: z.string(),
  supersededBy: z.string().nullable(),
});
export type SubmissionRecord = z.output<typeof submissionDocSchema>;

export const encodeSubmission = (outcome: IntakeOutcome, now: Date, supersededBy: string | undefined) => ({
  key: outcome.key,
  responseId: outcome.responseId,
  formId: outcome.formId,
  stage: outcome.stage,
  lastSubmittedTime: outcome.lastSubmittedTime,
  receivedAt: now,
  respondentEmail: outcome.respondentEmail,
  respondent: outcome.respondent,
  schoolCode: outcome.schoolCode,
  disposition: outcome.disposition,
  reasons: outcome.reasons,
  answersJson: JSON.stringify(outcome.answers),
  // Kept verbatim: a raw payload may also hold keys Firestore would refuse as field names.
  rawJson: JSON.stringify(outcome.raw) ?? "null",
  supersededBy: supersededBy ?? null,
});

/** The few fields of a submission the log (Nhật ký) shows. */
export const SUBMISSION_LOG_FIELDS = [
  "receivedAt",
  "stage",
  "schoolCode",
  "disposition",
  "reasons",
  "respondentEmail",
  "supersededBy",
] as const;
export const submissionLogSchema = submissionDocSchema.pick({
  receivedAt: true,
  stage: true,
  schoolCode: true,
  disposition: true,
  reasons: true,
  respondentEmail: true,
  supersededBy: true,
});

/**
 * campaigns/{id}/outbox/{code}: one entry per school, with a slot per kind of work. Rewriting it
 * is idempotent; each worker takes the school's latest content hash when it runs.
 */
export const OUTBOX_KINDS = ["sheet", "report", "mail"] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

const outboxSlot = z.object({
  state: z.enum(["pending", "done", "failed"]),
  attempts: z.number(),
  notBefore: dateField,
  doneAt: dateField.optional(),
  lastError: z.string().optional(),
});
export const outboxEntrySchema = z.object({
  schoolCode: z.string(),
  contentHash: z.string(),
  queuedAt: dateField,
  sheet: outboxSlot,
  report: outboxSlot,
  mail: outboxSlot,
});
export type OutboxEntry = z.output<typeof outboxEntrySchema>;

export const newOutboxEntry = (code: string, hash: string, now: Date) => {
  const slot = { state: "pending" as const, attempts: 0, notBefore: now };
  return { schoolCode: code, contentHash: hash, queuedAt: now, sheet: slot, report: slot, mail: slot };
};

/** campaigns/{id}/reports/{name}: a document rendered once. */
export const reportRecordSchema = z.object({
  name: z.string(),
  kind: z.string(),
  schoolCode: z.string().nullable(),
  hash: z.string(),
  /** Where its PDF is. */
  url: z.string(),
  /** Where its Word copy is (a .docx, or the Google Doc Drive made of it); absent from older records. */
  docxUrl: z.string().optional(),
  /** The date printed on the document (kept, so a re-send attaches the same paper). */
  date: dateField,
  renderedAt: dateField,
});
export type ReportRecord = z.output<typeof reportRecordSchema>;

/** campaigns/{id}/mail/{key}: a message's idempotency record (see domain/mail.ts). */
export const mailRecordSchema = z.object({
  key: z.string(),
  schoolCode: z.string().nullable(),
  recipient: z.string(),
  subject: z.string(),
  state: z.enum(MAIL_STATES),
  attempts: z.number(),
  claimedAt: dateField.optional(),
  sentAt: dateField.optional(),
  notBefore: dateField.optional(),
  transportId: z.string().optional(),
  lastError: z.string().optional(),
  claimId: z.string().optional(),
});

/** campaigns/{id}/events/{id}. */
export const eventDocSchema = z.object({
  at: dateField,
  kind: z.string(),
  schoolCode: z.string().nullable().optional(),
  message: z.string(),
});

export const leaseDocSchema = z.object({ until: dateField, holder: z.string().nullable() });
export const slotQuotaSchema = z.object({ nextSlotAt: dateField });
export const countQuotaSchema = z.object({ sent: z.number() });

/**
 * The version of a document as read (its update time), handed back for a precondition: a write
 * succeeds only if nobody changed the document since. Opaque to callers.
 */
export type Version = string;
export const versionOf = (t: Timestamp): Version => `${t.seconds}.${t.nanoseconds}`;
export const timestampOf = (version: Version): Timestamp => {
  const [seconds, nanos] = version.split(".").map(Number);
  return new Timestamp(seconds ?? 0, nanos ?? 0);
};
