import { loadCampaignView } from "../functions/src/app/campaign-view.js";
import { ingestResponses } from "../functions/src/app/intake.js";
import { setupCampaign } from "../functions/src/app/setup.js";
import { syncSheet } from "../functions/src/app/sheet-cycle.js";
import { setupSheet } from "../functions/src/app/sheet-setup.js";
import { deliveryOf } from "../functions/src/app/workbook.js";
import { loadCriteriaSet } from "../functions/src/data/criteria-file.js";
import { loadOfficeProfile } from "../functions/src/data/office-file.js";
import { loadSheetLayout } from "../functions/src/data/sheet-layout-file.js";
import { communeLabelOf } from "../functions/src/domain/office.js";
import { buildWorkbook } from "../functions/src/domain/tracking-workbook.js";
import { localAuth } from "../functions/src/infra/google/forms.js";
import { googleSheetsGateway } from "../functions/src/infra/google/sheets.js";
import { planSheet } from "../functions/src/infra/google/sheets-plan.js";
import { googleSheetTarget } from "../functions/src/infra/sheet-target.js";
import type { Store } from "../functions/src/infra/store/index.js";
import { workbookToXlsx } from "../functions/src/infra/xlsx-workbook.js";
import { startSheetsServer } from "../test/kit/index.js";
import { benchDeps, cityRegistry, dossierFor, SCHOOLS } from "./city.js";
import type { Benchmark, Figure } from "./harness.js";

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/**
 * The tracking sheet at city scale: 3,500 schools all changed (every school edits its dossier),
 * then one flush to a local server speaking the Sheets API. Reports the time to build the flush
 * (workbook model + diff against the sheet, pure CPU), the whole cycle (Firestore, read, write),
 * and the requests it took; and the time to write the same workbook as .xlsx.
 */
export const sheetBenchmark = (store: Store): Benchmark => ({
  name: `tracking sheet: ${SCHOOLS.toLocaleString("en")} schools`,
  run: async (): Promise<Figure[]> => {
    const deps = benchDeps(store);
    const layout = await loadSheetLayout();
    const registry = cityRegistry();
    const { campaign } = await setupCampaign(deps, {
      campaignId: "bench-sheet",
      schoolYear: "2026-2027",
      office: await loadOfficeProfile(),
      criteriaSet: await loadCriteriaSet(),
      schools: registry,
    });
    await ingestResponses(
      deps,
      campaign,
      "dossier",
      registry.map((s, i) => dossierFor(campaign, s, i)),
    );
    const server = await startSheetsServer();
    try {
      const gateway = googleSheetsGateway({ rootUrl: server.url, auth: localAuth() });
      const setupStart = process.hrtime.bigint();
      const setup = await setupSheet(deps, campaign.id, layout, {
        gateway,
        target: (id) => googleSheetTarget(gateway, id),
      });
      const setupMs = ms(setupStart);

      // Every school edits its dossier: every row of Theo dõi changes.
      await ingestResponses(
        deps,
        campaign,
        "dossier",
        registry.map((s, i) => dossierFor(campaign, s, i, { edit: true })),
      );

      // The flush alone: the model and its diff against what the sheet holds.
      const snapshot = await gateway.read(setup.spreadsheetId);
      const { stored } = await loadCampaignView(store, campaign.id);
      const buildStart = process.hrtime.bigint();
      const model = buildWorkbook({
        layout,
        schoolYear: campaign.schoolYear,
        place: campaign.office.place,
        communeLabel: communeLabelOf(campaign.office),
        criteriaSet: campaign.criteriaSet,
        schools: registry,
        states: new Map([...stored].map(([code, s]) => [code, s.state])),
        delivery: deliveryOf(stored),
        events: [],
        dataTime: new Date(),
      });
      const plan = planSheet(model, snapshot);
      const buildMs = ms(buildStart);

      // The whole cycle, as the functions run it.
      const mark = server.requests.length;
      const cycleStart = process.hrtime.bigint();
      const result = await syncSheet(
        deps,
        campaign.id,
        layout,
        googleSheetTarget(gateway, setup.spreadsheetId, { minIntervalMs: 0 }),
      );
      const cycleMs = ms(cycleStart);
      const requests = server.requests.slice(mark);
      const writes = requests.filter((r) => r.method !== "GET").length;
      const reads = requests.length - writes;

      const xlsxStart = process.hrtime.bigint();
      const bytes = (await workbookToXlsx(model)).length;
      const xlsxMs = ms(xlsxStart);
      return [
        {
          name: "build one flush, all schools changed",
          value: buildMs,
          unit: "ms",
          compareWith: { name: "rows in the flush", value: plan.changedRows, unit: "rows" },
        },
        {
          name: "write requests in that flush",
          value: writes,
          unit: "requests",
          compareWith: { name: "read requests", value: reads, unit: "requests" },
          target: "≤ 2",
          met: writes <= 2 && result.changedRows >= SCHOOLS,
        },
        { name: "whole cycle (Firestore, read, write)", value: cycleMs, unit: "ms" },
        {
          name: "set-up of a new sheet (all tabs, all rows)",
          value: setupMs,
          unit: "ms",
          compareWith: { name: "write requests", value: setup.writes, unit: "requests" },
        },
        {
          name: "same workbook as .xlsx",
          value: xlsxMs,
          unit: "ms",
          compareWith: { name: "file size", value: bytes / 1024, unit: "KiB" },
        },
      ];
    } finally {
      await server.close();
    }
  },
});
