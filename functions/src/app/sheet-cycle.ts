import { type Campaign, layoutOf } from "../domain/campaign.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import { dayIn } from "../domain/time.js";
import { buildWorkbook } from "../domain/tracking-workbook.js";
import { BusyError, logCause, publicMessageOf } from "../errors.js";
import type { SheetTarget, TargetPlan } from "../infra/sheet-target.js";
import { loadCampaignView } from "./campaign-view.js";
import type { AppDeps } from "./deps.js";
import { takeOfficeInput } from "./office-input.js";
import { deliveryOf, workbookData } from "./workbook.js";

/**
 * One cycle of the tracking sheet: read what the office typed (notes, inspection plans and findings, decisions, the registry tab)
 * into the store, then bring the sheet up to date with every change in one flush. The flush is
 * computed against what the sheet holds, so a failed or interrupted flush is simply finished by
 * the next one: the sheet converges. One cycle runs at a time per campaign (a lease), paced so
 * the writes stay within the Sheets quota.
 */
export interface SheetSyncResult {
  where: string;
  /** Another cycle was running: it takes these changes too. */
  skipped?: "busy";
  /** Write requests sent (Google Sheets: at most two per flush). */
  writes: number;
  /** The write slot the flush waited for (targets with a write quota). */
  slot?: Date;
  changedRows: number;
  rebuilt: string[];
  /** Notes taken from the sheet, schools whose inspection changed or that were recognised, and registry rows added, changed or refused. */
  reviews: number;
  inspections: number;
  recognised: number;
  registry: { added: number; updated: number; refused: number; removed: number };
  /** Outbox entries whose sheet row is now written, and those queued meanwhile (for the next cycle). */
  settled: number;
  remaining: number;
}

export interface SheetSyncOptions {
  /** Re-apply the whole layout (formats, protections, dropdowns) to every tab. */
  repair?: boolean;
  /** How long a cycle may hold the campaign's sheet lease (default: ten minutes). */
  leaseMs?: number;
  /**
   * Take the registry tab back (default). False when a registry file was just loaded: the tab is
   * written again from it instead.
   */
  readRegistry?: boolean;
}

type CycleDeps = Pick<AppDeps, "store" | "clock" | "sleep" | "log">;

const LEASE = "sheet";
/**
 * Longer than the worst cycle: a read and two writes, each retried for about a minute, and a
 * wait for a write slot (bounded below), so two cycles of one campaign never overlap.
 */
const LEASE_MS = 10 * 60_000;
/** Every campaign's sheet is written by the same service account: one quota for all. */
const SHEETS_QUOTA = "sheets-writes";
/** A slot further away than this is not waited for: the work stays pending for a later cycle. */
const MAX_SLOT_WAIT_MS = 3 * 60_000;
/** A flush that moves office cells is planned again from a fresh read when its read is older. */
const FRESH_READ_MS = 1_000;

export const syncSheet = async (
  deps: CycleDeps,
  campaignId: string,
  layout: SheetLayout,
  target: SheetTarget,
  options: SheetSyncOptions = {},
): Promise<SheetSyncResult> => {
  const { store } = deps;
  const lease = await store.leases.acquire(campaignId, LEASE, deps.clock(), options.leaseMs ?? LEASE_MS);
  const result: SheetSyncResult = {
    where: target.where,
    writes: 0,
    changedRows: 0,
    rebuilt: [],
    reviews: 0,
    inspections: 0,
    recognised: 0,
    registry: { added: 0, updated: 0, refused: 0, removed: 0 },
    settled: 0,
    remaining: 0,
  };
  if (!lease) return { ...result, skipped: "busy" };
  try {
    let cycle = await prepareCycle(deps, campaignId, layout, target, options);
    if (cycle.plan.requests > 0 && target.minIntervalMs > 0) {
      result.slot = await waitForSlot(deps, target.minIntervalMs);
      // Cells the office typed travel with a moved row: read them again right before writing,
      // so a keystroke made while we waited is not overwritten by what we read before.
      if (cycle.plan.carriesOfficeCells && deps.clock().getTime() - cycle.readAt > FRESH_READ_MS)
        cycle = await prepareCycle(deps, campaignId, layout, target, options);
    }
    const { requests } = await cycle.plan.apply();
    Object.assign(result, cycle.readBack, {
      writes: requests,
      changedRows: cycle.plan.changedRows,
      rebuilt: cycle.plan.rebuilt,
    });
    const outbox = await store.outbox.settleSheet(campaignId, cycle.shown, deps.clock());
    result.settled = outbox.settled;
    result.remaining = outbox.remaining;
    deps.log.info("sheet synced", { campaign: campaignId, ...result });
    return result;
  } catch (error) {
    // The sheet could not be read or written: what it should show stays pending in the outbox,
    // and the next cycle (which reads the sheet afresh) finishes the job.
    // The office's log reads what it can act on; the outbox and our log keep the whole cause.
    await store.outbox.deferSheet(campaignId, logCause(error));
    await store.events.record(campaignId, [
      {
        at: deps.clock(),
        kind: "Lỗi",
        message: `Không cập nhật được bảng theo dõi: ${publicMessageOf(error).slice(0, 300)}`,
      },
    ]);
    deps.log.error("sheet sync failed", { campaign: campaignId, error: logCause(error) });
    throw error;
  } finally {
    await lease.release();
  }
};

