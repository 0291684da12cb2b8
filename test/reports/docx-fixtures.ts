import type { ReportDeps } from "../../functions/src/app/documents.js";
import { officeDocuments } from "../../functions/src/app/office-documents.js";
import { defaultCalendar } from "../../functions/src/domain/calendar.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import { chaseLetterDocument } from "../../functions/src/domain/chase-letter.js";
import type { OfficialDocument } from "../../functions/src/domain/documents.js";
import { inspectionOutcome } from "../../functions/src/domain/inspection.js";
import {
  inspectionRecordDocument,
  proposalDocument,
} from "../../functions/src/domain/inspection-documents.js";
import { decisionDocument } from "../../functions/src/domain/office-documents.js";
import { planDocument } from "../../functions/src/domain/plan-document.js";
import { noticeDocument, schoolResultDocument } from "../../functions/src/domain/school-documents.js";
import { passedInspection } from "../../functions/src/domain/status.js";
import type { Templates } from "../../functions/src/infra/templates.js";
import {
  AUTHORITY,
  CS1,
  campaignAtInspection,
  ctx,
  MN1,
  OFFICE_WITH_AUTHORITY,
  resultOf,
  SET,
} from "../domain/inspection-documents-fixtures.js";

/**
 * A document of every kind, from the campaign at the end of its inspections, and how to read the
 * text of a Word file's XML back (docx.test.ts, docx-package.test.ts).
 */

export const { results, inspections } = campaignAtInspection();
export const byCode = (code: string) => results.find((r) => r.school.code === code) ?? results[0];
export const cs1 = byCode(CS1.code);
const cs1Inspection = inspections.get(CS1.code);
if (!cs1Inspection) throw new Error("no inspection for T-CS1");
export const listed = results.filter((r) => passedInspection(r.status));

/** The campaign the office's report is planned for (as the app plans it, from the same results). */
const campaign = { id: "dot-docx", office: OFFICE_WITH_AUTHORITY, schoolYear: "2026-2027", criteriaSet: SET };
const summaryReport = (templates: Templates): OfficialDocument => {
  const deps = { templates, timeZone: "Asia/Ho_Chi_Minh" } as ReportDeps;
  const [planned] = officeDocuments(deps, campaign as Campaign, results, new Map(), ["bao-cao"], 5);
  if (!planned) throw new Error("no report planned");
  return planned.build(new Date("2026-11-25T03:00:00Z"));
};

export const DOCUMENTS: Record<OfficialDocument["kind"], (templates: Templates) => OfficialDocument> = {
  "ket-qua": () => schoolResultDocument(ctx(), cs1, SET),
  "thong-bao": () =>
    noticeDocument(ctx(), resultOf(MN1, "can-bo-sung"), {
      deadline: new Date("2026-12-02T03:00:00Z"),
      formUrl: "https://docs.google.com/forms/d/e/mau/viewform?entry.1=T-MN1",
    }),
  "bao-cao": summaryReport,
  "quyet-dinh": () => decisionDocument(ctx(), listed, SET.legalBasis, AUTHORITY),
  "bien-ban": () =>
    inspectionRecordDocument(ctx(), cs1, cs1Inspection, inspectionOutcome(cs1Inspection, cs1.evaluation)),
  "to-trinh": () => proposalDocument(ctx({ number: 12 }), results, inspections, AUTHORITY, SET.legalBasis),
  "cong-van": () =>
    chaseLetterDocument(
      ctx(),
      [
        {
          school: MN1,
          missed: [
            { school: MN1.code, stage: "registration", step: "qua-han", due: "2026-03-31", daysLeft: -236 },
            { school: MN1.code, stage: "dossier", step: "qua-han", due: "2026-11-15", daysLeft: -7 },
          ],
          daysOver: 236,
        },
        {
          school: CS1,
          missed: [{ school: CS1.code, stage: "fix", step: "qua-han", due: "2026-11-20", daysLeft: -2 }],
          daysOver: 2,
        },
      ],
      defaultCalendar("2025-2026"),
      { today: "2026-11-22", answerBy: new Date("2026-11-29T03:00:00Z") },
    ),
  "ke-hoach": () =>
    planDocument(ctx(), {
      criteriaSet: SET,
      calendar: defaultCalendar("2026-2027"),
      levels: ["mam-non", "tieu-hoc", "thcs"],
      forms: { registration: "https://docs.google.com/forms/d/e/dang-ky/viewform" },
    }),
};

export const decode = (text: string) =>
  text.replace(
    /&(amp|lt|gt|quot|apos);/gu,
    (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[e] ?? "",
  );

/** The text of WordprocessingML: each paragraph's runs, a space between paragraphs, runs of space as one. */
export const textOf = (xml: string): string => {
  let text = "";
  for (const m of xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:noBreakHyphen\/>|<w:br\/>|<\/w:p>/gu))
    text +=
      m[0] === "</w:p>" || m[0] === "<w:br/>"
        ? " "
        : m[0] === "<w:noBreakHyphen/>"
          ? "-"
          : decode(m[1] ?? "");
  return text.replace(/\s+/gu, " ").trim();
};
