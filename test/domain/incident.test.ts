import { beforeAll, describe, expect, it } from "vitest";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import {
  adoptIncidentForm,
  buildIncidentFormSpec,
  INCIDENT_DESCRIPTION_MAX,
  type IncidentContext,
  type IncidentRecord,
  incidentKinds,
  readDay,
  readIncidentResponse,
} from "../../functions/src/domain/incident.js";
import {
  incidentContradiction,
  incidentsInWords,
  reportedIncidents,
} from "../../functions/src/domain/incident-check.js";
import { readResponse } from "../../functions/src/domain/intake-guard.js";
import type { School } from "../../functions/src/domain/school.js";
import { applyOutcome, type SchoolState } from "../../functions/src/domain/school-state.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import {
  buildWorkbook,
  type Cell,
  type WorkbookModel,
} from "../../functions/src/domain/tracking-workbook.js";
import {
  defaultSet,
  formResponse,
  incidentBindings,
  incidentResponse,
  OFFICE,
  PASSING_DOSSIER,
  PASSING_REGISTRATION,
  SCHOOLS,
  specBindings,
} from "../kit/index.js";

const set = defaultSet();
const [, th1, cs1] = SCHOOLS as [School, School, School];
const PERIOD = { from: "2026-11-16", to: "2027-11-15" };
const KIND_41 = "4.1. Vụ bạo lực học đường";
const ctx = (receivedAt = "2026-12-10T03:00:00.000Z"): IncidentContext => ({
  set,
  bindings: incidentBindings(),
  schools: new Map(SCHOOLS.map((s) => [s.code, s])),
  receivedAt,
  period: PERIOD,
  timeZone: "Asia/Ho_Chi_Minh",
});
const report = (incident: Parameters<typeof incidentResponse>[2], options = {}) =>
  readIncidentResponse(incidentResponse(incidentBindings(), th1, incident, options), ctx());
const GOOD = { kind: KIND_41, date: "2026-12-01", description: "Hai học sinh xô xát giờ ra chơi." };

describe("the incident form", () => {
  const spec = buildIncidentFormSpec({ set, schools: SCHOOLS, schoolYear: "2026-2027", office: OFFICE });

  it("offers the criteria's incident indicators (the counts that must be 0) as its kinds", () => {
    const kinds = spec.items.find((i) => i.title === "Loại vụ việc")?.questionItem?.question.choiceQuestion;
    expect(kinds?.options.map((o) => o.value)).toEqual(incidentKinds(set).map((k) => k.label));
    expect(incidentKinds(set).map((k) => k.indicatorId)).toEqual([
      "3.1",
      "3.2",
      "3.3",
      "3.4",
      "3.5",
      "3.6",
      "4.1",
      "4.2",
      "4.3",
      "6.2",
    ]);
    expect(incidentKinds(set)).toContainEqual({ indicatorId: "4.1", label: KIND_41 });
  });

  it("asks the school as the other forms do, a date and a short description, all required, from a verified email", () => {
    expect(spec.settings?.emailCollectionType).toBe("VERIFIED");
    expect(spec.items.map((i) => i.title)).toEqual([
      "Trường (đơn vị)",
      "Họ và tên người khai",
      "Chức vụ người khai",
      "Loại vụ việc",
      "Ngày xảy ra",
      "Mô tả ngắn",
    ]);
    expect(spec.items.every((i) => i.questionItem?.question.required)).toBe(true);
    const school = spec.items[0]?.questionItem?.question.choiceQuestion?.options.map((o) => o.value);
    expect(school).toEqual(SCHOOLS.map((s) => `${s.code} – ${s.name}`));
    expect(spec.items[4]?.questionItem?.question.dateQuestion).toEqual({ includeYear: true });
    expect(adoptIncidentForm(spec)).toMatchObject({ missing: [] });
    expect(adoptIncidentForm(spec).bindings.map((b) => b.role)).toContain("incident-date");
  });

  it("says which question an edited form lost", () => {
    const edited = {
      ...spec,
      items: spec.items.map((i) => (i.title === "Ngày xảy ra" ? { ...i, title: "Ngày" } : i)),
    };
    expect(adoptIncidentForm(edited).missing).toEqual(["Ngày xảy ra"]);
  });
});

