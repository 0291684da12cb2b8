import { createHash } from "node:crypto";
import {
  FIXED_TITLES,
  type FormItem,
  type FormSpec,
  type QuestionBinding,
  schoolOption,
} from "./form-spec.js";
import type { School } from "./school.js";
import { cleanText, foldKey } from "./text.js";

/**
 * Keeping a campaign's forms in line with what they are built from, without re-creating them: the
 * school drop-down with the registry, and the questions with the criteria set. Each change is a
 * Forms API `batchUpdate` request computed here (pure); the app layer reads the form, sends the
 * requests and re-reads it. Nothing is asked of the API when the form is already as wanted.
 */

/** The subset of the Forms API `batchUpdate` requests that dienhinh sends to change items. */
export type FormItemRequest =
  | { createItem: { item: FormItem; location: { index: number } } }
  | { deleteItem: { location: { index: number } } }
  | { updateItem: { item: FormItem; location: { index: number }; updateMask: string } };

export const OPTIONS_MASK = "questionItem.question.choiceQuestion.options";

/** "T-MN1 – Trường Mầm non Ánh Sao" → "T-MN1" (the school's code, as intake reads it). */
const codeOfOption = (option: string): string => cleanText(option.split(/\s[–-]\s/u)[0] ?? "");

/**
 * The school drop-down as the registry wants it, from what it lists now: the schools it lists that
 * are still registered, in the form's order and with their current name; then the schools not
 * listed yet, in the registry's order. Anything else (a removed school, a stray option) goes.
 */
export const wantedSchoolOptions = (current: readonly string[], schools: readonly School[]): string[] => {
  const byCode = new Map(schools.map((s) => [s.code, schoolOption(s)]));
  const listed = new Set<string>();
  const kept: string[] = [];
  for (const option of current) {
    const code = codeOfOption(option);
    const label = byCode.get(code);
    if (label === undefined || listed.has(code)) continue;
    listed.add(code);
    kept.push(label);
  }
  return [...kept, ...schools.filter((s) => !listed.has(s.code)).map(schoolOption)];
};

/** A fingerprint of the registry's school list (whatever its order): unchanged, nothing to check. */
export const schoolListHash = (schools: readonly School[]): string =>
  createHash("sha256")
    .update(JSON.stringify(schools.map(schoolOption).sort()))
    .digest("hex")
    .slice(0, 16);

export interface OptionsChange {
  itemId?: string;
  index: number;
  added: string[];
  removed: string[];
  request: FormItemRequest;
}

/** The form's school question: the one bound to the school, else the one titled so. */
const schoolItemIndex = (form: FormSpec, bindings: readonly QuestionBinding[]): number => {
  const bound = bindings.find((b) => b.role === "school")?.questionId;
  const byId = form.items.findIndex((i) => bound && i.questionItem?.question.questionId === bound);
  if (byId >= 0) return byId;
  return form.items.findIndex(
    (i) => i.questionItem?.question.choiceQuestion && foldKey(i.title ?? "") === foldKey(FIXED_TITLES.school),
  );
};

/**
 * The one `updateItem` that brings a choice question's options to `wanted`, touching nothing else
 * of it; undefined when it already offers exactly those (in that order).
 */
export const optionsChange = (form: FormSpec, index: number, wanted: readonly string[]) => {
  const item = form.items[index];
  const choice = item?.questionItem?.question.choiceQuestion;
  if (!item || !choice) return undefined;
  const current = choice.options.map((o) => o.value);
  if (current.length === wanted.length && current.every((v, i) => v === wanted[i])) return undefined;
  const change: OptionsChange = {
    ...(item.itemId ? { itemId: item.itemId } : {}),
    index,
    added: wanted.filter((v) => !current.includes(v)),
    removed: current.filter((v) => !wanted.includes(v)),
    request: {
      updateItem: {
        item: {
          ...(item.itemId ? { itemId: item.itemId } : {}),
          questionItem: {
            question: { choiceQuestion: { type: choice.type, options: wanted.map((value) => ({ value })) } },
          },
        },
        location: { index },
        updateMask: OPTIONS_MASK,
      },
    },
  };
  return change;
};

/** The school drop-down's change for the registry, if it needs one (undefined also when it has none). */
export const schoolListChange = (
  form: FormSpec,
  schools: readonly School[],
  bindings: readonly QuestionBinding[] = [],
): OptionsChange | undefined => {
  const index = schoolItemIndex(form, bindings);
  const current = form.items[index]?.questionItem?.question.choiceQuestion?.options.map((o) => o.value);
  // A choice question needs an option: an empty registry (being replaced) leaves the list alone.
  if (index < 0 || !current || schools.length === 0) return undefined;
  return optionsChange(form, index, wantedSchoolOptions(current, schools));
};

/**
 * Question ids a form no longer uses, kept resolvable: a binding whose question was re-created (a
 * criteria change, or the office's hand) keeps the ids it had, so a response sent to the old
 * question (read late, or read again) still maps to the same indicator.
 */
export const carryQuestionIds = (
  previous: readonly QuestionBinding[],
  next: readonly QuestionBinding[],
): QuestionBinding[] =>
  next.map((binding) => {
    const before = previous.find((p) => p.role === binding.role && p.indicatorId === binding.indicatorId);
    if (!before) return binding;
    const ids = [
      ...new Set([
        ...(before.previousQuestionIds ?? []),
        before.questionId,
        ...(binding.previousQuestionIds ?? []),
      ]),
    ].filter((id) => id !== binding.questionId);
    return ids.length > 0 ? { ...binding, previousQuestionIds: ids } : binding;
  });

/** A binding answers to its question's id and to every id it had before. */
export const questionIdsOf = (binding: QuestionBinding): string[] => [
  binding.questionId,
  ...(binding.previousQuestionIds ?? []),
];

/** What a question asks and how (its kind, its options), without its id or whether it is required. */
export const questionBody = (item: FormItem): string | undefined => {
  const question = item.questionItem?.question;
  if (!question) return undefined;
  const { questionId: _id, required: _required, ...body } = question;
  return canonicalJson(body);
};

/** JSON with every object's keys sorted: the same content gives the same text. */
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
