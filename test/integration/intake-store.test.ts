import { describe, expect, it } from "vitest";
import { loadCampaignView, statesOf } from "../../functions/src/app/campaign-view.js";
import { ingestResponses, intakePlan } from "../../functions/src/app/intake.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import type { IntakeOutcome } from "../../functions/src/domain/intake.js";
import { readResponse } from "../../functions/src/domain/intake-guard.js";
import {
  formResponse,
  makeCampaign,
  PASSING_DOSSIER,
  PASSING_REGISTRATION,
  SCHOOLS,
  testDeps,
  testStore,
} from "../kit/index.js";

const th1 = SCHOOLS[1] as (typeof SCHOOLS)[number];
const deps = testDeps();
const bindingsOf = (campaign: Campaign, stage: "registration" | "dossier") =>
  campaign.forms[stage]?.bindings ?? [];

/** What the store holds for a campaign, read through the store. */
const snapshot = async (campaign: Campaign) => {
  const store = testStore();
  const [subs, view, outbox] = await Promise.all([
    store.submissions.list(campaign.id),
    loadCampaignView(store, campaign.id),
    store.outbox.list(campaign.id),
  ]);
  return {
    submissions: subs.map((s) => ({ ...s, answers: JSON.parse(s.answersJson) })),
    states: statesOf(view.stored),
    outbox: outbox.map((item) => item.code).sort(),
    versions: Object.fromEntries([...view.stored].map(([code, s]) => [code, s.version])),
  };
};

