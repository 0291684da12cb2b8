import { describe, expect, it } from "vitest";
import { NO_CONTROL } from "../../functions/src/domain/control.js";
import { makeCampaign, testStore, uniqueId } from "../kit/index.js";

/** `setup` (or `onboard`) run again on a running campaign repairs it, and forgets nothing the office set. */
describe("setting a campaign up again", () => {
  it("keeps the extensions granted and the office's controls (its pause switch, the documents it made)", async () => {
    const id = uniqueId("setup-again");
    await makeCampaign({ id });
    const store = testStore();
    const extension = {
      school: "T-TH1",
      deadline: "dossier" as const,
      until: "2026-11-25",
      reason: "Sửa phòng học",
    };
    await store.campaigns.setExtensions(id, [extension]);
    const control = {
      ...NO_CONTROL,
      paused: true,
      made: { "bao-cao": { url: "https://drive.example/bc.pdf", at: "2026-11-20T03:00:00.000Z" } },
    };
    await store.campaigns.setControl(id, control);
    await makeCampaign({ id });
    const again = await store.campaigns.get(id);
    expect(again.extensions).toEqual([extension]);
    expect(again.control).toEqual(control);
  });
});
