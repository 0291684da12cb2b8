import { type Calendar, calendarOf, DEADLINE_LABELS, type SchoolExtension } from "../domain/calendar.js";
import {
  type CalendarReadBack,
  type ExtensionsReadBack,
  readCalendarTab,
  readExtensionsTab,
  sameExtensions,
} from "../domain/calendar-readback.js";
import { NO_CONTROL } from "../domain/control.js";
import { type ControlReadBack, readControl, withControlRead } from "../domain/control-tab.js";
import type { InspectionReadBack } from "../domain/inspection-readback.js";
import { levelsLabel } from "../domain/levels.js";
import { readNarrative, sameNarrative } from "../domain/narrative-readback.js";
import { communeLabelOf } from "../domain/office.js";
import { removedFromTab } from "../domain/registry-removal.js";
import type { ReportNarrative } from "../domain/report-document.js";
import { type OfficeReview, sameReview } from "../domain/review.js";
import type { School } from "../domain/school.js";
import type { SchoolState } from "../domain/school-state.js";
import type { SheetLayout, TabKey } from "../domain/sheet-layout.js";
import {
  findTab,
  type RegistryReadBack,
  readRegistry,
  readTracking,
  type SheetSnapshot,
  schoolChanged,
  type TrackingReadBack,
} from "../domain/sheet-readback.js";
import { formatDateVi } from "../domain/time.js";
import { tabColumns } from "../domain/tracking-workbook.js";
import type { ColumnModel } from "../domain/workbook-model.js";
import { isRetryable, logCause } from "../errors.js";
import type { StoredEvent } from "../infra/store/index.js";
import { type CampaignView, statesOf } from "./campaign-view.js";
import type { AppDeps } from "./deps.js";
import { inspectionProblems, officeChanges, readInspectionTabs } from "./inspection-input.js";
import { dataTimeOf } from "./workbook.js";

/**
 * What the office typed into its tracking sheet (or workbook), taken into the store: rows of the
 * registry tab (a new school, a changed one, or a refused row with its reason), the notes of Theo
 * dõi, the inspection plan and findings, and the decisions recorded. A school whose entry or office
 * input changed is scored again and saved with
 * its registry entry; when that changes what the school sees, its report and email are queued
 * again. New and changed schools are put into `view.schools`, so the flush that follows shows them.
 */
export interface OfficeInput {
  /** Notes changed. */
  reviews: number;
  /** Schools whose inspection (plan or findings) changed, and schools recognised now. */
  inspections: number;
  recognised: number;
  registry: { added: number; updated: number; refused: number; removed: number };
  /** The tabs as read, for the flush (rows kept as the office keeps them). */
  registryTab: RegistryReadBack | undefined;
  trackingTab: TrackingReadBack;
  inspectionTab: InspectionReadBack;
  /** The narrative parts of the office's report, as typed (or stored when the tab cannot be read). */
  narrative: ReportNarrative | undefined;
  /** The Lịch and Gia hạn tabs as read (undefined: the tab cannot be read; what is stored stays). */
  calendarTab: CalendarReadBack | undefined;
  extensionsTab: ExtensionsReadBack | undefined;
  /** Every school's state, with those saved now. */
  states: Map<string, SchoolState>;
  /** When the data shown last changed: now, if anything was saved. */
  dataTime: Date | null;
}

