import { describe, expect, it } from "vitest";
import type { Stage } from "../../functions/src/domain/criteria.js";
import type { IntakeOutcome } from "../../functions/src/domain/intake.js";
import { readResponse } from "../../functions/src/domain/intake-guard.js";
import type { School } from "../../functions/src/domain/school.js";
import {
  applyOutcome,
  deriveSchoolState,
  type SchoolState,
} from "../../functions/src/domain/school-state.js";
import {
  defaultSet,
  formResponse,
  inspected,
  inspectionOf,
  PASSING_DOSSIER,
  PASSING_REGISTRATION,
  SCHOOLS,
  specBindings,
  TEAM,
  type TypedAnswers,
  withOffice,
} from "../kit/index.js";

/**
 * A school's whole path, each step through the intake (`readResponse`) and `applyOutcome` as in
 * production, and the office's inputs through `deriveSchoolState`.
 */

const set = defaultSet();
const th1 = SCHOOLS[1] as School;
const mn1 = SCHOOLS[0] as School;

const REGISTRATION_TIME = "2026-03-01T01:00:00.000Z";
const DOSSIER_TIME = "2026-11-05T01:30:00.000Z";
const LATER = "2026-11-20T03:00:00.000Z";
const REASON = "Kế hoạch chưa được thủ trưởng ký ban hành";
const RECOGNITION = { number: "125/QĐ-UBND", date: "2026-12-20" };

/** A response as the school typed it, read by the intake (accepted or quarantined). */
const response = (stage: Stage, answers: TypedAnswers, at: string, s: School = th1): IntakeOutcome =>
  readResponse(
    formResponse(specBindings(stage, set), s, answers, { lastSubmittedTime: at, email: s.emails[0] ?? null }),
    {
      stage,
      set,
      bindings: specBindings(stage, set),
      schools: new Map(SCHOOLS.map((x) => [x.code, x])),
      receivedAt: "2026-12-31T00:00:00.000Z",
    },
  );

const accepted = (stage: Stage, answers: TypedAnswers, at: string, s: School = th1): IntakeOutcome => {
  const read = response(stage, answers, at, s);
  if (read.disposition !== "accepted") throw new Error(`fixture refused: ${read.reasons.join("; ")}`);
  return read;
};

/** The state after the responses, applied in order. */
const applied = (outcomes: IntakeOutcome[], s: School = th1, from?: SchoolState): SchoolState => {
  let state = from;
  for (const o of outcomes) state = applyOutcome(state, o, s, set).state;
  if (!state) throw new Error("no response applied");
  return state;
};

const registered = (s: School = th1) =>
  applied([accepted("registration", PASSING_REGISTRATION, REGISTRATION_TIME, s)], s);
const waiting = (s: School = th1, dossier: TypedAnswers = PASSING_DOSSIER) =>
  applied([accepted("dossier", dossier, DOSSIER_TIME, s)], s, registered(s));

