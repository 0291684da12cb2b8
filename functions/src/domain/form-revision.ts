import { allIndicators, type CriteriaSet } from "./criteria.js";
import { EVIDENCE_MARK, FIXED_TITLES, type FormItem, type FormSpec } from "./form-spec.js";
import { type FormItemRequest, questionBody } from "./form-sync.js";
import { cleanText, foldKey } from "./text.js";

/**
 * A criteria change applied to a form already in use, question by question: what the new criteria
 * set asks differently from the old one (comparing the form dienhinh would build from each) is
 * created, changed or removed on the form; everything else of the form is left as it is, even where
 * it differs from what dienhinh would build (the office may have edited it, e.g. turned an evidence
 * question into a file upload). A question whose kind or options change is re-created (its answers
 * would not read the same); one whose title, help or required flag changes is updated in place.
 * Pure.
 */

/** How an item is known across criteria versions ("value:1.2", "criterion:1", "fixed:school"). */
export type ItemKey = (item: FormItem) => string | undefined;

export interface QuestionChanges {
  created: string[];
  changed: string[];
  removed: string[];
}
export interface FormRevision {
  /** One `batchUpdate`: deletes from the bottom up, then creates and updates at their indices then. */
  requests: FormItemRequest[];
  /** Titles of the items created, changed (updated or re-created) and removed. */
  changes: QuestionChanges;
}

export const noQuestionChanges = (): QuestionChanges => ({ created: [], changed: [], removed: [] });

/** The indicator ids of either criteria set: a stage form's titles are read against both. */
export const indicatorIdsOf = (...sets: CriteriaSet[]): Set<string> =>
  new Set(sets.flatMap((set) => allIndicators(set).map(({ indicator }) => indicator.id)));

/** A stage form's items by what they ask: a criterion's page, an indicator's value or evidence. */
export const stageItemKey =
  (ids: ReadonlySet<string>): ItemKey =>
  (item) => {
    const title = cleanText(item.title ?? "");
    if (item.pageBreakItem) {
      const page = /^Tiêu chí\s+([\p{L}\p{N}._-]+?)\.(?:\s|$)/u.exec(title)?.[1];
      return page ? `criterion:${page}` : undefined;
    }
    if (!item.questionItem) return undefined;
    const fixed = Object.entries(FIXED_TITLES).find(([, t]) => foldKey(t) === foldKey(title));
    if (fixed) return `fixed:${fixed[0]}`;
    const match = /^([\p{L}\p{N}._-]+?)\.\s+(.*)$/u.exec(title);
    if (!match?.[1] || !ids.has(match[1])) return undefined;
    const evidence = foldKey(match[2] ?? "").startsWith(foldKey(EVIDENCE_MARK));
    return `${evidence ? "evidence" : "value"}:${match[1]}`;
  };

/** The incident form's questions by their titles (they do not change with the criteria). */
export const titleItemKey: ItemKey = (item) =>
  item.questionItem && item.title ? `title:${foldKey(item.title)}` : undefined;

const keyedItems = (spec: FormSpec, keyOf: ItemKey) =>
  new Map(
    spec.items.flatMap((item): Array<[string, FormItem]> => {
      const key = keyOf(item);
      return key ? [[key, item]] : [];
    }),
  );

/**
 * The fields `updateItem` must change to turn `old` into `now` ("title,description"), or undefined
 * when the item must be re-created instead (its kind or options change).
 */
const updateFields = (old: FormItem, now: FormItem): string[] | undefined => {
  if (Boolean(old.pageBreakItem) !== Boolean(now.pageBreakItem)) return undefined;
  if (questionBody(old) !== questionBody(now)) return undefined;
  return [
    ...((old.title ?? "") !== (now.title ?? "") ? ["title"] : []),
    ...((old.description ?? "") !== (now.description ?? "") ? ["description"] : []),
    ...((old.questionItem?.question.required ?? false) !== (now.questionItem?.question.required ?? false)
      ? ["questionItem.question.required"]
      : []),
  ];
};

/** A new item as `createItem` takes it: the ids are Google's to give (an old one may still be in use). */
const fresh = (item: FormItem): FormItem => {
  const { itemId: _itemId, ...rest } = structuredClone(item);
  if (rest.questionItem) delete rest.questionItem.question.questionId;
  return rest;
};

