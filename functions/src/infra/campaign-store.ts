import type {
  DocumentReference,
  DocumentSnapshot,
  Firestore,
  Timestamp,
  WriteBatch,
} from "@google-cloud/firestore";
import { type Campaign, campaignSchema } from "../domain/campaign.js";
import type { Stage } from "../domain/criteria.js";
import type { IntakeOutcome } from "../domain/intake.js";
import { type School, schoolSchema } from "../domain/school.js";
import { applyOutcome, type SchoolState } from "../domain/school-state.js";

/**
 * Firestore layout of a campaign (see DESIGN.md):
 *   campaigns/{id}                      the campaign
 *   campaigns/{id}/schools/{code}       the registry
 *   campaigns/{id}/submissions/{key}    every response received, accepted or quarantined
 *   campaigns/{id}/evaluations/{code}   each school's state and evaluation
 *   campaigns/{id}/outbox/{code}.{kind} pending work for the sheet, the report and the email
 */
export const OUTBOX_KINDS = ["sheet", "report", "mail"] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export const campaignRef = (db: Firestore, id: string) => db.collection("campaigns").doc(id);
export const schoolsCol = (db: Firestore, id: string) => campaignRef(db, id).collection("schools");
export const submissionsCol = (db: Firestore, id: string) => campaignRef(db, id).collection("submissions");
export const evaluationsCol = (db: Firestore, id: string) => campaignRef(db, id).collection("evaluations");
export const outboxCol = (db: Firestore, id: string) => campaignRef(db, id).collection("outbox");

export class CampaignNotFound extends Error {
  override name = "CampaignNotFound";
}

export const loadCampaign = async (db: Firestore, id: string): Promise<Campaign> => {
  const snap = await campaignRef(db, id).get();
  if (!snap.exists)
    throw new CampaignNotFound(`Không có đợt đánh giá "${id}" trong Firestore; chạy dienhinh setup trước.`);
  return campaignSchema.parse(snap.data());
};

export const saveCampaign = async (db: Firestore, campaign: Campaign): Promise<void> => {
  await campaignRef(db, campaign.id).set(campaign);
};

/** The campaign a form belongs to (a notification or a push names only the form). */
export const findCampaignByFormId = async (db: Firestore, formId: string): Promise<Campaign | undefined> => {
  const snap = await db.collection("campaigns").where("formIds", "array-contains", formId).limit(1).get();
  const doc = snap.docs[0];
  return doc ? campaignSchema.parse(doc.data()) : undefined;
};

export const listCampaigns = async (db: Firestore): Promise<Campaign[]> =>
  (await db.collection("campaigns").get()).docs.map((d) => campaignSchema.parse(d.data()));

export const loadSchools = async (db: Firestore, campaignId: string): Promise<Map<string, School>> => {
  const snap = await schoolsCol(db, campaignId).get();
  return new Map(snap.docs.map((d) => [d.id, schoolSchema.parse(d.data())]));
};

/** Replace the registry with these schools (the registry is small: a few hundred at most per office). */
export const saveSchools = async (
  db: Firestore,
  campaignId: string,
  schools: readonly School[],
): Promise<void> => {
  const existing = await schoolsCol(db, campaignId).listDocuments();
  const keep = new Set(schools.map((s) => s.code));
  const writer = db.bulkWriter();
  writer.onWriteError((error) => error.failedAttempts < 5);
  for (const ref of existing) if (!keep.has(ref.id)) void writer.delete(ref);
  for (const school of schools) void writer.set(schoolsCol(db, campaignId).doc(school.code), school);
  await writer.close();
};

/** Move a form's watermark forward (never back), atomically. */
export const advanceWatermark = async (
  db: Firestore,
  campaignId: string,
  stage: Stage,
  time: string,
): Promise<void> => {
  const ref = campaignRef(db, campaignId);
  await db.runTransaction(async (tx) => {
    const campaign = campaignSchema.parse((await tx.get(ref)).data());
    const form = campaign.forms[stage];
    if (!form || (form.watermark && form.watermark >= time)) return;
    tx.update(ref, { [`forms.${stage}.watermark`]: time });
  });
};

export interface StoreResult {
  stored: number;
  duplicates: number;
  /** Commits retried because another delivery changed the same documents meanwhile. */
  retries: number;
}

/** Responses per commit: each writes at most 6 documents, and a commit takes 500. */
const CHUNK = 80;
const MAX_ATTEMPTS = 8;
const RETRYABLE_CODES = new Set([6 /* ALREADY_EXISTS */, 9 /* FAILED_PRECONDITION */, 10 /* ABORTED */]);

/**
 * Store intake outcomes exactly once, with each school's evaluation and outbox entries, in one
 * atomic commit per chunk. A submission is created with `create()`, so a response delivered twice,
 * even at the same moment, is written once; an evaluation is updated only if unchanged since it was
 * read (`lastUpdateTime` precondition), so concurrent deliveries for one school never lose an update.
 * A commit that loses such a race is read again and retried.
 */
