import { getTestServer } from "@google-cloud/functions-framework/testing";
import request from "supertest";
import { afterEach, describe, expect, it, vi } from "vitest";

/** The deployed entry point (functions/src/index.ts) reads its configuration before anything else. */
describe("the Cloud Functions entry point", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("stops the deployed entry point at start when its function's variable is missing", async () => {
    vi.stubEnv("FUNCTION_TARGET", "reconcile");
    vi.stubEnv("GOOGLE_CLOUD_PROJECT", "demo-dienhinh");
    vi.stubEnv("DIENHINH_OIDC_AUDIENCE", "");
    await expect(import("../../functions/src/index.js")).rejects.toThrow(
      /reconcile cần biến môi trường \/ needs: DIENHINH_OIDC_AUDIENCE/u,
    );
  });

  it("puts the request guard in front of the server the Functions Framework creates next, and only that one", async () => {
    vi.stubEnv("FUNCTION_TARGET", "ingestResponse");
    vi.stubEnv("GOOGLE_CLOUD_PROJECT", "demo-dienhinh");
    const http = (await import("node:http")).default;
    const createServer = http.createServer;
    await import("../../functions/src/index.js");
    expect(http.createServer).not.toBe(createServer);
    // What the framework's main.js does once the functions are loaded: http.createServer(app).
    const server = getTestServer("ingestResponse");
    expect(http.createServer).toBe(createServer);
    // Refused by the guard before any body parser (or our handler, or Firestore) sees it.
    const gzipped = await request(server)
      .post("/")
      .set("content-type", "application/json")
      .set("content-encoding", "gzip")
      .send(Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
    expect(gzipped.status).toBe(415);
    expect(gzipped.body.error).toContain("Content-Encoding: gzip");
    const malformed = await request(server).post("/").set("content-type", "application/json").send("{");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatch(/^Dữ liệu không phải JSON hợp lệ/u);
    // The next server is the framework's own again.
    const plain = getTestServer("ingestResponse");
    expect((await request(plain).post("/").set("content-type", "application/json").send("{")).text).toMatch(
      /<!DOCTYPE html>|SyntaxError/u,
    );
  });
});
