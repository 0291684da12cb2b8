/** What the local Google servers share: Google's error statuses, an error carrying one, and how a request is recorded. */
export const STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

/** An error answered as Google does: `{ error: { code, message, status } }`. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new ApiError(400, message);

export type Obj = Record<string, unknown>;

/** A request a local server received, as tests inspect it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Given by the servers that take uploads (Drive). */
  contentType?: string;
  /**
   * Parsed JSON for plain requests; for Drive's `/upload/` requests `{ metadata, media }` with
   * `media: { mimeType, content: Buffer }` (metadata `{}` for `uploadType=media`).
   */
  body: unknown;
}
