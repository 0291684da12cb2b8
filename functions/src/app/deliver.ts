import type { Campaign } from "../domain/campaign.js";
import type { ControlDocument } from "../domain/control.js";
import { logCause, publicMessageOf, UnavailableError } from "../errors.js";
import { type ChaseRun, chaseToday } from "./chase-daily.js";
import { makeRequestedDocuments } from "./control-documents.js";
import type { AppDeps } from "./deps.js";
import { type ReportRun, renderSchoolReports } from "./documents.js";
import { type SchoolListChange, syncSchoolLists } from "./form-sync.js";
import { applyFormWindows, type FormWindowChange } from "./form-windows.js";
import { type IncidentAlert, sendIncidentAlerts } from "./incidents.js";
import { MailSystemError } from "./mail.js";
import { sendSchoolMail } from "./school-mail.js";
import type { SendDeps, SendRun } from "./send-deps.js";
import { refreshSheet } from "./sheet-cycle.js";

export interface DeliverDeps extends SendDeps, Pick<AppDeps, "sheets" | "forms"> {}

export type DeliverRun =
  | {
      campaign: string;
      delivered: true;
      reports: ReportRun;
      mail: SendRun;
      /** Forms opened or closed by the calendar this run (form-windows.ts). */
      forms: FormWindowChange[];
      /** Forms whose school list was brought in line with the registry this run (form-sync.ts). */
      schoolLists: SchoolListChange[];
      /** The morning run's chasing: reminders and the office's digest. */
      chase?: ChaseRun;
      /** Incident reports alerted to the office's leader this run. */
      incidents: IncidentAlert[];
      /** The office's documents made on its request (Điều khiển). */
      requested: ControlDocument[];
    }
  /** Nothing done this time, and why; the next run does it. */
  | { campaign: string; delivered: false; reason: string };

/** Longer than any run (the job's task timeout is 25 minutes), short enough after a crash. */
const LEASE_MS = 25 * 60_000;

/**
 * The delivery job's work for one campaign (the scheduled Cloud Run job, or `dienhinh deliver`).
 * First the office's input from the sheet (inspections, decisions), so a report never contradicts them: when the sheet
 * cannot be read (an error, thrown) or another cycle is on it, nothing is rendered or sent this
 * time. Then the forms' school lists brought in line with the registry, the forms opened or closed by the calendar (with the extensions just read), the
 * pending reports, each school's mail exactly once, and the links and times written back to the sheet. One delivery per campaign at a time (a lease), so overlapping runs skip
 * instead of rendering twice. A credentials or quota failure of the mail (MailSystemError) stops
 * everything; one school's failure is reported and retried on the next run. The daily run (`daily`,
 * once a morning on Cloud Scheduler) chases too: the reminders due that day and the office's
 * digest with its Công văn đôn đốc (chase-daily.ts), after the school mail, before the sheet's
 * last write (so Đôn đốc and Nhật ký show them).
 */
export const deliverCampaign = async (
  deps: DeliverDeps & Pick<AppDeps, "sleep">,
  campaign: Campaign,
  options: { daily?: boolean } = {},
): Promise<DeliverRun> => {
  const lease = await deps.store.leases.acquire(campaign.id, "deliver", deps.clock(), LEASE_MS);
  if (!lease) return { campaign: campaign.id, delivered: false, reason: "một lần gửi khác đang chạy" };
  try {
    // First the incident alerts: the leader is told at once, whatever the sheet's state.
    const incidents = await sendIncidentAlerts(deps, campaign);
    const officeInput = await refreshSheet(deps, campaign, { strict: true });
    if (officeInput?.skipped)
      return { campaign: campaign.id, delivered: false, reason: "bảng theo dõi đang được cập nhật" };
    // The registry just read (its tab taken back above) reaches the forms' school lists; never throws.
    const schoolLists = await syncSchoolLists(deps, campaign);
    const forms = await openAndCloseForms(deps, campaign);
    // The documents the clerk asked for in Điều khiển, from the campaign as just read.
    const requested = await makeRequestedDocuments(deps, await deps.store.campaigns.get(campaign.id));
    const reports = await renderSchoolReports(deps, campaign.id);
    const mail = await sendSchoolMail(deps, campaign.id);
    const chase = options.daily ? await chaseToday(deps, campaign.id) : undefined;
    await refreshSheet(deps, campaign);
    deps.log.info("campaign delivered", {
      campaign: campaign.id,
      rendered: reports.rendered,
      failedReports: reports.failed.length,
      mailed: mail.messages.filter((m) => m.outcome === "sent").length,
      failedSchools: mail.failedSchools.length,
      formChanges: forms.length,
      requested: requested.length,
      schoolListChanges: schoolLists.length,
      ...(chase
        ? { reminders: chase.reminders.length, digest: chase.digest.outcome ?? "nothing-changed" }
        : {}),
    });
    return {
      campaign: campaign.id,
      delivered: true,
      reports,
      mail,
      forms,
      schoolLists,
      incidents,
      requested,
      ...(chase ? { chase } : {}),
    };
  } finally {
    await lease.release();
  }
};

/** The forms' windows applied; whatever fails there is logged and left to the next run, never stops delivery. */
const openAndCloseForms = async (deps: DeliverDeps, campaign: Campaign): Promise<FormWindowChange[]> => {
  try {
    return await applyFormWindows(deps, campaign.id);
  } catch (error) {
    deps.log.error("form windows not applied", { campaign: campaign.id, error: logCause(error) });
    return [];
  }
};

export type DeliverAllRun = DeliverRun | { campaign: string; delivered: false; failed: string };

/** Some campaigns could not be delivered this time (each reported); the next run tries them again. */
export class DeliveryIncomplete extends UnavailableError {
  constructor(readonly campaigns: readonly string[]) {
    super(`Không gửi được cho đợt: ${campaigns.join(", ")}; lần chạy sau sẽ thử lại.`);
  }
}

/**
 * Deliver every campaign (or one), each on its own: one campaign's failure is reported and the
 * others go on; a failure of the mail account itself (MailSystemError) stops them all, as every
 * campaign would fail the same way. Dates print in each campaign's time zone (`timeZoneOf`).
 */
export const deliverAll = async (
  deps: DeliverDeps & Pick<AppDeps, "sleep">,
  options: {
    campaignId?: string;
    timeZoneOf: (campaign: Campaign) => string;
    /** The morning run: chase as well (reminders, the office's digest). */
    daily?: boolean;
    /** Told of each campaign as soon as it is done (or failed). */
    onRun?: (run: DeliverAllRun) => void;
  },
): Promise<DeliverAllRun[]> => {
  const campaigns = options.campaignId
    ? [await deps.store.campaigns.get(options.campaignId)]
    : await deps.store.campaigns.list();
  const runs: DeliverAllRun[] = [];
  for (const campaign of campaigns) {
    let run: DeliverAllRun;
    try {
      run = await deliverCampaign({ ...deps, timeZone: options.timeZoneOf(campaign) }, campaign, {
        daily: options.daily ?? false,
      });
    } catch (error) {
      if (error instanceof MailSystemError) throw error;
      deps.log.error("campaign delivery failed", { campaign: campaign.id, error: logCause(error) });
      run = {
        campaign: campaign.id,
        delivered: false,
        failed: publicMessageOf(error),
      };
    }
    runs.push(run);
    options.onRun?.(run);
  }
  return runs;
};
