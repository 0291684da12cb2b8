import type { DocumentSnapshot, Firestore, Timestamp } from "@google-cloud/firestore";
import { type IntakeOutcome, mayHaveEarlierVersions } from "../../domain/intake.js";
import { unstorable } from "../../domain/intake-guard.js";
import type { SchoolInputs, SchoolState } from "../../domain/school-state.js";
import { BusyError } from "../../errors.js";
import {
  encodeSchoolState,
  encodeSubmission,
  newOutboxEntry,
  schoolStateDocSchema,
  submissionDocSchema,
} from "./codecs.js";
import type { Paths } from "./paths.js";

/** What is stored already for a chunk of responses, read in one round trip. */
export interface SeenChunk {
  /** Keys of the chunk already stored (a redelivery). */
  existing: ReadonlySet<string>;
  /** Each school's stored inputs and content hash; absent when nothing is stored for it yet. */
  states: ReadonlyMap<string, { inputs: SchoolInputs; contentHash: string } | undefined>;
  /** Versions stored before of the chunk's responses (an edit keeps its response id), by response id. */
  earlier: ReadonlyMap<string, readonly StoredVersion[]>;
}

/** One stored version of a response: which school it named, and when. */
export interface StoredVersion {
  key: string;
  schoolCode: string | null;
  lastSubmittedTime: string;
}

/** What intake decided to write for a chunk (see app/intake.ts). */
export interface IntakeWrites {
  /** New submissions, created (never overwritten), with the key of a later one that replaced them. */
  submissions: Array<{ outcome: IntakeOutcome; supersededBy?: string }>;
  /** Stored submissions that a new one replaced as the latest of their stage. */
  superseded: Array<{ key: string; by: string }>;
  /** Schools whose state changed. */
  states: SchoolState[];
}

/** Intake's decisions: which schools it keeps state for, and what to write for a chunk (pure). */
export interface IntakePlan {
  keepsState: (schoolCode: string) => boolean;
  decide: (chunk: readonly IntakeOutcome[], seen: SeenChunk) => IntakeWrites;
}

export interface StoreResult {
  stored: number;
  /** Keys of the responses stored now (the others were stored before: redeliveries). */
  storedKeys: string[];
  duplicates: number;
  /** Commits retried because another delivery changed the same documents meanwhile. */
  retries: number;
  /**
   * Responses Firestore refused as read, stored instead in a form it takes (quarantined, see
   * domain's `unstorable`): what the caller reports for them, rather than what it read.
   */
  replaced: IntakeOutcome[];
}

const merge = (a: StoreResult, b: StoreResult): StoreResult => ({
  stored: a.stored + b.stored,
  storedKeys: [...a.storedKeys, ...b.storedKeys],
  duplicates: a.duplicates + b.duplicates,
  retries: a.retries + b.retries,
  replaced: [...a.replaced, ...b.replaced],
});

/** Responses per commit: each writes at most 6 documents, and a commit takes 500. */
const CHUNK = 80;
/** And bytes per commit: Firestore takes a request of 10 MiB at most (one response may be ~0.6 MB). */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** gRPC INVALID_ARGUMENT: Firestore refused what was written (a document too large, say). */
const REFUSED = 3;
const MAX_ATTEMPTS = 8;
/** gRPC codes of a lost race: ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED. */
const CONTENDED = new Set([6, 9, 10]);