describe("intake into Firestore (emulator)", () => {
  it("stores a response with the school's evaluation and its outbox entries", async () => {
    const campaign = await makeCampaign();
    await ingestResponses(deps, campaign, "registration", [
      formResponse(bindingsOf(campaign, "registration"), th1, PASSING_REGISTRATION, {
        lastSubmittedTime: "2026-02-10T01:00:00Z",
      }),
    ]);
    const summary = await ingestResponses(deps, campaign, "dossier", [
      formResponse(bindingsOf(campaign, "dossier"), th1, PASSING_DOSSIER),
    ]);
    expect(summary).toMatchObject({ received: 1, stored: 1, duplicates: 0, accepted: 1, quarantined: 0 });
    const state = await snapshot(campaign);
    expect(state.submissions).toHaveLength(2);
    expect(state.states.get("T-TH1")?.status).toBe("cho-kiem-tra");
    expect(state.states.get("T-TH1")?.evaluation.points).toBe(100);
    expect(state.outbox).toEqual(["T-TH1"]);
    const entry = await testStore().outbox.get(campaign.id, "T-TH1");
    expect(entry).toMatchObject({
      schoolCode: "T-TH1",
      contentHash: state.states.get("T-TH1")?.contentHash,
    });
    expect([entry?.sheet.state, entry?.report.state, entry?.mail.state]).toEqual([
      "pending",
      "pending",
      "pending",
    ]);
  });

  it("keeps a quarantined response with its raw payload and reasons, and marks the school Cần bổ sung", async () => {
    const campaign = await makeCampaign();
    const response = formResponse(bindingsOf(campaign, "dossier"), th1, PASSING_DOSSIER, {
      email: "nguoi-la@gmail.com",
    });
    await ingestResponses(deps, campaign, "dossier", [response]);
    const { submissions, states } = await snapshot(campaign);
    expect(submissions[0]).toMatchObject({ disposition: "quarantined", schoolCode: "T-TH1" });
    expect(submissions[0]?.reasons[0]).toContain("Email người gửi không thuộc trường đã chọn");
    expect(JSON.parse(submissions[0]?.rawJson ?? "null")).toEqual(response);
    expect(states.get("T-TH1")?.status).toBe("can-bo-sung");
  });

  it("leaves one submission, one evaluation and one set of outbox entries after ten deliveries", async () => {
    const campaign = await makeCampaign();
    const response = formResponse(bindingsOf(campaign, "dossier"), th1, PASSING_DOSSIER, {
      responseId: "same",
    });
    await ingestResponses(deps, campaign, "dossier", [response]);
    const first = await snapshot(campaign);
    for (let i = 0; i < 9; i++) {
      const again = await ingestResponses(deps, campaign, "dossier", [structuredClone(response)]);
      expect(again).toMatchObject({ stored: 0, duplicates: 1 });
    }
    const after = await snapshot(campaign);
    expect(after.submissions).toHaveLength(1);
    expect(after.outbox).toEqual(first.outbox);
    expect(after.versions).toEqual(first.versions);
  });

  it("decides a race between concurrent deliveries of the same response: one result", async () => {
    const campaign = await makeCampaign();
    const response = formResponse(bindingsOf(campaign, "dossier"), th1, PASSING_DOSSIER, {
      responseId: "race",
    });
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        ingestResponses(testDeps(), campaign, "dossier", [structuredClone(response)]),
      ),
    );
    expect(results.reduce((n, r) => n + r.stored, 0)).toBe(1);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(11);
    const { submissions, states } = await snapshot(campaign);
    expect(submissions).toHaveLength(1);
    expect(states.get("T-TH1")?.latest.dossier?.key).toBe(submissions[0]?.key);
  });

  it("loses no update when different responses of one school arrive at once", async () => {
    const campaign = await makeCampaign();
    const responses = Array.from({ length: 10 }, (_, i) =>
      formResponse(
        bindingsOf(campaign, "dossier"),
        th1,
        { ...PASSING_DOSSIER, "2.3": String(i) },
        {
          responseId: `r${i}`,
          lastSubmittedTime: `2026-11-05T01:30:0${i}.000Z`,
        },
      ),
    );
    await Promise.all(responses.map((r) => ingestResponses(testDeps(), campaign, "dossier", [r])));
    const { submissions, states } = await snapshot(campaign);
    expect(submissions).toHaveLength(10);
    const state = states.get("T-TH1");
    expect(state?.latest.dossier?.responseId).toBe("r9"); // the latest by submission time, whatever the arrival order
    expect(state?.latest.dossier?.answers["2.3"]?.value).toBe(9);
    expect(submissions.filter((s) => s.supersededBy === null).map((s) => s.responseId)).toEqual(["r9"]);
  });

  it("keeps an edited response's earlier version as history, superseded by the edit", async () => {
    const campaign = await makeCampaign();
    const bindings = bindingsOf(campaign, "dossier");
    const first = formResponse(
      bindings,
      th1,
      { ...PASSING_DOSSIER, "4.1": "1" },
      { responseId: "edited", lastSubmittedTime: "2026-11-05T01:00:00Z" },
    );
    const edit = formResponse(bindings, th1, PASSING_DOSSIER, {
      responseId: "edited",
      lastSubmittedTime: "2026-11-06T01:00:00Z",
    });
    await ingestResponses(deps, campaign, "registration", [
      formResponse(bindingsOf(campaign, "registration"), th1, PASSING_REGISTRATION),
    ]);
    await ingestResponses(deps, campaign, "dossier", [first]);
    // One incident reported: a fact that rules the school out.
    expect((await snapshot(campaign)).states.get("T-TH1")?.status).toBe("khong-du-dieu-kien");
    await ingestResponses(deps, campaign, "dossier", [edit]);
    const { submissions, states } = await snapshot(campaign);
    const byKey = new Map(submissions.map((s) => [s.key, s]));
    expect(byKey.get("edited@2026-11-05T01:00:00.000Z")?.supersededBy).toBe(
      "edited@2026-11-06T01:00:00.000Z",
    );
    expect(byKey.get("edited@2026-11-06T01:00:00.000Z")?.supersededBy).toBeNull();
    expect(states.get("T-TH1")?.status).toBe("cho-kiem-tra");
  });

  it("does not let a stranger's response put a school with a good dossier back to Cần bổ sung", async () => {
    const campaign = await makeCampaign();
    const bindings = bindingsOf(campaign, "dossier");
    await ingestResponses(deps, campaign, "registration", [
      formResponse(bindingsOf(campaign, "registration"), th1, PASSING_REGISTRATION),
    ]);
    await ingestResponses(deps, campaign, "dossier", [
      formResponse(bindings, th1, PASSING_DOSSIER, { lastSubmittedTime: "2026-11-05T01:00:00Z" }),
    ]);
    await ingestResponses(deps, campaign, "dossier", [
      formResponse(
        bindings,
        th1,
        { ...PASSING_DOSSIER, "4.1": "3" },
        { email: "ke-la@gmail.com", lastSubmittedTime: "2026-11-06T01:00:00Z" },
      ),
    ]);
    const { submissions, states } = await snapshot(campaign);
    expect(submissions.filter((s) => s.disposition === "quarantined")).toHaveLength(1);
    expect(states.get("T-TH1")?.status).toBe("cho-kiem-tra");
    // The school's own broken edit does count: it must fix it.
    await ingestResponses(deps, campaign, "dossier", [
      formResponse(
        bindings,
        th1,
        { ...PASSING_DOSSIER, "1.5": "nhiều" },
        { lastSubmittedTime: "2026-11-07T01:00:00Z" },
      ),
    ]);
    expect((await snapshot(campaign)).states.get("T-TH1")?.status).toBe("can-bo-sung");
  });

  it("stores a response for an unknown school as quarantined, without touching any evaluation", async () => {
    const campaign = await makeCampaign();
    await ingestResponses(deps, campaign, "dossier", [
      formResponse(bindingsOf(campaign, "dossier"), "X-1 – Trường Lạ", PASSING_DOSSIER),
    ]);
    const { submissions, states, outbox } = await snapshot(campaign);
    expect(submissions[0]).toMatchObject({ disposition: "quarantined", schoolCode: null });
    expect(states.size).toBe(0);
    expect(outbox).toEqual([]);
  });

  it("stores the others of a batch, and the oversized one quarantined, when one answer is half a megabyte", async () => {
    const campaign = await makeCampaign();
    const bindings = bindingsOf(campaign, "dossier");
    const responses = Array.from({ length: 20 }, (_, i) =>
      formResponse(
        bindings,
        th1,
        i === 7 ? { ...PASSING_DOSSIER, "2.3": "x".repeat(600_000) } : PASSING_DOSSIER,
        {
          responseId: `lo-${i}`,
          lastSubmittedTime: `2026-11-05T01:${String(10 + i).padStart(2, "0")}:00.000Z`,
        },
      ),
    );
    const summary = await ingestResponses(deps, campaign, "dossier", responses);
    expect(summary).toMatchObject({ received: 20, stored: 20, accepted: 19, quarantined: 1 });
    const stored = await testStore().submissions.get(campaign.id, "lo-7@2026-11-05T01:17:00.000Z");
    expect(stored?.disposition).toBe("quarantined");
    expect(stored?.reasons[0]).toMatch(/^Câu trả lời quá lớn/u);
    expect(JSON.parse(stored?.rawJson ?? "{}")).toMatchObject({ truncated: true });
    // The latest response (19) is the school's dossier; the oversized one did not block it.
    expect((await snapshot(campaign)).states.get("T-TH1")?.latest.dossier?.responseId).toBe("lo-19");
  });

  it("keeps a response Firestore itself refuses in a storable form, and stores the rest of its chunk", async () => {
    const campaign = await makeCampaign();
    const schools = new Map(SCHOOLS.map((s) => [s.code, s]));
    const bindings = bindingsOf(campaign, "dossier");
    const outcomes = Array.from({ length: 6 }, (_, i) =>
      readResponse(formResponse(bindings, th1, PASSING_DOSSIER, { responseId: `fs-${i}` }), {
        stage: "dossier",
        set: campaign.criteriaSet,
        bindings,
        schools,
        receivedAt: "2026-11-06T00:00:00.000Z",
      }),
    );
    // Past intake's guard (as a bug or a future field might be): a document over Firestore's 1 MiB.
    const poison = { ...(outcomes[3] as IntakeOutcome), raw: { blob: "z".repeat(1_200_000) } };
    const result = await testStore().intake.commit(
      { id: campaign.id, criteriaVersion: campaign.criteriaSet.version },
      [...outcomes.slice(0, 3), poison, ...outcomes.slice(4)],
      intakePlan(campaign, schools),
      new Date(),
    );
    expect(result.stored).toBe(6);
    // The caller is told what was stored for it: quarantined, not what it read.
    expect(result.replaced.map((o) => [o.key, o.disposition])).toEqual([[poison.key, "quarantined"]]);
    const kept = await testStore().submissions.get(campaign.id, poison.key);
    expect(kept?.disposition).toBe("quarantined");
    expect(kept?.reasons[0]).toContain("không lưu được nguyên văn");
  });

  it.each([
    ["one after the other", false, false],
    ["in one delivery", true, false],
    // Google Forms' own times: the edit keeps the first submission's createTime, so intake looks
    // for its earlier version (a response whose two times agree was never edited, and is not).
    ["one after the other, with Google's createTime", false, true],
  ])(
    "withdraws the quarantine of a school first chosen by mistake once the response names the right one (%s)",
    async (_how, together, created) => {
      const campaign = await makeCampaign();
      const bindings = bindingsOf(campaign, "dossier");
      const cs1 = SCHOOLS[2] as (typeof SCHOOLS)[number];
      // Sent from T-TH1's address for T-CS1 (a slip in the school list), then edited to T-TH1.
      const wrong = formResponse(bindings, cs1, PASSING_DOSSIER, {
        responseId: "nham-truong",
        email: "th1@test.example",
        lastSubmittedTime: "2026-11-05T01:00:00Z",
        ...(created ? { createTime: "2026-11-05T01:00:00Z" } : {}),
      });
      const right = formResponse(bindings, th1, PASSING_DOSSIER, {
        responseId: "nham-truong",
        email: "th1@test.example",
        lastSubmittedTime: "2026-11-05T02:00:00Z",
        ...(created ? { createTime: "2026-11-05T01:00:00Z" } : {}),
      });
      if (together) await ingestResponses(deps, campaign, "dossier", [wrong, right]);
      else {
        await ingestResponses(deps, campaign, "dossier", [wrong]);
        expect((await snapshot(campaign)).states.get(cs1.code)?.status).toBe("can-bo-sung");
        await ingestResponses(deps, campaign, "dossier", [right]);
      }
      const { states, submissions } = await snapshot(campaign);
      expect(states.get(th1.code)?.latest.dossier?.responseId).toBe("nham-truong");
      // T-CS1 sent nothing itself: it is not asked to fix another school's response.
      expect(states.get(cs1.code)?.status).not.toBe("can-bo-sung");
      expect(states.get(cs1.code)?.quarantine).toBeNull();
      // Both versions are kept, the first as history.
      expect(submissions.map((x) => x.key).sort()).toEqual([
        "nham-truong@2026-11-05T01:00:00.000Z",
        "nham-truong@2026-11-05T02:00:00.000Z",
      ]);
    },
  );
});
