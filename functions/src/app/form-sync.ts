import {
  type Campaign,
  FORM_LABELS,
  type FormBinding,
  type FormKind,
  isLocalForm,
} from "../domain/campaign.js";
import type { FormSpec } from "../domain/form-spec.js";
import { type OptionsChange, schoolListChange, schoolListHash } from "../domain/form-sync.js";
import type { School } from "../domain/school.js";
import { dayIn } from "../domain/time.js";
import { logCause, publicMessageOf } from "../errors.js";
import type { FormsGateway } from "../infra/google/forms.js";
import type { StoredEvent } from "../infra/store/index.js";
import type { AppDeps } from "./deps.js";

/**
 * The forms' school drop-down kept in line with the registry, at every cycle that reads it (the
 * delivery job, `dienhinh sync`) and at setup: a school added in the "Danh sách trường" tab or by
 * `setup --registry` appears in the list, a school removed disappears (its past responses stay
 * stored and read as before). The form is read only when the registry differs from the one its list
 * was last checked against, and changed (one `updateItem` of that question's options) only when its
 * list differs. A failure is logged and tried again at the next cycle; it stops nothing else.
 */
export interface SchoolListChange {
  form: FormKind;
  formId: string;
  added: string[];
  removed: string[];
  /** Set when the form could not be read or changed this time (tried again next cycle). */
  error?: string;
}

type SyncDeps = Pick<AppDeps, "store" | "clock" | "log" | "forms">;

/** Every real form of the campaign, against its registry as stored now. */
export const syncSchoolLists = async (deps: SyncDeps, campaign: Campaign): Promise<SchoolListChange[]> => {
  const gateway = deps.forms;
  const forms = Object.entries(campaign.forms) as Array<[FormKind, FormBinding | undefined]>;
  if (!gateway || forms.every(([, f]) => !f || isLocalForm(f.formId))) return [];
  try {
    const schools = [...(await deps.store.schools.load(campaign.id)).values()];
    const hash = schoolListHash(schools);
    const changes: SchoolListChange[] = [];
    for (const [kind, form] of forms) {
      if (!form || isLocalForm(form.formId) || form.schoolList?.hash === hash) continue;
      const change = await syncOne(deps, gateway, campaign, kind, form, { schools, hash });
      if (change) changes.push(change);
    }
    return changes;
  } catch (error) {
    // The registry could not be read: nothing changed, the next cycle tries again.
    deps.log.error("forms' school lists not checked", { campaign: campaign.id, error: logCause(error) });
    return [];
  }
};

/** One form's school list: read, changed if it must be, and the registry it now follows recorded. */
const syncOne = async (
  deps: SyncDeps,
  gateway: FormsGateway,
  campaign: Campaign,
  kind: FormKind,
  form: FormBinding,
  registry: { schools: readonly School[]; hash: string },
): Promise<SchoolListChange | undefined> => {
  const at = deps.clock();
  try {
    const read = await gateway.get(form.formId);
    const change = await applySchoolList(gateway, form.formId, read, registry.schools, form.bindings);
    await deps.store.campaigns.setFormSchoolList(campaign.id, kind, {
      hash: registry.hash,
      at: at.toISOString(),
    });
    if (!change) return undefined;
    const done = { form: kind, formId: form.formId, added: change.added, removed: change.removed };
    deps.log.info("form school list updated", { campaign: campaign.id, ...done });
    await deps.store.events.record(campaign.id, [schoolListEvent(done, at)]);
    return done;
  } catch (error) {
    const cause = publicMessageOf(error);
    deps.log.error("form school list not updated", {
      campaign: campaign.id,
      form: kind,
      formId: form.formId,
      error: logCause(error),
    });
    await deps.store.events.record(campaign.id, [
      {
        at,
        kind: "Lỗi",
        message: `Chưa cập nhật được danh sách trường trên biểu mẫu ${FORM_LABELS[kind]}: ${cause}; lần chạy sau sẽ thử lại.`,
        // Once a day, not at every cycle that fails the same way.
        key: `form-schools-error:${form.formId}:${registry.hash}:${dayIn(at, "UTC")}`,
      },
    ]);
    return { form: kind, formId: form.formId, added: [], removed: [], error: cause };
  }
};

/** The form's school question brought in line with `schools`, when it differs; what changed. */
export const applySchoolList = async (
  gateway: Pick<FormsGateway, "updateItems">,
  formId: string,
  form: FormSpec,
  schools: readonly School[],
  bindings: FormBinding["bindings"],
): Promise<OptionsChange | undefined> => {
  const change = schoolListChange(form, schools, bindings);
  if (change) await gateway.updateItems(formId, [change.request]);
  return change;
};

/** What the office's Nhật ký says of a changed list: "Biểu mẫu …: thêm 1 trường (…); bỏ 1 trường (…)". */
export const schoolListEvent = (
  change: Pick<SchoolListChange, "form" | "formId" | "added" | "removed">,
  at: Date,
): StoredEvent => {
  const parts = [
    ...(change.added.length > 0 ? [`thêm ${change.added.length} trường (${change.added.join("; ")})`] : []),
    ...(change.removed.length > 0
      ? [`bỏ ${change.removed.length} trường (${change.removed.join("; ")})`]
      : []),
  ];
  return {
    at,
    kind: "Danh sách trường",
    message: `Danh sách trường trên biểu mẫu ${FORM_LABELS[change.form]}: ${parts.join("; ") || "sắp xếp lại"}`,
  };
};
