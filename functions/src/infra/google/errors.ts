import { DienhinhError } from "../../errors.js";

/**
 * A failed call to a Google API, with what was asked (method, URL) and what it answered (status).
 * One retry policy for every gateway: rate limits, server errors, timeouts and dropped
 * connections are worth retrying; anything else is not.
 */
export class GoogleApiError extends DienhinhError {
  readonly retryable: boolean;
  constructor(
    readonly api: string,
    readonly method: string,
    readonly url: string,
    readonly status: number | undefined,
    cause: unknown,
  ) {
    const retryable = status === undefined ? isNetworkFailure(cause) : RETRYABLE_STATUS.has(status);
    super(
      retryable
        ? `${api} tạm thời không trả lời; hệ thống sẽ thử lại.`
        : `${api} từ chối yêu cầu (mã ${status ?? "?"}); Phòng đã được thông báo.`,
      {
        cause,
        detail: `${api}: ${method} ${url} → ${status ?? "no response"}: ${(cause as Error)?.message ?? cause}`,
      },
    );
    this.retryable = retryable;
  }
}

/**
 * Google refused our credentials, or has none to give (no account, no sharing, no delegation):
 * whoever runs it must grant access. Not a bad request: a function logs it and answers 500.
 */
export class GoogleAccessError extends DienhinhError {
  readonly retryable = false;
  override get fixable() {
    return true;
  }
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_NETWORK = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
]);

const isNetworkFailure = (error: unknown): boolean => {
  const e = error as { code?: unknown; name?: string };
  return (
    (typeof e.code === "string" && RETRYABLE_NETWORK.has(e.code)) ||
    e.name === "AbortError" ||
    e.name === "TimeoutError"
  );
};

/** A googleapis (gaxios) failure as one of ours. */
export const googleError = (api: string, error: unknown): DienhinhError => {
  if (error instanceof DienhinhError) return error;
  const e = error as {
    config?: { method?: string; url?: unknown };
    response?: { status?: number };
    status?: number;
  };
  const status = e.response?.status ?? (typeof e.status === "number" ? e.status : undefined);
  if (status === 401 || status === 403 || /credentials|Could not load the default/iu.test(String(error)))
    return new GoogleAccessError(
      `Không truy cập được ${api}: tài khoản chưa được cấp quyền (hoặc chưa đăng nhập). Kiểm tra quyền chia sẻ và ủy quyền của tài khoản dịch vụ.`,
      { cause: error, detail: `${api}: ${status ?? "no credentials"}: ${(error as Error).message}` },
    );
  return new GoogleApiError(api, e.config?.method ?? "?", String(e.config?.url ?? "?"), status, error);
};

/** Every method of a gateway, with its failures translated (see `googleError`). */
export const guardGoogle = <T extends object>(api: string, gateway: T): T =>
  Object.fromEntries(
    Object.entries(gateway).map(([name, value]) => [
      name,
      typeof value === "function"
        ? async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>)(...args);
            } catch (error) {
              throw googleError(api, error);
            }
          }
        : value,
    ]),
  ) as T;
