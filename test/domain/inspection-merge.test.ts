import { describe, expect, it } from "vitest";
import type { Stage } from "../../functions/src/domain/criteria.js";
import type { IndicatorFinding, Inspection } from "../../functions/src/domain/inspection.js";
import {
  mergeInspection,
  PLAN_MISSING,
  recognitionsOf,
  sameInspection,
} from "../../functions/src/domain/inspection-merge.js";
import {
  emptyInspectionReadBack,
  findingKey,
  type InspectionReadBack,
  type PlanEntry,
} from "../../functions/src/domain/inspection-readback.js";
import { readResponse } from "../../functions/src/domain/intake-guard.js";
import type { School } from "../../functions/src/domain/school.js";
import { applyOutcome, type Recognition, type SchoolState } from "../../functions/src/domain/school-state.js";
import {
  defaultSet,
  formResponse,
  inspectionOf,
  PASSING_DOSSIER,
  PASSING_REGISTRATION,
  SCHOOLS,
  specBindings,
  TEAM,
  type TypedAnswers,
  withOffice,
} from "../kit/index.js";

const confirmed: IndicatorFinding = { finding: "xac-nhan", reason: "" };
const rejected = (reason: string): IndicatorFinding => ({ finding: "khong-xac-nhan", reason });

const STORED: Inspection = {
  date: "2026-12-10",
  time: "08:00",
  place: "Tại trường",
  teamName: "Đoàn số 1",
  team: TEAM,
  findings: { "1.1": confirmed, "1.2": rejected("Kế hoạch chưa ký"), "2.1": confirmed },
  commend: false,
};
const { findings: _, ...STORED_PLAN } = STORED;
const PLAN: PlanEntry = {
  date: "2026-12-15",
  place: "Hội trường Ủy ban nhân dân xã",
  team: [TEAM[1] as (typeof TEAM)[number]],
  commend: true,
};

/**
 * What the office's tabs held this cycle: a plan row per code (a plan, an empty row, or a row with
 * a problem), a finding row per "code|indicator" (a finding, an emptied cell, or one unreadable).
 * A tab is read when it is given.
 */
const tabs = (
  o: {
    plans?: Record<string, PlanEntry | null | "problem">;
    findings?: Record<string, IndicatorFinding | null | "unreadable">;
  } = {},
): InspectionReadBack => {
  const read = emptyInspectionReadBack();
  if (o.plans) read.read.plans = true;
  for (const [code, plan] of Object.entries(o.plans ?? {})) {
    read.typedPlans.set(code, {});
    if (plan === "problem") read.problems.set(code, "Chưa ghi địa điểm kiểm tra");
    else read.plans.set(code, plan);
  }
  if (o.findings) read.read.findings = true;
  for (const [key, finding] of Object.entries(o.findings ?? {})) {
    const [code = "", id = ""] = key.split("|");
    read.typedFindings.set(key, {});
    if (finding === "unreadable") {
      read.unreadable.set(code, (read.unreadable.get(code) ?? new Set<string>()).add(id));
      read.problems.set(key, "Ghi lý do không xác nhận: nhà trường sẽ được thông báo lý do này");
    } else if (finding) read.findings.set(code, { ...read.findings.get(code), [id]: finding });
  }
  return read;
};

const key = (id: string) => findingKey("T-TH1", id);

describe("mergeInspection: the plan", () => {
  it("takes the typed plan over the stored one, keeping the stored findings", () => {
    const merged = mergeInspection("T-TH1", STORED, tabs({ plans: { "T-TH1": PLAN } }));
    expect(merged).toStrictEqual({ inspection: { ...PLAN, findings: STORED.findings } });
  });

  it("keeps the stored plan when the plan row has a problem", () => {
    const merged = mergeInspection("T-TH1", STORED, tabs({ plans: { "T-TH1": "problem" } }));
    expect(merged).toEqual({ inspection: STORED });
  });

  it("keeps the stored plan when the school's row is missing from the tab", () => {
    const merged = mergeInspection("T-TH1", STORED, tabs({ plans: { "T-CS1": PLAN } }));
    expect(merged).toEqual({ inspection: STORED });
  });

  it("starts an inspection from a typed plan, with no finding yet", () => {
    expect(mergeInspection("T-TH1", null, tabs({ plans: { "T-TH1": PLAN } }))).toStrictEqual({
      inspection: { ...PLAN, findings: {} },
    });
  });

  it("erases the plan the office emptied: nothing, or the findings wait with PLAN_MISSING", () => {
    const planOnly = { ...STORED, findings: {} };
    expect(mergeInspection("T-TH1", planOnly, tabs({ plans: { "T-TH1": null } }))).toEqual({
      inspection: null,
    });
    expect(mergeInspection("T-TH1", STORED, tabs({ plans: { "T-TH1": null } }))).toEqual({
      inspection: null,
      problem: PLAN_MISSING,
    });
  });
});