describe("a school's path, step by step", () => {
  it("goes chua-dang-ky → da-dang-ky → cho-kiem-tra → dat → duoc-cong-nhan", () => {
    const nothing = deriveSchoolState(th1, set, {}, null);
    expect(nothing.status).toBe("chua-dang-ky");

    const reg = registered();
    expect(reg.status).toBe("da-dang-ky");
    expect(reg.evaluation.selfAssessed).toBeNull();

    const dossier = waiting();
    expect(dossier).toMatchObject({ status: "cho-kiem-tra", assessedStatus: "cho-kiem-tra" });
    expect(dossier.evaluation.missing).toEqual([]);
    expect(dossier.outcome.verdict).toBeNull();

    const dat = inspected(dossier, th1, set);
    expect(dat).toMatchObject({ status: "dat", assessedStatus: "cho-kiem-tra" });
    expect(dat.outcome).toEqual({ verdict: "dat", rejected: [], pending: [] });

    const recognised = withOffice(dat, th1, set, { recognition: RECOGNITION });
    expect(recognised).toMatchObject({ status: "duoc-cong-nhan", recognition: RECOGNITION });
  });

  it("is Đạt with every applicable mandatory indicator confirmed, the inapplicable ones not asked", () => {
    const state = waiting(mn1);
    expect(state.status).toBe("cho-kiem-tra");
    const inspection = inspectionOf(state);
    // 2.2 (parents' association) applies to general-education schools only.
    expect(inspection.findings["2.2"]).toBeUndefined();
    expect(withOffice(state, mn1, set, { inspection }).status).toBe("dat");
  });

  it("is Không đạt when the inspection rejects a self-assessed school's mandatory indicator, with the reason", () => {
    const dossier = waiting();
    expect(dossier.evaluation.missing).toEqual([]);
    const state = inspected(dossier, th1, set, { "1.2": REASON });
    expect(state).toMatchObject({ status: "khong-dat", assessedStatus: "cho-kiem-tra" });
    const text = set.criteria[0]?.indicators.find((i) => i.id === "1.2")?.text;
    expect(state.outcome.rejected).toEqual([{ indicatorId: "1.2", text, reason: REASON }]);
  });

  it("is Không đạt on one rejection even before the other indicators are judged", () => {
    const dossier = waiting();
    const inspection = inspectionOf(
      dossier,
      {},
      { findings: { "4.1": { finding: "khong-xac-nhan", reason: "Có 1 vụ" } } },
    );
    const state = withOffice(dossier, th1, set, { inspection });
    expect(state.status).toBe("khong-dat");
    expect(state.outcome.rejected.map((r) => r.indicatorId)).toEqual(["4.1"]);
  });

  it("keeps Chờ kiểm tra while the inspection is partial, listing what is still to judge", () => {
    const dossier = waiting();
    const full = inspectionOf(dossier);
    const { "6.2": _, ...partial } = full.findings;
    const state = withOffice(dossier, th1, set, { inspection: { ...full, findings: partial } });
    expect(state.status).toBe("cho-kiem-tra");
    expect(state.outcome).toEqual({ verdict: null, rejected: [], pending: ["6.2"] });
  });

  // A rejected NON-mandatory indicator not counting is not tested here: functions/data/criteria/
  // mac-dinh.yaml has no `mandatory: false` criterion or indicator (every one is mandatory).
  it("has only mandatory indicators in the default criteria (so no non-mandatory case to test)", () => {
    const optional = set.criteria.flatMap((c) => [
      ...(c.mandatory ? [] : [c.id]),
      ...c.indicators.filter((i) => !i.mandatory).map((i) => i.id),
    ]);
    expect(optional).toEqual([]);
  });

  it("goes can-bo-sung (evidence missing) → cho-kiem-tra when the school fixes its evidence after the deadline", () => {
    const missing = waiting(th1, { ...PASSING_DOSSIER, "1.4": "Có" });
    expect(missing.status).toBe("can-bo-sung");
    expect(missing.evaluation.criteria[0]?.indicators.find((i) => i.id === "1.4")?.status).toBe(
      "evidence-missing",
    );
    const fixed = applied([accepted("dossier", PASSING_DOSSIER, LATER)], th1, missing);
    expect(fixed).toMatchObject({ status: "cho-kiem-tra", assessedStatus: "cho-kiem-tra" });
    expect(fixed.latest.dossier?.lastSubmittedTime).toBe(LATER);
    expect(fixed.evaluation.missing).toEqual([]);
  });

  it("is khong-du-dieu-kien for a reported fact of the period (6.1 below 70%)", () => {
    const fact = set.criteria.flatMap((c) => c.indicators).find((i) => i.id === "6.1");
    expect(fact?.fact).toBe(true);
    const state = waiting(th1, { ...PASSING_DOSSIER, "6.1": "50 %" });
    expect(state).toMatchObject({ status: "khong-du-dieu-kien", assessedStatus: "khong-du-dieu-kien" });
    expect(state.evaluation.missing.map((m) => m.indicatorId)).toEqual(["6.1"]);
  });

  it("gives no verdict to a school that is can-bo-sung, whatever the inspection recorded", () => {
    const missing = waiting(th1, { ...PASSING_DOSSIER, "1.4": "Có" });
    const confirmed = withOffice(missing, th1, set, { inspection: inspectionOf(missing) });
    expect(confirmed).toMatchObject({ status: "can-bo-sung", assessedStatus: "can-bo-sung" });
    const rejected = inspected(missing, th1, set, { "1.2": REASON });
    expect(rejected.status).toBe("can-bo-sung");
  });

  it("gives no verdict to a school with a pending quarantined response either", () => {
    const dat = inspected(waiting(), th1, set);
    const quarantined = response("dossier", { ...PASSING_DOSSIER, "1.5": "nhiều lắm" }, LATER);
    expect(quarantined.disposition).toBe("quarantined");
    const state = applied([quarantined], th1, dat);
    expect(state).toMatchObject({ status: "can-bo-sung", assessedStatus: "can-bo-sung" });
    expect(state.inspection).toEqual(dat.inspection);
  });

  it("stays recognised when a quarantined response arrives after the recognition", () => {
    const recognised = withOffice(inspected(waiting(), th1, set), th1, set, { recognition: RECOGNITION });
    const quarantined = response("dossier", { ...PASSING_DOSSIER, "1.5": "nhiều lắm" }, LATER);
    expect(quarantined.disposition).toBe("quarantined");
    const state = applied([quarantined], th1, recognised);
    expect(state).toMatchObject({
      status: "duoc-cong-nhan",
      assessedStatus: "can-bo-sung",
      recognition: RECOGNITION,
    });
    expect(state.quarantine?.lastSubmittedTime).toBe(LATER);
  });

  it("stays recognised when a later dossier fails", () => {
    const recognised = withOffice(inspected(waiting(), th1, set), th1, set, { recognition: RECOGNITION });
    const state = applied([accepted("dossier", { ...PASSING_DOSSIER, "4.1": "1" }, LATER)], th1, recognised);
    expect(state).toMatchObject({ status: "duoc-cong-nhan", assessedStatus: "khong-du-dieu-kien" });
  });
});

