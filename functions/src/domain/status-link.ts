import { createHmac, timingSafeEqual } from "node:crypto";
import { addDays, type Calendar } from "./calendar.js";

/**
 * A school's status link (trang tình hình của trường): `BASE?d=CAMPAIGN&t=SCHOOL&h=EXPIRY.SIG`,
 * where SIG is HMAC-SHA256, under the campaign's status key, over the campaign id, the school code
 * and the expiry day. The link names no secret and no data; whoever holds it sees that one school's
 * page of that one campaign until the day it expires. Pure: the key is given, so is the day.
 */
export interface StatusClaim {
  campaignId: string;
  schoolCode: string;
  /** The last day the link opens, "YYYY-MM-DD" in the campaign's time zone. */
  expires: string;
}

/**
 * Days a link stays open after the campaign's last date (Hạn báo cáo Sở): the competent
 * authority's decision comes in the weeks after the report, and a school should read it there.
 */
export const STATUS_LINK_GRACE_DAYS = 90;

/** "Expiring with the campaign": its report to the Sở is due, and the grace after it. */
export const statusLinkExpiry = (calendar: Pick<Calendar, "reportDue">): string =>
  addDays(calendar.reportDue, STATUS_LINK_GRACE_DAYS);

const DAY = /^\d{4}-\d{2}-\d{2}$/u;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/u;
const CAMPAIGN_ID = /^[a-z0-9][a-z0-9-]{0,62}$/u;
/** A school code as a link carries it (the registry's own limit is 64 characters). */
const SCHOOL_CODE = /^[^\s/\\?#&]{1,64}$/u;

const signatureOf = (key: string, claim: StatusClaim): Buffer =>
  createHmac("sha256", key)
    .update(JSON.stringify(["dienhinh-status/1", claim.campaignId, claim.schoolCode, claim.expires]))
    .digest();

/** The link's query: `d` the campaign, `t` the school (trường), `h` its expiry and signature. */
export const statusQuery = (key: string, claim: StatusClaim): Record<"d" | "t" | "h", string> => ({
  d: claim.campaignId,
  t: claim.schoolCode,
  h: `${claim.expires}.${signatureOf(key, claim).toString("base64url")}`,
});

/** The whole link, on the status page's base URL (the function's, or `dienhinh serve`'s). */
export const statusLink = (base: string, key: string, claim: StatusClaim): string => {
  const url = new URL(base);
  for (const [name, value] of Object.entries(statusQuery(key, claim))) url.searchParams.set(name, value);
  return url.toString();
};

/** Why a link is refused (for the log; the visitor reads one page whatever the reason). */
export type StatusRefusal = "malformed" | "unknown-campaign" | "forged" | "expired" | "unknown-school";

/** A link's query as parsed, before its signature is checked: the campaign whose key to fetch. */
export const parseStatusQuery = (
  query: Record<string, unknown>,
): { claim: StatusClaim; signature: string } | undefined => {
  const { d, t, h } = query;
  if (typeof d !== "string" || typeof t !== "string" || typeof h !== "string") return undefined;
  const [expires = "", signature = "", ...rest] = h.split(".");
  if (rest.length > 0 || !DAY.test(expires) || !SIGNATURE.test(signature)) return undefined;
  if (!CAMPAIGN_ID.test(d) || !SCHOOL_CODE.test(t)) return undefined;
  return { claim: { campaignId: d, schoolCode: t, expires }, signature };
};

/**
 * Whether a parsed link holds under the campaign's key on `today`: the signature compared in
 * constant time, then the expiry (a link past its day is refused even when genuine).
 */
export const verifyStatusLink = (
  key: string,
  link: { claim: StatusClaim; signature: string },
  today: string,
): StatusRefusal | undefined => {
  const expected = signatureOf(key, link.claim);
  const given = Buffer.from(link.signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "forged";
  return today > link.claim.expires ? "expired" : undefined;
};