interface Decided {
  deletes: Set<number>;
  creates: Set<string>;
  updates: Map<string, string[]>;
  changes: QuestionChanges;
}

/** What each key of the old and new forms needs on the form as it is. */
const decide = (
  present: ReadonlyArray<string | undefined>,
  form: FormSpec,
  was: ReadonlyMap<string, FormItem>,
  now: ReadonlyMap<string, FormItem>,
): Decided => {
  const d: Decided = {
    deletes: new Set(),
    creates: new Set(),
    updates: new Map(),
    changes: noQuestionChanges(),
  };
  const deleteAll = (key: string) => {
    present.forEach((k, i) => {
      if (k === key) d.deletes.add(i);
    });
  };
  for (const [key, item] of now) {
    const old = was.get(key);
    const title = item.title ?? key;
    const fields = old ? updateFields(old, item) : undefined;
    // Unchanged by the criteria: left as the form has it (or lacks it).
    if (old && fields?.length === 0) continue;
    if (!present.includes(key)) {
      d.creates.add(key);
      d.changes.created.push(title);
    } else if (!old) {
      // The form already asks it (the office added it by hand): kept.
    } else if (fields) {
      d.updates.set(key, fields);
      d.changes.changed.push(title);
    } else {
      deleteAll(key);
      d.creates.add(key);
      d.changes.changed.push(title);
    }
  }
  for (const key of was.keys()) {
    if (now.has(key)) continue;
    const at = present.indexOf(key);
    if (at < 0) continue;
    deleteAll(key);
    d.changes.removed.push(form.items[at]?.title ?? key);
  }
  return d;
};

/**
 * Where a new item goes: a criterion's page before the next item of the new form the form has (or
 * at the end); a question right after the last item before it that the form has.
 */
const insertionIndex = (
  list: ReadonlyArray<{ key: string | undefined }>,
  order: ReadonlyArray<string | undefined>,
  key: string,
  item: FormItem,
): number => {
  const at = order.indexOf(key);
  const find = (k: string | undefined) => (k ? list.findLastIndex((e) => e.key === k) : -1);
  if (item.pageBreakItem) {
    for (const next of order.slice(at + 1)) {
      const i = find(next);
      if (i >= 0) return i;
    }
    return list.length;
  }
  for (const before of order.slice(0, at).reverse()) {
    const i = find(before);
    if (i >= 0) return i + 1;
  }
  return list.length;
};

/**
 * The requests that take `form` (as read from the Forms API) from the criteria `before` was built
 * with to those of `after`; none when the criteria change asks nothing of this form.
 */
export const planFormRevision = (
  form: FormSpec,
  before: FormSpec,
  after: FormSpec,
  keyOf: ItemKey,
): FormRevision => {
  const now = keyedItems(after, keyOf);
  const present = form.items.map(keyOf);
  const { deletes, creates, updates, changes } = decide(present, form, keyedItems(before, keyOf), now);
  const list = form.items.map((item, i) => ({ key: present[i], item }));
  const requests: FormItemRequest[] = [];
  for (const index of [...deletes].sort((a, b) => b - a)) {
    requests.push({ deleteItem: { location: { index } } });
    list.splice(index, 1);
  }
  const order = after.items.map(keyOf);
  for (const key of order) {
    const item = key && creates.has(key) ? now.get(key) : undefined;
    if (!key || !item) continue;
    const index = insertionIndex(list, order, key, item);
    list.splice(index, 0, { key, item });
    requests.push({ createItem: { item: fresh(item), location: { index } } });
  }
  for (const [key, fields] of updates) {
    const index = list.findIndex((e) => e.key === key);
    const target = list[index]?.item;
    const wanted = now.get(key);
    if (!target || !wanted) continue;
    // The item as read, with the wanted fields (Google's way: get, change the copy, write it back;
    // only the fields in the mask are written).
    const { description: _, ...rest } = structuredClone(target);
    const item: FormItem = {
      ...rest,
      ...(wanted.title !== undefined ? { title: wanted.title } : {}),
      ...(wanted.description !== undefined ? { description: wanted.description } : {}),
    };
    if (item.questionItem)
      item.questionItem.question.required = wanted.questionItem?.question.required ?? false;
    requests.push({ updateItem: { item, location: { index }, updateMask: fields.join(",") } });
  }
  return { requests, changes };
};
