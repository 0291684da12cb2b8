import type { CloudEvent, HttpFunction } from "@google-cloud/functions-framework";
import { z } from "zod";
import type { AppDeps } from "../app/deps.js";
import { countsOf, ingestResponses, pullResponses, reconcileCampaign } from "../app/intake.js";
import { refreshSheet } from "../app/sheet-sync.js";
import { campaignSchema, stageOfForm } from "../domain/campaign.js";
import { findCampaignByFormId, listCampaigns, loadCampaign } from "../infra/campaign-store.js";
import { isRetryable } from "../infra/retry.js";
import { AuthError, type OidcVerifier, SIGNATURE_HEADER, verifySignature } from "./auth.js";

/**
 * The Cloud Functions, each a thin adapter: check the request, call one use case, map the result
 * to a status. Bad input is a 4xx with a message in Vietnamese, never a 500.
 */
export interface FunctionDeps {
  app: AppDeps;
  hmacSecret?: string;
  oidc?: OidcVerifier;
  watchTopic?: string;
}
export type DepsProvider = () => Promise<FunctionDeps>;

/** Far below Firestore's 1 MiB document limit, which the raw payload and its parsed answers share. */
export const MAX_BODY_BYTES = 256 * 1024;

type Res = Parameters<HttpFunction>[1];
const fail = (res: Res, status: number, error: string) => res.status(status).json({ error });

/** A failure of ours or of a Google service: 503 when worth retrying, 500 otherwise. */
const failInternal = (res: Res, deps: FunctionDeps, error: unknown, what: string) => {
  const retry = isRetryable(error);
  deps.app.log.error(what, { error: String(error), retryable: retry });
  fail(
    res,
    retry ? 503 : 500,
    retry ? "Dịch vụ tạm thời gián đoạn, vui lòng thử lại." : "Lỗi hệ thống; Phòng đã được thông báo.",
  );
};

/** ingestResponse: the Apps Script `onFormSubmit` push, signed with the shared secret. */
export const ingestResponseHandler =
  (provide: DepsProvider): HttpFunction =>
  async (req, res) => {
    const deps = await provide();
    if (req.method !== "POST") return void fail(res.set("Allow", "POST"), 405, "Chỉ nhận phương thức POST.");
    const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json" && type !== "text/plain") {
      return void fail(res, 415, `Content-Type phải là application/json (nhận được: ${type || "không có"}).`);
    }
    const raw: Buffer =
      req.rawBody ?? Buffer.from(typeof req.body === "string" ? req.body : JSON.stringify(req.body ?? ""));
    if (raw.length > MAX_BODY_BYTES)
      return void fail(res, 413, `Dữ liệu quá lớn (${raw.length} byte, tối đa ${MAX_BODY_BYTES}).`);
    if (!deps.hmacSecret)
      return void failInternal(res, deps, new Error("DIENHINH_HMAC_SECRET is not set"), "config");
    try {
      verifySignature(
        deps.hmacSecret,
        req.header(SIGNATURE_HEADER),
        raw,
        Math.floor(deps.app.clock().getTime() / 1000),
      );
    } catch (error) {
      if (error instanceof AuthError) return void fail(res, 401, error.message);
      throw error;
    }
    let body: unknown = req.body;
    if (type === "text/plain" || Buffer.isBuffer(body)) {
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch (error) {
        return void fail(res, 400, `Dữ liệu không phải JSON hợp lệ: ${(error as Error).message}`);
      }
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return void fail(res, 400, "Dữ liệu phải là một câu trả lời biểu mẫu (đối tượng JSON).");
    }
    const formId = (body as { formId?: unknown }).formId;
    if (typeof formId !== "string" || formId === "")
      return void fail(res, 400, "Thiếu formId trong dữ liệu.");
    try {
      const campaign = await findCampaignByFormId(deps.app.db, formId);
      const stage = campaign && stageOfForm(campaign, formId);
      if (!campaign || !stage)
        return void fail(res, 404, `Biểu mẫu ${formId} chưa được gắn với đợt đánh giá nào.`);
      const summary = await ingestResponses(deps.app, campaign, stage, [body]);
      const outcome = summary.outcomes[0];
      if (!outcome) throw new Error("ingest returned no outcome");
      if (summary.stored > 0) await refreshSheet(deps.app, campaign);
      deps.app.log.info("response pushed", {
        campaign: campaign.id,
        stage,
        key: outcome.key,
        ...countsOf(summary),
      });
      res.status(outcome.malformed ? 400 : 200).json({
        key: outcome.key,
        disposition: outcome.disposition,
        duplicate: summary.duplicates > 0,
        reasons: outcome.reasons,
        ...(outcome.malformed ? { error: outcome.reasons[0] } : {}),
      });
    } catch (error) {
      failInternal(res, deps, error, "ingestResponse failed");
    }
  };

