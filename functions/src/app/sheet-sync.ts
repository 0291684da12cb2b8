import type { Firestore } from "@google-cloud/firestore";
import { type Campaign, layoutOf } from "../domain/campaign.js";
import { LEVEL_LABELS } from "../domain/levels.js";
import { NO_REVIEW, type OfficeReview, sameReview, VERDICT_LABELS } from "../domain/review.js";
import type { School } from "../domain/school.js";
import { deriveSchoolState, type SchoolState } from "../domain/school-state.js";
import type { SheetLayout, TabKey } from "../domain/sheet-layout.js";
import { findTab, readRegistry, readTracking, schoolChanged } from "../domain/sheet-readback.js";
import { buildWorkbook, type Delivery, tabColumns, type WorkbookModel } from "../domain/tracking-workbook.js";
import {
  campaignRef,
  loadCampaign,
  loadCampaignView,
  loadSchools,
  type StoredSchoolState,
  saveRecomputedStates,
} from "../infra/campaign-store.js";
import { googleSheetTarget, type SheetTarget, type TargetPlan } from "../infra/sheet-target.js";
import type { SheetsGateway } from "../infra/sheets-api.js";
import {
  acquireLease,
  deferSheetSlots,
  recentLog,
  recordEvents,
  reserveSlot,
  type StoredEvent,
  settleSheetSlots,
} from "../infra/tracking-store.js";
import type { AppDeps } from "./deps.js";

/**
 * One cycle of the tracking sheet: read what the office typed (verdicts, notes, the registry tab)
 * into Firestore, then bring the sheet up to date with every change in one flush. The flush is
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
  /** Verdicts and notes taken from the sheet, and registry rows added, changed or refused. */
  reviews: number;
  registry: { added: number; updated: number; refused: number };
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

export class SheetBusy extends Error {
  override name = "SheetBusy";
}

export const syncSheet = async (
  deps: Pick<AppDeps, "db" | "clock" | "log">,
  campaignId: string,
  layout: SheetLayout,
  target: SheetTarget,
  options: SheetSyncOptions = {},
): Promise<SheetSyncResult> => {
  const { db } = deps;
  const lease = await acquireLease(db, campaignId, LEASE, deps.clock(), options.leaseMs ?? LEASE_MS);
  const result: SheetSyncResult = {
    where: target.where,
    writes: 0,
    changedRows: 0,
    rebuilt: [],
    reviews: 0,
    registry: { added: 0, updated: 0, refused: 0 },
    settled: 0,
    remaining: 0,
  };
  if (!lease) return { ...result, skipped: "busy" };
  try {
    let cycle = await prepareCycle(deps, campaignId, layout, target, options);
    if (cycle.plan.requests > 0 && target.minIntervalMs > 0) {
      const slot = await reserveSlot(db, SHEETS_QUOTA, deps.clock(), target.minIntervalMs);
      result.slot = slot;
      if (slot.getTime() - Date.now() > MAX_SLOT_WAIT_MS)
        throw new SheetBusy(`quota: next write slot at ${slot.toISOString()}`);
      while (Date.now() < slot.getTime())
        await new Promise((r) => setTimeout(r, slot.getTime() - Date.now()));
      // Cells the office typed travel with a moved row: read them again right before writing,
      // so a keystroke made while we waited is not overwritten by what we read before.
      if (cycle.plan.carriesOfficeCells && Date.now() - cycle.readAt > FRESH_READ_MS)
        cycle = await prepareCycle(deps, campaignId, layout, target, options);
    }
    const { requests } = await cycle.plan.apply();
    Object.assign(result, cycle.readBack, {
      writes: requests,
      changedRows: cycle.plan.changedRows,
      rebuilt: cycle.plan.rebuilt,
    });
    const outbox = await settleSheetSlots(db, campaignId, cycle.shown, deps.clock());
    result.settled = outbox.settled;
    result.remaining = outbox.remaining;
    deps.log.info("sheet synced", { campaign: campaignId, ...result });
    return result;
  } catch (error) {
    // The sheet could not be read or written: what it should show stays pending in the outbox,
    // and the next cycle (which reads the sheet afresh) finishes the job.
    const message = error instanceof Error ? error.message : String(error);
    await deferSheetSlots(db, campaignId, message);
    await recordEvents(db, campaignId, [
      {
        at: deps.clock(),
        kind: "Lỗi",
        message: `Không cập nhật được bảng theo dõi: ${message.slice(0, 300)}`,
      },
    ]);
    deps.log.error("sheet sync failed", { campaign: campaignId, error: message });
    throw error;
  } finally {
    await lease.release();
  }
};

