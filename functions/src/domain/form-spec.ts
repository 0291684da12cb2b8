import { createHash } from "node:crypto";
import type { CriteriaSet, Indicator, Stage } from "./criteria.js";
import { SCHOOL_LEVELS } from "./levels.js";
import type { OfficeProfile } from "./office.js";
import { describeRequirement } from "./requirements.js";
import type { School } from "./school.js";
import { cleanText, foldKey, upperFirst } from "./text.js";

/**
 * The Google Form a campaign stage asks schools to fill in, derived from the criteria set and the
 * registry. The shapes below are the subset of the Forms API v1 `Form` that dienhinh writes.
 *
 * The Forms API cannot create file-upload questions ("The API currently does not support creating
 * file upload questions"), so evidence is asked as a paragraph question for Drive links. An office
 * may switch such a question to "Tải tệp lên" in the Forms editor, keeping its title: intake reads
 * both link answers and file-upload answers, and `adoptForm` maps questions by title.
 */

export interface FormOption {
  value: string;
}
export interface FormQuestion {
  questionId?: string;
  required?: boolean;
  choiceQuestion?: { type: "RADIO" | "DROP_DOWN" | "CHECKBOX"; options: FormOption[] };
  textQuestion?: { paragraph?: boolean };
  fileUploadQuestion?: { folderId?: string; maxFiles?: number };
  dateQuestion?: { includeYear?: boolean; includeTime?: boolean };
}
export interface FormItem {
  itemId?: string;
  title?: string;
  description?: string;
  questionItem?: { question: FormQuestion };
  pageBreakItem?: Record<string, never>;
  textItem?: Record<string, never>;
}
export interface FormSpec {
  formId?: string;
  info: { title: string; documentTitle?: string; description?: string };
  settings?: { emailCollectionType?: "VERIFIED" | "RESPONDER_INPUT" | "DO_NOT_COLLECT" };
  items: FormItem[];
  responderUri?: string;
}

/** What a question of the form asks, so answers can be read back into indicators. */
export const QUESTION_ROLES = [
  "school",
  "respondent-name",
  "respondent-role",
  "value",
  "evidence",
  // The incident form's own questions (incident.ts).
  "incident-kind",
  "incident-date",
  "incident-description",
] as const;
export type QuestionRole = (typeof QUESTION_ROLES)[number];
export interface QuestionBinding {
  questionId: string;
  title: string;
  role: QuestionRole;
  indicatorId?: string;
  /** Ids of the questions that asked it before being re-created (form-sync.ts `carryQuestionIds`). */
  previousQuestionIds?: string[];
}

export const FIXED_TITLES = {
  school: "Trường (đơn vị)",
  "respondent-name": "Họ và tên người khai",
  "respondent-role": "Chức vụ người khai",
} as const;
export const RESPONDENT_ROLES = ["Hiệu trưởng", "Phó Hiệu trưởng", "Cán bộ được phân công"];
export const YES = "Có";
export const NO = "Không";

export const EVIDENCE_MARK = "Minh chứng:";
export const valueTitle = (indicator: Indicator): string => `${indicator.id}. ${indicator.text}`;
export const evidenceTitle = (indicator: Indicator): string =>
  `${indicator.id}. ${EVIDENCE_MARK} ${indicator.subject}`;

/** "NB-MN01 – Trường Mầm non Họa Mi": the code first, so the answer identifies the school exactly. */
export const schoolOption = (school: Pick<School, "code" | "name">): string =>
  `${school.code} – ${school.name}`;

/** Stable question ids (8 hex digits, as Google writes them): re-creating a form keeps its map. */
const questionIdFor = (stage: Stage, role: QuestionRole, indicatorId = ""): string =>
  createHash("sha256").update(`${stage}|${role}|${indicatorId}`).digest("hex").slice(0, 8);

export const needsEvidence = (indicator: Indicator): boolean =>
  indicator.kind === "evidence" || indicator.evidence;

export interface FormContext {
  set: CriteriaSet;
  schools: readonly School[];
  stage: Stage;
  schoolYear: string;
  office: OfficeProfile;
}

/** A stage's form title, from the title schools are recognised with (the criteria set's `award`). */
export const stageFormTitle = (stage: Stage, set: Pick<CriteriaSet, "award">): string =>
  `${stage === "registration" ? "Đăng ký xây dựng" : "Hồ sơ đề nghị công nhận"} ${upperFirst(set.award)}`;

