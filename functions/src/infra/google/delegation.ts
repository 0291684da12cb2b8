import { GoogleAuth, JWT, OAuth2Client } from "google-auth-library";

/**
 * Domain-wide delegation without a key file: the service account acts as a Workspace user (the
 * office mailbox that sends the mail). With a key file, google-auth-library's JWT client does this
 * itself (`subject`). On Cloud Run and Cloud Functions the credentials come from the metadata
 * server, which cannot act as a user, so the assertion a key would sign is signed by the IAM
 * Credentials API instead (`signJwt`; the account needs roles/iam.serviceAccountTokenCreator on
 * itself) and exchanged at Google's token endpoint, as Google documents for keyless delegation.
 */
export interface DelegationOptions {
  /** The Workspace user to act as. */
  subject: string;
  scopes: readonly string[];
  /** The credentials that sign (default: application default credentials). */
  source?: GoogleAuth;
  /** The service account to sign as (default: the source's own). */
  serviceAccount?: string;
  /** Other endpoints (tests). */
  iamCredentialsUrl?: string;
  tokenUrl?: string;
}

const TOKEN_URL = "https://oauth2.googleapis.com/token";
const IAM_CREDENTIALS_URL = "https://iamcredentials.googleapis.com";
const LIFETIME_S = 3600;

export const delegatedAuth = (options: DelegationOptions): OAuth2Client => {
  const source =
    options.source ?? new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
  const tokenUrl = options.tokenUrl ?? TOKEN_URL;
  // With a key file, google-auth-library's JWT client signs the delegated assertion itself.
  let withKey: Promise<JWT | undefined> | undefined;
  const keyClient = () =>
    source.getClient().then((signer) =>
      signer instanceof JWT
        ? new JWT({
            email: signer.email,
            key: signer.key,
            keyId: signer.keyId,
            scopes: [...options.scopes],
            subject: options.subject,
          })
        : undefined,
    );
  const client = new OAuth2Client();
  client.refreshHandler = async () => {
    withKey ??= keyClient();
    const jwt = await withKey;
    if (jwt) {
      const credentials = await jwt.authorize();
      return {
        access_token: credentials.access_token ?? "",
        expiry_date: credentials.expiry_date ?? Date.now() + LIFETIME_S * 1000,
      };
    }
    const account = options.serviceAccount ?? (await source.getCredentials()).client_email;
    if (!account)
      throw new Error(
        "Không xác định được tài khoản dịch vụ để ủy quyền gửi thư (chạy trên Google Cloud, hoặc đặt GOOGLE_APPLICATION_CREDENTIALS).",
      );
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: account,
      sub: options.subject,
      scope: options.scopes.join(" "),
      aud: tokenUrl,
      iat: now,
      exp: now + LIFETIME_S,
    };
    const signed = await source.request<{ signedJwt: string }>({
      url: `${options.iamCredentialsUrl ?? IAM_CREDENTIALS_URL}/v1/projects/-/serviceAccounts/${encodeURIComponent(account)}:signJwt`,
      method: "POST",
      data: { payload: JSON.stringify(claims) },
    });
    const response = await fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion: signed.data.signedJwt,
      }),
    });
    const token = (await response.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
    };
    if (!response.ok || !token.access_token)
      throw new Error(
        `Không lấy được quyền gửi thư thay ${options.subject} (${token.error ?? response.status}): kiểm tra ủy quyền toàn miền cho ${account}.`,
      );
    return {
      access_token: token.access_token,
      expiry_date: Date.now() + (token.expires_in ?? LIFETIME_S) * 1000,
    };
  };
  return client;
};
