import type { Calendar } from "../domain/calendar.js";
import { type Campaign, type FormBinding, type FormKind, isLocalForm } from "../domain/campaign.js";
import { type CriteriaSet, STAGES } from "../domain/criteria.js";
import {
  type ItemKey,
  indicatorIdsOf,
  noQuestionChanges,
  planFormRevision,
  type QuestionChanges,
  stageItemKey,
  titleItemKey,
} from "../domain/form-revision.js";
import { type Adoption, adoptForm, buildFormSpec, type FormSpec } from "../domain/form-spec.js";
import { carryQuestionIds, schoolListHash } from "../domain/form-sync.js";
import { adoptIncidentForm, buildIncidentFormSpec, INCIDENT_FORM } from "../domain/incident.js";
import type { OfficeProfile } from "../domain/office.js";
import type { School } from "../domain/school.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import type { StoredEvent } from "../infra/store/index.js";
import type { AppDeps } from "./deps.js";
import { anyQuestionChange, type FormRevised, questionsEvent, reviseForm } from "./form-revise.js";
import { schoolListEvent } from "./form-sync.js";
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
  /** Questions a criteria change created, changed or removed on the form (titles). */
  questions: QuestionChanges;
  /** Schools added to or removed from the form's school list now. */
  schoolList?: { added: string[]; removed: string[] };
}

/** One form of the campaign as setup builds it, and what it built before (the criteria changed). */
interface FormRecipe {
  kind: FormKind;
  spec: FormSpec;
  before?: FormSpec;
  keyOf: ItemKey;
  adopt: (form: FormSpec) => Omit<Adoption, "unmatched"> & Partial<Adoption>;
}

/**
 * Create or repair a campaign: the registry, the criteria snapshot, and a form per stage. Without
 * a Forms API (a purely local campaign) each stage gets the form dienhinh would create, under a
 * local id, so CSV and JSON exports of it map the same way. Re-running keeps existing forms,
 * brings them in line with the registry (their school list) and with a changed criteria set (the
 * questions it affects, form-revise.ts), and re-reads their questions, so renamed or converted
 * questions are picked up; a question re-created keeps its old ids mapped (`carryQuestionIds`).
 */
export const setupCampaign = async (
  deps: Pick<AppDeps, "store" | "forms" | "log" | "clock">,
  input: SetupInput,
): Promise<{ campaign: Campaign; stages: StageSetup[] }> => {
  const existing = await deps.store.campaigns.find(input.campaignId);
  await deps.store.schools.replace(input.campaignId, input.schools);
  const forms: Campaign["forms"] = {};
  const stages: StageSetup[] = [];
  // What the forms ask now: the criteria they were built from (`score --criteria` may have moved on).
  const formsSet = existing?.formsCriteriaSet ?? existing?.criteriaSet;
  for (const recipe of recipesOf(input, formsSet)) {
    const { binding, setup } = await setupForm(deps, input, existing?.forms?.[recipe.kind], recipe);
    forms[recipe.kind] = binding;
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
    // The extensions granted and the office's controls (pause switch, documents made) stay too.
    ...(existing?.extensions ? { extensions: existing.extensions } : {}),
    ...(existing?.control ? { control: existing.control } : {}),
    ...((input.calendar ?? existing?.calendar) ? { calendar: input.calendar ?? existing?.calendar } : {}),
    ...((input.sheetLayout ?? existing?.sheetLayout)
      ? { sheetLayout: input.sheetLayout ?? existing?.sheetLayout }
      : {}),
  };
  await deps.store.campaigns.save(campaign);
  await deps.store.events.record(campaign.id, setupEvents(stages, deps.clock()));
  deps.log.info("campaign set up", {
    campaign: campaign.id,
    stages: stages.map((s) => `${s.stage}:${s.action}`),
  });
  return { campaign, stages };
};

