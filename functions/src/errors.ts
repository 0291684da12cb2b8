/**
 * dienhinh's errors, matched with `instanceof`. Each carries two texts, as gotenberg wraps its
 * errors: `message` (with the `cause` chain) is the whole account, for the log; `publicMessage` is
 * what a school, a clerk or a caller may read, in Vietnamese, saying what to do and nothing of our
 * internals. `retryable` says whether the same call may succeed later (a CloudEvent handler throws
 * only those, so Pub/Sub redelivers them).
 */
export abstract class DienhinhError extends Error {
  abstract readonly retryable: boolean;
  /** The person who ran it can fix this (a file, an option, an installation, an account): CLI exit 2. */
  get fixable(): boolean {
    return false;
  }
  readonly publicMessage: string;

  constructor(publicMessage: string, options: { cause?: unknown; detail?: string } = {}) {
    super(
      options.detail ?? publicMessage,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.publicMessage = publicMessage;
    this.name = new.target.name;
  }
}

/** Something the user must fix: a file, an option, the configuration, an installation. CLI exit 2. */
export class InputError extends DienhinhError {
  readonly retryable = false;
  override get fixable() {
    return true;
  }
}

/** A request a function refuses as malformed: HTTP 400, with the public message. */
export class RequestError extends InputError {}

/** A campaign, school or form that does not exist. CLI exit 2, HTTP 404. */
export class NotFoundError extends DienhinhError {
  readonly retryable = false;
  override get fixable() {
    return true;
  }
}

/** Someone else is on it (a lease, a quota slot): the next run does it. */
export class BusyError extends DienhinhError {
  readonly retryable = true;
}

/** What was read changed before it was written (a precondition failed): read again and retry. */
export class ConflictError extends DienhinhError {
  readonly retryable = true;
}

/** An outside service (Firestore, a Google API, Chromium) failed in a way worth retrying. */
export class UnavailableError extends DienhinhError {
  readonly retryable = true;
}

/** An outside service refused for good, a stored document we cannot read, or our own bug. */
export class InternalError extends DienhinhError {
  readonly retryable = false;
}

/** What a caller reads of an error that is not ours to explain. */
export const GENERIC_PUBLIC_MESSAGE = "Lỗi hệ thống; Phòng Giáo dục đã được thông báo.";

export const publicMessageOf = (error: unknown): string =>
  error instanceof DienhinhError ? error.publicMessage : GENERIC_PUBLIC_MESSAGE;

export const isRetryable = (error: unknown): boolean => error instanceof DienhinhError && error.retryable;

/** The whole chain for the log: "what we did: why ← what it said". */
export const logCause = (error: unknown): string => {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(" ← ");
};