/** reconcile: Cloud Scheduler's call (OIDC), pulling every form and keeping watches alive. */
export const reconcileHandler =
  (provide: DepsProvider): HttpFunction =>
  async (req, res) => {
    const deps = await provide();
    if (req.method !== "POST" && req.method !== "GET") return void fail(res, 405, "Chỉ nhận GET hoặc POST.");
    if (!deps.oidc) return void failInternal(res, deps, new Error("OIDC verifier not configured"), "config");
    try {
      await deps.oidc.verify(req.header("authorization"));
    } catch (error) {
      if (error instanceof AuthError) return void fail(res, 401, error.message);
      throw error;
    }
    const only = typeof req.query.campaign === "string" ? req.query.campaign : undefined;
    if (only !== undefined && !campaignSchema.shape.id.safeParse(only).success) {
      return void fail(res, 400, `Mã đợt đánh giá không hợp lệ: "${only.slice(0, 80)}".`);
    }
    try {
      const campaigns = only ? [await loadCampaign(deps.app.db, only)] : await listCampaigns(deps.app.db);
      const results = [];
      for (const campaign of campaigns) {
        const stages = await reconcileCampaign(deps.app, campaign, deps.watchTopic);
        // Also the moment the office's typing in the sheet (verdicts, registry) is read back.
        const sheet = await refreshSheet(deps.app, campaign);
        results.push({
          campaign: campaign.id,
          stages,
          ...(sheet
            ? { sheet: { writes: sheet.writes, changedRows: sheet.changedRows, reviews: sheet.reviews } }
            : {}),
        });
      }
      res.status(200).json({ campaigns: results });
    } catch (error) {
      if ((error as Error).name === "CampaignNotFound") return void fail(res, 404, (error as Error).message);
      failInternal(res, deps, error, "reconcile failed");
    }
  };

/** The Pub/Sub message of a Forms watch: attributes only, no answers. */
const watchMessage = z.object({
  message: z.object({
    attributes: z.object({
      formId: z.string().min(1),
      watchId: z.string().optional(),
      eventType: z.string().optional(),
    }),
    messageId: z.string().optional(),
  }),
});

/**
 * onFormResponses: a CloudEvent for each message on the watch's topic (or the plain push body
 * when a Pub/Sub emulator pushes straight to the function). Throws only for failures worth
 * retrying, so Pub/Sub redelivers those and drops what can never succeed.
 */
export const onFormResponsesHandler =
  (provide: DepsProvider) =>
  async (event: CloudEvent<unknown>): Promise<void> => {
    const deps = await provide();
    const envelope = "data" in (event as object) && event.data !== undefined ? event.data : event;
    const parsed = watchMessage.safeParse(envelope);
    if (!parsed.success) {
      deps.app.log.warn("form notification without a formId: ignored", { id: event.id });
      return;
    }
    const { formId, eventType } = parsed.data.message.attributes;
    if (eventType && eventType !== "RESPONSES") return;
    try {
      const campaign = await findCampaignByFormId(deps.app.db, formId);
      const stage = campaign && stageOfForm(campaign, formId);
      if (!campaign || !stage) {
        deps.app.log.warn("notification for a form of no campaign: ignored", { formId });
        return;
      }
      const pulled = await pullResponses(deps.app, campaign, stage);
      if (pulled && pulled.stored > 0) await refreshSheet(deps.app, campaign);
    } catch (error) {
      if (isRetryable(error)) throw error;
      deps.app.log.error("form notification failed permanently", { formId, error: String(error) });
    }
  };
