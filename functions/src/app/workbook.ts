import { calendarOf } from "../domain/calendar.js";
import { assessmentPeriod } from "../domain/campaign.js";
import { communeLabelOf, wholeOfficeLabel } from "../domain/office.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import { dayIn } from "../domain/time.js";
import {
  buildWorkbook,
  type Delivery,
  type WorkbookData,
  type WorkbookModel,
} from "../domain/tracking-workbook.js";
import type { Store } from "../infra/store/index.js";
import { type CampaignView, type KnownState, loadCampaignView, statesOf } from "./campaign-view.js";

/** The tracking workbook's data for a campaign as stored, plus what a sheet cycle read back. */
export const workbookData = (
  view: CampaignView,
  layout: SheetLayout,
  extra: Omit<
    WorkbookData,
    "layout" | "schoolYear" | "place" | "communeLabel" | "criteriaSet" | "schools" | "states"
  >,
  states = statesOf(view.stored),
): WorkbookData => ({
  layout,
  schoolYear: view.campaign.schoolYear,
  place: view.campaign.office.place,
  communeLabel: communeLabelOf(view.campaign.office),
  wholeLabel: wholeOfficeLabel(view.campaign.office.parentBodyName),
  calendar: calendarOf(view.campaign),
  period: assessmentPeriod(view.campaign),
  ...(view.campaign.extensions ? { extensions: view.campaign.extensions } : {}),
  criteriaSet: view.campaign.criteriaSet,
  schools: [...view.schools.values()],
  states,
  ...(view.campaign.report ? { narrative: view.campaign.report } : {}),
  ...(view.campaign.control ? { control: view.campaign.control } : {}),
  ...extra,
});

/**
 * The tracking workbook as the store has it now, without reading any sheet back: for an .xlsx
 * export, the local run, and the attachment of the summary report. `linkBase` makes the links to
 * locally stored documents absolute (a workbook that leaves the folder the run wrote keeps them);
 * a deployment's documents are on Drive, and their links absolute already.
 */
export const currentWorkbook = async (
  store: Store,
  campaignId: string,
  layout: SheetLayout,
  options: { linkBase?: string; now?: Date } = {},
): Promise<WorkbookModel> =>
  (await workbookFromStore(store, campaignId, layout, options.now))(options.linkBase);

/**
 * The campaign read once for `currentWorkbook`, the workbook built from it with the links a copy
 * needs (the local run writes one copy with relative links and mails one with absolute ones).
 */
export const workbookFromStore = async (
  store: Store,
  campaignId: string,
  layout: SheetLayout,
  now?: Date,
): Promise<(linkBase?: string) => WorkbookModel> => {
  const view = await loadCampaignView(store, campaignId);
  const events = await store.events.recent(campaignId, layout.tabs.log.maxRows);
  const incidents = await store.incidents.list(campaignId);
  return (linkBase) =>
    buildWorkbook(
      workbookData(view, layout, {
        delivery: deliveryOf(view.stored, linkBase),
        ...(now ? { today: dayIn(now, layout.timeZone) } : {}),
        events,
        incidents,
        dataTime: dataTimeOf(view.stored),
      }),
    );
};

/** Where each school's report and email stand, as the sheet shows them. */
export const deliveryOf = (
  stored: ReadonlyMap<string, KnownState>,
  linkBase?: string,
): Map<string, Delivery> => {
  // A URL with a scheme (Drive's https:) stays; a path relative to the run's folder is resolved.
  const link = (url: string) =>
    linkBase && !/^[a-z][a-z0-9+.-]*:/iu.test(url) ? new URL(url, linkBase).href : url;
  const delivery = new Map<string, Delivery>();
  for (const [code, s] of stored) {
    if (s.reportUrl || s.reportDocxUrl || s.mailedAt)
      delivery.set(code, {
        ...(s.reportUrl ? { reportUrl: link(s.reportUrl) } : {}),
        ...(s.reportDocxUrl ? { reportDocxUrl: link(s.reportDocxUrl) } : {}),
        ...(s.mailedAt ? { mailedAt: s.mailedAt } : {}),
      });
  }
  return delivery;
};

/** When the data shown last changed: the latest change of any school's state. */
export const dataTimeOf = (stored: ReadonlyMap<string, KnownState>): Date | null =>
  [...stored.values()].reduce<Date | null>(
    (latest, s) => (!latest || s.updatedAt > latest ? s.updatedAt : latest),
    null,
  );
