import { mkdir, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { calendarOf } from "../domain/calendar.js";
import type { Campaign } from "../domain/campaign.js";
import { prefilledFormUrl } from "../domain/form-spec.js";
import { compareSchools, type School } from "../domain/school.js";
import type { SchoolState } from "../domain/school-state.js";
import {
  parseStatusQuery,
  type StatusRefusal,
  statusLink,
  statusLinkExpiry,
  verifyStatusLink,
} from "../domain/status-link.js";
import { type StatusPage, statusPageView } from "../domain/status-page.js";
import { dayIn, formatDateTimeVi } from "../domain/time.js";
import type { Store } from "../infra/store/index.js";
import { loadCampaignView } from "./campaign-view.js";
import type { AppDeps } from "./deps.js";
import { NOTICE_DAYS } from "./documents.js";

/**
 * A school's status page (trang tình hình của trường): opened by the public function on a signed
 * link, or written for every school by the local run as static HTML (out/truong/). The page is
 * the same either way; only where its documents open differs.
 */

/** Where a stored document opens from the page: a Drive (http) link as it is; a local file as `local` says. */
export type DocumentHref = (url: string) => string | undefined;

const webOnly: DocumentHref = (url) => (/^https?:\/\//u.test(url) ? url : undefined);

/** The form a school uses next: the registration form until it has registered, then the dossier's. */
const formUrlOf = (campaign: Campaign, school: School, state: SchoolState | undefined) => {
  const registered = state?.evaluation.submitted.includes("registration") ?? false;
  return prefilledFormUrl(campaign.forms[registered ? "dossier" : "registration"], school);
};

interface PageDeps {
  store: Store;
  clock: () => Date;
}

/** One school's page, from the campaign, its registry entry and its state. */
const pageOf = async (
  deps: PageDeps,
  campaign: Campaign,
  school: School,
  state: SchoolState | undefined,
  options: { timeZone: string; href: DocumentHref; records?: Awaited<ReturnType<Store["reports"]["list"]>> },
): Promise<StatusPage> => {
  const now = deps.clock();
  const records = (options.records ?? (await deps.store.reports.list(campaign.id))).filter(
    (r) => r.schoolCode === school.code,
  );
  const formUrl = formUrlOf(campaign, school, state);
  const notice = records
    .filter((r) => r.kind === "thong-bao")
    .sort((a, b) => b.date.getTime() - a.date.getTime())[0];
  return statusPageView({
    campaign,
    school,
    state,
    today: dayIn(now, options.timeZone),
    madeAt: formatDateTimeVi(now, options.timeZone),
    timeZone: options.timeZone,
    documents: records
      .sort((a, b) => a.date.getTime() - b.date.getTime())
      .map((r) => {
        const href = options.href(r.url);
        const docxHref = r.docxUrl === undefined ? undefined : options.href(r.docxUrl);
        return { kind: r.kind, date: r.date, ...(href ? { href } : {}), ...(docxHref ? { docxHref } : {}) };
      }),
    ...(notice ? { notice: { day: dayIn(notice.date, options.timeZone), minimumDays: NOTICE_DAYS } } : {}),
    ...(formUrl ? { formUrl } : {}),
  });
};

export type OpenedStatusPage = { page: StatusPage } | { refused: StatusRefusal };

/**
 * The public function's use case: a link's query checked (its form, the campaign's key, the
 * signature in constant time, the expiry), then the school's page. Anything wrong is one refusal,
 * with no word of the school or the campaign it claims.
 */
export const openStatusPage = async (
  deps: AppDeps,
  query: Record<string, unknown>,
  timeZoneOf: (campaign: Campaign) => string,
): Promise<OpenedStatusPage> => {
  const link = parseStatusQuery(query);
  if (!link) return { refused: "malformed" };
  const key = await deps.store.campaigns.statusKey(link.claim.campaignId);
  if (!key) return { refused: "unknown-campaign" };
  const campaign = await deps.store.campaigns.get(link.claim.campaignId);
  const timeZone = timeZoneOf(campaign);
  const refused = verifyStatusLink(key, link, dayIn(deps.clock(), timeZone));
  if (refused) return { refused };
  const view = await loadCampaignView(deps.store, campaign.id);
  const school = view.schools.get(link.claim.schoolCode);
  if (!school) return { refused: "unknown-school" };
  const state = view.stored.get(school.code)?.state;
  return { page: await pageOf(deps, view.campaign, school, state, { timeZone, href: webOnly }) };
};

/** The static page's file, under out/truong/ (a school code is safe as a file name: see schoolCodeProblem). */
export const statusPageFile = (schoolCode: string): string => `truong/${schoolCode}.html`;

/**
 * `dienhinh run`: every registered school's page as out/truong/CODE.html, its documents linked
 * relatively (../reports/…). Returns each school's page, relative to the output folder.
 */
export const writeStatusPages = async (
  deps: PageDeps & { render: (page: StatusPage) => string; timeZone: string },
  campaignId: string,
  outDir: string,
): Promise<Map<string, string>> => {
  const view = await loadCampaignView(deps.store, campaignId);
  const records = await deps.store.reports.list(campaignId);
  const local: DocumentHref = (url) => (/^https?:\/\//u.test(url) ? url : `../${url}`);
  await mkdir(join(outDir, "truong"), { recursive: true });
  const pages = new Map<string, string>();
  for (const school of [...view.schools.values()].sort(compareSchools)) {
    const state = view.stored.get(school.code)?.state;
    const page = await pageOf(deps, view.campaign, school, state, {
      timeZone: deps.timeZone,
      href: local,
      records,
    });
    const file = statusPageFile(school.code);
    await writeFile(join(outDir, `${file}.partial`), deps.render(page));
    await rename(join(outDir, `${file}.partial`), join(outDir, file));
    pages.set(school.code, file);
  }
  return pages;
};

/** The local run's links: each school's page under OUT/truong/, as an absolute file: URL (an .eml is read anywhere). */
export const localStatusLinks =
  (outDir: string): StatusLinks =>
  async (_campaign, school) =>
    pathToFileURL(resolve(outDir, statusPageFile(school.code))).href;

/** Each school's link in its emails: the signed link on the status function's URL. */
export type StatusLinks = (campaign: Campaign, school: Pick<School, "code">) => Promise<string>;

/**
 * Signed links on `base` (DIENHINH_STATUS_URL), under the campaign's key, created once (`freshKey`)
 * the first time a link of the campaign is made, and expiring with the campaign's calendar.
 */
export const signedStatusLinks = (store: Store, base: string, freshKey: () => string): StatusLinks => {
  const keys = new Map<string, Promise<string>>();
  return async (campaign, school) => {
    let key = keys.get(campaign.id);
    if (!key) {
      key = store.campaigns.ensureStatusKey(campaign.id, freshKey());
      keys.set(campaign.id, key);
      key.catch(() => keys.delete(campaign.id));
    }
    const expires = statusLinkExpiry(calendarOf(campaign));
    return statusLink(base, await key, { campaignId: campaign.id, schoolCode: school.code, expires });
  };
};
