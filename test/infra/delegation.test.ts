import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GoogleAuth } from "google-auth-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { delegatedAuth } from "../../functions/src/infra/google/delegation.js";
import { localAuth } from "../../functions/src/infra/google/forms.js";
import { gmailTransport, MailError } from "../../functions/src/infra/mail/mailer.js";

/**
 * Keyless domain-wide delegation, as the delivery job does it on Cloud Run: IAM Credentials signs
 * the assertion, Google's token endpoint exchanges it, Gmail receives the delegated token. A local
 * server plays the three Google endpoints.
 */
const ACCOUNT = "dienhinh-runtime@demo.iam.gserviceaccount.com";
const SENDER = "vanphong@pgd.example.edu.vn";
const GMAIL_SEND = "https://www.googleapis.com/auth/gmail.send";

let server: Server;
let url: string;
const signed: Array<{ account: string; claims: Record<string, unknown>; authorization?: string }> = [];
const gmailAuth: string[] = [];
let tokens = 0;

const bodyOf = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await bodyOf(req);
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    const signJwt = /^\/v1\/projects\/-\/serviceAccounts\/(.+):signJwt$/u.exec(path);
    if (signJwt && req.method === "POST") {
      const { payload } = JSON.parse(body) as { payload: string };
      signed.push({
        account: signJwt[1] as string,
        claims: JSON.parse(payload),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
      return json(200, { keyId: "k1", signedJwt: `h.${Buffer.from(payload).toString("base64url")}.s` });
    }
    if (path === "/token" && req.method === "POST") {
      const form = new URLSearchParams(body);
      const claims = JSON.parse(
        Buffer.from((form.get("assertion") ?? "").split(".")[1] ?? "", "base64url").toString(),
      ) as { sub?: string };
      if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer" || claims.sub !== SENDER)
        return json(401, { error: "unauthorized_client" });
      return json(200, { access_token: `delegated-${++tokens}`, expires_in: 3600, token_type: "Bearer" });
    }
    if (path === "/gmail/v1/users/me/messages/send") {
      gmailAuth.push(req.headers.authorization ?? "");
      return json(200, { id: "m1", threadId: "t1" });
    }
    json(404, { error: { code: 404, message: path } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const auth = (subject = SENDER) =>
  delegatedAuth({
    subject,
    scopes: [GMAIL_SEND],
    // The metadata server's credentials, as on Cloud Run: a token, no key.
    source: new GoogleAuth({ authClient: localAuth() }),
    serviceAccount: ACCOUNT,
    iamCredentialsUrl: url,
    tokenUrl: `${url}/token`,
  });

describe("domain-wide delegation without a key file", () => {
  it("has IAM Credentials sign the assertion for the sender, and sends with the delegated token", async () => {
    const client = auth();
    const transport = gmailTransport({ sender: SENDER, auth: client, rootUrl: url });
    await transport.send(Buffer.from("Subject: x\r\n\r\nx"), { from: SENDER, to: "a@b.vn" }, "m");
    await transport.send(Buffer.from("Subject: y\r\n\r\ny"), { from: SENDER, to: "a@b.vn" }, "m2");
    expect(signed).toHaveLength(1); // the token is kept until it expires
    const [first] = signed;
    expect(first?.account).toBe(ACCOUNT);
    expect(first?.authorization).toBe("Bearer local");
    expect(first?.claims).toMatchObject({
      iss: ACCOUNT,
      sub: SENDER,
      scope: GMAIL_SEND,
      aud: `${url}/token`,
    });
    const claims = first?.claims as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(3600);
    expect(gmailAuth).toEqual(["Bearer delegated-1", "Bearer delegated-1"]);
  });

  it("gets a new token once the one it has expires", async () => {
    const client = auth();
    const transport = gmailTransport({ sender: SENDER, auth: client, rootUrl: url });
    const [signedBefore, sentBefore] = [signed.length, gmailAuth.length];
    await transport.send(Buffer.from("Subject: r\r\n\r\nr"), { from: SENDER, to: "a@b.vn" }, "r1");
    client.credentials.expiry_date = Date.now() - 1; // an hour later
    await transport.send(Buffer.from("Subject: r\r\n\r\nr"), { from: SENDER, to: "a@b.vn" }, "r2");
    expect(signed.length - signedBefore).toBe(2);
    const [first, second] = gmailAuth.slice(sentBefore);
    expect(first).not.toBe(second);
    expect(second).toBe(`Bearer delegated-${tokens}`);
  });

  it("stops the run (systemic), with what to check, when the mailbox was not delegated", async () => {
    const transport = gmailTransport({
      sender: "other@pgd.example.edu.vn",
      auth: auth("other@pgd.example.edu.vn"),
      rootUrl: url,
    });
    const sent = gmailAuth.length;
    const error = await transport
      .send(Buffer.from("Subject: z\r\n\r\nz"), { from: SENDER, to: "a@b.vn" }, "m3")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).kind).toBe("systemic");
    expect((error as Error).message).toMatch(/unauthorized_client.*ủy quyền toàn miền cho dienhinh-runtime/u);
    expect(gmailAuth).toHaveLength(sent); // nothing reached Gmail
  });
});
