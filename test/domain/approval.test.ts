import { describe, expect, it } from "vitest";
import {
  APPROVE,
  approvalCells,
  approvalOf,
  isApproved,
  numberOf,
} from "../../functions/src/domain/approval.js";
import { CONTROL_TITLES } from "../../functions/src/domain/control.js";
import { readControl, withControlRead } from "../../functions/src/domain/control-tab.js";
import type { ColumnModel } from "../../functions/src/domain/workbook-model.js";

describe("the office's approval (Phòng duyệt gửi)", () => {
  it("approves the content the row shows, and lets an approval of older content lapse", () => {
    expect(approvalOf("Duyệt", "h1", undefined)).toBe("h1");
    expect(approvalOf(" duyệt ", "h1", { note: "" })).toBe("h1");
    // NFD, as a pasted cell may hold it.
    expect(approvalOf("Duyệt".normalize("NFD"), "h1", undefined)).toBe("h1");
    expect(approvalOf("Duyệt", "h2", { note: "", approved: "h2" })).toBe("h2");
    // The school sent something new since: the cell still shows the earlier approval.
    expect(approvalOf("Duyệt", "h2", { note: "", approved: "h1" })).toBeUndefined();
    expect(approvalOf("", "h1", { note: "", approved: "h1" })).toBeUndefined();
    expect(approvalOf("Đồng ý", "h1", undefined)).toBeUndefined();
    expect(approvalOf("Duyệt", undefined, undefined)).toBeUndefined();
  });

  it("takes the registered number's leading figure, refuses what is not one, and lets a number for older content lapse", () => {
    expect(numberOf("35", "h", undefined)).toEqual({ number: { hash: "h", value: 35 } });
    expect(numberOf("035/TB-GDĐT", "h", undefined)).toEqual({ number: { hash: "h", value: 35 } });
    expect(numberOf("", "h", undefined)).toEqual({});
    expect(numberOf("ba mươi", "h", undefined).problem).toContain("ví dụ 15 hoặc 15/TB-GDĐT");
    expect(numberOf("0", "h", undefined).problem).toBeDefined();
    const before = { note: "", number: { hash: "old", value: 35 } };
    expect(numberOf("35", "new", before)).toEqual({});
    expect(numberOf("36", "new", before)).toEqual({ number: { hash: "new", value: 36 } });
  });

  it("counts the office's own acts as approval: a verdict, a decision", () => {
    const base = {
      contentHash: "h",
      review: null,
      recognition: null,
      outcome: { verdict: null, rejected: [], pending: [] },
    };
    expect(isApproved({ ...base, status: "cho-kiem-tra" } as never)).toBe(false);
    expect(
      isApproved({ ...base, status: "cho-kiem-tra", review: { note: "", approved: "h" } } as never),
    ).toBe(true);
    expect(
      isApproved({
        ...base,
        status: "khong-dat",
        outcome: { verdict: "khong-dat", rejected: [], pending: [] },
      } as never),
    ).toBe(true);
    // One claim rejected while the team is still entering the others: not the office's word yet.
    expect(
      isApproved({
        ...base,
        status: "khong-dat",
        outcome: { verdict: "khong-dat", rejected: [], pending: ["2.1"] },
      } as never),
    ).toBe(false);
    expect(
      isApproved({
        ...base,
        status: "duoc-cong-nhan",
        recognition: { number: "1/QĐ", date: "2026-12-01" },
      } as never),
    ).toBe(true);
    expect(approvalCells({ contentHash: "h", review: { note: "", approved: "h" } })).toEqual({
      approve: APPROVE,
      number: null,
    });
    expect(approvalCells({ contentHash: "h2", review: { note: "", approved: "h" } }).approve).toBeNull();
  });
});

describe("the Điều khiển tab as read", () => {
  const columns = [
    { field: "item", header: "Việc" },
    { field: "value", header: "Yêu cầu" },
  ] as ColumnModel[];
  const tab = (rows: string[][]) => ({
    rowCount: rows.length + 1,
    columnCount: 2,
    values: [["Việc", "Yêu cầu"], ...rows],
  });

  it("reads the pause switch and the documents asked for, rows found by title wherever they are", () => {
    const read = readControl(
      columns,
      tab([
        [CONTROL_TITLES["to-trinh"], "lập"],
        [CONTROL_TITLES.paused, "Có"],
        [CONTROL_TITLES["bao-cao"], ""],
        ["Dòng lạ", "Lập"],
      ]),
    );
    expect(read).toEqual({ paused: true, requested: ["to-trinh"] });
    // A request stays until made; an empty switch keeps the stored one.
    const stored = withControlRead(undefined, read);
    expect(withControlRead(stored, { requested: [] })).toMatchObject({
      paused: true,
      requested: ["to-trinh"],
    });
    expect(readControl(columns, undefined)).toBeUndefined();
    expect(readControl(columns, tab([[CONTROL_TITLES.paused, ""]]))).toEqual({ requested: [] });
  });
});