describe("mergeInspection: the findings", () => {
  it("replaces the stored findings indicator by indicator, and adds new ones", () => {
    const merged = mergeInspection(
      "T-TH1",
      STORED,
      tabs({ findings: { [key("1.2")]: confirmed, [key("4.1")]: rejected("Có 1 vụ") } }),
    );
    expect(merged.inspection?.findings).toEqual({
      "1.1": confirmed,
      "1.2": confirmed,
      "2.1": confirmed,
      "4.1": rejected("Có 1 vụ"),
    });
    expect(merged.problem).toBeUndefined();
  });

  it("erases a finding whose cell the office emptied", () => {
    const merged = mergeInspection("T-TH1", STORED, tabs({ findings: { [key("1.2")]: null } }));
    expect(merged.inspection?.findings).toEqual({ "1.1": confirmed, "2.1": confirmed });
  });

  it("keeps the stored finding when the typed one cannot be read", () => {
    const merged = mergeInspection(
      "T-TH1",
      STORED,
      tabs({ findings: { [key("1.2")]: "unreadable", [key("1.1")]: rejected("Nghị quyết chưa ký") } }),
    );
    expect(merged.inspection?.findings).toEqual({
      "1.1": rejected("Nghị quyết chưa ký"),
      "1.2": STORED.findings["1.2"],
      "2.1": confirmed,
    });
  });

  it("keeps the stored finding when its row is missing from the tab", () => {
    const merged = mergeInspection("T-TH1", STORED, tabs({ findings: { [key("1.1")]: null } }));
    expect(merged.inspection?.findings).toEqual({ "1.2": STORED.findings["1.2"], "2.1": confirmed });
  });

  it("takes no finding of another school, even one whose code starts the same", () => {
    const merged = mergeInspection(
      "T-TH1",
      STORED,
      tabs({ findings: { "T-TH10|1.1": null, "T-TH10|3.1": confirmed, "T-CS1|1.2": confirmed } }),
    );
    expect(merged.inspection).toEqual(STORED);
  });

  it("takes no findings typed without a plan: no inspection, and PLAN_MISSING", () => {
    const typed = tabs({ plans: { "T-TH1": null }, findings: { [key("1.1")]: confirmed } });
    expect(mergeInspection("T-TH1", null, typed)).toEqual({ inspection: null, problem: PLAN_MISSING });
    const noPlanTab = tabs({ findings: { [key("1.1")]: confirmed } });
    expect(mergeInspection("T-TH1", null, noPlanTab)).toEqual({ inspection: null, problem: PLAN_MISSING });
  });

  it("gives no problem when a school has neither plan nor findings", () => {
    const empty = tabs({ plans: { "T-TH1": null }, findings: { [key("1.1")]: null } });
    expect(mergeInspection("T-TH1", null, empty)).toEqual({ inspection: null });
  });

  it("keeps what is stored when neither tab was read", () => {
    expect(mergeInspection("T-TH1", STORED, emptyInspectionReadBack())).toEqual({ inspection: STORED });
    expect(mergeInspection("T-TH1", null, emptyInspectionReadBack())).toEqual({ inspection: null });
  });
});

describe("sameInspection", () => {
  it("does not care about the order of the findings", () => {
    const reversed = { ...STORED, findings: Object.fromEntries(Object.entries(STORED.findings).reverse()) };
    expect(sameInspection(STORED, reversed)).toBe(true);
    expect(sameInspection(null, null)).toBe(true);
  });

  it("sees a changed finding, reason or plan", () => {
    expect(sameInspection(STORED, { ...STORED, findings: { ...STORED.findings, "1.2": confirmed } })).toBe(
      false,
    );
    expect(
      sameInspection(STORED, {
        ...STORED,
        findings: { ...STORED.findings, "1.2": rejected("Chưa đóng dấu") },
      }),
    ).toBe(false);
    expect(sameInspection(STORED, { ...STORED, place: "Nơi khác" })).toBe(false);
    expect(sameInspection(STORED, null)).toBe(false);
  });

  it("finds nothing changed when the tabs give back what is stored", () => {
    // BUG: canonical() keeps the fields' order, and mergeInspection puts `findings` last.
    const unread = mergeInspection("T-TH1", STORED, emptyInspectionReadBack()).inspection;
    expect(sameInspection(unread, STORED)).toBe(true);
    const retyped = mergeInspection("T-TH1", STORED, tabs({ plans: { "T-TH1": STORED_PLAN } })).inspection;
    expect(sameInspection(retyped, STORED)).toBe(true);
  });
});

