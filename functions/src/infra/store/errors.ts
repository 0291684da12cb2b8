import { ZodError } from "zod";
import { DienhinhError, InternalError, UnavailableError } from "../../errors.js";

/**
 * Firestore does not answer (down, unreachable, overloaded): every later call would fail the same
 * way, so work that goes school by school stops at once instead of failing each school in turn.
 */
export class StoreUnavailable extends UnavailableError {}

/** gRPC codes worth retrying: CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE. */
const RETRYABLE_GRPC = new Set([1, 4, 8, 10, 13, 14]);
/**
 * Of those, the ones that say Firestore itself does not answer (DEADLINE_EXCEEDED, UNAVAILABLE).
 * A contended transaction (ABORTED) or a quota (RESOURCE_EXHAUSTED) is one call's bad luck: the
 * school it was for is retried, the others go on.
 */
const UNREACHABLE_GRPC = new Set([4, 14]);

/** What a failure of Firestore means, as one of dienhinh's errors. */
export const storeError = (error: unknown, where: string): DienhinhError => {
  if (error instanceof DienhinhError) return error;
  const detail = `firestore ${where}: ${error instanceof Error ? error.message : String(error)}`;
  if (error instanceof ZodError)
    return new InternalError("Dữ liệu lưu trữ không đọc được; Phòng đã được thông báo.", {
      cause: error,
      detail: `${detail} (a stored document does not have the expected shape)`,
    });
  const code = (error as { code?: unknown }).code;
  if (typeof code === "number" && RETRYABLE_GRPC.has(code))
    return new (UNREACHABLE_GRPC.has(code) ? StoreUnavailable : UnavailableError)(
      "Kho dữ liệu tạm thời không truy cập được; vui lòng thử lại sau.",
      {
        cause: error,
        detail,
      },
    );
  return new InternalError("Lỗi hệ thống khi đọc hoặc ghi dữ liệu; Phòng đã được thông báo.", {
    cause: error,
    detail,
  });
};
