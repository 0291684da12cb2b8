import { describe, expect, it } from "vitest";
import { defaultCalendar } from "../../functions/src/domain/calendar.js";
import {
  parseStatusQuery,
  STATUS_LINK_GRACE_DAYS,
  type StatusClaim,
  statusLink,
  statusLinkExpiry,
  statusQuery,
  verifyStatusLink,
} from "../../functions/src/domain/status-link.js";

const KEY = "k".repeat(43);
const OTHER_KEY = "x".repeat(43);
const claim: StatusClaim = { campaignId: "nha-be-2026", schoolCode: "NB-TH01", expires: "2027-03-10" };
const TODAY = "2026-11-22";

/** A link's query checked as the function checks it: parsed, then verified under `key` on `today`. */
const check = (query: Record<string, unknown>, key = KEY, today = TODAY) => {
  const parsed = parseStatusQuery(query);
  return parsed ? (verifyStatusLink(key, parsed, today) ?? parsed.claim) : "malformed";
};

describe("status links", () => {
  it("expire with the campaign: its Hạn báo cáo Sở and the stated grace", () => {
    const calendar = defaultCalendar("2026-2027");
    expect(calendar.reportDue).toBe("2027-12-10");
    expect(STATUS_LINK_GRACE_DAYS).toBe(90);
    expect(statusLinkExpiry(calendar)).toBe("2028-03-09");
  });

  it("open for the school and campaign they were signed for, to the last day", () => {
    expect(check(statusQuery(KEY, claim))).toEqual(claim);
    expect(check(statusQuery(KEY, claim), KEY, claim.expires)).toEqual(claim);
    const url = new URL(statusLink("https://statuspage-1.a.run.app/", KEY, claim));
    expect(check(Object.fromEntries(url.searchParams))).toEqual(claim);
  });

  it.each([
    ["another school", { t: "NB-TH02" }, "forged"],
    ["another campaign", { d: "nha-be-2027" }, "forged"],
    ["a later expiry", { h: `2099-01-01.${statusQuery(KEY, claim).h.split(".")[1]}` }, "forged"],
    ["a changed signature", { h: `${claim.expires}.${"A".repeat(43)}` }, "forged"],
  ])("refuse %s under the same signature", (_name, change, reason) => {
    expect(check({ ...statusQuery(KEY, claim), ...change })).toBe(reason);
  });

  it("refuse a link signed with another key, and a genuine one past its day", () => {
    expect(check(statusQuery(OTHER_KEY, claim))).toBe("forged");
    expect(check(statusQuery(KEY, claim), KEY, "2027-03-11")).toBe("expired");
  });

  it.each([
    ["nothing", {}],
    ["no signature", { d: claim.campaignId, t: claim.schoolCode }],
    ["a signature of another length", { ...statusQuery(KEY, claim), h: `${claim.expires}.abc` }],
    ["no expiry", { ...statusQuery(KEY, claim), h: statusQuery(KEY, claim).h.split(".")[1] }],
    ["two values of a parameter", { ...statusQuery(KEY, claim), t: ["NB-TH01", "NB-TH02"] }],
    ["a campaign id that is no id", { ...statusQuery(KEY, claim), d: "../x" }],
    ["a school code with a slash", { ...statusQuery(KEY, claim), t: "a/b" }],
    ["an extra part", { ...statusQuery(KEY, claim), h: `${statusQuery(KEY, claim).h}.x` }],
  ])("take %s as malformed", (_name, query) => {
    expect(check(query)).toBe("malformed");
  });
});
