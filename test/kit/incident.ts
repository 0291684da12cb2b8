import type { QuestionBinding } from "../../functions/src/domain/form-spec.js";
import { adoptIncidentForm, buildIncidentFormSpec } from "../../functions/src/domain/incident.js";
import type { FormResponse } from "../../functions/src/domain/intake.js";
import type { School } from "../../functions/src/domain/school.js";
import { OFFICE, SCHOOLS, uniqueId } from "./campaign.js";
import { defaultSet } from "./fixtures.js";

/** The incident form's bindings, as setup maps the form it builds. */
export const incidentBindings = (): QuestionBinding[] =>
  adoptIncidentForm(
    buildIncidentFormSpec({ set: defaultSet(), schools: SCHOOLS, schoolYear: "2026-2027", office: OFFICE }),
  ).bindings;

/** An incident report as Google Forms delivers it: the school, who reports, the kind, the day, the account. */
export const incidentResponse = (
  bindings: readonly QuestionBinding[],
  school: Pick<School, "code" | "name"> | string,
  incident: { kind?: string; date?: string; description?: string },
  options: { responseId?: string; lastSubmittedTime?: string; email?: string | null; formId?: string } = {},
): FormResponse => {
  const values: Record<string, string | undefined> = {
    school: typeof school === "string" ? school : `${school.code} – ${school.name}`,
    "respondent-name": "Lê Thị Khai",
    "respondent-role": "Hiệu trưởng",
    "incident-kind": incident.kind,
    "incident-date": incident.date,
    "incident-description": incident.description,
  };
  const answers = Object.fromEntries(
    bindings
      .filter((b) => values[b.role] !== undefined)
      .map((b) => [
        b.questionId,
        { questionId: b.questionId, textAnswers: { answers: [{ value: values[b.role] }] } },
      ]),
  );
  return {
    ...(options.formId ? { formId: options.formId } : {}),
    responseId: options.responseId ?? uniqueId("vv"),
    lastSubmittedTime: options.lastSubmittedTime ?? "2026-12-10T02:00:00.000Z",
    ...(options.email === null ? {} : { respondentEmail: options.email ?? "th1@test.example" }),
    answers,
  };
};
