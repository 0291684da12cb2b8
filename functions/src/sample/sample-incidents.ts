import type { Campaign } from "../domain/campaign.js";
import { type QuestionRole, schoolOption } from "../domain/form-spec.js";
import { incidentKinds } from "../domain/incident.js";
import type { FormResponse } from "../domain/intake.js";
import type { School } from "../domain/school.js";
import { scenarioFor } from "./sample-submissions.js";

/**
 * The sample's incident reports, as the incident form would deliver them: a primary school whose
 * dossier declares 0 of every incident (so the inspection tab shows the contradiction) reports a
 * school-violence incident in October, and another school sends a report dated after the day it
 * sent it (kept, set aside with the reason). Deterministic.
 */
export const sampleIncidentReports = (campaign: Campaign, schools: readonly School[]): FormResponse[] => {
  const form = campaign.forms.incident;
  const kinds = incidentKinds(campaign.criteriaSet);
  const kind = kinds.find((k) => /bạo lực/iu.test(k.label)) ?? kinds[0];
  // Schools play their cases by their place in the registry (sample-submissions.ts).
  const complete = schools.filter((_, i) => scenarioFor(i) === "complete");
  const reporter = complete.find((s) => s.levels.includes("tieu-hoc")) ?? complete[0];
  const slip = complete.find((s) => s !== reporter);
  if (!form || !kind || !reporter) return [];
  const response = (
    school: School,
    id: string,
    sentAt: string,
    date: string,
    description: string,
  ): FormResponse => {
    const values: Partial<Record<QuestionRole, string>> = {
      school: schoolOption(school),
      "respondent-name": "Nguyễn Thị Mẫu",
      "respondent-role": "Hiệu trưởng",
      "incident-kind": kind.label,
      "incident-date": date,
      "incident-description": description,
    };
    return {
      formId: form.formId,
      responseId: `mau-vv-${id}-${school.code}`.toLowerCase(),
      createTime: sentAt,
      lastSubmittedTime: sentAt,
      respondentEmail: school.emails[0] ?? "",
      answers: Object.fromEntries(
        form.bindings
          .filter((b) => values[b.role] !== undefined)
          .map((b) => [
            b.questionId,
            { questionId: b.questionId, textAnswers: { answers: [{ value: values[b.role] }] } },
          ]),
      ),
    };
  };
  return [
    response(
      reporter,
      "1",
      "2026-10-15T02:30:00.000Z",
      "2026-10-14",
      "Hai học sinh lớp 5 xô xát trong giờ ra chơi, một em bị trầy tay. Nhà trường đã sơ cứu, mời phụ huynh " +
        "hai em đến làm việc, tổ chức hòa giải và báo Công an xã.",
    ),
    ...(slip
      ? [
          response(
            slip,
            "2",
            "2026-11-20T03:00:00.000Z",
            "2026-12-01",
            "Học sinh đánh nhau trước cổng trường (nhập nhầm ngày).",
          ),
        ]
      : []),
  ];
};
