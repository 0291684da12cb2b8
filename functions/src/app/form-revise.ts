import { FORM_LABELS, type FormBinding, type FormKind } from "../domain/campaign.js";
import {
  type FormRevision,
  type ItemKey,
  noQuestionChanges,
  planFormRevision,
  type QuestionChanges,
} from "../domain/form-revision.js";
import type { FormSpec } from "../domain/form-spec.js";
import { type OptionsChange, schoolListChange } from "../domain/form-sync.js";
import type { School } from "../domain/school.js";
import type { FormsGateway } from "../infra/google/forms.js";
import type { StoredEvent } from "../infra/store/index.js";

/**
 * `setup` on a campaign whose forms exist: each kept form brought in line with the criteria set
 * given now (the questions a criteria change affects created, changed or removed) and with the
 * registry (its school list), in one `batchUpdate`, then read again so its questions are mapped
 * afresh. A form the criteria change asks nothing of is not touched.
 */
export interface FormRevised {
  form: FormSpec;
  questions: QuestionChanges;
  schoolList?: Pick<OptionsChange, "added" | "removed">;
}

export interface RevisionInput {
  formId: string;
  /** The form as read now. */
  form: FormSpec;
  /** The form the campaign's criteria before asked for, and the one they ask for now. */
  before?: FormSpec;
  after: FormSpec;
  keyOf: ItemKey;
  schools: readonly School[];
  bindings: FormBinding["bindings"];
}

/** What setup changes on a kept form, without changing it (the requests, and what they do). */
export const planRevision = (input: RevisionInput): { revision: FormRevision; school?: OptionsChange } => {
  const revision = input.before
    ? planFormRevision(input.form, input.before, input.after, input.keyOf)
    : { requests: [], changes: noQuestionChanges() };
  const school = schoolListChange(input.form, input.schools, input.bindings);
  return { revision, ...(school ? { school } : {}) };
};

export const reviseForm = async (
  gateway: Pick<FormsGateway, "get" | "updateItems">,
  input: RevisionInput,
): Promise<FormRevised> => {
  const { revision, school } = planRevision(input);
  // The school question's update first, at its index as read: the deletes and creates come after.
  const requests = [...(school ? [school.request] : []), ...revision.requests];
  if (requests.length === 0) return { form: input.form, questions: revision.changes };
  await gateway.updateItems(input.formId, requests);
  return {
    form: await gateway.get(input.formId),
    questions: revision.changes,
    ...(school ? { schoolList: { added: school.added, removed: school.removed } } : {}),
  };
};

/** Whether a criteria change did anything to a form. */
export const anyQuestionChange = (q: QuestionChanges): boolean =>
  q.created.length + q.changed.length + q.removed.length > 0;

/** The Nhật ký's line for a form's questions changed by setup. */
export const questionsEvent = (kind: FormKind, q: QuestionChanges, at: Date): StoredEvent => ({
  at,
  kind: "Biểu mẫu",
  message:
    `Bộ tiêu chí thay đổi, biểu mẫu ${FORM_LABELS[kind]}: ` +
    [
      ...(q.created.length > 0 ? [`thêm ${q.created.length} câu (${q.created.join("; ")})`] : []),
      ...(q.changed.length > 0 ? [`sửa ${q.changed.length} câu (${q.changed.join("; ")})`] : []),
      ...(q.removed.length > 0 ? [`bỏ ${q.removed.length} câu (${q.removed.join("; ")})`] : []),
    ].join("; "),
});
