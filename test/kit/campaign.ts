import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import type { SheetsAccess } from "../../functions/src/app/deps.js";
import { type AppDeps, cachedSchools } from "../../functions/src/app/deps.js";
import { setupCampaign } from "../../functions/src/app/setup.js";
import { type Calendar, defaultCalendar } from "../../functions/src/domain/calendar.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import type { CriteriaSet, Stage } from "../../functions/src/domain/criteria.js";
import {
  bindingsOf,
  buildFormSpec,
  type FormSpec,
  type QuestionBinding,
  schoolOption,
} from "../../functions/src/domain/form-spec.js";
import type { FormResponse } from "../../functions/src/domain/intake.js";
import type { OfficeProfile } from "../../functions/src/domain/office.js";
import type { School } from "../../functions/src/domain/school.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import type { FormsGateway } from "../../functions/src/infra/google/forms.js";
import type { SheetsGateway } from "../../functions/src/infra/google/sheets.js";
import { silentLogger } from "../../functions/src/infra/log.js";
import { googleSheetTarget } from "../../functions/src/infra/sheet-target.js";
import { createFirestore } from "../../functions/src/infra/store/firestore.js";
import { firestoreStore, type Store } from "../../functions/src/infra/store/index.js";
import { defaultSet } from "./fixtures.js";

export const OFFICE: OfficeProfile = {
  parentBody: "ỦY BAN NHÂN DÂN HUYỆN NHÀ BÈ",
  issuingBody: "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
  issuingBodyName: "Phòng Giáo dục và Đào tạo",
  parentBodyName: "Ủy ban nhân dân huyện Nhà Bè",
  numberPrefix: "GDĐT",
  place: "Nhà Bè",
  signer: { authority: "TRƯỞNG PHÒNG", name: "Nguyễn Văn Thử" },
  superiorBody: "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh",
  email: "phong@test.example",
  sample: true,
};

export const SCHOOLS: School[] = [
  {
    code: "T-MN1",
    name: "Trường Mầm non Ánh Sao",
    levels: ["mam-non"],
    commune: "Phước Kiển",
    ownership: "cong-lap",
    emails: ["mn1@test.example"],
  },
  {
    code: "T-TH1",
    name: "Trường Tiểu học Đồng Khởi",
    levels: ["tieu-hoc"],
    commune: "Phú Xuân",
    ownership: "cong-lap",
    emails: ["th1@test.example", "hieupho.th1@test.example"],
  },
  {
    code: "T-CS1",
    name: "Trường THCS Dương Bá Trạc",
    levels: ["thcs"],
    commune: "Hiệp Phước",
    ownership: "ngoai-cong-lap",
    emails: ["cs1@test.example"],
  },
];

let store: Store | undefined;
/** The store over the real Firestore client, against the emulator the test run started. */
export const testStore = (): Store => {
  store ??= firestoreStore(
    createFirestore({ projectId: "demo-dienhinh", emulatorHost: inject("firestoreHost") }),
    "test emulator",
  );
  return store;
};

export const uniqueId = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

/** A deployment's Sheets side over a local Sheets server, paced as asked (not at all by default). */
export const sheetsAccess = (
  gateway: SheetsGateway,
  layout: SheetLayout,
  minIntervalMs = 0,
): SheetsAccess => ({
  gateway,
  layout,
  target: (spreadsheetId) => googleSheetTarget(gateway, spreadsheetId, { minIntervalMs }),
});

export const testDeps = (overrides: Partial<AppDeps> = {}): AppDeps => {
  const chosen = overrides.store ?? testStore();
  const clock = overrides.clock ?? (() => new Date());
  return {
    store: chosen,
    clock,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: silentLogger,
    schools: cachedSchools(chosen, clock, 0),
    ...overrides,
  };
};

/** A campaign in the emulator, with local forms (or forms created through `forms`). */
/**
 * Dossiers in the first half of November 2026, supplements by the 25th: the default calendar of the
 * year those dates belong to (the kit's campaign says 2026-2027, its clocks are November 2026).
 */
export const TEST_CALENDAR: Calendar = defaultCalendar("2025-2026");

