import type { Campaign } from "../domain/campaign.js";
import type { AppDeps } from "./deps.js";
import {
  type ReportRun,
  renderSchoolReports,
  type SendDeps,
  type SendRun,
  sendSchoolMail,
} from "./reports.js";
import { refreshSheet } from "./sheet-sync.js";

export interface DeliverDeps extends SendDeps, Pick<AppDeps, "sheets"> {}

export interface DeliverRun {
  campaign: string;
  reports: ReportRun;
  mail: SendRun;
}

/**
 * The delivery job's work for one campaign (the scheduled Cloud Run job, or `dienhinh deliver`):
 * take the office's verdicts from the sheet first, so a report never contradicts them; render the
 * reports that are pending; email each school once; then write the report links and the times
 * mailed back to the sheet. A credentials or quota failure of the mail (MailSystemError) stops
 * everything and is rethrown; one school's failure is reported and retried on the next run.
 */
export const deliverCampaign = async (deps: DeliverDeps, campaign: Campaign): Promise<DeliverRun> => {
  await refreshSheet(deps, campaign);
  const reports = await renderSchoolReports(deps, campaign.id);
  const mail = await sendSchoolMail(deps, campaign.id);
  await refreshSheet(deps, campaign);
  deps.log.info("campaign delivered", {
    campaign: campaign.id,
    rendered: reports.rendered,
    failedReports: reports.failed.length,
    mailed: mail.messages.filter((m) => m.outcome === "sent").length,
    failedSchools: mail.failedSchools.length,
  });
  return { campaign: campaign.id, reports, mail };
};
