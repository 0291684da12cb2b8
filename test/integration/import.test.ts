import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importResponsesFile } from "../../functions/src/app/import.js";
import { parseFormsTimestamp } from "../../functions/src/data/forms-export.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import { formResponse, makeCampaign, PASSING_DOSSIER, SCHOOLS, testDeps, testStore } from "../kit/index.js";

const deps = testDeps();
const [mn1, th1, cs1] = SCHOOLS as [(typeof SCHOOLS)[0], (typeof SCHOOLS)[0], (typeof SCHOOLS)[0]];

const tempFile = async (name: string, content: string) => {
  const dir = await mkdtemp(join(tmpdir(), "dienhinh-import-"));
  await writeFile(join(dir, name), content);
  return join(dir, name);
};

/** Three schools' dossiers: one passing, one with an incident, one from a stranger's account. */
const responses = (campaign: Campaign) => {
  const form = campaign.forms.dossier as NonNullable<Campaign["forms"]["dossier"]>;
  return [
    formResponse(form.bindings, th1, PASSING_DOSSIER, {
      responseId: "a",
      email: "th1@test.example",
      lastSubmittedTime: "2026-11-05T01:00:00Z",
    }),
    formResponse(
      form.bindings,
      cs1,
      { ...PASSING_DOSSIER, "4.1": "1" },
      { responseId: "b", email: "cs1@test.example", lastSubmittedTime: "2026-11-05T02:00:00Z" },
    ),
    formResponse(form.bindings, mn1, PASSING_DOSSIER, {
      responseId: "c",
      email: "ai-do@gmail.com",
      lastSubmittedTime: "2026-11-05T03:00:00Z",
    }),
  ].map((r) => ({ ...r, formId: form.formId }));
};

/** The same answers as Google Forms' "Download responses (.csv)" writes them. */
const asCsv = (campaign: Campaign, list: ReturnType<typeof responses>) => {
  const form = campaign.forms.dossier as NonNullable<Campaign["forms"]["dossier"]>;
  const titles = form.bindings.map((b) => b.title);
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const rows = list.map((r) => {
    const time = new Date(Date.parse(r.lastSubmittedTime) + 7 * 3600 * 1000); // Hồ Chí Minh City time, as the export shows
    const stamp = `${time.getUTCFullYear()}/${String(time.getUTCMonth() + 1).padStart(2, "0")}/${String(time.getUTCDate()).padStart(2, "0")} ${time.getUTCHours() % 12 || 12}:${String(time.getUTCMinutes()).padStart(2, "0")}:00 ${time.getUTCHours() < 12 ? "SA" : "CH"} GMT+7`;
    const cells = form.bindings.map((b) => {
      const answer = r.answers?.[b.questionId] as
        | { textAnswers?: { answers?: Array<{ value?: string }> } }
        | undefined;
      return answer?.textAnswers?.answers?.[0]?.value ?? "";
    });
    return [stamp, r.respondentEmail ?? "", ...cells].map(quote).join(",");
  });
  return `\uFEFF${["Dấu thời gian", "Địa chỉ email", ...titles].map(quote).join(",")}\n${rows.join("\n")}\n`;
};

const state = async (campaign: Campaign) => {
  const store = testStore();
  const states = await store.states.load(campaign.id);
  return {
    submissions: (await store.submissions.list(campaign.id)).length,
    outbox: (await store.outbox.list(campaign.id)).length,
    statuses: Object.fromEntries([...states].map(([code, s]) => [code, s.status])),
    updated: [...states.values()].map((s) => s.version).sort(),
  };
};

describe("dienhinh import (backfill)", () => {
  it("imports a saved responses.list reply; three imports leave one of everything", async () => {
    const campaign = await makeCampaign();
    const file = await tempFile("responses.json", JSON.stringify({ responses: responses(campaign) }));
    const first = await importResponsesFile(deps, campaign, file);
    expect(first).toMatchObject({ stage: "dossier", received: 3, stored: 3, accepted: 2, quarantined: 1 });
    const after = await state(campaign);
    for (let i = 0; i < 2; i++) {
      expect(await importResponsesFile(deps, campaign, file)).toMatchObject({ stored: 0, duplicates: 3 });
    }
    expect(await state(campaign)).toEqual(after);
    expect(after).toMatchObject({
      submissions: 3,
      outbox: 3,
      // T-TH1 never registered: its registration items are to supply; T-CS1 reported an incident.
      statuses: { "T-TH1": "can-bo-sung", "T-CS1": "khong-du-dieu-kien", "T-MN1": "can-bo-sung" },
    });
  });

  it("gives the same statuses for the Forms CSV export of the same answers, and re-importing it changes nothing", async () => {
    const jsonCampaign = await makeCampaign();
    const csvCampaign = await makeCampaign();
    await importResponsesFile(
      deps,
      jsonCampaign,
      await tempFile("r.json", JSON.stringify({ responses: responses(jsonCampaign) })),
    );
    const csvFile = await tempFile("r.csv", asCsv(csvCampaign, responses(csvCampaign)));
    const summary = await importResponsesFile(deps, csvCampaign, csvFile, { stage: "dossier" });
    expect(summary).toMatchObject({ received: 3, stored: 3, accepted: 2, quarantined: 1 });
    const viaCsv = await state(csvCampaign);
    expect(viaCsv.statuses).toEqual((await state(jsonCampaign)).statuses);
    expect(await importResponsesFile(deps, csvCampaign, csvFile, { stage: "dossier" })).toMatchObject({
      stored: 0,
      duplicates: 3,
    });
    expect(await state(csvCampaign)).toEqual(viaCsv);
  });

  it("refuses a file that is neither, with the file named", async () => {
    const campaign = await makeCampaign();
    await expect(importResponsesFile(deps, campaign, await tempFile("x.csv", "a,b\n1,2\n"))).rejects.toThrow(
      /x\.csv không hợp lệ[\s\S]*Dấu thời gian/,
    );
    await expect(importResponsesFile(deps, campaign, await tempFile("x.json", "{nope"))).rejects.toThrow(
      /không phải JSON hợp lệ/,
    );
  });

  it.each([
    ["2026/11/05 8:30:00 SA GMT+7", true, "2026-11-05T01:30:00.000Z"],
    ["2026/11/05 8:30:00 CH GMT+7", true, "2026-11-05T13:30:00.000Z"],
    ["2026/11/05 12:05:00 AM GMT+7", false, "2026-11-04T17:05:00.000Z"],
    ["05/11/2026 08:30:00", true, "2026-11-05T01:30:00.000Z"],
    ["11/5/2026 8:30:00", false, "2026-11-05T01:30:00.000Z"],
    ["2026-11-05T01:30:00Z", true, "2026-11-05T01:30:00.000Z"],
    ["hôm qua", true, undefined],
    ["31/02/2026 08:30:00", true, undefined],
    ["05/11/2026 24:00:00", true, undefined],
    ["5/11/26 8:30:00", true, undefined],
  ])("reads the export timestamp %s", (text, dayFirst, expected) => {
    expect(parseFormsTimestamp(text, { dayFirst, utcOffset: "+07:00" })).toBe(expected);
  });
});