describe("readIncidentResponse", () => {
  it("takes a report of a known kind, a past day and a short description", () => {
    const read = report(GOOD);
    expect(read.reasons).toEqual([]);
    expect(read.disposition).toBe("accepted");
    expect(read.schoolCode).toBe(th1.code);
    expect(read.incident).toEqual({
      indicatorId: "4.1",
      kindLabel: KIND_41,
      date: "2026-12-01",
      description: GOOD.description,
    });
  });

  it("reads a day typed dd/mm/yyyy, and refuses an impossible one", () => {
    expect(report({ ...GOOD, date: "1/12/2026" }).incident.date).toBe("2026-12-01");
    expect(readDay("31/02/2026")).toBeUndefined();
    const bad = report({ ...GOOD, date: "hôm qua" });
    expect(bad.disposition).toBe("quarantined");
    expect(bad.reasons).toEqual([`Ngày xảy ra "hôm qua" không hợp lệ; nhập theo dạng ngày/tháng/năm.`]);
  });

  it("refuses a day after the report was sent, saying what to do", () => {
    const read = report({ ...GOOD, date: "2026-12-11" });
    expect(read.disposition).toBe("quarantined");
    expect(read.reasons).toEqual([
      "Ngày xảy ra 11/12/2026 ở sau ngày gửi báo cáo (10/12/2026): chỉ báo cáo vụ việc đã xảy ra; hãy sửa lại ngày rồi gửi lại.",
    ]);
  });

  it("refuses a day before the assessment period", () => {
    const read = report({ ...GOOD, date: "2025-12-01" });
    expect(read.reasons[0]).toContain("ở trước kỳ đánh giá (từ 16/11/2026)");
  });

  it("refuses a kind the form does not offer, a missing description, and one too long", () => {
    expect(report({ ...GOOD, kind: "Mất trộm xe đạp" }).reasons).toEqual([
      `Loại vụ việc "Mất trộm xe đạp" không có trong danh sách của biểu mẫu.`,
    ]);
    expect(report({ kind: KIND_41, date: "2026-12-01" }).reasons).toEqual([`Chưa nhập "Mô tả ngắn".`]);
    const long = report({ ...GOOD, description: "x".repeat(INCIDENT_DESCRIPTION_MAX + 1) });
    expect(long.disposition).toBe("quarantined");
    expect(long.reasons[0]).toContain(`tối đa ${INCIDENT_DESCRIPTION_MAX}`);
    expect(long.incident.description).toHaveLength(INCIDENT_DESCRIPTION_MAX);
  });

  it("checks the sender as the other forms do", () => {
    const read = readIncidentResponse(
      incidentResponse(incidentBindings(), th1, GOOD, { email: "canhan@gmail.com" }),
      ctx(),
    );
    expect(read.disposition).toBe("quarantined");
    expect(read.reasons[0]).toContain("Email người gửi không thuộc trường đã chọn");
    expect(readIncidentResponse({ hello: 1 }, ctx())).toMatchObject({ malformed: true, incident: {} });
  });
});

const record = (over: Partial<IncidentRecord> = {}): IncidentRecord => ({
  key: "r1@t",
  responseId: "r1",
  schoolCode: th1.code,
  lastSubmittedTime: "2026-12-02T01:00:00.000Z",
  receivedAt: new Date("2026-12-02T01:00:00.000Z"),
  respondentEmail: "th1@test.example",
  respondent: { name: "Lê Thị Khai", role: "Hiệu trưởng" },
  disposition: "accepted",
  reasons: [],
  incident: { indicatorId: "4.1", kindLabel: KIND_41, date: "2026-12-01", description: "x" },
  alert: "sent",
  ...over,
});