interface PreparedCycle {
  readAt: number;
  plan: TargetPlan;
  readBack: Pick<SheetSyncResult, "reviews" | "registry">;
  /** The content hash of every school as the flush shows it. */
  shown: Map<string, string>;
}

/** Read the sheet, take the office's input into Firestore, and plan the flush. */
const prepareCycle = async (
  deps: Pick<AppDeps, "db" | "clock" | "log">,
  campaignId: string,
  layout: SheetLayout,
  target: SheetTarget,
  options: SheetSyncOptions,
): Promise<PreparedCycle> => {
  const { db } = deps;
  const { campaign, schools, stored } = await loadCampaignView(db, campaignId);
  const readAt = Date.now();
  const current = await target.read();
  const now = deps.clock();
  const readBack: PreparedCycle["readBack"] = { reviews: 0, registry: { added: 0, updated: 0, refused: 0 } };
  const events: StoredEvent[] = [];
  const columns = (key: TabKey) => tabColumns(layout, key, campaign.criteriaSet);

  // 1. The registry tab, as the office keeps it.
  const registry =
    options.readRegistry === false
      ? undefined
      : readRegistry(layout, columns("registry"), findTab(current, layout, "registry"));
  const schoolWrites: School[] = [];
  const schoolEvents: StoredEvent[] = [];
  for (const school of registry?.schools ?? []) {
    const before = schools.get(school.code);
    if (before && !schoolChanged(before, school)) continue;
    schoolWrites.push(school);
    schools.set(school.code, school);
    if (before) readBack.registry.updated++;
    else readBack.registry.added++;
    schoolEvents.push({
      at: now,
      kind: "Danh sách trường",
      schoolCode: school.code,
      message: before
        ? `Cập nhật thông tin trường: ${school.name}, ${LEVEL_LABELS[school.level]}, ${school.commune}`
        : `Thêm trường mới: ${school.name}, ${LEVEL_LABELS[school.level]}, ${school.commune}`,
    });
  }
  for (const row of registry?.rows ?? []) {
    if (!row.problem) continue;
    readBack.registry.refused++;
    events.push({
      at: now,
      kind: "Lỗi danh sách",
      ...(row.code ? { schoolCode: row.code } : {}),
      message: row.problem,
      key: `registry:${row.code}:${row.problem}:${JSON.stringify(row.cells)}`,
    });
  }

  // 2. Verdicts and notes typed into Theo dõi.
  const previous = new Map<string, OfficeReview>(
    [...stored].flatMap(([code, s]) => (s.state.review ? [[code, s.state.review]] : [])),
  );
  const tracking = readTracking(
    columns("tracking"),
    findTab(current, layout, "tracking"),
    new Set(schools.keys()),
    previous,
  );
  const reviews = new Map<string, OfficeReview>();
  const reviewEvents: StoredEvent[] = [];
  for (const [code, review] of tracking.reviews) {
    const before = previous.get(code);
    if (sameReview(review, before)) continue;
    reviews.set(code, review);
    if (review.verdict !== (before?.verdict ?? "chua-kiem-tra"))
      reviewEvents.push({
        at: now,
        kind: "Kiểm tra",
        schoolCode: code,
        message: `Kết quả kiểm tra: ${VERDICT_LABELS[review.verdict]}${review.note ? `. Ghi chú: ${review.note}` : ""}`,
      });
  }
  readBack.reviews = reviews.size;
  for (const { code, text } of tracking.invalid) {
    events.push({
      at: now,
      kind: "Lỗi nhập liệu",
      schoolCode: code,
      message: `Kết quả kiểm tra "${text}" không hợp lệ; chọn ${Object.values(VERDICT_LABELS).join(", ")}. Giữ kết quả trước đó.`,
      key: `verdict:${code}:${text}`,
    });
  }

  // 3. Recompute the schools whose entry or verdict changed, and save them with their registry
  //    entries (a verdict that changes what the school sees queues its report and email again).
  const recomputed: Array<{ state: SchoolState; before?: StoredSchoolState }> = [];
  for (const code of new Set([...schoolWrites.map((s) => s.code), ...reviews.keys()])) {
    const school = schools.get(code);
    if (!school) continue;
    const before = stored.get(code);
    const review = reviews.get(code) ?? before?.state.review ?? null;
    if (!before && (!review || sameReview(review, NO_REVIEW))) continue; // nothing stored, nothing to keep
    const state = deriveSchoolState(
      school,
      campaign.criteriaSet,
      before?.state.latest ?? {},
      before?.state.quarantine ?? null,
      review,
    );
    recomputed.push({ state, ...(before ? { before } : {}) });
  }
  const states = new Map([...stored].map(([code, s]) => [code, s.state]));
  let dataTime = dataTimeOf(stored);
  if (schoolWrites.length > 0 || recomputed.length > 0) {
    try {
      await saveRecomputedStates(db, campaign, recomputed, now, schoolWrites);
      for (const { state } of recomputed) states.set(state.schoolCode, state);
      dataTime = now;
      events.push(...schoolEvents, ...reviewEvents);
    } catch (error) {
      // Intake changed one of these schools meanwhile: nothing was saved, and as the sheet still
      // shows the office's input, the next cycle takes it again. Show the stored states for now.
      deps.log.warn("sheet: office input not saved, taken again next cycle", { error: String(error) });
      for (const school of schoolWrites) schools.delete(school.code);
      for (const [code, school] of await loadSchools(db, campaignId)) schools.set(code, school);
    }
  }
  await recordEvents(db, campaignId, events);

  // 4. The flush, planned against what the sheet holds.
  const model = buildWorkbook({
    layout,
    schoolYear: campaign.schoolYear,
    place: campaign.office.place,
    criteriaSet: campaign.criteriaSet,
    schools: [...schools.values()],
    states,
    delivery: deliveryOf(stored),
    events: await recentLog(db, campaignId, layout.tabs.log.maxRows),
    dataTime,
    ...(registry ? { registryRows: registry.rows } : {}),
    strayTrackingRows: tracking.stray,
    typedOffice: tracking.typed,
  });
  return {
    readAt,
    plan: target.plan(model, current, { repair: options.repair ?? false }),
    readBack,
    shown: new Map([...states].map(([code, state]) => [code, state.contentHash])),
  };
};

