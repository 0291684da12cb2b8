import type { CriteriaSet, Criterion } from "./criteria.js";
import type { SchoolLevel } from "./levels.js";
import { upperFirst } from "./text.js";

/**
 * Wording that depends on the school's level, from the criteria set's `terms` (for a kindergarten
 * "trẻ", not "học sinh"): a school's documents and messages read in its own words. The forms,
 * shared by every level, keep the set's words.
 */
export type Terms = Readonly<Record<string, Partial<Record<SchoolLevel, string>>>>;

/**
 * The text with each term the levels word differently replaced (a capitalised one stays
 * capitalised). A school of several levels that word a term differently reads both: a MN-TH school
 * "trẻ và học sinh".
 */
export const inLevelWords = (
  text: string,
  terms: Terms,
  levels: SchoolLevel | readonly SchoolLevel[],
): string => {
  const all = typeof levels === "string" ? [levels] : levels;
  let out = text;
  // Longest first, so "cha mẹ học sinh" can be worded before "học sinh" is.
  for (const term of Object.keys(terms).sort((a, b) => b.length - a.length)) {
    const byLevel = terms[term] ?? {};
    if (!all.some((l) => byLevel[l] !== undefined)) continue;
    const word = [...new Set(all.map((l) => byLevel[l] ?? term))].join(" và ");
    out = out.replaceAll(term, word).replaceAll(upperFirst(term), upperFirst(word));
  }
  return out;
};

const cache = new WeakMap<CriteriaSet, Map<string, Criterion[]>>();

/** The set's criteria with their texts in the levels' words (computed once per set and levels). */
export const criteriaInLevelWords = (
  set: CriteriaSet,
  levels: readonly SchoolLevel[],
): readonly Criterion[] => {
  const terms = set.terms ?? {};
  if (Object.keys(terms).length === 0) return set.criteria;
  const byLevels = cache.get(set) ?? new Map<string, Criterion[]>();
  cache.set(set, byLevels);
  const key = levels.join(",");
  const known = byLevels.get(key);
  if (known) return known;
  const words = (t: string) => inLevelWords(t, terms, levels);
  const criteria = set.criteria.map((c) => ({
    ...c,
    title: words(c.title),
    indicators: c.indicators.map((i) => ({ ...i, text: words(i.text), subject: words(i.subject) })),
  }));
  byLevels.set(key, criteria);
  return criteria;
};
