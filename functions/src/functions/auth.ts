import { createHmac, timingSafeEqual } from "node:crypto";
import { OAuth2Client } from "google-auth-library";
import { DienhinhError } from "../errors.js";

/** The caller could not prove who it is: HTTP 401, with a message saying what was wrong. */
export class AuthError extends DienhinhError {
  readonly retryable = false;
}

/**
 * The Apps Script push signs `${t}.${body}` with HMAC-SHA256 and its campaign's key, and sends
 * `X-Dienhinh-Signature: t=<unix seconds>,v1=<hex>`. A signature older than the tolerance is
 * refused, so a captured request cannot be replayed later (replaying it sooner changes nothing:
 * the body names a response, which is read from the Forms API, and intake is idempotent); one
 * dated ahead of our clock by more than the skew is refused too, so it cannot be kept for later.
 */
export const SIGNATURE_HEADER = "x-dienhinh-signature";
export const SIGNATURE_TOLERANCE_S = 600;
export const SIGNATURE_FUTURE_SKEW_S = 60;

export const signBody = (secret: string, body: string | Buffer, unixSeconds: number): string =>
  `t=${unixSeconds},v1=${createHmac("sha256", secret).update(`${unixSeconds}.`).update(body).digest("hex")}`;

export interface Signature {
  t: number;
  v1: Buffer;
}

/** The signature header read and its time checked, before anything is looked up for it. */
export const readSignature = (header: string | undefined, nowSeconds: number): Signature => {
  if (!header) throw new AuthError("Thiếu chữ ký X-Dienhinh-Signature.");
  const parts = Object.fromEntries(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isSafeInteger(t) || !parts.v1 || !/^[0-9a-f]{64}$/iu.test(parts.v1))
    throw new AuthError("Chữ ký X-Dienhinh-Signature sai định dạng.");
  if (t - nowSeconds > SIGNATURE_FUTURE_SKEW_S)
    throw new AuthError(
      `Chữ ký ghi thời điểm trong tương lai (lệch giờ quá ${SIGNATURE_FUTURE_SKEW_S} giây).`,
    );
  if (nowSeconds - t > SIGNATURE_TOLERANCE_S)
    throw new AuthError("Chữ ký đã hết hạn (lệch giờ quá 10 phút).");
  return { t, v1: Buffer.from(parts.v1, "hex") };
};

/** Whether the body was signed with one of the keys (compared in constant time). */
export const checkSignature = (secrets: readonly string[], signature: Signature, body: Buffer): void => {
  const match = secrets.some((secret) => {
    const expected = createHmac("sha256", secret).update(`${signature.t}.`).update(body).digest();
    return timingSafeEqual(expected, signature.v1);
  });
  if (!match) throw new AuthError("Chữ ký không đúng.");
};

export interface OidcVerifier {
  /** The caller's verified service-account email, or an AuthError. */
  verify(authorization: string | undefined): Promise<string>;
}

const ISSUERS = ["https://accounts.google.com", "accounts.google.com"];

/**
 * Verifies the OIDC token Cloud Scheduler (or a Pub/Sub push subscription) attaches: signature,
 * issuer, audience, expiry, and that the email is a verified, allowed service account. `certs`
 * (key id → PEM) replaces Google's published keys in tests.
 */
export const googleOidcVerifier = (options: {
  audience: string;
  allowedEmails: readonly string[];
  certs?: Record<string, string>;
}): OidcVerifier => {
  const client = new OAuth2Client();
  return {
    async verify(authorization) {
      const token = /^Bearer\s+(\S+)$/iu.exec(authorization ?? "")?.[1];
      if (!token) throw new AuthError("Thiếu mã xác thực OIDC (Authorization: Bearer ...).");
      let payload: { email?: string; email_verified?: boolean } | undefined;
      try {
        const ticket = options.certs
          ? await client.verifySignedJwtWithCertsAsync(token, options.certs, options.audience, ISSUERS)
          : await client.verifyIdToken({ idToken: token, audience: options.audience });
        payload = ticket.getPayload();
      } catch (error) {
        throw new AuthError(`Mã xác thực OIDC không hợp lệ: ${(error as Error).message}`, { cause: error });
      }
      const email = payload?.email?.toLowerCase();
      if (!email || payload?.email_verified !== true || !options.allowedEmails.includes(email)) {
        throw new AuthError(`Tài khoản ${email ?? "(không rõ)"} không được phép gọi hàm này.`);
      }
      return email;
    },
  };
};
