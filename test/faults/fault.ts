/**
 * The fault suite (issue 12): each fault is done to the real parts (Google's Firestore emulator,
 * Chromium, a real SMTP server on loopback, the functions through the Functions Framework), and
 * what happened is counted. `npm run faults` prints the table; test/faults/*.test.ts assert
 * the figures that must hold.
 */
export interface FaultRow {
  /** What was done, as the table says it: "SMTP relay drops a third of connections". */
  fault: string;
  /** Operations tried: sends, responses, requests, renders, runs. */
  attempts: number;
  /** What should have arrived (messages, responses stored, answers given). */
  expected: number;
  delivered: number;
  /** Arrived more than once; absent where nothing can arrive twice (a render, an HTTP answer, a run). */
  duplicated?: number;
  /** Expected, neither arrived nor held. */
  lost: number;
  /** Held back for the office to release (an ambiguous send), counted apart from delivered and lost. */
  held?: number;
  /** A figure the fault is judged by, with its limit: peak memory, seconds to recover. */
  measure?: { name: string; value: number; unit: string; limit: number };
  /** Whether every figure that must hold did. */
  ok: boolean;
  /** When not: which checks failed, and what the run printed last (to tell why). */
  failed?: string[];
}

export interface FaultContext {
  /** host:port of the Firestore emulator the run started (or FIRESTORE_EMULATOR_HOST). */
  firestoreHost: string;
}

export interface Fault {
  name: string;
  run: (context: FaultContext) => Promise<FaultRow[]>;
}
