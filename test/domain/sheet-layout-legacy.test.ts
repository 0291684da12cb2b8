import { describe, expect, it } from "vitest";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import { sheetLayoutSchema } from "../../functions/src/domain/sheet-layout.js";

/** A campaign's own layout saved before issue 16, as Firestore holds it, read again. */
describe("a sheet layout saved before the office's approval and controls", () => {
  it("gets Theo dõi's approval and number columns before the note, and the Điều khiển tab, as shipped", async () => {
    const shipped = await loadSheetLayout();
    const { control: _, ...tabs } = shipped.tabs;
    const old = {
      ...shipped,
      tabs: {
        ...tabs,
        tracking: {
          ...tabs.tracking,
          columns: tabs.tracking.columns.filter((c) => c.field !== "approve" && c.field !== "number"),
        },
      },
    };
    const read = sheetLayoutSchema.parse(JSON.parse(JSON.stringify(old)));
    expect(read.tabs.tracking.columns.map((c) => c.field)).toEqual(
      shipped.tabs.tracking.columns.map((c) => c.field),
    );
    expect(read.tabs.tracking.columns.find((c) => c.field === "approve")).toEqual(
      shipped.tabs.tracking.columns.find((c) => c.field === "approve"),
    );
    expect(read.tabs.control).toEqual(shipped.tabs.control);
    // The shipped layout itself reads unchanged.
    expect(sheetLayoutSchema.parse(JSON.parse(JSON.stringify(shipped)))).toEqual(shipped);
  });
});
