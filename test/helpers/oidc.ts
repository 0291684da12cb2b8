import { createSign, generateKeyPairSync } from "node:crypto";

/** A key pair standing in for Google's OIDC signing keys, and tokens signed with it. */
export const oidcKeys = () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = "test-key";
  const b64 = (v: object | Buffer) =>
    Buffer.from(v instanceof Buffer ? v : JSON.stringify(v)).toString("base64url");
  const sign = (claims: Record<string, unknown>, key = privateKey) => {
    const now = Math.floor(Date.now() / 1000);
    const head = `${b64({ alg: "RS256", typ: "JWT", kid })}.${b64({
      iss: "https://accounts.google.com",
      iat: now,
      exp: now + 3600,
      sub: "1234567890",
      email_verified: true,
      ...claims,
    })}`;
    return `${head}.${createSign("RSA-SHA256").update(head).sign(key).toString("base64url")}`;
  };
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  return {
    certs: { [kid]: publicKey.export({ type: "spki", format: "pem" }).toString() },
    sign,
    /** Same claims, signed with a key Google never published. */
    forge: (claims: Record<string, unknown>) => sign(claims, other),
  };
};
