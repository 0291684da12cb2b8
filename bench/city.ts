import { type AppDeps, cachedSchools } from "../functions/src/app/deps.js";
import { sleep } from "../functions/src/deps.js";
import type { Campaign } from "../functions/src/domain/campaign.js";
import { schoolOption } from "../functions/src/domain/form-spec.js";
import type { FormResponse } from "../functions/src/domain/intake.js";
import { SCHOOL_LEVELS } from "../functions/src/domain/levels.js";
import type { School } from "../functions/src/domain/school.js";
import { silentLogger } from "../functions/src/infra/log.js";
import type { Store } from "../functions/src/infra/store/index.js";

/** A city-sized campaign for the benchmarks: one institution of Ho Chi Minh City each. */
export const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 3500);

export const cityRegistry = (): School[] =>
  Array.from({ length: SCHOOLS }, (_, i) => ({
    code: `HCM-${String(i + 1).padStart(4, "0")}`,
    name: `Trường thử nghiệm số ${i + 1}`,
    levels: [SCHOOL_LEVELS[i % 4] ?? "thcs"],
    commune: `Phường ${1 + (i % 168)}`,
    ownership: i % 5 === 0 ? "ngoai-cong-lap" : "cong-lap",
    emails: [`truong${i + 1}@hcm.example`],
  }));

/**
 * A dossier as a school types it; one in seven reports an incident, one in eleven a stranger sends.
 * An edit, a day later, corrects the incident.
 */
export const dossierFor = (
  campaign: Campaign,
  school: School,
  i: number,
  options: { edit?: boolean } = {},
): FormResponse => {
  const bindings = campaign.forms.dossier?.bindings ?? [];
  const answers: Record<string, unknown> = {};
  const put = (questionId: string, value: string) => {
    answers[questionId] = { questionId, textAnswers: { answers: [{ value }] } };
  };
  for (const b of bindings) {
    if (b.role === "school") put(b.questionId, schoolOption(school));
    else if (b.role === "respondent-name") put(b.questionId, "Nguyễn Văn Khai");
    else if (b.role === "respondent-role") put(b.questionId, "Hiệu trưởng");
    else if (b.role === "evidence")
      put(b.questionId, `https://drive.google.com/open?id=${school.code}-${b.indicatorId}`);
    else {
      const indicator = campaign.criteriaSet.criteria
        .flatMap((c) => c.indicators)
        .find((x) => x.id === b.indicatorId);
      if (!indicator) continue;
      const value =
        indicator.kind === "evidence"
          ? "Có"
          : indicator.kind === "choice"
            ? (indicator.accepted[0] ?? "")
            : indicator.kind === "zero"
              ? i % 7 === 3 && indicator.id.startsWith("4") && !options.edit
                ? "1"
                : "0"
              : `${indicator.threshold.value}${indicator.unit === "%" ? "%" : ""}`;
      put(b.questionId, value);
    }
  }
  return {
    formId: campaign.forms.dossier?.formId,
    responseId: `bench-${i}`,
    // An edit keeps the response id and its createTime, and is submitted a day later (as Google
    // Forms does).
    createTime: new Date(Date.UTC(2026, 10, 5, 1, 0, 0) + i * 1000).toISOString(),
    lastSubmittedTime: new Date(
      Date.UTC(2026, 10, 5, 1, 0, 0) + i * 1000 + (options.edit ? 86_400_000 : 0),
    ).toISOString(),
    respondentEmail: i % 11 === 5 ? "nguoi-la@gmail.com" : school.emails[0],
    answers: answers as FormResponse["answers"],
  };
};

/** What the benchmarks' use cases need: the emulator's Firestore, the real clock, no logging. */
export const benchDeps = (store: Store): AppDeps => {
  const clock = () => new Date();
  return { store, clock, sleep, log: silentLogger, schools: cachedSchools(store, clock) };
};
