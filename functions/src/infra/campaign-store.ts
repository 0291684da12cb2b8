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
import {
  applyOutcome,
  deriveSchoolState,
  type SchoolInputs,
  type SchoolState,
} from "../domain/school-state.js";

/**
 * Firestore layout of a campaign (see DESIGN.md):
 *   campaigns/{id}                      the campaign
 *   campaigns/{id}/schools/{code}       the registry
 *   campaigns/{id}/submissions/{key}    every response received, accepted or quarantined
 *   campaigns/{id}/evaluations/{code}   each school's state and evaluation
 *   campaigns/{id}/outbox/{code}        pending work for the sheet, the report and the email
 *
 * Bulky nested data (raw payloads, answers, a school's evaluation) is stored as JSON text beside
 * the few fields that are queried: every field of a nested map is indexed, and writing a 13 KB
 * evaluation as a map is ten times slower than as text (measured on the emulator: 470 against
 * 4,500 documents per second). firestore.indexes.json exempts the text fields from indexing.
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

/** Replace the registry with these schools (a few hundred per office, 3,500 for a whole city). */
export const saveSchools = async (
  db: Firestore,
  campaignId: string,
  schools: readonly School[],
): Promise<void> => {
  const existing = await schoolsCol(db, campaignId).listDocuments();
  const keep = new Set(schools.map((s) => s.code));
  const writes: Array<(batch: WriteBatch) => void> = [
    ...existing
      .filter((ref) => !keep.has(ref.id))
      .map((ref) => (batch: WriteBatch) => void batch.delete(ref)),
    ...schools.map(
      (school) => (batch: WriteBatch) => void batch.set(schoolsCol(db, campaignId).doc(school.code), school),
    ),
  ];
  for (let i = 0; i < writes.length; i += 400) {
    const batch = db.batch();
    for (const write of writes.slice(i, i + 400)) write(batch);
    await batch.commit();
  }
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
      if (!RETRYABLE_CODES.has(code ?? -1)) throw error;
      if (attempt >= MAX_ATTEMPTS) {
        // Still losing races after all attempts: worth retrying later (ABORTED), never a permanent failure.
        throw Object.assign(
          new Error(`store: still contended after ${attempt} attempts (${String(error)})`),
          { code: 10 },
        );
      }
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
  // Only what is needed: whether a submission exists, and a school's inputs and hash.
  const snaps = await db.getAll(...subRefs, ...stateRefs, {
    fieldMask: ["key", "inputsJson", "contentHash"],
  });
  const subSnaps = snaps.slice(0, subRefs.length);
  const stateSnaps = new Map<string, DocumentSnapshot>(
    codes.map((c, i) => [c, snaps[subRefs.length + i] as DocumentSnapshot]),
  );

  const fresh = outcomes.filter((_, i) => !subSnaps[i]?.exists);
  if (fresh.length === 0) return { stored: 0, duplicates: outcomes.length };

  const states = new Map<string, SchoolInputs | undefined>(
    codes.map((c) => {
      const snap = stateSnaps.get(c);
      return [c, snap?.exists ? readSchoolInputs(snap.data() as SchoolStateDoc) : undefined];
    }),
  );
  const changed = new Map<string, SchoolState>();
  const batch = db.batch();
  const supersededLater = new Map<string, string>(); // key of an older submission → key that replaced it
  const supersededBy = new Map<string, string>();
  // Apply in submission order so the history reads naturally; the result does not depend on it.
  for (const outcome of [...fresh].sort((a, b) => a.lastSubmittedTime.localeCompare(b.lastSubmittedTime))) {
    const school = outcome.schoolCode ? schools.get(outcome.schoolCode) : undefined;
    if (!school) continue;
    const applied = applyOutcome(states.get(school.code), outcome, school, campaign.criteriaSet);
    states.set(school.code, applied.state);
    changed.set(school.code, applied.state);
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
    const state = changed.get(code);
    const before = stateSnaps.get(code);
    if (!state || !before) continue;
    const previousHash = before.exists ? (before.data() as SchoolStateDoc).contentHash : undefined;
    const doc = schoolStateDoc(state, campaign, now);
    if (before.exists) {
      batch.update(before.ref, { ...doc }, { lastUpdateTime: before.updateTime as Timestamp });
    } else {
      batch.create(before.ref, doc);
    }
    if (state.contentHash !== previousHash) queueOutbox(batch, db, campaign.id, code, state.contentHash, now);
  }
  await batch.commit();
  return { stored: fresh.length, duplicates: outcomes.length - fresh.length };
};

