import { recognisedShare } from "../domain/campaign-score.js";
import { issuerName } from "../domain/documents.js";
import type { EmailView } from "../domain/email-view.js";
import { type MailOutcome, mailKey } from "../domain/mail.js";
import { formatNumberVi, formatPercent } from "../domain/text.js";
import { ensureRendered, hashOf, pdfOf, type RenderedDocument } from "./documents.js";
import { campaignResults, officeDocuments } from "./office-documents.js";
import { mailOfficeOnce, officeView, type SendDeps } from "./send-deps.js";

/** What the office's staff read in their mail client: each draft by its name. */
const OFFICE_ATTACHMENTS: Partial<Record<RenderedDocument["kind"], string>> = {
  "bao-cao": "Dự thảo Báo cáo kết quả gửi Sở.pdf",
  "to-trinh": "Dự thảo Tờ trình đề nghị công nhận.pdf",
  "quyet-dinh": "Dự thảo Quyết định công nhận.pdf",
};
const officeAttachmentName = (kind: RenderedDocument["kind"]): string =>
  OFFICE_ATTACHMENTS[kind] ?? `${kind}.pdf`;

/**
 * The office's summary: the report to the Department and (when the inspection found schools Đạt
 * not recognised yet) the proposal and the draft decision, with the tracking workbook as .xlsx, emailed once to the office's own address (the
 * office sends it on through its document system). Sent again only when the documents change.
 */
export const sendOfficeReport = async (
  deps: SendDeps,
  campaignId: string,
  workbook: () => Promise<Buffer>,
  options: { number?: number; dryRun?: boolean } = {},
): Promise<{ documents: RenderedDocument[]; outcome: MailOutcome | "would-send" }> => {
  const { campaign, results, hashes } = await campaignResults(deps.store, campaignId);
  const share = recognisedShare(results);
  // The proposal and the draft decision are for the schools found Đạt and not yet recognised (none,
  // no draft; see officeDocuments).
  const kinds = ["bao-cao", "to-trinh", "quyet-dinh"] as const;
  if (options.dryRun) return { documents: [], outcome: "would-send" };
  const planned = officeDocuments(deps, campaign, results, hashes, kinds, options.number);
  const documents = await Promise.all(planned.map((d) => ensureRendered(deps, campaignId, d, null)));
  const to = campaign.office.email;
  const attachments = [
    ...(await Promise.all(
      documents.map(async (d, i) => ({
        filename: officeAttachmentName(d.kind),
        content: await pdfOf(deps, campaignId, d, planned[i] as (typeof planned)[number], null),
        contentType: "application/pdf",
      })),
    )),
    {
      filename: `Bảng theo dõi - ${campaign.office.issuingBodyName} - năm học ${campaign.schoolYear}.xlsx`,
      content: await workbook(),
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    },
  ];
  const view: EmailView = {
    kind: "bao-cao",
    office: officeView(campaign),
    schoolYear: campaign.schoolYear,
    // The office's own staff: the message goes to its mailbox, from its own system.
    to: `Lãnh đạo và cán bộ phụ trách phong trào của ${issuerName(campaign.office)}`,
    figures: {
      schools: formatNumberVi(share.total),
      passed: formatNumberVi(share.passed),
      passedPercent: formatPercent(share.passedPercent),
      recognised: formatNumberVi(share.recognised),
      percent: formatPercent(share.percent),
      remaining: formatNumberVi(share.total - share.recognised),
    },
    attachments: attachments.map((a) => a.filename),
    sample: campaign.office.sample,
  };
  const email = deps.templates.email(view);
  // Keyed by the documents, not the workbook (its log changes all the time).
  const key = mailKey(null, hashOf(documents.map((d) => d.name)), to);
  const { outcome } = await mailOfficeOnce(deps, campaign, key, { to, email, attachments });
  return { documents, outcome };
};
