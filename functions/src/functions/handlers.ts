import type { CloudEvent, HttpFunction } from "@google-cloud/functions-framework";
import { z } from "zod";
import type { AppDeps } from "../app/deps.js";
import { handleFormNotification, type PushNotice, takePushedResponse } from "../app/form-responses.js";
import { countsOf } from "../app/intake.js";
import { reconcileAll } from "../app/reconcile.js";
import { acceptedPushSecrets, campaignSchema } from "../domain/campaign.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import { isRetryable, logCause, NotFoundError, RequestError } from "../errors.js";
import { AuthError, checkSignature, type OidcVerifier, readSignature, SIGNATURE_HEADER } from "./auth.js";

/**
 * The Cloud Functions, each a thin adapter: check the request, call one use case, map the result
 * to a status. Bad input is a 4xx with a message in Vietnamese, never a 500; a failure is logged
 * with its whole cause, and the caller reads only its public message. The body reaches them read,
 * size-checked and parsed by the request guard (request-guard.ts), before the framework's parsers.
 */
export interface FunctionDeps {
  app: AppDeps;
  /** The deployment's sheet layout, for a campaign's time zone (the status page's "today"). */
  layout?: SheetLayout;
  oidc?: OidcVerifier;
  watchTopic?: string;
}
export type DepsProvider = () => Promise<FunctionDeps>;

type Res = Parameters<HttpFunction>[1];
const fail = (res: Res, status: number, error: string) => res.status(status).json({ error });

/**
 * An error as a status: the caller's to fix (401, 404, 400: the request), worth retrying (503), or
 * ours to fix (500: logged with its whole cause; the caller reads only that the office knows).
 */
const failWith = (res: Res, deps: FunctionDeps, error: unknown, what: string) => {
  if (error instanceof AuthError) return fail(res, 401, error.publicMessage);
  if (error instanceof NotFoundError) return fail(res, 404, error.publicMessage);
  if (error instanceof RequestError) return fail(res, 400, error.publicMessage);
  const retry = isRetryable(error);
  deps.app.log.error(what, { error: logCause(error), retryable: retry });
  return fail(
    res,
    retry ? 503 : 500,
    retry ? "Dịch vụ tạm thời gián đoạn, vui lòng thử lại." : "Lỗi hệ thống; Phòng đã được thông báo.",
  );
};

/** The Apps Script's notice: the ids of a form and of one of its responses, nothing more. */
const ID = /^[\w.-]{1,300}$/u;
const pushNotice = z.object({ formId: z.string().regex(ID), responseId: z.string().regex(ID) });

const noticeOf = (body: unknown): PushNotice => {
  const parsed = pushNotice.safeParse(body);
  if (!parsed.success)
    throw new RequestError(
      'Dữ liệu phải là {"formId": "…", "responseId": "…"}: mã biểu mẫu và mã câu trả lời (chữ, số, "-", "_", ".").',
    );
  return parsed.data;
};

/** The bytes the signature covers: as the request guard read them. */
const rawBodyOf = (req: Parameters<HttpFunction>[0]): Buffer =>
  Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.alloc(0);

/**
 * ingestResponse: the Apps Script `onFormSubmit` notice, signed with its campaign's key. The
 * signature's time is checked first, then the campaign is found by the form and its keys checked;
 * only then is the response read from the Forms API, so nothing the caller says of the response
 * itself (its sender, its time, its answers) is believed.
 */
export const ingestResponseHandler =
  (provide: DepsProvider): HttpFunction =>
  async (req, res) => {
    const deps = await provide();
    if (req.method !== "POST") return void fail(res.set("Allow", "POST"), 405, "Chỉ nhận phương thức POST.");
    try {
      const now = deps.app.clock();
      const signature = readSignature(req.header(SIGNATURE_HEADER), Math.floor(now.getTime() / 1000));
      const notice = noticeOf(req.body);
      const taken = await takePushedResponse(deps.app, notice, async (campaign) => {
        const secrets = acceptedPushSecrets(await deps.app.store.campaigns.pushSecrets(campaign.id), now);
        if (secrets.length === 0)
          throw new AuthError(
            "Đợt đánh giá của biểu mẫu này chưa có khóa ký: Phòng chạy dienhinh push-secret rồi dán khóa vào Apps Script.",
          );
        checkSignature(secrets, signature, rawBodyOf(req));
      });
      if (!taken) return void fail(res, 404, `Biểu mẫu ${notice.formId} chưa được gắn với đợt đánh giá nào.`);
      const { campaign, stage, summary } = taken;
      const outcome = summary.outcomes[0];
      if (!outcome) throw new Error("ingest returned no outcome");
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
      failWith(res, deps, error, "ingestResponse failed");
    }
  };

/** reconcile: Cloud Scheduler's call (OIDC), pulling every form and keeping watches alive. */
export const reconcileHandler =
  (provide: DepsProvider): HttpFunction =>
  async (req, res) => {
    const deps = await provide();
    if (req.method !== "POST" && req.method !== "GET") return void fail(res, 405, "Chỉ nhận GET hoặc POST.");
    try {
      if (!deps.oidc) throw new Error("OIDC verifier not configured");
      await deps.oidc.verify(req.header("authorization"));
      const only = typeof req.query.campaign === "string" ? req.query.campaign : undefined;
      if (only !== undefined && !campaignSchema.shape.id.safeParse(only).success)
        throw new RequestError(`Mã đợt đánh giá không hợp lệ: "${only.slice(0, 80)}".`);
      const campaigns = await reconcileAll(deps.app, {
        ...(only ? { campaignId: only } : {}),
        ...(deps.watchTopic ? { watchTopic: deps.watchTopic } : {}),
      });
      res.status(200).json({ campaigns });
    } catch (error) {
      failWith(res, deps, error, "reconcile failed");
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
    if (!parsed.success)
      return void deps.app.log.warn("form notification without a formId: ignored", { id: event.id });
    const { formId, eventType } = parsed.data.message.attributes;
    if (eventType && eventType !== "RESPONSES") return;
    try {
      const taken = await handleFormNotification(deps.app, formId);
      if (!taken) deps.app.log.warn("notification for a form of no campaign: ignored", { formId });
    } catch (error) {
      if (isRetryable(error)) throw error;
      deps.app.log.error("form notification failed permanently", { formId, error: logCause(error) });
    }
  };
