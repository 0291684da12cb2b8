import type { DocumentSnapshot, Firestore, Timestamp } from "@google-cloud/firestore";
import type { IntakeOutcome } from "../../domain/intake.js";
import type { SchoolInputs, SchoolState } from "../../domain/school-state.js";
import { BusyError } from "../../errors.js";
import { encodeSchoolState, encodeSubmission, newOutboxEntry, schoolStateDocSchema } from "./codecs.js";
import type { Paths } from "./paths.js";

/** What is stored already for a chunk of responses, read in one round trip. */
export interface SeenChunk {
  /** Keys of the chunk already stored (a redelivery). */
  existing: ReadonlySet<string>;
  /** Each school's stored inputs and content hash; absent when nothing is stored for it yet. */
  states: ReadonlyMap<string, { inputs: SchoolInputs; contentHash: string } | undefined>;
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
  duplicates: number;
  /** Commits retried because another delivery changed the same documents meanwhile. */
  retries: number;
}

/** Responses per commit: each writes at most 6 documents, and a commit takes 500. */
const CHUNK = 80;
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

/** What is stored of a chunk: which responses, and each touched school's inputs and hash. */
const readChunk = async (
  { db, p }: Ctx,
  campaignId: string,
  chunk: readonly IntakeOutcome[],
  plan: IntakePlan,
) => {
  const subRefs = chunk.map((o) => p.submissions(campaignId).doc(o.key));
  const codes = [
    ...new Set(chunk.map((o) => o.schoolCode).filter((c): c is string => c !== null && plan.keepsState(c))),
  ];
  const stateRefs = codes.map((c) => p.schoolStates(campaignId).doc(c));
  // Only what is needed: whether a submission exists, and a school's inputs and hash.
  const snaps = await db.getAll(...subRefs, ...stateRefs, {
    fieldMask: ["key", "inputsJson", "contentHash"],
  });
  const stateSnaps = new Map<string, DocumentSnapshot>(
    codes.map((c, i) => [c, snaps[subRefs.length + i] as DocumentSnapshot]),
  );
  const existing = new Set(chunk.filter((_, i) => snaps[i]?.exists).map((o) => o.key));
  const states = new Map(
    codes.map((c) => {
      const data = stateSnaps.get(c)?.data();
      const stored = data
        ? schoolStateDocSchema.pick({ inputsJson: true, contentHash: true }).parse(data)
        : undefined;
      return [c, stored && { inputs: stored.inputsJson, contentHash: stored.contentHash }] as const;
    }),
  );
  return { seen: { existing, states } satisfies SeenChunk, stateSnaps };
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
): Promise<Omit<StoreResult, "retries">> => {
  const { seen, stateSnaps } = await readChunk(ctx, campaign.id, chunk, plan);
  if (seen.existing.size === chunk.length) return { stored: 0, duplicates: chunk.length };
  const writes = plan.decide(chunk, seen);
  if (writes.submissions.length === 0) return { stored: 0, duplicates: chunk.length };
  await writeChunk(ctx, campaign, writes, seen, stateSnaps, now);
  return { stored: writes.submissions.length, duplicates: chunk.length - writes.submissions.length };
};

const storeChunk = async (
  ctx: Ctx,
  campaign: { id: string; criteriaVersion: string },
  chunk: readonly IntakeOutcome[],
  plan: IntakePlan,
  now: Date,
): Promise<StoreResult> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await commitChunk(ctx, campaign, chunk, plan, now)), retries: attempt - 1 };
    } catch (error) {
      if (!CONTENDED.has((error as { code?: number }).code ?? -1)) throw error;
      if (attempt >= MAX_ATTEMPTS)
        throw new BusyError("Hệ thống đang bận ghi hồ sơ của trường; câu trả lời sẽ được nhận lại sau.", {
          cause: error,
          detail: `store: still contended after ${attempt} attempts`,
        });
      await ctx.options.sleep(ctx.options.random() * 20 * 2 ** attempt);
    }
  }
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
      const chunks: IntakeOutcome[][] = [];
      for (let i = 0; i < unique.length; i += CHUNK) chunks.push(unique.slice(i, i + CHUNK));
      const total: StoreResult = { stored: 0, duplicates: outcomes.length - unique.length, retries: 0 };
      let next = 0;
      const worker = async () => {
        while (next < chunks.length) {
          const result = await storeChunk(ctx, campaign, chunks[next++] as IntakeOutcome[], plan, now);
          total.stored += result.stored;
          total.duplicates += result.duplicates;
          total.retries += result.retries;
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
      return total;
    },
  };
};