export const takeOfficeInput = async (
  deps: Pick<AppDeps, "store" | "clock" | "log">,
  view: CampaignView,
  layout: SheetLayout,
  current: SheetSnapshot,
  options: {
    readRegistry: boolean;
    /** Schools whose row the sheet has not shown since their content changed (an approval there is stale). */
    unshown?: ReadonlySet<string>;
  },
): Promise<OfficeInput> => {
  const now = deps.clock();
  const communeLabel = communeLabelOf(view.campaign.office);
  const columns = (key: TabKey) => tabColumns(layout, key, view.campaign.criteriaSet, communeLabel);
  const registryTab = options.readRegistry
    ? readRegistry(layout, columns("registry"), findTab(current, layout, "registry"), view.schools)
    : undefined;
  const registry = registryChanges(view, registryTab, now);
  const previous = new Map<string, OfficeReview>(
    [...view.stored].flatMap(([code, s]) => (s.state.review ? [[code, s.state.review]] : [])),
  );
  const trackingTab = readTracking(
    columns("tracking"),
    findTab(current, layout, "tracking"),
    new Set(view.schools.keys()),
    previous,
    shownHashes(view, options.unshown),
  );
  const notes = noteChanges(trackingTab, previous);
  const inspectionTab = readInspectionTabs(layout, columns, current, new Set(view.schools.keys()));
  const office = officeChanges(view, registry.writes, notes, inspectionTab, now);
  const { changes } = office;
  const problems = [
    ...registry.problems,
    ...inspectionProblems(inspectionTab, now),
    ...trackingProblems(trackingTab, now),
  ];
  const states = statesOf(view.stored);
  let dataTime = dataTimeOf(view.stored);
  if (registry.removed.length > 0) {
    await removeSchools(deps, view, registry.removed, { states, trackingTab, columns: columns("tracking") });
    problems.push(...registry.removals);
    dataTime = now;
  }
  if (registry.writes.length > 0 || changes.length > 0) {
    try {
      await deps.store.states.save(view.campaign, changes, now, registry.writes);
      for (const { state } of changes) states.set(state.schoolCode, state);
      dataTime = now;
      problems.push(...registry.events, ...office.events);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      // Intake changed one of these schools meanwhile (a ConflictError), or the store was briefly
      // unavailable: nothing was saved, and as the sheet still shows the office's input, the next
      // cycle takes it again. Show the stored data for now.
      deps.log.warn("sheet: office input not saved, taken again next cycle", { error: logCause(error) });
      view.schools.clear();
      for (const [code, school] of await deps.store.schools.load(view.campaign.id))
        view.schools.set(code, school);
    }
  }
  await deps.store.events.record(view.campaign.id, problems);
  const narrative = await takeNarrative(
    deps,
    view,
    readNarrative(columns("narrative"), findTab(current, layout, "narrative")),
  );
  const { calendarTab, extensionsTab } = await takeCalendar(deps, view, layout, current, columns);
  await takeControl(deps, view, readControl(columns("control"), findTab(current, layout, "control")));
  return {
    calendarTab,
    extensionsTab,
    reviews: notes.size,
    inspections: office.inspections,
    recognised: office.recognised,
    registry: registry.counts,
    registryTab,
    trackingTab,
    inspectionTab,
    narrative,
    states,
    dataTime,
  };
};

/** Schools deleted from the registry tab taken out of the registry, their Theo dõi rows with them. */
const removeSchools = async (
  deps: Pick<AppDeps, "store">,
  view: CampaignView,
  removed: readonly string[],
  shown: { states: Map<string, SchoolState>; trackingTab: TrackingReadBack; columns: ColumnModel[] },
) => {
  await deps.store.schools.remove(view.campaign.id, removed);
  for (const code of removed) shown.states.delete(code);
  // A row of a code the registry never had is kept; a removed school's goes.
  const codeAt = shown.columns.findIndex((c) => c.field === "code");
  shown.trackingTab.stray = shown.trackingTab.stray.filter((r) => !removed.includes(String(r[codeAt] ?? "")));
};

/** Each school's content hash, for the rows the sheet shows it on (not `unshown`: still showing older content). */
const shownHashes = (view: CampaignView, unshown: ReadonlySet<string> | undefined) =>
  new Map(
    [...view.stored].flatMap(
      ([code, s]): Array<[string, string]> => (unshown?.has(code) ? [] : [[code, s.state.contentHash]]),
    ),
  );

/** Cells of Theo dõi that could not be read (a number that is not one), for Nhật ký. */
const trackingProblems = (tab: TrackingReadBack, now: Date): StoredEvent[] =>
  tab.problems.map(({ code, message }) => ({
    at: now,
    kind: "Lỗi nhập liệu",
    schoolCode: code,
    message: `Theo dõi: ${message}`,
    key: `tracking:${code}:${message}`,
  }));

