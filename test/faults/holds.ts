import { expect, inject, it } from "vitest";
import type { Fault } from "./fault.js";

/**
 * A fault of the suite (npm run faults) as a slow test: done to the real parts, and the figures
 * that must hold asserted: nothing sent twice or lost, every figure within its limit. One file per
 * fault, so that they run side by side.
 */
export const faultHolds = (fault: Fault): void => {
  it(fault.name, async () => {
    const rows = await fault.run({ firestoreHost: inject("firestoreHost") });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      // The figure first: a fault that fails on time says by how much.
      const said = row.failed ? `\n${row.failed.join("\n")}` : "";
      if (row.measure)
        expect(row.measure.value, `${row.fault}: ${row.measure.name}${said}`).toBeLessThanOrEqual(
          row.measure.limit,
        );
      expect(row, `${row.fault}${row.failed ? `: ${row.failed.join("\n")}` : ""}`).toMatchObject({
        lost: 0,
        ok: true,
      });
      expect(row.duplicated ?? 0, `${row.fault}: duplicated`).toBe(0);
    }
  }, 420_000);
};
