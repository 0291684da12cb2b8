import { calendarOf } from "../domain/calendar.js";
import { type Campaign, type FormKind, isLocalForm } from "../domain/campaign.js";
import { type SchoolResult, schoolResultOf } from "../domain/campaign-score.js";
import type { OfficialDocument } from "../domain/documents.js";
import type { Inspection } from "../domain/inspection.js";
import { proposalDocument } from "../domain/inspection-documents.js";
import { orderedLevels } from "../domain/levels.js";
import { decisionDocument } from "../domain/office-documents.js";
import { planDocument } from "../domain/plan-document.js";
import { summaryReportDocument } from "../domain/report-document.js";
import { fromWallClock } from "../domain/time.js";
import type { Store } from "../infra/store/index.js";
import { loadCampaignView } from "./campaign-view.js";
import {
  contextOf,
  ensureRendered,
  hashOf,
  type PlannedDocument,
  type RenderedDocument,
  type ReportDeps,
} from "./documents.js";

/**
 * The office's own documents: its report to the Department (Báo cáo), its proposal to the
 * competent authority (Tờ trình) listing the schools found Đạt, the authority's decision drafted
 * for them (Quyết định, "DỰ THẢO"), and each decision as issued once the office records its number
 * and date. Without an authority in the office profile nothing is proposed or drafted: who decides
 * is configuration, never assumed. And first of all its plan to the schools (Kế hoạch triển khai):
 * the criteria, the calendar and the forms' links.
 */
export type OfficeKind = "bao-cao" | "to-trinh" | "quyet-dinh" | "ke-hoach";

/** Each form's address for the schools; none for a form made up locally (its link is sent later). */
const formLinks = (campaign: Campaign): Partial<Record<FormKind, string>> =>
  Object.fromEntries(
    (["registration", "dossier", "incident"] as const).flatMap((kind) => {
      const form = campaign.forms[kind];
      return form?.responderUri && !isLocalForm(form.formId) ? [[kind, form.responderUri]] : [];
    }),
  );

/** What the plan says, for its content hash and its build: nothing of the schools' answers. */
const planSource = (campaign: Campaign, results: readonly SchoolResult[]) => ({
  criteriaSet: campaign.criteriaSet,
  calendar: calendarOf(campaign),
  levels: orderedLevels(results.flatMap((r) => r.school.levels)),
  forms: formLinks(campaign),
});

/** Schools found Đạt and not recognised yet: the ones a proposal and its draft decision list. */
const toPropose = (results: readonly SchoolResult[]) => results.filter((r) => r.status === "dat");

const inspectionsOf = (results: readonly SchoolResult[]) =>
  new Map(
    results.flatMap(
      (r): Array<[string, Inspection]> => (r.inspection ? [[r.school.code, r.inspection]] : []),
    ),
  );

export const officeDocuments = (
  deps: ReportDeps,
  campaign: Campaign,
  results: readonly SchoolResult[],
  contentHashes: ReadonlyMap<string, string>,
  kinds: readonly OfficeKind[],
  number?: number,
): PlannedDocument[] => {
  const context = contextOf(deps, campaign, number);
  const content = [
    deps.templates.hash,
    campaign.office,
    campaign.schoolYear,
    campaign.criteriaSet,
    campaign.report,
    number,
    results.map((r) => [r.school, contentHashes.get(r.school.code), r.inspection?.date]),
  ];
  const { authority } = campaign.office;
  const { legalBasis } = campaign.criteriaSet;
  const plan = kinds.includes("ke-hoach") ? planSource(campaign, results) : undefined;
  const builders: Partial<Record<OfficeKind, (date: Date) => OfficialDocument>> = {
    ...(plan ? { "ke-hoach": (date: Date) => planDocument(context(date), plan) } : {}),
    "bao-cao": (date) =>
      summaryReportDocument(context(date), results, {
        criteriaSetTitle: campaign.criteriaSet.title,
        legalBasis,
        ...(campaign.report ? { narrative: campaign.report } : {}),
      }),
    ...(authority && toPropose(results).length > 0
      ? {
          "to-trinh": (date: Date) =>
            proposalDocument(context(date), results, inspectionsOf(results), authority, legalBasis),
          "quyet-dinh": (date: Date) =>
            decisionDocument(context(date), toPropose(results), legalBasis, authority),
        }
      : {}),
  };
  return kinds.flatMap((kind): PlannedDocument[] => {
    const build = builders[kind];
    if (!build) return [];
    // The plan changes with the campaign's set-up, not with the schools' answers.
    const hash =
      kind === "ke-hoach"
        ? hashOf(
            kind,
            deps.templates.hash,
            campaign.office,
            campaign.schoolYear,
            campaign.period,
            plan,
            number,
          )
        : hashOf(kind, ...content);
    return [{ kind, name: `${kind}-${campaign.id}-${hash.slice(0, 12)}`, hash, build }];
  });
};

/**
 * Each decision the office recorded, as issued (its number and date, no DỰ THẢO), listing the
 * schools it recognised: attached to each of those schools' email.
 */
export const issuedDecisions = (
  deps: ReportDeps,
  campaign: Campaign,
  results: readonly SchoolResult[],
): Map<string, PlannedDocument> => {
  const { authority } = campaign.office;
  const decisions = new Map<string, PlannedDocument>();
  if (!authority) return decisions;
  const numbers = [...new Set(results.flatMap((r) => (r.recognition ? [r.recognition.number] : [])))];
  for (const number of numbers) {
    const listed = results.filter((r) => r.recognition?.number === number);
    const date = listed[0]?.recognition?.date ?? "";
    // The decision's day, at noon in the office's zone (the dated line prints the day).
    const issued = { number, date: fromWallClock(new Date(`${date}T12:00:00Z`), deps.timeZone) };
    const hash = hashOf(
      "quyet-dinh",
      deps.templates.hash,
      campaign.office,
      campaign.schoolYear,
      campaign.criteriaSet,
      number,
      date,
      listed.map((r) => r.school),
    );
    decisions.set(number, {
      kind: "quyet-dinh",
      name: `quyet-dinh-${campaign.id}-${hash.slice(0, 12)}`,
      hash,
      build: (today) =>
        decisionDocument(
          contextOf(deps, campaign)(today),
          listed,
          campaign.criteriaSet.legalBasis,
          authority,
          issued,
        ),
    });
  }
  return decisions;
};

/** The results of every registered school, and the content each was told, for the office's documents. */
export const campaignResults = async (store: Store, campaignId: string) => {
  const { campaign, schools, stored } = await loadCampaignView(store, campaignId);
  const results = [...schools.values()].map((s) =>
    schoolResultOf(s, campaign.criteriaSet, stored.get(s.code)?.state),
  );
  const hashes = new Map([...stored].map(([code, s]) => [code, s.state.contentHash]));
  return { campaign, results, hashes };
};

/** The office's documents, rendered now. */
export const renderOfficeDocuments = async (
  deps: ReportDeps,
  campaignId: string,
  kinds: readonly OfficeKind[],
  options: { number?: number } = {},
): Promise<RenderedDocument[]> => {
  const { campaign, results, hashes } = await campaignResults(deps.store, campaignId);
  const planned = officeDocuments(deps, campaign, results, hashes, kinds, options.number);
  return Promise.all(planned.map((d) => ensureRendered(deps, campaignId, d, null)));
};