/** Registry rows that add or change a school (applied to `view.schools`), and refused rows. */
const registryChanges = (view: CampaignView, tab: RegistryReadBack | undefined, now: Date) => {
  const writes: School[] = [];
  const events: StoredEvent[] = [];
  const problems: StoredEvent[] = [];
  const removal = tab ? removedFromTab(tab, [...view.schools.keys()]) : { removed: [] };
  const removed = "removed" in removal ? removal.removed : [];
  const counts = { added: 0, updated: 0, refused: 0, removed: removed.length };
  const removals: StoredEvent[] = [];
  for (const code of removed) {
    const school = view.schools.get(code);
    view.schools.delete(code);
    removals.push({
      at: now,
      kind: "Danh sách trường",
      schoolCode: code,
      message: `Bỏ trường khỏi danh sách: ${school?.name ?? code}. Các câu trả lời đã nhận vẫn được lưu; ghi lại dòng của trường để khôi phục.`,
    });
  }
  if ("refused" in removal)
    problems.push({
      at: now,
      kind: "Lỗi danh sách",
      message: removal.refused,
      key: `registry-removal:${removal.missing.join(",")}`,
    });
  for (const school of tab?.schools ?? []) {
    const before = view.schools.get(school.code);
    if (before && !schoolChanged(before, school)) continue;
    writes.push(school);
    view.schools.set(school.code, school);
    counts[before ? "updated" : "added"]++;
    const what = `${school.name}, ${levelsLabel(school.levels)}, ${school.commune}`;
    events.push({
      at: now,
      kind: "Danh sách trường",
      schoolCode: school.code,
      message: before ? `Cập nhật thông tin trường: ${what}` : `Thêm trường mới: ${what}`,
    });
  }
  for (const row of tab?.rows ?? []) {
    if (!row.problem) continue;
    counts.refused++;
    problems.push({
      at: now,
      kind: "Lỗi danh sách",
      ...(row.code ? { schoolCode: row.code } : {}),
      message: row.problem,
      key: `registry:${row.code}:${row.problem}:${JSON.stringify(row.cells)}`,
    });
  }
  return { writes, removed, removals, events, problems, counts };
};

/** Notes that differ from the stored ones. */
const noteChanges = (tab: TrackingReadBack, previous: ReadonlyMap<string, OfficeReview>) =>
  new Map([...tab.reviews].filter(([code, review]) => !sameReview(review, previous.get(code))));

/**
 * The Điều khiển tab as the clerk left it: the pause switch and the documents asked for, saved
 * with the campaign when they changed, the switch logged in Nhật ký.
 */
const takeControl = async (
  deps: Pick<AppDeps, "store" | "clock">,
  view: CampaignView,
  read: ControlReadBack | undefined,
) => {
  const before = view.campaign.control;
  if (JSON.stringify(withControlRead(before, read)) === JSON.stringify(before ?? NO_CONTROL)) return;
  // Over the controls as stored now: what a delivery made meanwhile (links, requests met) stays.
  const control = withControlRead((await deps.store.campaigns.get(view.campaign.id)).control, read);
  await deps.store.campaigns.setControl(view.campaign.id, control);
  view.campaign.control = control;
  if (control.paused !== (before?.paused ?? false))
    await deps.store.events.record(view.campaign.id, [
      {
        at: deps.clock(),
        kind: "Điều khiển",
        message: control.paused
          ? "Phòng tạm dừng mọi thư gửi các trường (trang Điều khiển)"
          : "Phòng cho gửi thư các trường trở lại; các thư đang chờ được gửi tiếp",
      },
    ]);
};

/** The report's narrative as typed, saved with the campaign when it changed. */
const takeNarrative = async (
  deps: Pick<AppDeps, "store">,
  view: CampaignView,
  typed: ReportNarrative | undefined,
): Promise<ReportNarrative | undefined> => {
  if (!typed || sameNarrative(typed, view.campaign.report)) return view.campaign.report;
  await deps.store.campaigns.setReport(view.campaign.id, typed);
  view.campaign.report = typed;
  return typed;
};

