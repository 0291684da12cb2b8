import { awaitsApproval } from "./approval.js";
import {
  calendarOf,
  DEADLINE_LABELS,
  type Deadline,
  daysLeftInWords,
  deadlineFor,
  extensionsOf,
  fixDeadline,
} from "./calendar.js";
import type { Campaign } from "./campaign.js";
import {
  factsReported,
  inspectionRejections,
  type SchoolResult,
  schoolResultOf,
  thingsToFix,
} from "./campaign-score.js";
import type { DocumentKind } from "./document-kinds.js";
import { dateVi, issuerName } from "./documents.js";
import type { Inspection } from "./inspection.js";
import { REMINDER_ASKS } from "./reminders.js";
import type { School } from "./school.js";
import { standingForSchool } from "./school-documents.js";
import type { SchoolState } from "./school-state.js";
import { SCHOOL_STATUS_LABELS, SCHOOL_STATUS_MEANINGS } from "./status.js";
import { formatPoints } from "./text.js";
import { formatDateVi } from "./time.js";

/**
 * What a school's status page shows (templates/truong.hbs), the same for the public function and
 * the local run's static pages: where it stands, what it still lacks, its deadlines with the days
 * left, its inspection, its documents and its prefilled form link. Everything in the school's own
 * words (second person, as its emails), from the same state the sheet reads.
 */
export interface StatusPageInput {
  campaign: Campaign;
  school: School;
  state: SchoolState | undefined;
  /** "YYYY-MM-DD" in the campaign's time zone: the days left are counted from it. */
  today: string;
  /** "dd/mm/yyyy hh:mm": when the page was made. */
  madeAt: string;
  /** The school's documents, with where each opens (absent: listed without a link). */
  documents: ReadonlyArray<{ kind: string; date: Date; href?: string; docxHref?: string }>;
  /** The campaign's time zone, for the documents' dates. */
  timeZone: string;
  /** The day of the school's latest notice to supply something, and the days it gives at least. */
  notice?: { day: string; minimumDays: number };
  /** The form the school uses next, with its school chosen. */
  formUrl?: string;
}

const DOCUMENT_LABELS: Partial<Record<DocumentKind, string>> = {
  "ket-qua": "Thông báo kết quả đánh giá",
  "thong-bao": "Thông báo bổ sung hồ sơ",
  "bien-ban": "Biên bản kiểm tra",
  "quyet-dinh": "Quyết định công nhận",
};

const WEEKDAYS = ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"];

/** A deadline as the page lists it: done, or the day and how far it is. */
const deadlineRow = (
  campaign: Campaign,
  school: School,
  deadline: Deadline,
  done: boolean,
  today: string,
  notice?: StatusPageInput["notice"],
) => {
  const calendar = calendarOf(campaign);
  const extensions = extensionsOf(campaign.extensions, school.code);
  const { extended, ...own } = deadlineFor(calendar, deadline, extensions);
  // Hạn bổ sung as the school's notice printed it: never less than the days a notice gives.
  const day =
    deadline === "fix" && notice
      ? fixDeadline(calendar, notice.day, notice.minimumDays, extensions)
      : own.day;
  return {
    label: DEADLINE_LABELS[deadline],
    date: formatDateVi(day),
    when: done ? "đã nộp" : daysLeftInWords(today, day),
    done,
    overdue: !done && day < today,
    ...(extended ? { extendedBecause: extended.reason } : {}),
  };
};

const inspectionView = (inspection: Inspection) => ({
  when: `${inspection.time ? `${inspection.time}, ` : ""}${WEEKDAYS[new Date(`${inspection.date}T00:00:00Z`).getUTCDay()] ?? ""}, ngày ${formatDateVi(inspection.date)}`,
  place: inspection.place,
  ...(inspection.teamName ? { teamName: inspection.teamName } : {}),
  team: inspection.team.map((m, i) => `${m.name}, ${m.unit}${i === 0 ? " (trưởng đoàn)" : ""}`),
});

/** The deadlines that still concern the school: each stage's, and Hạn bổ sung when it must fix something. */
const deadlinesOf = (input: StatusPageInput, status: SchoolState["status"] | "chua-dang-ky") => {
  const submitted = input.state?.evaluation.submitted ?? [];
  const rows = [
    deadlineRow(
      input.campaign,
      input.school,
      "registration",
      submitted.includes("registration"),
      input.today,
    ),
    deadlineRow(input.campaign, input.school, "dossier", submitted.includes("dossier"), input.today),
  ];
  if (status === "can-bo-sung")
    rows.push(deadlineRow(input.campaign, input.school, "fix", false, input.today, input.notice));
  return rows;
};

/**
 * What the school still lacks, as its reminders say it: the registration or the dossier it has not
 * sent (not each of its answers), a response to send again, or what its dossier lacks.
 */
const lacking = (result: SchoolResult): string[] => {
  if (result.quarantineReasons.length > 0) return thingsToFix(result);
  if (result.status === "chua-dang-ky") return [REMINDER_ASKS.registration];
  if (result.status === "da-dang-ky") return [REMINDER_ASKS.dossier];
  return thingsToFix(result);
};

export const statusPageView = (input: StatusPageInput) => {
  const { campaign, school, state } = input;
  const result = schoolResultOf(school, campaign.criteriaSet, state);
  const calendar = calendarOf(campaign);
  const scored = result.status !== "chua-dang-ky" && result.status !== "da-dang-ky";
  return {
    title: `${school.name}: tình hình năm học ${campaign.schoolYear}`,
    award: campaign.criteriaSet.award,
    office: { name: issuerName(campaign.office), email: campaign.office.email },
    schoolYear: campaign.schoolYear,
    school: { code: school.code, name: school.name },
    status: {
      key: result.status,
      label: SCHOOL_STATUS_LABELS[result.status],
      meaning: SCHOOL_STATUS_MEANINGS[result.status],
    },
    standing: standingForSchool(result.status, campaign.criteriaSet.award),
    ...(scored
      ? { points: `${formatPoints(result.evaluation.points)}/${formatPoints(result.evaluation.maxPoints)}` }
      : {}),
    missing: lacking(result),
    facts: factsReported(result),
    rejected: inspectionRejections(result, campaign.criteriaSet),
    deadlines: deadlinesOf(input, result.status),
    inspectionWindow: `${formatDateVi(calendar.inspection.from)} – ${formatDateVi(calendar.inspection.to)}`,
    ...(result.inspection ? { inspection: inspectionView(result.inspection) } : {}),
    ...(result.recognition
      ? {
          recognition: `Quyết định số ${result.recognition.number} ngày ${formatDateVi(result.recognition.date)}`,
        }
      : {}),
    // The office's documents only once it approved what they say (approval.ts): until then the
    // page says they are being looked at.
    ...(input.state && awaitsApproval(input.state) && input.documents.length > 0
      ? { documents: [], documentsAwaitApproval: true }
      : {
          documents: input.documents.map((d) => ({
            label: DOCUMENT_LABELS[d.kind as DocumentKind] ?? d.kind,
            date: dateVi(d.date, input.timeZone),
            ...(d.href ? { href: d.href } : {}),
            ...(d.docxHref ? { docxHref: d.docxHref } : {}),
          })),
        }),
    // The form only for a school that still has something to send: a new version from a school
    // done (or recognised) would change its state.
    ...(input.formUrl && lacking(result).length > 0 ? { formUrl: input.formUrl } : {}),
    madeAt: input.madeAt,
    sample: campaign.office.sample,
  };
};
export type StatusPage = ReturnType<typeof statusPageView>;
