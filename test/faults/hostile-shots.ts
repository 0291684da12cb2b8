import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { gzipSync } from "node:zlib";
import { SIGNATURE_HEADER, signBody } from "../../functions/src/functions/auth.js";

/**
 * The requests of the hostile fault (hostile.ts): each kind of attack, made when it is fired so a
 * signature is fresh, the valid notices spread among them, and how one is sent.
 */
export const REQUESTS = 3_000;
const MIB = 1024 * 1024;

export type Target = "ingestResponse" | "reconcile" | "onFormResponses";

export interface Shot {
  kind: string;
  target: Target;
  method?: string;
  headers: Record<string, string>;
  /** The body, or a size to stream (zeros): with Content-Length unless `chunked`. */
  body?: Buffer | { size: number };
  chunked?: boolean;
  /** Hang up after sending this much. */
  abortAfter?: number;
  /** A valid notice: the response id it announces. */
  valid?: string;
}
export interface Answer {
  status: number | "no answer";
  text: string;
}

const ZEROS = Buffer.alloc(64 * 1024);
export const pick = <T>(items: readonly T[], i: number): T => items[i % items.length] as T;

/** Send a shot; a streamed body stops as soon as the answer comes (as a client would). */
export const fire = (url: string, shot: Shot): Promise<Answer> =>
  new Promise((resolve) => {
    let settled = false;
    const done = (answer: Answer) => {
      if (!settled) {
        settled = true;
        resolve(answer);
      }
    };
    const size = Buffer.isBuffer(shot.body) ? shot.body.length : (shot.body?.size ?? 0);
    const headers = {
      ...shot.headers,
      ...(shot.chunked || !shot.body ? {} : { "content-length": String(size) }),
    };
    const req = httpRequest(url, { method: shot.method ?? "POST", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        if (text.length < 2000) text += c;
      });
      res.on("end", () => {
        done({ status: res.statusCode ?? 0, text });
        req.destroy();
      });
      res.on("error", () => done({ status: res.statusCode ?? 0, text }));
    });
    req.setTimeout(60_000, () => req.destroy());
    req.on("error", (e) => done({ status: "no answer", text: String(e) }));
    req.on("close", () => done({ status: "no answer", text: "closed" }));
    if (Buffer.isBuffer(shot.body)) {
      const cut = shot.abortAfter;
      req.write(cut === undefined ? shot.body : shot.body.subarray(0, cut));
      if (cut === undefined) req.end();
      else setTimeout(() => req.destroy(), 20);
      return;
    }
    let sent = 0;
    const pump = () => {
      while (!settled && sent < size) {
        const piece = ZEROS.subarray(0, Math.min(ZEROS.length, size - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      if (!settled) req.end();
    };
    pump();
  });

/** What the run needs to aim its shots: the form, its campaign's key, the responses that exist. */
export interface Aim {
  campaignId: string;
  formId: string;
  secret: string;
  valid: readonly string[];
}
const JSON_TYPE = { "content-type": "application/json" };
const TARGETS: readonly Target[] = ["ingestResponse", "reconcile", "onFormResponses"];
const BOMB = gzipSync(Buffer.alloc(100 * MIB)); // 100 MiB of zeros in about 100 KiB
const SMALL_BOMB = gzipSync(Buffer.alloc(10 * MIB)); // in about 10 KiB: under every limit
const DEEP = Buffer.from(`${"[".repeat(100_000)}${"]".repeat(100_000)}`);
const DEEP_SMALL = Buffer.from(`${"[".repeat(8_000)}${"]".repeat(8_000)}`);
const notice = (formId: string, responseId: string) => JSON.stringify({ formId, responseId });

/** A notice signed now (plus `skewS`), or a signature made for another body. */
const signed = (secret: string, body: string, options: { skewS?: number; signedBody?: string } = {}) => ({
  ...JSON_TYPE,
  [SIGNATURE_HEADER]: signBody(
    secret,
    options.signedBody ?? body,
    Math.floor(Date.now() / 1000) + (options.skewS ?? 0),
  ),
});

/** The hostile shot of number `i`: each kind in turn, at each function in turn. */
const hostileShot = (i: number, aim: Aim): Shot => {
  const target = pick(TARGETS, Math.floor(i / 17));
  const some = pick(aim.valid, i);
  const body = notice(aim.formId, some);
  const kinds: Array<() => Shot> = [
    () => ({ kind: "gzip bomb", target, headers: { ...JSON_TYPE, "content-encoding": "gzip" }, body: BOMB }),
    () => ({
      kind: "small gzip bomb",
      target,
      headers: { ...JSON_TYPE, "content-encoding": pick(["gzip", "deflate", "br", "x-gzip"], i) },
      body: SMALL_BOMB,
    }),
    () => ({
      kind: "1-50 MiB, Content-Length",
      target,
      headers: JSON_TYPE,
      body: { size: (1 + (i % 50)) * MIB },
    }),
    () => ({
      kind: "1-50 MiB, chunked",
      target,
      headers: JSON_TYPE,
      body: { size: (1 + ((i * 7) % 50)) * MIB },
      chunked: true,
    }),
    () => ({ kind: "JSON 100,000 deep", target, headers: JSON_TYPE, body: DEEP }),
    () => ({ kind: "JSON 8,000 deep", target, headers: JSON_TYPE, body: DEEP_SMALL }),
    () => ({ kind: "malformed JSON", target, headers: JSON_TYPE, body: Buffer.from('{"formId": "x", ') }),
    () => ({
      kind: "wrong content type",
      target,
      headers: {
        "content-type": pick(
          ["text/plain", "application/xml", "multipart/form-data; boundary=x", "text/html"],
          i,
        ),
      },
      body: Buffer.from(body),
    }),
    () => ({
      kind: "wrong charset",
      target,
      headers: { "content-type": "application/json; charset=utf-16" },
      body: Buffer.from(body),
    }),
    () => ({
      kind: "forged signature",
      target: "ingestResponse",
      headers: signed(randomBytes(32).toString("base64url"), body),
      body: Buffer.from(body),
    }),
    () => ({
      kind: "replayed signature (another body)",
      target: "ingestResponse",
      headers: signed(aim.secret, body, { signedBody: notice(aim.formId, pick(aim.valid, i + 1)) }),
      body: Buffer.from(body),
    }),
    () => ({
      kind: "stale signature",
      target: "ingestResponse",
      headers: signed(aim.secret, body, { skewS: -3_600 }),
      body: Buffer.from(body),
    }),
    () => ({
      kind: "future timestamp",
      target: "ingestResponse",
      headers: signed(aim.secret, body, { skewS: 3_600 }),
      body: Buffer.from(body),
    }),
    () => {
      const unknown = notice(`khong-co-${i}`, some);
      return {
        kind: "unknown form",
        target: "ingestResponse",
        headers: signed(aim.secret, unknown),
        body: Buffer.from(unknown),
      };
    },
    () => {
      const missing = notice(aim.formId, `khong-co-${i}`);
      return {
        kind: "unknown response",
        target: "ingestResponse",
        headers: signed(aim.secret, missing),
        body: Buffer.from(missing),
      };
    },
    () => ({
      kind: "cut off mid-body",
      target,
      headers: JSON_TYPE,
      body: Buffer.alloc(4_000, 0x20),
      abortAfter: 100,
    }),
    () => ({
      kind: "CloudEvent of no campaign",
      target: "onFormResponses",
      headers: { "content-type": "application/cloudevents+json" },
      body: Buffer.from(
        JSON.stringify({
          specversion: "1.0",
          type: "google.cloud.pubsub.topic.v1.messagePublished",
          source: "//pubsub.googleapis.com/x",
          id: `h-${i}`,
          data: { message: { attributes: { formId: `khong-co-${i}` } } },
        }),
      ),
    }),
    () => ({
      kind: "event the framework breaks on",
      target: "onFormResponses",
      headers: JSON_TYPE,
      body: Buffer.from(pick(['{"context": 5, "data": 1}', "null", "[1]", '{"data": 1, "context": "x"}'], i)),
    }),
    () => ({ kind: "unauthenticated reconcile", target: "reconcile", headers: {}, method: "POST" }),
    () => ({
      kind: "replayed notice",
      target: "ingestResponse",
      headers: signed(aim.secret, body),
      body: Buffer.from(body),
    }),
    () => ({ kind: "GET", target, headers: {}, method: "GET" }),
  ];
  return pick(kinds, i)();
};

/**
 * Every shot, made when it is fired (so its signature is fresh): the valid notices spread among the
 * hostile ones, one in ten.
 */
export const shotsFor = (aim: Aim): Array<() => Shot> => {
  const shots: Array<() => Shot> = [];
  let valid = 0;
  for (let i = 0; shots.length < REQUESTS; i++) {
    if (i % 10 === 5 && valid < aim.valid.length) {
      const id = aim.valid[valid++] as string;
      const body = notice(aim.formId, id);
      shots.push(() => ({
        kind: "valid notice",
        target: "ingestResponse",
        headers: signed(aim.secret, body),
        body: Buffer.from(body),
        valid: id,
      }));
    } else {
      const n = shots.length - valid; // the hostile ones' own count, so every kind comes in turn
      shots.push(() => hostileShot(n, aim));
    }
  }
  return shots;
};