/** Reserve the deployment's next write slot and wait for it (or give up when it is too far). */
const waitForSlot = async (deps: CycleDeps, intervalMs: number): Promise<Date> => {
  const slot = await deps.store.quotas.reserveSlot(SHEETS_QUOTA, deps.clock(), intervalMs);
  const wait = () => slot.getTime() - deps.clock().getTime();
  if (wait() > MAX_SLOT_WAIT_MS)
    throw new BusyError("Bảng theo dõi đang chờ lượt ghi; lần sau sẽ cập nhật.", {
      detail: `sheets quota: next write slot at ${slot.toISOString()}`,
    });
  while (wait() > 0) await deps.sleep(wait());
  return slot;
};

interface PreparedCycle {
  readAt: number;
  plan: TargetPlan;
  readBack: Pick<SheetSyncResult, "reviews" | "inspections" | "recognised" | "registry">;
  /** The content hash of every school as the flush shows it. */
  shown: Map<string, string>;
}

/** Read the sheet, take the office's input into the store, and plan the flush. */
const prepareCycle = async (
  deps: CycleDeps,
  campaignId: string,
  layout: SheetLayout,
  target: SheetTarget,
  options: SheetSyncOptions,
): Promise<PreparedCycle> => {
  const view = await loadCampaignView(deps.store, campaignId);
  const readAt = deps.clock().getTime();
  const current = await target.read();
  // Read after the sheet: a school whose row was not rewritten since its content changed.
  const unshown = new Set((await deps.store.outbox.pending(campaignId, "sheet")).map((i) => i.code));
  const input = await takeOfficeInput(deps, view, layout, current, {
    readRegistry: options.readRegistry !== false,
    unshown,
  });
  const model = buildWorkbook(
    workbookData(
      view,
      layout,
      {
        delivery: deliveryOf(view.stored),
        events: await deps.store.events.recent(campaignId, layout.tabs.log.maxRows),
        incidents: await deps.store.incidents.list(campaignId),
        dataTime: input.dataTime,
        today: dayIn(deps.clock(), layout.timeZone),
        ...(input.registryTab ? { registryRows: input.registryTab.rows } : {}),
        strayTrackingRows: input.trackingTab.stray,
        typedOffice: input.trackingTab.typed,
        inspectionInput: input.inspectionTab,
        ...(input.narrative ? { narrative: input.narrative } : {}),
        ...(input.calendarTab ? { calendarInput: input.calendarTab } : {}),
        ...(input.extensionsTab ? { extensionsInput: input.extensionsTab } : {}),
      },
      input.states,
    ),
  );
  return {
    readAt,
    plan: target.plan(model, current, { repair: options.repair ?? false }),
    readBack: {
      reviews: input.reviews,
      inspections: input.inspections,
      recognised: input.recognised,
      registry: input.registry,
    },
    shown: new Map([...input.states].map(([code, state]) => [code, state.contentHash])),
  };
};

/**
 * Bring a campaign's Google Sheet up to date after new work (a response, a reconcile), when the
 * campaign has a sheet and the deployment a Sheets client. Changes queued while a cycle ran are
 * taken by another cycle (a few at most; the scheduled reconcile catches anything left). A
 * failure is logged and left in the outbox: the responses are stored whatever the sheet does.
 */
export const refreshSheet = async (
  deps: CycleDeps & Pick<AppDeps, "sheets">,
  campaign: Pick<Campaign, "id" | "spreadsheetId" | "sheetLayout">,
  /** strict: a failure is thrown, not only logged (the delivery job must not mail past it). */
  options: { rounds?: number; strict?: boolean } = {},
): Promise<SheetSyncResult | undefined> => {
  if (!deps.sheets || !campaign.spreadsheetId) return undefined;
  const layout = layoutOf(campaign, deps.sheets.layout);
  const target = deps.sheets.target(campaign.spreadsheetId);
  let last: SheetSyncResult | undefined;
  try {
    for (let round = 0; round < (options.rounds ?? 3); round++) {
      last = await syncSheet(deps, campaign.id, layout, target);
      if (last.skipped || last.remaining === 0) break;
    }
  } catch (error) {
    deps.log.error("sheet refresh failed; left pending in the outbox", {
      campaign: campaign.id,
      error: logCause(error),
    });
    if (options.strict) throw error;
  }
  return last;
};
