import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";

/**
 * A key pair standing in for Google's OIDC signing keys, and tokens signed with it: what
 * `dienhinh serve` hands the local reconcile function (DIENHINH_OIDC_CERTS) and its caller, so the
 * token check runs locally exactly as deployed. Never used against a real project (the
 * configuration refuses DIENHINH_OIDC_CERTS without the emulator).
 */
export const localOidcKeys = (kid = "dienhinh-local") => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const sign = (claims: Record<string, unknown>, options: { key?: KeyObject; ttlSeconds?: number } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const head = `${b64({ alg: "RS256", typ: "JWT", kid })}.${b64({
      iss: "https://accounts.google.com",
      iat: now,
      exp: now + (options.ttlSeconds ?? 3600),
      sub: "1234567890",
      email_verified: true,
      ...claims,
    })}`;
    const signature = createSign("RSA-SHA256")
      .update(head)
      .sign(options.key ?? privateKey)
      .toString("base64url");
    return `${head}.${signature}`;
  };
  return { certs: { [kid]: publicKey.export({ type: "spki", format: "pem" }).toString() }, sign };
};