/**
 * The Lịch and Gia hạn tabs as typed: the calendar and the extensions saved with the campaign when
 * they changed (and the change logged in Nhật ký), a refused row logged once with why.
 */
const takeCalendar = async (
  deps: Pick<AppDeps, "store" | "clock">,
  view: CampaignView,
  layout: SheetLayout,
  current: SheetSnapshot,
  columns: (key: TabKey) => ReturnType<typeof tabColumns>,
) => {
  const now = deps.clock();
  const { campaign } = view;
  const calendarTab = readCalendarTab(
    columns("calendar"),
    findTab(current, layout, "calendar"),
    calendarOf(campaign),
    layout.timeZone,
  );
  const extensionsTab = readExtensionsTab(columns("extensions"), findTab(current, layout, "extensions"), {
    known: new Set(view.schools.keys()),
    calendar: calendarTab?.calendar ?? calendarOf(campaign),
    timeZone: layout.timeZone,
    stored: campaign.extensions ?? [],
  });
  const events: StoredEvent[] = [];
  if (calendarTab?.taken && !sameCalendar(calendarTab.calendar, calendarOf(campaign))) {
    await deps.store.campaigns.setCalendar(campaign.id, calendarTab.calendar);
    campaign.calendar = calendarTab.calendar;
    events.push({ at: now, kind: "Lịch", message: "Lịch của đợt được cập nhật theo trang Lịch" });
  }
  if (extensionsTab && !sameExtensions(extensionsTab.extensions, campaign.extensions ?? [])) {
    await deps.store.campaigns.setExtensions(campaign.id, extensionsTab.extensions);
    events.push(...extensionEvents(campaign.extensions ?? [], extensionsTab.extensions, now));
    campaign.extensions = extensionsTab.extensions;
  }
  for (const [item, message] of calendarTab?.problems ?? [])
    events.push({
      at: now,
      kind: "Lỗi nhập liệu",
      message: `Lịch: ${message}`,
      key: `calendar:${item}:${message}`,
    });
  for (const r of extensionsTab?.rows ?? [])
    if (r.problem)
      events.push({
        at: now,
        kind: "Lỗi nhập liệu",
        ...(r.code ? { schoolCode: r.code } : {}),
        message: `Gia hạn: ${r.problem}`,
        key: `extension:${r.code}:${r.problem}:${JSON.stringify(r.cells)}`,
      });
  await deps.store.events.record(campaign.id, events);
  return { calendarTab, extensionsTab };
};

const sameCalendar = (a: Calendar, b: Calendar) => JSON.stringify(a) === JSON.stringify(b);

/** "Gia hạn Hạn nộp hồ sơ đến 20/11/2026: lý do" for each extension granted or changed, and each withdrawn. */
const extensionEvents = (
  before: readonly SchoolExtension[],
  after: readonly SchoolExtension[],
  now: Date,
) => {
  const key = (e: SchoolExtension) => `${e.school}|${e.deadline}`;
  const old = new Map(before.map((e) => [key(e), e]));
  const events: StoredEvent[] = after
    .filter((e) => {
      const was = old.get(key(e));
      return !was || was.until !== e.until || was.reason !== e.reason;
    })
    .map((e) => ({
      at: now,
      kind: "Gia hạn",
      schoolCode: e.school,
      message: `Gia hạn ${DEADLINE_LABELS[e.deadline].toLocaleLowerCase("vi")} đến ${formatDateVi(e.until)}: ${e.reason}`,
    }));
  const kept = new Set(after.map(key));
  for (const e of before)
    if (!kept.has(key(e)))
      events.push({
        at: now,
        kind: "Gia hạn",
        schoolCode: e.school,
        message: `Bỏ gia hạn ${DEADLINE_LABELS[e.deadline].toLocaleLowerCase("vi")} (đến ${formatDateVi(e.until)})`,
      });
  return events;
};
