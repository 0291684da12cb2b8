import { describe, expect, it } from "vitest";
import { removalLimit, removedFromTab } from "../../functions/src/domain/registry-removal.js";

const tab = (codes: string[]) => ({ rows: codes.map((code) => ({ code, cells: {} })), schools: [] });
const codes = (n: number) => Array.from({ length: n }, (_, i) => `T-${i + 1}`);

describe("schools deleted from the Danh sách trường tab", () => {
  it("removes a few at a time, counting a refused row as still there", () => {
    expect(removedFromTab(tab(["T-1", "T-3"]), ["T-1", "T-2", "T-3"])).toEqual({ removed: ["T-2"] });
    expect(removedFromTab(tab(["T-1", "T-2", "T-3"]), ["T-1", "T-2", "T-3"])).toEqual({ removed: [] });
    const withBadRow = {
      rows: [
        { code: "T-1", cells: {}, problem: "Email: sai" },
        { code: "T-2", cells: {} },
      ],
      schools: [],
    };
    expect(removedFromTab(withBadRow, ["T-1", "T-2"])).toEqual({ removed: [] });
    expect(removalLimit(69)).toBe(6);
    expect(removedFromTab(tab(codes(69).slice(6)), codes(69))).toEqual({ removed: codes(6) });
  });

  it("refuses a tab that lost more rows than that, or all of them, and says how to remove more", () => {
    const many = removedFromTab(tab(codes(69).slice(7)), codes(69));
    expect(many).toMatchObject({ missing: codes(7) });
    expect("refused" in many && many.refused).toContain("mỗi lần chỉ bỏ tối đa 6 trường");
    const cleared = removedFromTab(tab([]), ["T-1"]);
    expect("refused" in cleared && cleared.refused).toContain("không bỏ hết");
  });
});
