import type { HttpFunction } from "@google-cloud/functions-framework";
import { openStatusPage } from "../app/status-page.js";
import type { Campaign } from "../domain/campaign.js";
import { DEFAULT_TIME_ZONE, type SheetLayout } from "../domain/sheet-layout.js";
import { logCause } from "../errors.js";
import { loadStatusTemplates, type StatusTemplates } from "../infra/templates.js";
import type { DepsProvider } from "./handlers.js";

/**
 * statusPage: public (no account to sign in with: the link is the credential), GET only. A good
 * link gets the school's page; anything else (malformed, forged, another school's, expired, a
 * campaign or school that is gone) gets one page, 403, that names no school and no campaign and
 * says what to do. No script runs on either (the CSP forbids it), and neither is cached or sends a
 * Referer carrying the link to the form or Drive it links to.
 */
const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "private, no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex, nofollow",
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'",
};

/** The campaign's time zone: its own layout's, the deployment's, or the layouts' default. */
const timeZoneOf = (campaign: Campaign, layout: SheetLayout | undefined): string =>
  campaign.sheetLayout?.timeZone ?? layout?.timeZone ?? DEFAULT_TIME_ZONE;

export const statusPageHandler = (
  provide: DepsProvider,
  load: () => Promise<StatusTemplates> = loadStatusTemplates,
): HttpFunction => {
  let templates: Promise<StatusTemplates> | undefined;
  const templatesOnce = () => {
    templates ??= load();
    return templates;
  };
  return async (req, res) => {
    const deps = await provide();
    res.set(HEADERS);
    if (req.method !== "GET" && req.method !== "HEAD")
      return void res.status(405).set("allow", "GET, HEAD").send("Chỉ nhận phương thức GET.");
    try {
      const [opened, pages] = await Promise.all([
        openStatusPage(deps.app, req.query as Record<string, unknown>, (campaign) =>
          timeZoneOf(campaign, deps.layout),
        ),
        templatesOnce(),
      ]);
      if ("refused" in opened) {
        deps.app.log.warn("status link refused", { reason: opened.refused });
        return void res.status(403).send(pages.statusRefused());
      }
      res.status(200).send(pages.statusPage(opened.page));
    } catch (error) {
      deps.app.log.error("statusPage failed", { error: logCause(error) });
      res
        .status(503)
        .send(
          '<!doctype html><html lang="vi"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Tạm thời gián đoạn</title><p>Trang tạm thời không mở được. Đề nghị thử lại sau ít phút.</p></html>',
        );
    }
  };
};