export const submissionDoc = (outcome: IntakeOutcome, now: Date, supersededBy: string | undefined) => ({
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

/**
 * One outbox entry per school, with a slot per kind of work: rewriting it is idempotent, and each
 * worker takes the latest content hash of the school when it runs.
 */
export interface OutboxEntry {
  schoolCode: string;
  contentHash: string;
  queuedAt: Date;
  sheet: OutboxSlot;
  report: OutboxSlot;
  mail: OutboxSlot;
}
export interface OutboxSlot {
  state: "pending" | "done" | "failed";
  attempts: number;
  notBefore: Date;
}

export const outboxEntry = (code: string, hash: string, now: Date): OutboxEntry => {
  const slot: OutboxSlot = { state: "pending", attempts: 0, notBefore: now };
  return { schoolCode: code, contentHash: hash, queuedAt: now, sheet: slot, report: slot, mail: slot };
};

const queueOutbox = (
  batch: WriteBatch,
  db: Firestore,
  campaignId: string,
  code: string,
  hash: string,
  now: Date,
) => {
  batch.set(outboxCol(db, campaignId).doc(code) as DocumentReference, outboxEntry(code, hash, now));
};

/**
 * A school's state as stored: its inputs (latest accepted submission per stage, latest quarantined
 * response), what the sheet shows, and the fields queries need. The full evaluation is not stored:
 * it is a pure function of the inputs and the criteria set (see `deriveSchoolState`).
 */
export interface SchoolStateDoc {
  schoolCode: string;
  status: SchoolState["status"];
  contentHash: string;
  points: number;
  maxPoints: number;
  criteriaVersion: string;
  updatedAt: Date;
  /** `SchoolInputs` as JSON. */
  inputsJson: string;
  /** `SchoolSummary` as JSON. */
  summaryJson: string;
  /** Where the school's latest report is, and when it was last emailed (set by the report and mail work). */
  reportUrl?: string;
  mailedAt?: Timestamp;
}

/** What the tracking sheet shows of a school, without the criteria texts. */
export interface SchoolSummary {
  submitted: SchoolState["evaluation"]["submitted"];
  lastSubmittedTime: string | null;
  criteria: Array<{ id: string; status: string; points: number; maxPoints: number }>;
  missing: string[];
  quarantineReasons: string[];
}

export const summarize = (state: SchoolState): SchoolSummary => ({
  submitted: state.evaluation.submitted,
  lastSubmittedTime:
    [
      state.latest.registration?.lastSubmittedTime,
      state.latest.dossier?.lastSubmittedTime,
      state.quarantine?.lastSubmittedTime,
    ]
      .filter((t): t is string => t !== undefined)
      .sort()
      .at(-1) ?? null,
  criteria: state.evaluation.criteria.map((c) => ({
    id: c.id,
    status: c.status,
    points: c.points,
    maxPoints: c.maxPoints,
  })),
  missing: state.evaluation.missing.map((m) => m.message),
  quarantineReasons: state.status === "can-bo-sung" ? (state.quarantine?.reasons ?? []) : [],
});

export const schoolStateDoc = (state: SchoolState, campaign: Campaign, now: Date): SchoolStateDoc => ({
  schoolCode: state.schoolCode,
  status: state.status,
  contentHash: state.contentHash,
  points: state.evaluation.points,
  maxPoints: state.evaluation.maxPoints,
  criteriaVersion: campaign.criteriaSet.version,
  updatedAt: now,
  inputsJson: JSON.stringify({
    latest: state.latest,
    quarantine: state.quarantine,
    ...(state.review ? { review: state.review } : {}),
  } satisfies SchoolInputs),
  summaryJson: JSON.stringify(summarize(state)),
});

export const readSchoolInputs = (doc: SchoolStateDoc): SchoolInputs =>
  JSON.parse(doc.inputsJson) as SchoolInputs;

export interface StoredSchoolState {
  state: SchoolState;
  /** When the state last changed, and the document's version (for a precondition). */
  updatedAt: Date;
  updateTime: Timestamp;
  reportUrl?: string;
  mailedAt?: Date;
}

/** Every school's state in a campaign, recomputed from the stored inputs, with what the sheet shows of it. */
export const loadStoredStates = async (
  db: Firestore,
  campaign: Campaign,
  schools: ReadonlyMap<string, School>,
): Promise<Map<string, StoredSchoolState>> => {
  const snap = await evaluationsCol(db, campaign.id).get();
  const states = new Map<string, StoredSchoolState>();
  for (const doc of snap.docs) {
    const school = schools.get(doc.id);
    if (!school) continue;
    const data = doc.data() as SchoolStateDoc;
    const { latest, quarantine, review } = readSchoolInputs(data);
    states.set(doc.id, {
      state: deriveSchoolState(school, campaign.criteriaSet, latest, quarantine, review ?? null),
      updatedAt: (data.updatedAt as unknown as Timestamp).toDate(),
      updateTime: doc.updateTime,
      ...(data.reportUrl ? { reportUrl: data.reportUrl } : {}),
      ...(data.mailedAt ? { mailedAt: data.mailedAt.toDate() } : {}),
    });
  }
  return states;
};

/** A campaign, its registry and every school's stored state: what most use cases start from. */
export const loadCampaignView = async (db: Firestore, campaignId: string) => {
  const campaign = await loadCampaign(db, campaignId);
  const schools = await loadSchools(db, campaignId);
  const stored = await loadStoredStates(db, campaign, schools);
  return { campaign, schools, stored };
};

/** Every school's state in a campaign, recomputed from the stored inputs. */
export const loadSchoolStates = async (
  db: Firestore,
  campaign: Campaign,
  schools: ReadonlyMap<string, School>,
): Promise<Map<string, SchoolState>> =>
  new Map([...(await loadStoredStates(db, campaign, schools))].map(([code, stored]) => [code, stored.state]));

/**
 * Save states recomputed outside intake (an office verdict, a registry edit, a criteria change)
 * with the registry entries that changed, each state only if its document is unchanged since it
 * was read, and queue the school's sheet row, report and email again when what people see
 * changed. Up to 150 schools are saved in one atomic commit (a school's entry and state always
 * together); when intake changed one of them meanwhile the commit fails with FAILED_PRECONDITION
 * and the caller tries again later.
 */
export const saveRecomputedStates = async (
  db: Firestore,
  campaign: Campaign,
  changes: ReadonlyArray<{ state: SchoolState; before?: StoredSchoolState }>,
  now: Date,
  schools: readonly School[] = [],
): Promise<number> => {
  const byCode = new Map<string, { school?: School; change?: (typeof changes)[number] }>();
  for (const school of schools) byCode.set(school.code, { school });
  for (const change of changes)
    byCode.set(change.state.schoolCode, { ...byCode.get(change.state.schoolCode), change });
  const entries = [...byCode];
  let queued = 0;
  for (let i = 0; i < entries.length; i += 150) {
    const batch = db.batch();
    for (const [code, { school, change }] of entries.slice(i, i + 150)) {
      if (school) batch.set(schoolsCol(db, campaign.id).doc(code), school);
      if (!change) continue;
      const { state, before } = change;
      const ref = evaluationsCol(db, campaign.id).doc(code);
      const doc = schoolStateDoc(state, campaign, now);
      if (before) batch.update(ref, { ...doc }, { lastUpdateTime: before.updateTime });
      else batch.create(ref, doc);
      if (state.contentHash !== before?.state.contentHash) {
        queueOutbox(batch, db, campaign.id, code, state.contentHash, now);
        queued++;
      }
    }
    await batch.commit();
  }
  return queued;
};