/** When the data shown last changed: the latest change of any school's state. */
const dataTimeOf = (stored: ReadonlyMap<string, StoredSchoolState>): Date | null =>
  [...stored.values()].reduce<Date | null>(
    (latest, s) => (!latest || s.updatedAt > latest ? s.updatedAt : latest),
    null,
  );

/**
 * The tracking workbook as Firestore has it now, without reading any sheet back: for an .xlsx
 * export, and the attachment of the summary report.
 */
export const currentWorkbook = async (
  db: Firestore,
  campaignId: string,
  layout: SheetLayout,
): Promise<WorkbookModel> => {
  const { campaign, schools, stored } = await loadCampaignView(db, campaignId);
  return buildWorkbook({
    layout,
    schoolYear: campaign.schoolYear,
    place: campaign.office.place,
    criteriaSet: campaign.criteriaSet,
    schools: [...schools.values()],
    states: new Map([...stored].map(([code, s]) => [code, s.state])),
    delivery: deliveryOf(stored),
    events: await recentLog(db, campaignId, layout.tabs.log.maxRows),
    dataTime: dataTimeOf(stored),
  });
};

/** Where each school's report and email stand, as the sheet shows them. */
export const deliveryOf = (stored: ReadonlyMap<string, StoredSchoolState>): Map<string, Delivery> => {
  const delivery = new Map<string, Delivery>();
  for (const [code, s] of stored) {
    if (s.reportUrl || s.mailedAt)
      delivery.set(code, {
        ...(s.reportUrl ? { reportUrl: s.reportUrl } : {}),
        ...(s.mailedAt ? { mailedAt: s.mailedAt } : {}),
      });
  }
  return delivery;
};

