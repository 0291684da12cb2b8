import type { CriteriaSet, Criterion } from "./criteria.js";
import type { SchoolLevel } from "./levels.js";
import { upperFirst } from "./text.js";

/**
 * Wording that depends on the school's level, from the criteria set's `terms` (for a kindergarten
 * "trẻ", not "học sinh"): a school's documents and messages read in its own words. The forms,
 * shared by every level, keep the set's words.
 */
export type Terms = Readonly<Record<string, Partial<Record<SchoolLevel, string>>>>;

/** The text with each term the level words differently replaced (a capitalised one stays capitalised). */
export const inLevelWords = (text: string, terms: Terms, level: SchoolLevel): string => {
  let out = text;
  // Longest first, so "cha mẹ học sinh" can be worded before "học sinh" is.
  for (const term of Object.keys(terms).sort((a, b) => b.length - a.length)) {
    const word = terms[term]?.[level];
    if (word === undefined) continue;
    out = out.replaceAll(term, word).replaceAll(upperFirst(term), upperFirst(word));
  }
  return out;
};

const cache = new WeakMap<CriteriaSet, Map<SchoolLevel, Criterion[]>>();

/** The set's criteria with their texts in the level's words (computed once per set and level). */
export const criteriaInLevelWords = (set: CriteriaSet, level: SchoolLevel): readonly Criterion[] => {
  const terms = set.terms ?? {};
  if (Object.keys(terms).length === 0) return set.criteria;
  const byLevel = cache.get(set) ?? new Map<SchoolLevel, Criterion[]>();
  cache.set(set, byLevel);
  const known = byLevel.get(level);
  if (known) return known;
  const words = (t: string) => inLevelWords(t, terms, level);
  const criteria = set.criteria.map((c) => ({
    ...c,
    title: words(c.title),
    indicators: c.indicators.map((i) => ({ ...i, text: words(i.text), subject: words(i.subject) })),
  }));
  byLevel.set(level, criteria);
  return criteria;
};