describe("the contentHash", () => {
  const base = waiting();
  const dat = inspected(base, th1, set);
  const rejectedFor = (reason: string) => inspected(base, th1, set, { "1.2": reason });

  it("changes with the verdict", () => {
    expect(dat.contentHash).not.toBe(base.contentHash);
    expect(rejectedFor(REASON).contentHash).not.toBe(base.contentHash);
    expect(rejectedFor(REASON).contentHash).not.toBe(dat.contentHash);
  });

  it("changes with the reasons of a Không đạt, and with which indicators are rejected", () => {
    const once = rejectedFor(REASON);
    expect(rejectedFor("Kế hoạch chưa đóng dấu").contentHash).not.toBe(once.contentHash);
    const twice = inspected(base, th1, set, { "1.2": REASON, "2.1": "Chưa có quy chế phối hợp" });
    expect(twice.status).toBe("khong-dat");
    expect(twice.contentHash).not.toBe(once.contentHash);
  });

  it("changes when a recognition is recorded, or its decision corrected", () => {
    const recognised = withOffice(dat, th1, set, { recognition: RECOGNITION });
    expect(recognised.contentHash).not.toBe(dat.contentHash);
    const corrected = withOffice(dat, th1, set, { recognition: { ...RECOGNITION, date: "2026-12-22" } });
    expect(corrected.contentHash).not.toBe(recognised.contentHash);
  });

  it("does not change when only the plan changes (day, time, place, team)", () => {
    const moved = (state: SchoolState) =>
      withOffice(state, th1, set, {
        inspection: {
          ...(state.inspection ?? inspectionOf(state)),
          date: "2026-12-11",
          time: "14:00",
          place: "Hội trường Ủy ban nhân dân xã",
          teamName: "Đoàn số 2",
          team: [TEAM[1] as (typeof TEAM)[number]],
          commend: true,
        },
      });
    expect(moved(dat).contentHash).toBe(dat.contentHash);
    const rejected = rejectedFor(REASON);
    expect(moved(rejected).contentHash).toBe(rejected.contentHash);
    // A plan alone (no finding yet) is not a verdict either.
    const planned = withOffice(base, th1, set, { inspection: { ...inspectionOf(base), findings: {} } });
    expect(planned.contentHash).toBe(base.contentHash);
  });

  it("does not change while the findings are incomplete and confirm everything so far", () => {
    const partly = (ids: string[]) =>
      withOffice(base, th1, set, {
        inspection: inspectionOf(
          base,
          {},
          {
            findings: Object.fromEntries(ids.map((id) => [id, { finding: "xac-nhan", reason: "" }])),
          },
        ),
      });
    expect(partly(["1.1"]).contentHash).toBe(base.contentHash);
    expect(partly(["1.1", "1.2", "2.1"]).contentHash).toBe(base.contentHash);
  });
});
