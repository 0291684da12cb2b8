import { describe, expect, it } from "vitest";
import type { CriteriaSet } from "../../functions/src/domain/criteria.js";
import {
  indicatorIdsOf,
  planFormRevision,
  stageItemKey,
  titleItemKey,
} from "../../functions/src/domain/form-revision.js";
import type { FormItem, FormSpec } from "../../functions/src/domain/form-spec.js";
import { buildIncidentFormSpec } from "../../functions/src/domain/incident.js";
import { applyItemRequest, defaultSet, formSpec, OFFICE, revisedSet, SCHOOLS } from "../kit/index.js";

/**
 * A criteria change applied to a form in use (pure): exactly the questions it affects are created,
 * changed or removed, at the right places; a form the change asks nothing of gets no request.
 */
const asRead = (spec: FormSpec): FormSpec => ({
  ...spec,
  formId: "form-1",
  items: spec.items.map((item, i) => ({ ...item, itemId: `item${i}` })),
});

/** The requests applied as Google applies them, in order (the kit's Forms server does the same). */
const applied = (form: FormSpec, requests: readonly unknown[]): FormSpec => {
  const items = structuredClone(form.items) as Array<Record<string, unknown>>;
  for (const request of requests) {
    const done = applyItemRequest(items, request);
    if (!done || "error" in done) throw new Error(`refused: ${JSON.stringify(done)}`);
  }
  return { ...form, items: items as FormItem[] };
};

/** An item without the ids Google gives: what it asks and how. */
const content = ({ itemId: _i, ...item }: FormItem) => {
  const copy = structuredClone(item);
  if (copy.questionItem) delete copy.questionItem.question.questionId;
  return copy;
};

const revise = (
  stage: "registration" | "dossier",
  before: CriteriaSet,
  after: CriteriaSet,
  form?: FormSpec,
) => {
  const read = form ?? asRead(formSpec(stage, before));
  const keyOf = stageItemKey(indicatorIdsOf(before, after));
  const plan = planFormRevision(read, formSpec(stage, before), formSpec(stage, after), keyOf);
  return { read, plan, result: applied(read, plan.requests) };
};

describe("a criteria change on a stage form", () => {
  it("re-creates, updates, creates and removes exactly the questions it affects", () => {
    const after = revisedSet();
    const { read, plan, result } = revise("dossier", defaultSet(), after);
    const titles = (ids: string[]) =>
      formSpec("dossier", after)
        .items.filter((i) => ids.some((id) => i.title?.startsWith(`${id}. `)))
        .map((i) => i.title);
    expect(plan.changes.created).toEqual(
      titles(["2.3"])
        .filter((t) => t?.includes("Minh chứng"))
        .concat(titles(["2.4"])),
    );
    expect(plan.changes.changed).toEqual([
      ...titles(["1.5"]),
      ...titles(["2.3"]).filter((t) => !t?.includes("Minh chứng")),
      ...titles(["5.2"]),
    ]);
    expect(plan.changes.removed).toEqual([read.items.find((i) => i.title?.startsWith("6.2. "))?.title]);
    // The form now asks what the new criteria ask, in their order.
    expect(result.items.map(content)).toEqual(formSpec("dossier", after).items.map(content));
    // Deletes first, from the bottom up; 1.5's help is an update in place (its id kept).
    const deletes = plan.requests.flatMap((r) => ("deleteItem" in r ? [r.deleteItem.location.index] : []));
    expect(deletes).toEqual([...deletes].sort((a, b) => b - a));
    expect(deletes).toHaveLength(3); // 2.3 (a number, re-created), 5.2 (options), 6.2 (gone)
    const update = plan.requests.find((r) => "updateItem" in r);
    expect(update).toMatchObject({
      updateItem: { updateMask: "description", item: { itemId: expect.any(String) } },
    });
    // Every question the change does not touch keeps its item and question ids.
    const ids = (f: FormSpec) =>
      new Map(f.items.map((i) => [i.title, `${i.itemId}/${i.questionItem?.question.questionId}`]));
    const kept = [...ids(read)].filter(([title]) => !/^(1\.5|2\.3|5\.2|6\.2)\. /u.test(title ?? ""));
    for (const [title, id] of kept) expect(ids(result).get(title)).toBe(id);
    // Created items carry no id: Google gives them one (an old one may still be in use).
    for (const r of plan.requests)
      if ("createItem" in r) expect(r.createItem.item.questionItem?.question.questionId).toBeUndefined();
  });

  it("asks nothing of a form the change does not affect, however the office edited it", () => {
    const { plan } = revise("registration", defaultSet(), revisedSet());
    expect(plan.requests).toEqual([]);
    // Same criteria, a form the office changed by hand (an evidence question made a file upload, a
    // question of its own): nothing is deleted or re-created.
    const spec = asRead(formSpec("dossier"));
    const edited: FormSpec = {
      ...spec,
      items: [
        ...spec.items.map((i) =>
          i.title?.startsWith("1.4. Minh chứng")
            ? { ...i, questionItem: { question: { questionId: "f1", fileUploadQuestion: {} } } }
            : i,
        ),
        {
          itemId: "own",
          title: "Ý kiến khác của trường",
          questionItem: { question: { questionId: "own1", textQuestion: {} } },
        },
      ],
    };
    expect(revise("dossier", defaultSet(), defaultSet(), edited).plan.requests).toEqual([]);
    // A changed set keeps the office's own question and its file upload.
    const { result } = revise("dossier", defaultSet(), revisedSet(), edited);
    expect(result.items.find((i) => i.itemId === "own")).toBeDefined();
    expect(
      result.items.find((i) => i.title?.startsWith("1.4. Minh chứng"))?.questionItem?.question
        .fileUploadQuestion,
    ).toEqual({});
  });

  it("adds a new criterion's page with its questions, and removes a criterion's page with its last question", () => {
    const before = defaultSet();
    const after = structuredClone(before);
    const six = after.criteria.pop() as CriteriaSet["criteria"][number];
    after.criteria.push({
      ...six,
      id: "7",
      title: "Tiêu chí mới",
      indicators: six.indicators.map((i) => ({ ...i, id: `7.${i.id.slice(2)}` })),
    });
    const { plan, result } = revise("dossier", before, after);
    expect(result.items.map(content)).toEqual(formSpec("dossier", after).items.map(content));
    expect(plan.changes.removed.filter((t) => t.startsWith("Tiêu chí 6."))).toHaveLength(1);
    expect(plan.changes.created.filter((t) => t.startsWith("Tiêu chí 7."))).toHaveLength(1);
  });
});

describe("a criteria change on the incident form", () => {
  it("re-creates the kinds question when the incident indicators change, and nothing else", () => {
    const build = (set: CriteriaSet) =>
      buildIncidentFormSpec({ set, schools: SCHOOLS, schoolYear: "2026-2027", office: OFFICE });
    const read = asRead(build(defaultSet()));
    const plan = planFormRevision(read, build(defaultSet()), build(revisedSet()), titleItemKey);
    expect(plan.changes).toEqual({ created: [], changed: ["Loại vụ việc"], removed: [] });
    expect(applied(read, plan.requests).items.map(content)).toEqual(build(revisedSet()).items.map(content));
    expect(planFormRevision(read, build(defaultSet()), build(defaultSet()), titleItemKey).requests).toEqual(
      [],
    );
  });
});