/** The form for one stage: identification first, then one page per criterion. */
export const buildFormSpec = ({ set, schools, stage, schoolYear, office }: FormContext): FormSpec => {
  const question = (
    role: QuestionRole,
    title: string,
    q: FormQuestion,
    description?: string,
    indicatorId?: string,
  ) => ({
    title,
    ...(description ? { description } : {}),
    questionItem: { question: { questionId: questionIdFor(stage, role, indicatorId), ...q } },
  });
  const items: FormItem[] = [
    question(
      "school",
      FIXED_TITLES.school,
      {
        required: true,
        choiceQuestion: { type: "DROP_DOWN", options: schools.map((s) => ({ value: schoolOption(s) })) },
      },
      "Chọn đúng trường của mình. Email người gửi phải là email của trường đã đăng ký với Phòng.",
    ),
    question("respondent-name", FIXED_TITLES["respondent-name"], { required: true, textQuestion: {} }),
    question("respondent-role", FIXED_TITLES["respondent-role"], {
      required: true,
      choiceQuestion: { type: "RADIO", options: RESPONDENT_ROLES.map((value) => ({ value })) },
    }),
  ];
  for (const criterion of set.criteria) {
    const indicators = criterion.indicators.filter((i) => i.stage === stage);
    if (indicators.length === 0) continue;
    items.push({
      title: `Tiêu chí ${criterion.id}. ${criterion.title}`,
      description: [criterion.description, `${criterion.points} điểm.`].filter(Boolean).join(" "),
      pageBreakItem: {},
    });
    for (const indicator of indicators) {
      const everywhere = criterion.levels === undefined && indicator.levels === undefined;
      items.push(
        question(
          "value",
          valueTitle(indicator),
          {
            required: everywhere,
            ...valueQuestion(indicator),
          },
          valueHelp(indicator),
          indicator.id,
        ),
      );
      if (needsEvidence(indicator)) {
        items.push(
          question(
            "evidence",
            evidenceTitle(indicator),
            { required: false, textQuestion: { paragraph: true } },
            "Dán đường dẫn Google Drive của tệp minh chứng (đã chia sẻ quyền xem cho Phòng); nhiều tệp thì mỗi đường dẫn một dòng.",
            indicator.id,
          ),
        );
      }
    }
  }
  return {
    info: {
      title: `${stageFormTitle(stage, set)} - năm học ${schoolYear}`,
      documentTitle: `${stageFormTitle(stage, set)} - ${schoolYear}`,
      description:
        `${office.issuingBody} - ${office.parentBody}. ${set.title} (phiên bản ${set.version}). ` +
        "Mỗi trường gửi một bài; có thể sửa câu trả lời sau khi gửi, bài sửa sau cùng được dùng để đánh giá.",
    },
    settings: { emailCollectionType: "VERIFIED" },
    items,
  };
};

const valueQuestion = (indicator: Indicator): FormQuestion => {
  const na = indicator.notApplicableOption ? [{ value: indicator.notApplicableOption }] : [];
  switch (indicator.kind) {
    case "evidence":
      return { choiceQuestion: { type: "RADIO", options: [{ value: YES }, { value: NO }, ...na] } };
    case "choice":
      return {
        choiceQuestion: { type: "RADIO", options: [...indicator.options.map((value) => ({ value })), ...na] },
      };
    case "number":
    case "zero":
      return { textQuestion: {} };
  }
};

const valueHelp = (indicator: Indicator): string | undefined => {
  const requirements = [...new Set(SCHOOL_LEVELS.map((l) => describeRequirement(indicator, l)))].join(" / ");
  const hint =
    indicator.kind === "zero"
      ? "Nhập số vụ việc; nhập 0 nếu không có."
      : indicator.kind === "number"
        ? `Nhập một số. Yêu cầu: ${requirements}.`
        : undefined;
  const text = [indicator.help, hint].filter(Boolean).join(" ");
  return text || undefined;
};

/** The bindings of a form dienhinh built: every question with a questionId. */
export const bindingsOf = (spec: FormSpec, set: CriteriaSet, stage: Stage): QuestionBinding[] =>
  adoptForm(spec, set, stage).bindings;

export interface Adoption {
  bindings: QuestionBinding[];
  /** Questions of the form that match nothing in the criteria set. */
  unmatched: string[];
  /** Indicators of the stage that no question asks. */
  missing: string[];
}

/**
 * Map an existing form's questions to the criteria by title: "1.2. …" asks indicator 1.2, and
 * "1.2. Minh chứng: …" its evidence; the three identification questions by their exact titles.
 */
export const adoptForm = (form: FormSpec, set: CriteriaSet, stage: Stage): Adoption => {
  const ids = new Set(set.criteria.flatMap((c) => c.indicators.map((i) => i.id)));
  const fixed = new Map(
    Object.entries(FIXED_TITLES).map(([role, title]) => [foldKey(title), role as QuestionRole]),
  );
  const bindings: QuestionBinding[] = [];
  const unmatched: string[] = [];
  for (const item of form.items) {
    const questionId = item.questionItem?.question.questionId;
    if (!questionId || item.title === undefined) continue;
    const title = cleanText(item.title);
    const role = fixed.get(foldKey(title));
    if (role) {
      bindings.push({ questionId, title, role });
      continue;
    }
    const match = /^([\p{L}\p{N}._-]+?)\.\s+(.*)$/u.exec(title);
    const indicatorId = match?.[1];
    if (!indicatorId || !ids.has(indicatorId)) {
      unmatched.push(title);
      continue;
    }
    const evidence = foldKey(match?.[2] ?? "").startsWith(foldKey(EVIDENCE_MARK));
    bindings.push({ questionId, title, role: evidence ? "evidence" : "value", indicatorId });
  }
  const asked = new Set(bindings.filter((b) => b.role === "value").map((b) => b.indicatorId));
  const missing = set.criteria
    .flatMap((c) => c.indicators)
    .filter((i) => i.stage === stage && !asked.has(i.id))
    .map((i) => i.id);
  return { bindings, unmatched, missing };
};

/**
 * The form's link with the school already chosen (Google Forms' "prefilled link":
 * `?usp=pp_url&entry.N=…`, where N is the school question's id read as hexadecimal). A form whose
 * ids are not Google's (a local campaign) gets its plain link.
 */
export const prefilledFormUrl = (
  form: { responderUri?: string | undefined; bindings: readonly QuestionBinding[] } | undefined,
  school: Pick<School, "code" | "name">,
): string | undefined => {
  if (!form?.responderUri) return undefined;
  const question = form.bindings.find((b) => b.role === "school")?.questionId;
  if (!question || !/^[0-9a-f]{1,12}$/iu.test(question)) return form.responderUri;
  const url = new URL(form.responderUri);
  url.searchParams.set("usp", "pp_url");
  url.searchParams.set(`entry.${Number.parseInt(question, 16)}`, schoolOption(school));
  return url.toString();
};
