import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseVietnameseNumber } from "../../functions/src/domain/numbers.js";
import { truncateText } from "../../functions/src/domain/text.js";

describe("parseVietnameseNumber", () => {
  it.each([
    ["0", 0],
    ["12", 12],
    ["1.234", 1234],
    ["1.234.567", 1234567],
    ["1.234,5", 1234.5],
    ["1,234.5", 1234.5],
    ["0,5", 0.5],
    ["0.5", 0.5],
    ["12,75", 12.75],
    ["90%", 90],
    ["90 %", 90],
    [" 100 % ", 100],
    ["99,5%", 99.5],
    ["-3", -3],
    ["１２", 12], // full-width digits, as some Vietnamese IMEs type them
  ])("%j → %d", (text, expected) => {
    expect(parseVietnameseNumber(text)).toBe(expected);
  });

  it.each(["", "abc", "1,000", "12,500", "1,2,3", "12..3", "1.23.4", "%", "1 2", "1.234,5,6", "Có"])(
    "%j is not a number",
    (text) => {
      expect(parseVietnameseNumber(text)).toBeUndefined();
    },
  );

  it("reads back every integer written with Vietnamese grouping", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (n) => {
        expect(parseVietnameseNumber(new Intl.NumberFormat("vi-VN").format(n))).toBe(n);
      }),
    );
  });

  it("reads back every decimal written with a Vietnamese decimal comma", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 6 }), fc.integer({ min: 1, max: 99 }), (whole, cents) => {
        const text = `${whole},${String(cents).padStart(2, "0")}`;
        expect(parseVietnameseNumber(text)).toBeCloseTo(whole + cents / 100, 9);
      }),
    );
  });

  it("never throws", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const n = parseVietnameseNumber(s);
        expect(n === undefined || Number.isFinite(n)).toBe(true);
      }),
    );
  });
});

describe("truncateText", () => {
  it.each([
    ["short", 10, "short"],
    ["Trường học điển hình", 8, "Trường …"],
    ["ab😀cd", 4, "ab…"],
    ["ab😀cd", 5, "ab😀…"],
    ["xe\u0301\u0301yz", 4, "x…"],
    ["👨‍👩‍👧‍👦 gia đình", 5, "…"],
  ])("%j cut to %i: %j", (text, max, expected) => {
    const cut = truncateText(text, max);
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(max);
    // No lone surrogate: every code point survives a round trip through UTF-8.
    expect(Buffer.from(cut, "utf8").toString("utf8")).toBe(cut);
  });
});
