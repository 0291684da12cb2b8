/**
 * Every outside failure is either worth retrying (rate limits, server errors, timeouts, a
 * connection that dropped) or permanent (bad request, not found, no permission). Retryable
 * failures make a CloudEvent handler throw, so the platform redelivers; permanent ones are logged.
 */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_NETWORK = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
]);
/** gRPC codes from Firestore: CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE. */
const RETRYABLE_GRPC = new Set([1, 4, 8, 10, 13, 14]);

export const isRetryable = (error: unknown): boolean => {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { status?: number; code?: unknown; response?: { status?: number }; name?: string };
  const status = e.response?.status ?? e.status;
  if (typeof status === "number") return RETRYABLE_STATUS.has(status);
  if (typeof e.code === "string" && RETRYABLE_NETWORK.has(e.code)) return true;
  if (typeof e.code === "number") return RETRYABLE_GRPC.has(e.code);
  return e.name === "AbortError" || e.name === "TimeoutError";
};