export const makeCampaign = async (
  options: {
    id?: string;
    schools?: School[];
    set?: CriteriaSet;
    forms?: FormsGateway;
    topicName?: string;
    office?: OfficeProfile;
    sheetLayout?: SheetLayout;
  } = {},
): Promise<Campaign> => {
  const { campaign } = await setupCampaign(testDeps(options.forms ? { forms: options.forms } : {}), {
    campaignId: options.id ?? uniqueId("dot"),
    schoolYear: "2026-2027",
    office: options.office ?? OFFICE,
    criteriaSet: options.set ?? defaultSet(),
    schools: options.schools ?? SCHOOLS,
    // The tests' responses and clocks are in November 2026: their campaign's calendar is that one's.
    calendar: TEST_CALENDAR,
    ...(options.topicName ? { topicName: options.topicName } : {}),
    ...(options.sheetLayout ? { sheetLayout: options.sheetLayout } : {}),
  });
  return campaign;
};

export const formSpec = (
  stage: Stage,
  set: CriteriaSet = defaultSet(),
  schools: School[] = SCHOOLS,
): FormSpec => buildFormSpec({ set, schools, stage, schoolYear: "2026-2027", office: OFFICE });

export const specBindings = (stage: Stage, set: CriteriaSet = defaultSet()): QuestionBinding[] =>
  bindingsOf(formSpec(stage, set), set, stage);

/** Answers that meet every indicator of the default set, as a school types them into the form. */
export type TypedAnswers = Record<string, string | [string, string]>;
export const PASSING_DOSSIER: TypedAnswers = {
  "1.4": ["Có", "https://drive.google.com/open?id=noi-quy"],
  "1.5": "100%",
  "1.6": ["2", "https://drive.google.com/open?id=mo-hinh"],
  "2.1": ["Có", "https://drive.google.com/open?id=phoi-hop"],
  "2.2": ["Có", "https://drive.google.com/open?id=cmhs"],
  "2.3": "4",
  "3.1": "0",
  "3.2": "0",
  "3.3": "0",
  "3.4": "0",
  "3.5": "0",
  "3.6": "0",
  "4.1": "0",
  "4.2": "0",
  "4.3": "0",
  "5.1": ["Có", "https://drive.google.com/open?id=to-nong-cot"],
  "5.2": "Hoàn thành tốt nhiệm vụ",
  "6.1": "85 %",
  "6.2": "0",
};
export const PASSING_REGISTRATION: Record<string, string | [string, string]> = {
  "1.1": ["Có", "https://drive.google.com/open?id=nghi-quyet"],
  "1.2": ["Có", "https://drive.google.com/open?id=ke-hoach"],
  "1.3": ["Có", "https://drive.google.com/open?id=dang-ky"],
};

/** A Forms API FormResponse for a school, built from the bindings of a stage's form. */
export const formResponse = (
  bindings: readonly QuestionBinding[],
  school: Pick<School, "code" | "name"> | string,
  answers: Record<string, string | [string, string]>,
  options: {
    responseId?: string;
    lastSubmittedTime?: string;
    /** As Google Forms sends it: the first submission's time, kept by an edit. */
    createTime?: string;
    email?: string | null;
    formId?: string;
  } = {},
): FormResponse => {
  const text = (value: string) => ({ textAnswers: { answers: [{ value }] } });
  const out: Record<string, unknown> = {};
  const put = (binding: QuestionBinding | undefined, value: string) => {
    if (binding) out[binding.questionId] = { questionId: binding.questionId, ...text(value) };
  };
  put(
    bindings.find((b) => b.role === "school"),
    typeof school === "string" ? school : schoolOption(school),
  );
  put(
    bindings.find((b) => b.role === "respondent-name"),
    "Lê Thị Khai",
  );
  put(
    bindings.find((b) => b.role === "respondent-role"),
    "Phó Hiệu trưởng",
  );
  for (const [id, answer] of Object.entries(answers)) {
    const [value, link] = Array.isArray(answer) ? answer : [answer, undefined];
    put(
      bindings.find((b) => b.role === "value" && b.indicatorId === id),
      value,
    );
    if (link)
      put(
        bindings.find((b) => b.role === "evidence" && b.indicatorId === id),
        link,
      );
  }
  return {
    ...(options.formId ? { formId: options.formId } : {}),
    responseId: options.responseId ?? uniqueId("resp"),
    lastSubmittedTime: options.lastSubmittedTime ?? "2026-11-05T01:30:00.123Z",
    ...(options.createTime ? { createTime: options.createTime } : {}),
    ...(options.email === null ? {} : { respondentEmail: options.email ?? "th1@test.example" }),
    answers: out as FormResponse["answers"],
  };
};
