import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import * as ff from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  GUARD_POLICIES,
  type GuardedRequest,
  guardRequests,
  guardServer,
  MAX_JSON_DEPTH,
  nestsDeeperThan,
} from "../../functions/src/functions/request-guard.js";

/**
 * The request guard in front of every function: refusals are ours (JSON, a status, no stack), and
 * what passes reaches the Functions Framework read and parsed, so its body parsers never run.
 */
const seen: Array<{ body: unknown; raw: string | undefined }> = [];
let server: Server;
let url: string;

beforeAll(async () => {
  // A bare listener behind the guard with ingestResponse's policy: what reaches it, and what does not.
  server = createServer(
    guardRequests((req, res) => {
      const guarded = req as GuardedRequest;
      seen.push({ body: guarded.body, raw: guarded.rawBody?.toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
    }, "ingestResponse"),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // A function that says what the framework handed it, behind the guard.
  ff.http("guardProbe", (req, res) => {
    res.json({
      body: req.body,
      raw: Buffer.isBuffer(req.rawBody) ? req.rawBody.toString("utf8") : null,
      isBuffer: Buffer.isBuffer(req.body),
    });
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  seen.length = 0;
  vi.unstubAllEnvs();
});

/** A POST written as the caller chooses: declared length or chunked, whole or cut off. */
const post = (
  chunks: Buffer[],
  headers: Record<string, string>,
  options: { abort?: boolean } = {},
): Promise<{ status: number; body: string; headers: IncomingMessage["headers"] }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    if (options.abort) {
      setTimeout(() => {
        req.destroy();
        resolve({ status: 0, body: "", headers: {} });
      }, 50);
    } else req.end();
  });

const JSON_TYPE = { "content-type": "application/json" };

describe("the request guard", () => {
  it("hands a JSON body on parsed, with its raw bytes", async () => {
    const res = await post([Buffer.from('{"formId":"f","responseId":"r"}')], JSON_TYPE);
    expect(res.status).toBe(200);
    expect(seen).toEqual([
      { body: { formId: "f", responseId: "r" }, raw: '{"formId":"f","responseId":"r"}' },
    ]);
  });

  it("refuses a compressed body by its header, without inflating it", async () => {
    // 100 MiB of zeros, 100 KiB compressed: inflating it is what the guard is there to prevent.
    const bomb = gzipSync(Buffer.alloc(100 * 1024 * 1024));
    for (const encoding of ["gzip", "deflate", "br", "GZIP", "identity, gzip"]) {
      const res = await post([bomb], { ...JSON_TYPE, "content-encoding": encoding });
      expect(res.status, encoding).toBe(415);
      expect(JSON.parse(res.body).error).toContain("Content-Encoding");
    }
    expect(seen).toEqual([]);
    expect((await post([Buffer.from("{}")], { ...JSON_TYPE, "content-encoding": "identity" })).status).toBe(
      200,
    );
  });

  it("refuses a body over the limit, by its Content-Length or counted as it arrives", async () => {
    const limit = GUARD_POLICIES.ingestResponse.maxBytes;
    const big = Buffer.alloc(limit + 1, 0x20);
    const declared = await post([big], { ...JSON_TYPE, "content-length": String(big.length) });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error).toContain(`tối đa ${limit}`);
    // Chunked, no length: 4 MiB in 64 KiB pieces, refused once past the limit, the rest thrown away.
    const piece = Buffer.alloc(64 * 1024, 0x20);
    const chunked = await post(
      Array.from({ length: 64 }, () => piece),
      {
        ...JSON_TYPE,
        "transfer-encoding": "chunked",
      },
    );
    expect(chunked.status).toBe(413);
    expect(seen).toEqual([]);
    // Exactly the limit passes (as JSON: spaces around an object).
    const fits = Buffer.concat([Buffer.from("{}"), Buffer.alloc(limit - 2, 0x20)]);
    expect((await post([fits], { ...JSON_TYPE, "transfer-encoding": "chunked" })).status).toBe(200);
  });

  it("survives a caller that hangs up mid-body, and hands nothing on", async () => {
    await post([Buffer.from('{"formId": "')], { ...JSON_TYPE, "content-length": "1000" }, { abort: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([]);
    expect((await post([Buffer.from("{}")], JSON_TYPE)).status).toBe(200);
  });

  it("refuses another type or charset, malformed, deeply nested or non-UTF-8 JSON, with its own JSON", async () => {
    const cases: Array<[Buffer, Record<string, string>, number, RegExp]> = [
      [Buffer.from("{}"), { "content-type": "text/plain" }, 415, /^Content-Type phải là application\/json/u],
      [Buffer.from("{}"), { "content-type": "application/json; charset=latin1" }, 415, /UTF-8/u],
      [Buffer.from('{"a": '), JSON_TYPE, 400, /^Dữ liệu không phải JSON hợp lệ/u],
      [Buffer.from(`${"[".repeat(5000)}${"]".repeat(5000)}`), JSON_TYPE, 400, /lồng quá sâu/u],
      [Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), JSON_TYPE, 400, /UTF-8/u],
    ];
    for (const [body, headers, status, message] of cases) {
      const res = await post([body], headers);
      expect(res.status, JSON.stringify(headers)).toBe(status);
      expect(res.headers["content-type"]).toMatch(/^application\/json/u);
      expect(JSON.parse(res.body).error).toMatch(message);
    }
    expect(seen).toEqual([]);
  });

  it("counts nesting on the bytes, not inside strings", () => {
    expect(nestsDeeperThan(Buffer.from(`{"a": "${"[".repeat(100)}"}`), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(`{"a": "\\"${"{".repeat(100)}"}`), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(`${"[".repeat(65)}${"]".repeat(65)}`), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(Buffer.from(`${"[".repeat(64)}${"]".repeat(64)}`), MAX_JSON_DEPTH)).toBe(false);
  });
});

describe("the guard in front of the Functions Framework", () => {
  it("leaves the framework's body parsers nothing to do: the body it hands on is the guard's", async () => {
    const probe = guardServer(getTestServer("guardProbe"), "ingestResponse");
    const res = await request(probe).post("/").set("content-type", "application/json").send('{"a":[1,2]}');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ body: { a: [1, 2] }, raw: '{"a":[1,2]}', isBuffer: false });
    // reconcile takes any type (Cloud Scheduler may send application/octet-stream) and no body.
    const any = guardServer(getTestServer("guardProbe"), "reconcile");
    const octets = await request(any).post("/").set("content-type", "application/octet-stream").send("abc");
    expect(octets.body).toEqual({ raw: "abc", isBuffer: true, body: { type: "Buffer", data: [97, 98, 99] } });
    expect((await request(any).post("/")).body).toMatchObject({ raw: "" });
  });

  it.each(["production", "development"])(
    "answers malformed JSON with its JSON, never the framework's page or a stack (NODE_ENV=%s)",
    async (mode) => {
      vi.stubEnv("NODE_ENV", mode);
      const probe = guardServer(getTestServer("guardProbe"), "onFormResponses");
      const res = await request(probe)
        .post("/")
        .set("content-type", "application/cloudevents+json")
        .send('{"specversion": "1.0", ');
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/json/u);
      expect(Object.keys(res.body)).toEqual(["error"]);
      expect(res.text).not.toMatch(/<html|at JSON\.parse|node_modules/iu);
    },
  );

  it("keeps the CloudEvent function from requests its framework breaks on: its answers stay ours", async () => {
    ff.cloudEvent("guardEventProbe", () => {});
    const event = () => guardServer(getTestServer("guardEventProbe"), "onFormResponses");
    const get = await request(event()).get("/");
    expect([get.status, get.headers.allow, get.body.error]).toEqual([
      405,
      "POST",
      "Chỉ nhận phương thức POST.",
    ]);
    for (const body of ["", "null", "5", '"text"', "[1]"]) {
      const res = await request(event()).post("/").set("content-type", "application/json").send(body);
      expect(res.status, body).toBe(400);
      expect(res.body.error, body).toMatch(/^Cần một đối tượng JSON/u);
    }
    // Shapes that pass the guard but break the framework's own event conversion: 400, our JSON.
    for (const body of [
      { context: 5, data: 1 },
      { data: 1, eventType: "x", resource: "y", context: null },
    ]) {
      const res = await request(event()).post("/").set("content-type", "application/json").send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/json/u);
      expect(res.text).not.toMatch(/<html|TypeError|node_modules/iu);
    }
    const fine = await request(event())
      .post("/")
      .set("content-type", "application/json")
      .send({ message: { attributes: { formId: "f" } } });
    expect(fine.status).toBe(204);
  });

  it("gives each function its limit: 16 KiB for the notice and reconcile, 1 MiB for a CloudEvent", async () => {
    expect(GUARD_POLICIES.ingestResponse.maxBytes).toBe(16 * 1024);
    expect(GUARD_POLICIES.reconcile.maxBytes).toBe(16 * 1024);
    expect(GUARD_POLICIES.onFormResponses.maxBytes).toBe(1024 * 1024);
    const event = guardServer(getTestServer("guardProbe"), "onFormResponses");
    const padded = JSON.stringify({ message: { attributes: { formId: "f" } }, pad: "x".repeat(100_000) });
    expect((await request(event).post("/").set("content-type", "application/json").send(padded)).status).toBe(
      200,
    );
    const over = JSON.stringify({ pad: "x".repeat(1024 * 1024) });
    expect((await request(event).post("/").set("content-type", "application/json").send(over)).status).toBe(
      413,
    );
  });
});
