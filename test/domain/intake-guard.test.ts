import { describe, expect, it } from "vitest";
import type { IntakeContext } from "../../functions/src/domain/intake.js";
import { MAX_RESPONSE_BYTES, readResponse, unstorable } from "../../functions/src/domain/intake-guard.js";
import { defaultSet, formResponse, PASSING_DOSSIER, SCHOOLS, specBindings } from "../kit/index.js";

/** Poison: a response too large or too deep to store is kept, quarantined, and never blocks the others. */
const bindings = specBindings("dossier");
const ctx: IntakeContext = {
  stage: "dossier",
  set: defaultSet(),
  bindings,
  schools: new Map(SCHOOLS.map((s) => [s.code, s])),
  receivedAt: "2026-11-06T00:00:00.000Z",
};
const th1 = SCHOOLS[1] as (typeof SCHOOLS)[number];
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), "utf8");

describe("intake's guard against poison", () => {
  it("quarantines an oversized response, still naming its school, and keeps a marked head of it", () => {
    // Half a megabyte pasted into one answer (Vietnamese: three bytes a letter in UTF-8).
    const huge = "ế".repeat(180_000);
    const response = formResponse(bindings, th1, { ...PASSING_DOSSIER, "2.3": huge }, { responseId: "to" });
    const outcome = readResponse(response, ctx);
    expect(outcome).toMatchObject({ disposition: "quarantined", schoolCode: th1.code, responseId: "to" });
    expect(outcome.reasons[0]).toMatch(/^Câu trả lời quá lớn \(\d+ KB, tối đa 256 KB\)/u);
    expect(outcome.answers).toEqual({});
    expect(outcome.raw).toMatchObject({ truncated: true, bytes: bytes(response) });
    // What is kept is small whatever came in, and cut between characters.
    expect(bytes(outcome)).toBeLessThan(64 * 1024);
    const head = (outcome.raw as { head: string }).head;
    expect(Buffer.from(head, "utf8").toString("utf8")).toBe(head);
  });

  it("reads a response just under the limit as usual", () => {
    const response = formResponse(bindings, th1, PASSING_DOSSIER, { responseId: "vua" });
    const padded = { ...response, note: "a".repeat(MAX_RESPONSE_BYTES - bytes(response) - 20) };
    expect(bytes(padded)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(readResponse(padded, ctx).disposition).toBe("accepted");
  });

  it("keeps a response nested too deep to serialise, under its own id, with a reason", () => {
    let deep: unknown = "đáy";
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    const response = { responseId: "sau", lastSubmittedTime: "2026-11-05T01:00:00Z", answers: deep };
    expect(() => JSON.stringify(response)).toThrow(RangeError);
    const outcome = readResponse(response, ctx);
    expect(outcome).toMatchObject({
      key: "sau@2026-11-05T01:00:00.000Z",
      disposition: "quarantined",
      malformed: true,
      schoolCode: null,
    });
    expect(outcome.reasons[0]).toContain("lồng nhau quá sâu");
    expect(bytes(outcome.raw)).toBeLessThan(20 * 1024);
    // The same payload delivered again gets the same key: stored once.
    expect(readResponse(response, ctx).key).toBe(outcome.key);
  });

  it("turns a response the store refuses into one it can keep, reasons first", () => {
    const outcome = readResponse(formResponse(bindings, th1, PASSING_DOSSIER, { responseId: "x" }), ctx);
    const kept = unstorable({ ...outcome, raw: { blob: "z".repeat(2_000_000) } });
    expect(kept.disposition).toBe("quarantined");
    expect(kept.reasons[0]).toContain("không lưu được nguyên văn");
    expect(bytes(kept)).toBeLessThan(64 * 1024);
    expect(kept.key).toBe(outcome.key);
  });
});