export const storeOutcomes = async (
  db: Firestore,
  campaign: Campaign,
  schools: ReadonlyMap<string, School>,
  outcomes: readonly IntakeOutcome[],
  now: Date,
  options: { concurrency?: number } = {},
): Promise<StoreResult> => {
  const unique = [...new Map(outcomes.map((o) => [o.key, o])).values()];
  const chunks: IntakeOutcome[][] = [];
  for (let i = 0; i < unique.length; i += CHUNK) chunks.push(unique.slice(i, i + CHUNK));
  const total: StoreResult = { stored: 0, duplicates: outcomes.length - unique.length, retries: 0 };
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++] as IntakeOutcome[];
      const result = await storeChunk(db, campaign, schools, chunk, now);
      total.stored += result.stored;
      total.duplicates += result.duplicates;
      total.retries += result.retries;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 6, chunks.length) }, worker));
  return total;
};

const storeChunk = async (
  db: Firestore,
  campaign: Campaign,
  schools: ReadonlyMap<string, School>,
  outcomes: readonly IntakeOutcome[],
  now: Date,
): Promise<StoreResult> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await commitChunk(db, campaign, schools, outcomes, now)), retries: attempt - 1 };
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (!RETRYABLE_CODES.has(code ?? -1) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** attempt));
    }
  }
};

const commitChunk = async (
  db: Firestore,
  campaign: Campaign,
  schools: ReadonlyMap<string, School>,
  outcomes: readonly IntakeOutcome[],
  now: Date,
): Promise<Omit<StoreResult, "retries">> => {
  const subRefs = outcomes.map((o) => submissionsCol(db, campaign.id).doc(o.key));
  const codes = [
    ...new Set(outcomes.map((o) => o.schoolCode).filter((c): c is string => c !== null && schools.has(c))),
  ];
  const stateRefs = codes.map((c) => evaluationsCol(db, campaign.id).doc(c));
  const snaps = await db.getAll(...subRefs, ...stateRefs);
  const subSnaps = snaps.slice(0, subRefs.length);
  const stateSnaps = new Map<string, DocumentSnapshot>(
    codes.map((c, i) => [c, snaps[subRefs.length + i] as DocumentSnapshot]),
  );

  const fresh = outcomes.filter((_, i) => !subSnaps[i]?.exists);
  if (fresh.length === 0) return { stored: 0, duplicates: outcomes.length };

  const states = new Map<string, SchoolState | undefined>(
    codes.map((c) => [c, stateSnaps.get(c)?.exists ? (stateSnaps.get(c)?.data() as SchoolState) : undefined]),
  );
  const batch = db.batch();
  const supersededLater = new Map<string, string>(); // key of an older submission → key that replaced it
  const supersededBy = new Map<string, string>();
  // Apply in submission order so the history reads naturally; the result does not depend on it.
  for (const outcome of [...fresh].sort((a, b) => a.lastSubmittedTime.localeCompare(b.lastSubmittedTime))) {
    const school = outcome.schoolCode ? schools.get(outcome.schoolCode) : undefined;
    if (!school) continue;
    const applied = applyOutcome(states.get(school.code), outcome, school, campaign.criteriaSet);
    states.set(school.code, applied.state);
    if (applied.superseded) supersededLater.set(applied.superseded, outcome.key);
    if (applied.supersededBy) supersededBy.set(outcome.key, applied.supersededBy);
  }
  const freshKeys = new Set(fresh.map((o) => o.key));
  for (const outcome of fresh) {
    const replacedBy = supersededLater.get(outcome.key) ?? supersededBy.get(outcome.key);
    batch.create(submissionsCol(db, campaign.id).doc(outcome.key), submissionDoc(outcome, now, replacedBy));
  }
  for (const [older, newer] of supersededLater) {
    if (!freshKeys.has(older))
      batch.update(submissionsCol(db, campaign.id).doc(older), { supersededBy: newer });
  }
  for (const code of codes) {
    const state = states.get(code);
    const before = stateSnaps.get(code);
    if (!state || !before) continue;
    const previousHash = before.exists ? (before.data() as SchoolState).contentHash : undefined;
    if (before.exists) {
      batch.update(
        before.ref,
        { ...state, updatedAt: now },
        { lastUpdateTime: before.updateTime as Timestamp },
      );
    } else {
      batch.create(before.ref, { ...state, updatedAt: now });
    }
    if (state.contentHash !== previousHash) queueOutbox(batch, db, campaign.id, code, state.contentHash, now);
  }
  await batch.commit();
  return { stored: fresh.length, duplicates: outcomes.length - fresh.length };
};

const submissionDoc = (outcome: IntakeOutcome, now: Date, supersededBy: string | undefined) => ({
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
  answers: outcome.answers,
  // Kept verbatim as JSON: a raw payload may hold keys Firestore would refuse as field names.
  rawJson: JSON.stringify(outcome.raw) ?? "null",
  supersededBy: supersededBy ?? null,
});

/** One entry per school and kind: rewriting it is idempotent, and workers take the latest hash. */
const queueOutbox = (
  batch: WriteBatch,
  db: Firestore,
  campaignId: string,
  code: string,
  hash: string,
  now: Date,
) => {
  for (const kind of OUTBOX_KINDS) {
    const ref: DocumentReference = outboxCol(db, campaignId).doc(`${code}.${kind}`);
    batch.set(ref, {
      kind,
      schoolCode: code,
      contentHash: hash,
      state: "pending",
      attempts: 0,
      notBefore: now,
      queuedAt: now,
    });
  }
};