describe("recognitionsOf", () => {
  const set = defaultSet();
  const [mn1, th1, cs1] = SCHOOLS as [School, School, School];
  const accepted = (stage: Stage, answers: TypedAnswers, at: string, s: School) => {
    const bindings = specBindings(stage, set);
    const schools = new Map(SCHOOLS.map((x) => [x.code, x]));
    const response = formResponse(bindings, s, answers, {
      lastSubmittedTime: at,
      email: s.emails[0] ?? null,
    });
    const read = readResponse(response, {
      stage,
      set,
      bindings,
      schools,
      receivedAt: "2026-12-31T00:00:00.000Z",
    });
    if (read.disposition !== "accepted") throw new Error(`fixture refused: ${read.reasons.join("; ")}`);
    return read;
  };
  /** A school waiting for its inspection, then inspected on `date` (rejecting `reject`). */
  const inspectedOn = (s: School, date: string, reject: Record<string, string> = {}): SchoolState => {
    const registration = accepted("registration", PASSING_REGISTRATION, "2026-03-01T01:00:00.000Z", s);
    const first = applyOutcome(undefined, registration, s, set).state;
    const waiting = applyOutcome(
      first,
      accepted("dossier", PASSING_DOSSIER, "2026-11-05T01:30:00.000Z", s),
      s,
      set,
    );
    return withOffice(waiting.state, s, set, { inspection: inspectionOf(waiting.state, reject, { date }) });
  };
  const recognised = (state: SchoolState, recognition: Recognition) =>
    withOffice(state, SCHOOLS.find((s) => s.code === state.schoolCode) as School, set, { recognition });

  const thDat = inspectedOn(th1, "2026-12-10");
  const csDat = inspectedOn(cs1, "2026-12-18");
  const mnKhongDat = inspectedOn(mn1, "2026-12-05", { "1.2": "Kế hoạch chưa ký" });
  const states = (...list: SchoolState[]) => new Map(list.map((s) => [s.schoolCode, s]));
  const N1 = { number: "125/QĐ-UBND", date: "2026-12-15" };
  const N2 = { number: "140/QĐ-UBND", date: "2026-12-20" };

  it("builds the states it needs", () => {
    expect([thDat.status, csDat.status, mnKhongDat.status]).toEqual(["dat", "dat", "khong-dat"]);
  });

  it("recognises the Đạt schools inspected on or before the decision's date, and only those", () => {
    const all = states(thDat, csDat, mnKhongDat);
    expect(recognitionsOf([N1], all)).toEqual(new Map([["T-TH1", N1]]));
    expect(recognitionsOf([{ ...N1, date: "2026-12-10" }], all)).toEqual(
      new Map([["T-TH1", { ...N1, date: "2026-12-10" }]]),
    );
    expect(recognitionsOf([N1, N2], all)).toEqual(
      new Map([
        ["T-TH1", N1],
        ["T-CS1", N2],
      ]),
    );
  });

  it("does not sweep in a school Đạt inspected after the decision's date", () => {
    expect(recognitionsOf([N1], states(csDat)).size).toBe(0);
  });

  it("does not recognise a school waiting for its inspection or only partly inspected", () => {
    const waiting = withOffice(thDat, th1, set, { inspection: null });
    const partial = withOffice(thDat, th1, set, {
      inspection: { ...(thDat.inspection as Inspection), findings: { "1.1": confirmed } },
    });
    expect([waiting.status, partial.status]).toEqual(["cho-kiem-tra", "cho-kiem-tra"]);
    expect(recognitionsOf([N2], states(waiting)).size).toBe(0);
    expect(recognitionsOf([N2], states(partial)).size).toBe(0);
  });

  it("recognises nothing with a decision that has a problem", () => {
    const all = states(thDat, csDat);
    expect(
      recognitionsOf([{ ...N2, problem: "Quyết định số 140/QĐ-UBND đã ghi ở dòng trên" }], all).size,
    ).toBe(0);
  });

  it("leaves a school already recognised as it is", () => {
    const done = recognised(thDat, N1);
    expect(done.status).toBe("duoc-cong-nhan");
    expect(recognitionsOf([N1, N2], states(done)).size).toBe(0);
  });

  it("moves a recognised school's date with its decision's corrected date, and sweeps in no one else", () => {
    const done = recognised(thDat, N1);
    const corrected = { ...N1, date: "2026-12-16" };
    expect(recognitionsOf([corrected], states(done, csDat))).toEqual(new Map([["T-TH1", corrected]]));
  });

  it("does not move a school recognised by another decision", () => {
    const done = recognised(thDat, N1);
    expect(recognitionsOf([{ ...N1, number: "126/QĐ-UBND" }], states(done)).size).toBe(0);
  });
});
