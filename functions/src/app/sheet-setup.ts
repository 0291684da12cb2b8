import { communeLabelOf } from "../domain/office.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import { buildWorkbook } from "../domain/tracking-workbook.js";
import type { AppDeps, SheetsAccess } from "./deps.js";
import { type SheetSyncResult, syncSheet } from "./sheet-cycle.js";

/**
 * Create the campaign's Google Sheet (all tabs, formats, protections, dropdowns, chart), share it
 * with the office, and fill it; on an existing sheet, lay every tab out again, repairing drift
 * (a deleted tab, a moved column) while the office's columns are read back first and kept.
 */
export const setupSheet = async (
  deps: Pick<AppDeps, "store" | "clock" | "sleep" | "log">,
  campaignId: string,
  layout: SheetLayout,
  sheets: Pick<SheetsAccess, "gateway" | "target">,
  options: { shareWith?: readonly string[]; readRegistry?: boolean } = {},
): Promise<SheetSyncResult & { spreadsheetId: string; created: boolean }> => {
  const campaign = await deps.store.campaigns.get(campaignId);
  let spreadsheetId = campaign.spreadsheetId;
  const created = !spreadsheetId;
  if (!spreadsheetId) {
    // Only the title and the tabs are needed to create it; the first cycle fills it.
    const model = buildWorkbook({
      layout,
      schoolYear: campaign.schoolYear,
      place: campaign.office.place,
      communeLabel: communeLabelOf(campaign.office),
      criteriaSet: campaign.criteriaSet,
      schools: [],
      states: new Map(),
      events: [],
      dataTime: null,
    });
    spreadsheetId = (await sheets.gateway.create(model)).spreadsheetId;
    await deps.store.campaigns.setSpreadsheet(campaignId, spreadsheetId);
    deps.log.info("sheet created", { campaign: campaignId, spreadsheetId });
  }
  // Shared on every set-up (granting the same right again changes nothing), so a failed share is repaired.
  for (const email of new Set([campaign.office.email, ...(options.shareWith ?? [])]))
    await sheets.gateway.share(spreadsheetId, email);
  const result = await syncSheet(deps, campaignId, layout, sheets.target(spreadsheetId), {
    repair: true,
    ...(options.readRegistry === undefined ? {} : { readRegistry: options.readRegistry }),
  });
  return { ...result, spreadsheetId, created };
};
