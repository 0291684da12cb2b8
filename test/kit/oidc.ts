import { generateKeyPairSync } from "node:crypto";
import { localOidcKeys } from "../../functions/src/functions/local-oidc.js";

/** A key pair standing in for Google's OIDC signing keys, and tokens signed with it. */
export const oidcKeys = () => {
  const keys = localOidcKeys("test-key");
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  return {
    certs: keys.certs,
    sign: (claims: Record<string, unknown>) => keys.sign(claims),
    /** Same claims, signed with a key Google never published. */
    forge: (claims: Record<string, unknown>) => keys.sign(claims, { key: other }),
  };
};