/**
 * Create the campaign's Google Sheet (all tabs, formats, protections, dropdowns, chart), share it
 * with the office, and fill it; on an existing sheet, lay every tab out again, repairing drift
 * (a deleted tab, a moved column) while the office's columns are read back first and kept.
 */
export const setupSheet = async (
  deps: Pick<AppDeps, "db" | "clock" | "log">,
  campaignId: string,
  layout: SheetLayout,
  gateway: SheetsGateway,
  options: { shareWith?: readonly string[]; minIntervalMs?: number; readRegistry?: boolean } = {},
): Promise<SheetSyncResult & { spreadsheetId: string; created: boolean }> => {
  const campaign = await loadCampaign(deps.db, campaignId);
  let spreadsheetId = campaign.spreadsheetId;
  const created = !spreadsheetId;
  if (!spreadsheetId) {
    // Only the title and the tabs are needed to create it; the first cycle fills it.
    const model = buildWorkbook({
      layout,
      schoolYear: campaign.schoolYear,
      place: campaign.office.place,
      criteriaSet: campaign.criteriaSet,
      schools: [],
      states: new Map(),
      events: [],
      dataTime: null,
    });
    spreadsheetId = (await gateway.create(model)).spreadsheetId;
    await campaignRef(deps.db, campaignId).update({ spreadsheetId });
    deps.log.info("sheet created", { campaign: campaignId, spreadsheetId });
  }
  // Shared on every set-up (granting the same right again changes nothing), so a failed share is repaired.
  for (const email of new Set([campaign.office.email, ...(options.shareWith ?? [])]))
    await gateway.share(spreadsheetId, email);
  const target = googleSheetTarget(
    gateway,
    spreadsheetId,
    options.minIntervalMs === undefined ? {} : { minIntervalMs: options.minIntervalMs },
  );
  const result = await syncSheet(deps, campaignId, layout, target, {
    repair: true,
    ...(options.readRegistry === undefined ? {} : { readRegistry: options.readRegistry }),
  });
  return { ...result, spreadsheetId, created };
};

/**
 * Bring a campaign's Google Sheet up to date after new work (a response, a reconcile), when the
 * campaign has a sheet and the deployment a Sheets client. Changes queued while a cycle ran are
 * taken by another cycle (a few at most; the scheduled reconcile catches anything left). A
 * failure is logged and left in the outbox: the responses are stored whatever the sheet does.
 */
export const refreshSheet = async (
  deps: Pick<AppDeps, "db" | "clock" | "log" | "sheets">,
  campaign: Pick<Campaign, "id" | "spreadsheetId" | "sheetLayout">,
  /** strict: a failure is thrown, not only logged (the delivery job must not mail past it). */
  options: { rounds?: number; strict?: boolean } = {},
): Promise<SheetSyncResult | undefined> => {
  if (!deps.sheets || !campaign.spreadsheetId) return undefined;
  const { gateway, minIntervalMs } = deps.sheets;
  const layout = layoutOf(campaign, deps.sheets.layout);
  const target = googleSheetTarget(
    gateway,
    campaign.spreadsheetId,
    minIntervalMs === undefined ? {} : { minIntervalMs },
  );
  let last: SheetSyncResult | undefined;
  try {
    for (let round = 0; round < (options.rounds ?? 3); round++) {
      last = await syncSheet(deps, campaign.id, layout, target);
      if (last.skipped || last.remaining === 0) break;
    }
  } catch (error) {
    deps.log.error("sheet refresh failed; left pending in the outbox", {
      campaign: campaign.id,
      error: String(error),
    });
    if (options.strict) throw error;
  }
  return last;
};
