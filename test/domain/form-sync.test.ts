import { describe, expect, it } from "vitest";
import { adoptForm, type FormSpec, schoolOption } from "../../functions/src/domain/form-spec.js";
import {
  carryQuestionIds,
  OPTIONS_MASK,
  schoolListChange,
  schoolListHash,
  wantedSchoolOptions,
} from "../../functions/src/domain/form-sync.js";
import { readFormResponse } from "../../functions/src/domain/intake.js";
import type { School } from "../../functions/src/domain/school.js";
import { defaultSet, formResponse, formSpec, SCHOOLS } from "../kit/index.js";

/**
 * The school drop-down follows the registry (pure): the options wanted, the one `updateItem` when
 * they differ, nothing when they do not; and a re-created question's old ids stay readable.
 */
const [mn1, th1, cs1] = SCHOOLS as [School, School, School];
const added: School = { ...mn1, code: "T-MN2", name: "Trường Mầm non Hoa Sen" };

/** The form as Google returns it: every item with an id. */
const asRead = (spec: FormSpec): FormSpec => ({
  ...spec,
  formId: "form-1",
  items: spec.items.map((item, i) => ({ ...item, itemId: `item${i}` })),
});

describe("the school list wanted", () => {
  it("keeps the form's order and the schools still registered, renames, drops the removed, appends the new", () => {
    const current = [schoolOption(cs1), "T-MN1 – Tên cũ", schoolOption(th1), "Khác"];
    expect(wantedSchoolOptions(current, [mn1, added, cs1])).toEqual([
      schoolOption(cs1),
      schoolOption(mn1),
      schoolOption(added),
    ]);
  });

  it("is what the form has already: nothing to change", () => {
    const listed = SCHOOLS.map(schoolOption);
    expect(wantedSchoolOptions(listed, SCHOOLS)).toEqual(listed);
    expect(schoolListChange(asRead(formSpec("dossier")), SCHOOLS)).toBeUndefined();
    // An empty registry would leave a choice question without options, which Google refuses.
    expect(schoolListChange(asRead(formSpec("dossier")), [])).toBeUndefined();
  });

  it("fingerprints the registry whatever its order, and changes with a school", () => {
    expect(schoolListHash([cs1, mn1, th1])).toBe(schoolListHash(SCHOOLS));
    expect(schoolListHash([...SCHOOLS, added])).not.toBe(schoolListHash(SCHOOLS));
    expect(schoolListHash([mn1, th1])).not.toBe(schoolListHash(SCHOOLS));
  });
});

describe("the school question's update", () => {
  it("is one updateItem of its options only, at its index, with its item id", () => {
    const form = asRead(formSpec("dossier"));
    const change = schoolListChange(form, [th1, cs1, added]);
    expect(change?.added).toEqual([schoolOption(added)]);
    expect(change?.removed).toEqual([schoolOption(mn1)]);
    expect(change?.request).toEqual({
      updateItem: {
        item: {
          itemId: "item0",
          questionItem: {
            question: {
              choiceQuestion: {
                type: "DROP_DOWN",
                options: [th1, cs1, added].map((s) => ({ value: schoolOption(s) })),
              },
            },
          },
        },
        location: { index: 0 },
        updateMask: OPTIONS_MASK,
      },
    });
  });

  it("finds the question by its binding when the office moved and renamed it", () => {
    const spec = asRead(formSpec("registration"));
    const [school, ...rest] = spec.items;
    const moved = { ...spec, items: [...rest, { ...school, title: "Đơn vị của thầy cô" }] };
    const bindings = adoptForm(spec, defaultSet(), "registration").bindings;
    const change = schoolListChange(moved, [mn1, th1], bindings);
    expect(change?.index).toBe(rest.length);
    expect(change?.removed).toEqual([schoolOption(cs1)]);
    // Without its binding, a question titled otherwise is not the school's: nothing is changed.
    expect(schoolListChange(moved, [mn1, th1])).toBeUndefined();
  });
});

describe("a re-created question's old ids", () => {
  it("stay with its binding, and intake reads an answer to the old question as before", () => {
    const set = defaultSet();
    const before = adoptForm(asRead(formSpec("dossier")), set, "dossier").bindings;
    const after = before.map((b) =>
      b.indicatorId === "5.2" && b.role === "value" ? { ...b, questionId: "0a0b0c0d" } : b,
    );
    const carried = carryQuestionIds(before, after);
    const old = before.find((b) => b.indicatorId === "5.2")?.questionId as string;
    expect(carried.find((b) => b.indicatorId === "5.2")?.previousQuestionIds).toEqual([old]);
    expect(carried.filter((b) => b.previousQuestionIds)).toHaveLength(1);
    // Carried again (a second change): the oldest id is still there.
    const again = carryQuestionIds(
      carried,
      carried.map((b) =>
        b.indicatorId === "5.2" ? { ...b, questionId: "1a1b1c1d", previousQuestionIds: [] } : b,
      ),
    );
    expect(again.find((b) => b.indicatorId === "5.2")?.previousQuestionIds).toEqual([old, "0a0b0c0d"]);

    const response = formResponse(before, mn1, { "5.2": "Hoàn thành tốt nhiệm vụ", "2.3": "4" });
    const read = (bindings: typeof before) =>
      readFormResponse(response, {
        stage: "dossier",
        set,
        bindings,
        schools: new Map(SCHOOLS.map((s) => [s.code, s])),
        receivedAt: "2026-11-10T00:00:00.000Z",
      }).answers;
    expect(read(before)["5.2"]?.value).toBe("Hoàn thành tốt nhiệm vụ");
    expect(read(carried)).toEqual(read(before));
    // Without the old id, the answer would be lost.
    expect(read(after)["5.2"]).toBeUndefined();
    // An old id another question uses now is that question's: the current id wins.
    const reused = carried.map((b) =>
      b.indicatorId === "6.1" && b.role === "value" ? { ...b, questionId: old } : b,
    );
    expect(read(reused)["5.2"]).toBeUndefined();
    expect(read(reused)["6.1"]).toMatchObject({ value: null });
  });
});