export interface IntakeStoreOptions {
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

interface Ctx {
  db: Firestore;
  p: Paths;
  options: IntakeStoreOptions;
}

/** Versions already stored of these responses (Firestore's `in` takes 30 values a query). */
const earlierVersions = async (
  { p }: Ctx,
  campaignId: string,
  responseIds: readonly string[],
): Promise<Map<string, StoredVersion[]>> => {
  const found = new Map<string, StoredVersion[]>();
  const ids = [...new Set(responseIds)];
  for (let i = 0; i < ids.length; i += 30) {
    const snap = await p
      .submissions(campaignId)
      .where("responseId", "in", ids.slice(i, i + 30))
      .select("key", "responseId", "schoolCode", "lastSubmittedTime")
      .get();
    for (const doc of snap.docs) {
      const v = versionSchema.parse(doc.data());
      found.set(v.responseId, [...(found.get(v.responseId) ?? []), v]);
    }
  }
  return found;
};
const versionSchema = submissionDocSchema.pick({
  key: true,
  responseId: true,
  schoolCode: true,
  lastSubmittedTime: true,
});

/**
 * What is stored of a chunk: which responses, earlier versions, and each touched school's inputs.
 * One round trip reads the chunk's submissions and the states of the schools it names; only the
 * responses new to the store that may have been edited are looked up by response id (a query), and
 * the schools their earlier versions named read then.
 */
const readChunk = async (ctx: Ctx, campaignId: string, chunk: readonly IntakeOutcome[], plan: IntakePlan) => {
  const { db, p } = ctx;
  const kept = (codes: ReadonlyArray<string | null>) => [
    ...new Set(codes.filter((c): c is string => c !== null && plan.keepsState(c))),
  ];
  const subRefs = chunk.map((o) => p.submissions(campaignId).doc(o.key));
  const codes = kept(chunk.map((o) => o.schoolCode));
  // Only what is needed: whether a submission exists, and a school's inputs and hash.
  const fieldMask = ["key", "inputsJson", "contentHash"];
  const snaps = await db.getAll(...subRefs, ...codes.map((c) => p.schoolStates(campaignId).doc(c)), {
    fieldMask,
  });
  const stateSnaps = new Map<string, DocumentSnapshot>(
    codes.map((c, i) => [c, snaps[subRefs.length + i] as DocumentSnapshot]),
  );
  const existing = new Set(chunk.filter((_, i) => snaps[i]?.exists).map((o) => o.key));
  const edited = chunk.filter((o) => !existing.has(o.key) && mayHaveEarlierVersions(o));
  const earlier = await earlierVersions(
    ctx,
    campaignId,
    edited.map((o) => o.responseId),
  );
  // The schools those earlier versions named (an edit may change school), read now.
  const more = kept([...earlier.values()].flat().map((v) => v.schoolCode)).filter((c) => !stateSnaps.has(c));
  if (more.length > 0) {
    const moreSnaps = await db.getAll(...more.map((c) => p.schoolStates(campaignId).doc(c)), { fieldMask });
    for (const [i, c] of more.entries()) stateSnaps.set(c, moreSnaps[i] as DocumentSnapshot);
  }
  const states = new Map(
    [...stateSnaps.keys()].map((c) => {
      const data = stateSnaps.get(c)?.data();
      const stored = data
        ? schoolStateDocSchema.pick({ inputsJson: true, contentHash: true }).parse(data)
        : undefined;
      return [c, stored && { inputs: stored.inputsJson, contentHash: stored.contentHash }] as const;
    }),
  );
  return { seen: { existing, states, earlier } satisfies SeenChunk, stateSnaps };
};

/** One atomic commit: new submissions, replaced ones marked, states under precondition, outbox. */
const writeChunk = async (
  { db, p }: Ctx,
  campaign: { id: string; criteriaVersion: string },
  writes: IntakeWrites,
  seen: SeenChunk,
  stateSnaps: ReadonlyMap<string, DocumentSnapshot>,
  now: Date,
) => {
  const batch = db.batch();
  for (const { outcome, supersededBy } of writes.submissions)
    batch.create(p.submissions(campaign.id).doc(outcome.key), encodeSubmission(outcome, now, supersededBy));
  for (const { key, by } of writes.superseded)
    batch.update(p.submissions(campaign.id).doc(key), { supersededBy: by });
  for (const state of writes.states) {
    const before = stateSnaps.get(state.schoolCode);
    if (!before) continue;
    const doc = encodeSchoolState(state, campaign.criteriaVersion, now);
    if (before.exists) batch.update(before.ref, doc, { lastUpdateTime: before.updateTime as Timestamp });
    else batch.create(before.ref, doc);
    if (state.contentHash !== seen.states.get(state.schoolCode)?.contentHash)
      batch.set(
        p.outbox(campaign.id).doc(state.schoolCode),
        newOutboxEntry(state.schoolCode, state.contentHash, now),
      );
  }
  await batch.commit();
};

const commitChunk = async (
  ctx: Ctx,
  campaign: { id: string; criteriaVersion: string },
  chunk: readonly IntakeOutcome[],
  plan: IntakePlan,
  now: Date,
): Promise<Omit<StoreResult, "retries" | "replaced">> => {
  const { seen, stateSnaps } = await readChunk(ctx, campaign.id, chunk, plan);
  const none = { stored: 0, storedKeys: [], duplicates: chunk.length };
  if (seen.existing.size === chunk.length) return none;
  const writes = plan.decide(chunk, seen);
  if (writes.submissions.length === 0) return none;
  await writeChunk(ctx, campaign, writes, seen, stateSnaps, now);
  return {
    stored: writes.submissions.length,
    storedKeys: writes.submissions.map((s) => s.outcome.key),
    duplicates: chunk.length - writes.submissions.length,
  };
};

/**
 * A chunk Firestore refuses (INVALID_ARGUMENT) must not block the others: it is halved until the
 * response at fault is alone, which is then kept in a form that can be stored (domain's `unstorable`).
 */
const storeRefused = async (
  ctx: Ctx,
  campaign: { id: string; criteriaVersion: string },
  chunk: readonly IntakeOutcome[],
  plan: IntakePlan,
  now: Date,
): Promise<StoreResult> => {
  if (chunk.length === 1) {
    const kept = unstorable(chunk[0] as IntakeOutcome);
    const result = await storeChunk(ctx, campaign, [kept], plan, now, false);
    return { ...result, replaced: result.stored > 0 ? [kept] : [] };
  }
  // Each half is stored whatever becomes of the other; a failure is told once both were tried.
  const half = Math.ceil(chunk.length / 2);
  const settle = (part: readonly IntakeOutcome[]) =>
    storeChunk(ctx, campaign, part, plan, now).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
  const a = await settle(chunk.slice(0, half));
  const b = await settle(chunk.slice(half));
  if ("error" in a) throw a.error;
  if ("error" in b) throw b.error;
  return merge(a.value, b.value);
};

const storeChunk = async (
  ctx: Ctx,
  campaign: { id: string; criteriaVersion: string },
  chunk: readonly IntakeOutcome[],
  plan: IntakePlan,
  now: Date,
  /** Whether a refused chunk is split and its poison kept in a storable form (once). */
  splitRefused = true,
): Promise<StoreResult> => {
  for (let attempt = 1; ; attempt++) {
    try {
      const done = await commitChunk(ctx, campaign, chunk, plan, now);
      return { ...done, retries: attempt - 1, replaced: [] };
    } catch (error) {
      const code = (error as { code?: number }).code ?? -1;
      if (code === REFUSED && splitRefused) return storeRefused(ctx, campaign, chunk, plan, now);
      if (!CONTENDED.has(code)) throw error;
      if (attempt >= MAX_ATTEMPTS)
        throw new BusyError("Hệ thống đang bận ghi hồ sơ của trường; câu trả lời sẽ được nhận lại sau.", {
          cause: error,
          detail: `store: still contended after ${attempt} attempts`,
        });
      await ctx.options.sleep(ctx.options.random() * 20 * 2 ** attempt);
    }
  }
};

/** The bytes a response's submission takes, roughly: its payload and its answers, as stored (JSON). */
const sizeOf = (o: IntakeOutcome): number => {
  const text = (v: unknown) => {
    try {
      return Buffer.byteLength(JSON.stringify(v) ?? "", "utf8");
    } catch {
      return 0;
    }
  };
  return text(o.raw) + text(o.answers) + 2_048;
};

/** Chunks of at most CHUNK responses and CHUNK_BYTES bytes (one response alone may be larger). */
const chunksOf = (outcomes: readonly IntakeOutcome[]): IntakeOutcome[][] => {
  const chunks: IntakeOutcome[][] = [];
  let current: IntakeOutcome[] = [];
  let bytes = 0;
  for (const outcome of outcomes) {
    const size = sizeOf(outcome);
    if (current.length > 0 && (current.length >= CHUNK || bytes + size > CHUNK_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(outcome);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

/**
 * Intake's writes, exactly once: one atomic commit per chunk of responses, holding the new
 * submissions (`create()`, so a response delivered twice, even at the same moment, is written
 * once), each touched school's state (updated only if unchanged since read: a `lastUpdateTime`
 * precondition), and its outbox entry. What to write is intake's decision (`plan`, pure); a commit
 * that loses a race is read again, planned again and retried.
 */
export const intakeStore = (db: Firestore, p: Paths, options: IntakeStoreOptions) => {
  const ctx: Ctx = { db, p, options };
  return {
    /**
     * Store intake outcomes exactly once, each chunk planned by `plan` against what is stored;
     * several chunks at a time.
     */
    async commit(
      campaign: { id: string; criteriaVersion: string },
      outcomes: readonly IntakeOutcome[],
      plan: IntakePlan,
      now: Date,
      concurrency = 6,
    ): Promise<StoreResult> {
      const unique = [...new Map(outcomes.map((o) => [o.key, o])).values()];
      const chunks = chunksOf(unique);
      let total: StoreResult = {
        stored: 0,
        storedKeys: [],
        duplicates: outcomes.length - unique.length,
        retries: 0,
        replaced: [],
      };
      let next = 0;
      const worker = async () => {
        while (next < chunks.length) {
          const result = await storeChunk(ctx, campaign, chunks[next++] as IntakeOutcome[], plan, now);
          total = merge(total, result);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
      return total;
    },
  };
};
