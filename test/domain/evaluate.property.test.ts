import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Answer } from "../../functions/src/domain/answers.js";
import {
  allIndicators,
  appliesToLevel,
  type CriteriaSet,
  type Indicator,
} from "../../functions/src/domain/criteria.js";
import { type Evaluation, evaluate } from "../../functions/src/domain/evaluate.js";
import { SCHOOL_LEVELS } from "../../functions/src/domain/levels.js";
import { defaultSet, schoolAt, trafficSet } from "../kit/index.js";

const sets: Array<[string, CriteriaSet]> = [
  ["default set", defaultSet()],
  ["traffic set", trafficSet()],
];

const files = fc.array(fc.constantFrom("drive:a", "drive:b", ""), { maxLength: 2 });
const junk = fc.oneof(fc.string({ maxLength: 6 }), fc.constant(null), fc.double({ noNaN: false }));

/** An arbitrary answer for an indicator: mostly plausible for its kind, sometimes nonsense. */
const answerFor = (indicator: Indicator): fc.Arbitrary<Answer> => {
  const plausible: fc.Arbitrary<Answer["value"]> = (() => {
    switch (indicator.kind) {
      case "evidence":
        return fc.constantFrom<Answer["value"]>(true, false, "Có", "Không", "có", null);
      case "zero":
        return fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom("0", "1", "2"));
      case "number":
        return fc.oneof(
          fc.integer({ min: -1, max: 120 }),
          fc.double({ min: 0, max: 120, noNaN: true }),
          fc.integer({ min: 0, max: 100 }).map((n) => `${n} %`),
        );
      case "choice":
        return fc.constantFrom<Answer["value"]>(...indicator.options, "khác");
    }
  })();
  return fc.record({
    value: fc.oneof(
      { weight: 9, arbitrary: plausible },
      { weight: 1, arbitrary: junk as fc.Arbitrary<Answer["value"]> },
    ),
    files,
    notApplicable: fc.boolean(),
  });
};

const answersFor = (set: CriteriaSet) =>
  fc.record(
    Object.fromEntries(allIndicators(set).map(({ indicator }) => [indicator.id, answerFor(indicator)])),
    { requiredKeys: [] },
  ) as fc.Arbitrary<Record<string, Answer>>;

const level = fc.constantFrom(...SCHOOL_LEVELS);
const rank = (e: Evaluation) => (e.selfAssessed === "cho-kiem-tra" ? 1 : 0);

/** One step that can only help: add a file, or move a number toward its threshold. */
const improve = (
  set: CriteriaSet,
  answers: Record<string, Answer>,
  id: string,
  step: number,
): Record<string, Answer> => {
  const found = allIndicators(set).find(({ indicator }) => indicator.id === id);
  const current = answers[id];
  if (!found || !current) return answers;
  const { indicator } = found;
  if (typeof current.value !== "number" || indicator.kind === "evidence" || indicator.kind === "choice") {
    return { ...answers, [id]: { ...current, files: [...current.files, "drive:moi"] } };
  }
  let value = current.value;
  if (indicator.kind === "zero") value = Math.max(0, value - step);
  else {
    const up = indicator.threshold.op === ">=" || indicator.threshold.op === ">";
    const down = indicator.threshold.op === "<=" || indicator.threshold.op === "<";
    if (!up && !down) return answers; // "=" has no direction to improve in
    value += up ? step : -step;
    value = Math.min(indicator.max ?? value, Math.max(indicator.min ?? value, value));
  }
  return { ...answers, [id]: { ...current, value } };
};

describe.each(sets)("evaluate, properties (%s)", (_name, set) => {
  const ids = allIndicators(set).map(({ indicator }) => indicator.id);

  it("gives the same evaluation for the same input", () => {
    fc.assert(
      fc.property(answersFor(set), level, (answers, lvl) => {
        const first = evaluate(answers, set, schoolAt(lvl));
        const again = evaluate(structuredClone(answers), structuredClone(set), schoolAt(lvl));
        expect(again).toEqual(first);
      }),
    );
  });

  it("never lowers the result when evidence is added or a number improves", () => {
    fc.assert(
      fc.property(
        answersFor(set),
        level,
        fc.constantFrom(...ids),
        fc.integer({ min: 1, max: 50 }),
        (answers, lvl, id, step) => {
          const before = evaluate(answers, set, schoolAt(lvl));
          const after = evaluate(improve(set, answers, id, step), set, schoolAt(lvl));
          expect(rank(after)).toBeGreaterThanOrEqual(rank(before));
          expect(after.points).toBeGreaterThanOrEqual(before.points);
        },
      ),
    );
  });

  it("lists every failed mandatory indicator in what is missing, and nothing that passed", () => {
    fc.assert(
      fc.property(answersFor(set), level, (answers, lvl) => {
        const e = evaluate(answers, set, schoolAt(lvl));
        const results = e.criteria.flatMap((c) => c.indicators);
        const failedMandatory = results
          .filter((i) => i.mandatory && (i.status === "not-met" || i.status === "evidence-missing"))
          .map((i) => i.id);
        const missingIds = e.missing.map((m) => m.indicatorId);
        for (const id of failedMandatory) expect(missingIds).toContain(id);
        for (const m of e.missing) {
          expect(results.find((i) => i.id === m.indicatorId)?.status).toMatch(/^(not-met|evidence-missing)$/);
          expect(m.message).toMatch(/^Tiêu chí /);
        }
        expect(e.selfAssessed === "cho-kiem-tra").toBe(e.missing.every((m) => !m.mandatory));
        // Ruled out exactly when a mandatory failure is a fact the school reported.
        expect(e.selfAssessed === "khong-du-dieu-kien").toBe(
          e.missing.some((m) => m.mandatory && m.disqualifying),
        );
      }),
    );
  });

  it("ignores whatever is answered to indicators that do not apply to the level", () => {
    fc.assert(
      fc.property(answersFor(set), answersFor(set), level, (answers, noise, lvl) => {
        const notApplicable = allIndicators(set)
          .filter(
            ({ criterion, indicator }) =>
              !appliesToLevel(criterion.levels, lvl) || !appliesToLevel(indicator.levels, lvl),
          )
          .map(({ indicator }) => indicator.id);
        const withNoise = { ...answers };
        for (const id of notApplicable) {
          const n = noise[id];
          if (n) withNoise[id] = n;
          else delete withNoise[id];
        }
        expect(evaluate(withNoise, set, schoolAt(lvl))).toEqual(evaluate(answers, set, schoolAt(lvl)));
      }),
    );
  });

  it("keeps points between 0 and the maximum", () => {
    fc.assert(
      fc.property(answersFor(set), level, (answers, lvl) => {
        const e = evaluate(answers, set, schoolAt(lvl));
        expect(e.points).toBeGreaterThanOrEqual(0);
        expect(e.points).toBeLessThanOrEqual(e.maxPoints);
        for (const c of e.criteria) expect(c.points).toBeLessThanOrEqual(c.maxPoints);
      }),
    );
  });
});