/** Each form to set up: the stages' and the incident reports' (open all year, incident.ts). */
const recipesOf = (input: SetupInput, previousSet: CriteriaSet | undefined): FormRecipe[] => {
  const context = {
    set: input.criteriaSet,
    schools: input.schools,
    schoolYear: input.schoolYear,
    office: input.office,
  };
  // What the criteria asked before, built for today's registry: only a criteria change differs.
  const changed = previousSet && JSON.stringify(previousSet) !== JSON.stringify(input.criteriaSet);
  const before = changed ? { ...context, set: previousSet } : undefined;
  const ids = indicatorIdsOf(input.criteriaSet, ...(previousSet ? [previousSet] : []));
  return [
    ...STAGES.map(
      (stage): FormRecipe => ({
        kind: stage,
        spec: buildFormSpec({ ...context, stage }),
        ...(before ? { before: buildFormSpec({ ...before, stage }) } : {}),
        keyOf: stageItemKey(ids),
        adopt: (form) => adoptForm(form, input.criteriaSet, stage),
      }),
    ),
    {
      kind: INCIDENT_FORM,
      spec: buildIncidentFormSpec(context),
      ...(before ? { before: buildIncidentFormSpec(before) } : {}),
      keyOf: titleItemKey,
      adopt: adoptIncidentForm,
    },
  ];
};

/** The Nhật ký's lines for what setup changed on kept forms. */
const setupEvents = (stages: readonly StageSetup[], at: Date): StoredEvent[] =>
  stages.flatMap((s) => [
    ...(s.action !== "local" && anyQuestionChange(s.questions)
      ? [questionsEvent(s.stage, s.questions, at)]
      : []),
    ...(s.schoolList ? [schoolListEvent({ form: s.stage, formId: s.formId, ...s.schoolList }, at)] : []),
  ]);

/** One form of the campaign: kept (and revised), adopted, created, or (without the Forms API) a local one. */
const setupForm = async (
  deps: Pick<AppDeps, "store" | "forms" | "log" | "clock">,
  input: SetupInput,
  previous: FormBinding | undefined,
  recipe: FormRecipe,
): Promise<{ binding: FormBinding; setup: StageSetup }> => {
  const { kind, spec } = recipe;
  const adoptId =
    input.adopt?.[kind] ?? (previous && !isLocalForm(previous.formId) ? previous.formId : undefined);
  let form = spec;
  let formId = `local-${input.campaignId}-${kind}`;
  let action: StageSetup["action"] = "local";
  // A local form is made anew: what the criteria change did to it is only told.
  let revised: Omit<FormRevised, "form"> = {
    questions: recipe.before
      ? planFormRevision(recipe.before, recipe.before, spec, recipe.keyOf).changes
      : noQuestionChanges(),
  };
  if (deps.forms && adoptId) {
    formId = adoptId;
    action = input.adopt?.[kind] ? "adopted" : "kept";
    ({ form, ...revised } = await reviseForm(deps.forms, {
      formId,
      form: await deps.forms.get(adoptId),
      // An adopted form is the office's: only its school list follows the registry.
      ...(action === "kept" && recipe.before ? { before: recipe.before } : {}),
      after: spec,
      keyOf: recipe.keyOf,
      schools: input.schools,
      bindings: previous?.formId === formId ? previous.bindings : [],
    }));
  } else if (deps.forms) {
    const created = await deps.forms.create(spec);
    form = created;
    formId = created.formId;
    action = "created";
    revised = { questions: noQuestionChanges() };
  }
  const adoption = recipe.adopt(form);
  const at = deps.clock();
  const binding: FormBinding = {
    formId,
    ...(form.responderUri ? { responderUri: form.responderUri } : {}),
    bindings:
      previous?.formId === formId
        ? carryQuestionIds(previous.bindings, adoption.bindings)
        : adoption.bindings,
    ...(previous?.formId === formId && previous.watermark ? { watermark: previous.watermark } : {}),
    // The open or closed state the calendar last applied stays known (form-windows.ts).
    ...(previous?.formId === formId && previous.publish ? { publish: previous.publish } : {}),
    // Its school list follows this registry now (created with it, or just brought in line).
    ...(action !== "local"
      ? { schoolList: { hash: schoolListHash(input.schools), at: at.toISOString() } }
      : {}),
  };
  if (deps.forms && input.topicName && action !== "local") {
    binding.watch = (await keepWatchAlive(deps.forms, formId, input.topicName, at)).watch;
  }
  const setup: StageSetup = {
    stage: kind,
    formId,
    ...(form.responderUri ? { responderUri: form.responderUri } : {}),
    action,
    unmatched: adoption.unmatched ?? [],
    missing: adoption.missing,
    ...revised,
  };
  return { binding, setup };
};