describe("a reported incident against the dossier", () => {
  it("is flagged when the dossier declares 0 of the kind the school reported within the period", () => {
    expect(incidentContradiction([record()], th1.code, "4.1", "0", PERIOD)).toBe(
      "Trường đã báo cáo 1 vụ việc loại này (ngày 01/12/2026) nhưng hồ sơ khai 0: đề nghị đoàn kiểm tra đối chiếu.",
    );
    expect(incidentContradiction([record()], th1.code, "4.1", 0, PERIOD)).not.toBeNull();
  });

  it("is not flagged for another kind, another school, a count declared, or a day out of the period", () => {
    expect(incidentContradiction([record()], th1.code, "4.2", 0, PERIOD)).toBeNull();
    expect(incidentContradiction([record()], cs1.code, "4.1", 0, PERIOD)).toBeNull();
    expect(incidentContradiction([record()], th1.code, "4.1", 1, PERIOD)).toBeNull();
    expect(
      incidentContradiction([record()], th1.code, "4.1", 0, { from: "2025-11-16", to: "2026-11-15" }),
    ).toBeNull();
  });

  it("counts a report once whatever its versions, and never a quarantined one", () => {
    const edited = record({ key: "r1@u", lastSubmittedTime: "2026-12-03T01:00:00.000Z" });
    const setAside = record({ key: "r2@t", responseId: "r2", disposition: "quarantined", reasons: ["…"] });
    expect(reportedIncidents([record(), edited, setAside], th1.code)).toHaveLength(1);
    expect(incidentsInWords([record(), edited, setAside], th1.code)).toBe(
      `1 vụ; gần nhất 01/12/2026: ${KIND_41}; 1 báo cáo chưa hợp lệ, trường cần gửi lại (xem Nhật ký)`,
    );
    expect(incidentsInWords([record()], cs1.code)).toBeNull();
  });
});

describe("the workbook shows the reports", () => {
  let layout: SheetLayout;
  beforeAll(async () => {
    layout = await loadSheetLayout();
  });
  const waiting = (): SchoolState => {
    let state: SchoolState | undefined;
    for (const [stage, answers, time] of [
      ["registration", PASSING_REGISTRATION, "2026-03-01T01:00:00.000Z"],
      ["dossier", PASSING_DOSSIER, "2026-12-05T01:30:00.000Z"],
    ] as const) {
      const read = readResponse(
        formResponse(specBindings(stage, set), th1, answers, { lastSubmittedTime: time }),
        {
          stage,
          set,
          bindings: specBindings(stage, set),
          schools: new Map(SCHOOLS.map((s) => [s.code, s])),
          receivedAt: "2026-12-06T00:00:00.000Z",
        },
      );
      state = applyOutcome(state, read, th1, set).state;
    }
    return state as SchoolState;
  };
  const model = (incidents: IncidentRecord[]): WorkbookModel =>
    buildWorkbook({
      layout,
      schoolYear: "2026-2027",
      place: "Nhà Bè",
      communeLabel: "Xã/Phường",
      criteriaSet: set,
      schools: SCHOOLS,
      states: new Map([[th1.code, waiting()]]),
      events: [],
      dataTime: null,
      incidents,
      period: PERIOD,
    });
  const rows = (m: WorkbookModel, key: "tracking" | "inspection"): Array<Record<string, Cell>> => {
    const t = m.tabs.find((x) => x.key === key);
    return (t?.rows ?? []).map((r) =>
      Object.fromEntries((t?.columns ?? []).map((c, i) => [c.header, r[i] ?? null])),
    );
  };

  it("on the school's row in Theo dõi, and flagged against the dossier's 0 in Kiểm tra, not failed", () => {
    const m = model([record()]);
    const row = rows(m, "tracking").find((r) => r["Mã trường"] === th1.code);
    expect(row?.["Vụ việc đã báo cáo"]).toBe(`1 vụ; gần nhất 01/12/2026: ${KIND_41}`);
    expect(row?.["Tình trạng"]).toBe("Chờ kiểm tra");
    const inspection = rows(m, "inspection").filter((r) => r["Mã trường"] === th1.code);
    const flagged = inspection.filter((r) => r["Đối chiếu"] !== null);
    expect(flagged.map((r) => r["Chỉ tiêu"])).toEqual(["4.1"]);
    expect(flagged[0]?.["Đối chiếu"]).toContain("hồ sơ khai 0");
    expect(flagged[0]?.["Kết quả kiểm tra"]).toBeNull();
  });

  it("shows nothing where nothing was reported", () => {
    const m = model([]);
    expect(rows(m, "tracking").find((r) => r["Mã trường"] === th1.code)?.["Vụ việc đã báo cáo"]).toBeNull();
    expect(rows(m, "inspection").every((r) => r["Đối chiếu"] === null)).toBe(true);
  });
});
