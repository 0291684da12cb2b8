import type { Calendar } from "../domain/calendar.js";
import { type Campaign, type FormBinding, type FormKind, isLocalForm } from "../domain/campaign.js";
import { type CriteriaSet, STAGES } from "../domain/criteria.js";
import { type Adoption, adoptForm, buildFormSpec, type FormSpec } from "../domain/form-spec.js";
import { adoptIncidentForm, buildIncidentFormSpec, INCIDENT_FORM } from "../domain/incident.js";
import type { OfficeProfile } from "../domain/office.js";
import type { School } from "../domain/school.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import type { AppDeps } from "./deps.js";
import { keepWatchAlive } from "./watches.js";

export interface SetupInput {
  campaignId: string;
  schoolYear: string;
  office: OfficeProfile;
  criteriaSet: CriteriaSet;
  schools: readonly School[];
  /** Existing forms to adopt (mapped by question title) instead of creating new ones. */
  adopt?: Partial<Record<FormKind, string>>;
  /** Pub/Sub topic for the forms' response watches (projects/P/topics/T). */
  topicName?: string;
  /** The office's own tracking-sheet layout; kept from before when not given. */
  sheetLayout?: SheetLayout;
  /** The campaign calendar; kept from before when not given (else the school year's default). */
  calendar?: Calendar;
}

export interface StageSetup {
  /** A stage's form, or the incident reports'. */
  stage: FormKind;
  formId: string;
  responderUri?: string;
  action: "created" | "adopted" | "kept" | "local";
  /** Form questions that match no indicator, and indicators no question asks. */
  unmatched: string[];
  missing: string[];
}

/**
 * Create or repair a campaign: the registry, the criteria snapshot, and a form per stage. Without
 * a Forms API (a purely local campaign) each stage gets the form dienhinh would create, under a
 * local id, so CSV and JSON exports of it map the same way. Re-running keeps existing forms and
 * re-reads their questions, so renamed or converted questions are picked up.
 */
export const setupCampaign = async (
  deps: Pick<AppDeps, "store" | "forms" | "log" | "clock">,
  input: SetupInput,
): Promise<{ campaign: Campaign; stages: StageSetup[] }> => {
  const existing = await deps.store.campaigns.find(input.campaignId);
  await deps.store.schools.replace(input.campaignId, input.schools);
  const forms: Campaign["forms"] = {};
  const stages: StageSetup[] = [];
  const context = {
    set: input.criteriaSet,
    schools: input.schools,
    schoolYear: input.schoolYear,
    office: input.office,
  };
  const kinds: Array<
    [FormKind, FormSpec, (form: FormSpec) => Omit<Adoption, "unmatched"> & Partial<Adoption>]
  > = [
    ...STAGES.map((stage): [FormKind, FormSpec, (form: FormSpec) => Adoption] => [
      stage,
      buildFormSpec({ ...context, stage }),
      (form) => adoptForm(form, input.criteriaSet, stage),
    ]),
    // The incident reports' form, open all year (incident.ts).
    [INCIDENT_FORM, buildIncidentFormSpec(context), adoptIncidentForm],
  ];
  for (const [kind, spec, adopt] of kinds) {
    const { binding, setup } = await setupForm(deps, input, existing?.forms?.[kind], kind, spec, adopt);
    forms[kind] = binding;
    stages.push(setup);
  }
  const campaign: Campaign = {
    id: input.campaignId,
    schoolYear: input.schoolYear,
    office: input.office,
    criteriaSet: input.criteriaSet,
    forms,
    formIds: Object.values(forms).map((f) => f.formId),
    ...(existing?.spreadsheetId ? { spreadsheetId: existing.spreadsheetId } : {}),
    // What the office set before (its period, calendar, report's words) stays unless given anew.
    ...(existing?.period ? { period: existing.period } : {}),
    ...(existing?.report ? { report: existing.report } : {}),
    ...((input.calendar ?? existing?.calendar) ? { calendar: input.calendar ?? existing?.calendar } : {}),
    ...((input.sheetLayout ?? existing?.sheetLayout)
      ? { sheetLayout: input.sheetLayout ?? existing?.sheetLayout }
      : {}),
  };
  await deps.store.campaigns.save(campaign);
  deps.log.info("campaign set up", {
    campaign: campaign.id,
    stages: stages.map((s) => `${s.stage}:${s.action}`),
  });
  return { campaign, stages };
};

/** One form of the campaign: kept, adopted, created, or (without the Forms API) a local one. */
const setupForm = async (
  deps: Pick<AppDeps, "store" | "forms" | "log" | "clock">,
  input: SetupInput,
  previous: FormBinding | undefined,
  kind: FormKind,
  spec: FormSpec,
  adopt: (form: FormSpec) => Omit<Adoption, "unmatched"> & Partial<Adoption>,
): Promise<{ binding: FormBinding; setup: StageSetup }> => {
  const adoptId =
    input.adopt?.[kind] ?? (previous && !isLocalForm(previous.formId) ? previous.formId : undefined);
  let form = spec;
  let formId = `local-${input.campaignId}-${kind}`;
  let action: StageSetup["action"] = "local";
  if (deps.forms && adoptId) {
    form = await deps.forms.get(adoptId);
    formId = adoptId;
    action = input.adopt?.[kind] ? "adopted" : "kept";
  } else if (deps.forms) {
    const created = await deps.forms.create(spec);
    form = created;
    formId = created.formId;
    action = "created";
  }
  const adoption = adopt(form);
  const binding: FormBinding = {
    formId,
    ...(form.responderUri ? { responderUri: form.responderUri } : {}),
    bindings: adoption.bindings,
    ...(previous?.formId === formId && previous.watermark ? { watermark: previous.watermark } : {}),
  };
  if (deps.forms && input.topicName && action !== "local") {
    binding.watch = (await keepWatchAlive(deps.forms, formId, input.topicName, deps.clock())).watch;
  }
  const setup: StageSetup = {
    stage: kind,
    formId,
    ...(form.responderUri ? { responderUri: form.responderUri } : {}),
    action,
    unmatched: adoption.unmatched ?? [],
    missing: adoption.missing,
  };
  return { binding, setup };
};
