import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestResponses } from "../../functions/src/app/intake.js";
import { syncSheet } from "../../functions/src/app/sheet-cycle.js";
import { setupSheet } from "../../functions/src/app/sheet-setup.js";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import type { School } from "../../functions/src/domain/school.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import { SCHOOL_STATUS_LABELS } from "../../functions/src/domain/status.js";
import { localAuth } from "../../functions/src/infra/google/forms.js";
import { googleSheetsGateway, type SheetsGateway } from "../../functions/src/infra/google/sheets.js";
import { googleSheetTarget, type SheetTarget } from "../../functions/src/infra/sheet-target.js";
import {
  type CellValue,
  formResponse,
  makeCampaign,
  PASSING_DOSSIER,
  PASSING_REGISTRATION,
  SCHOOLS,
  type SheetsServer,
  sheetsAccess,
  specBindings,
  startSheetsServer,
  testDeps,
  testStore,
} from "../kit/index.js";

let server: SheetsServer;
let gateway: SheetsGateway;
let layout: SheetLayout;
beforeAll(async () => {
  server = await startSheetsServer();
  gateway = googleSheetsGateway({
    rootUrl: server.url,
    auth: localAuth(),
    retry: { retries: 6, baseDelayMs: 5, maxDelayMs: 40 },
  });
  layout = await loadSheetLayout();
});
afterAll(() => server.close());

const deps = () => testDeps();
const TRACKING = "Theo dõi";
const REGISTRY = "Danh sách trường";

/** A campaign with a sheet set up, and its spreadsheet id. */
const campaignWithSheet = async (
  schools: School[] = SCHOOLS,
): Promise<{ campaign: Campaign; id: string }> => {
  const campaign = await makeCampaign({ schools });
  const { spreadsheetId } = await setupSheet(deps(), campaign.id, layout, sheetsAccess(gateway, layout));
  return { campaign: await testStore().campaigns.get(campaign.id), id: spreadsheetId };
};

/** Mark a school's report and mail done, as the delivery job would after sending. */
const delivered = async (campaignId: string, code: string) => {
  for (const kind of ["report", "mail"] as const) {
    const item = (await testStore().outbox.pending(campaignId, kind)).find((i) => i.code === code);
    expect(
      await testStore().outbox.settle(campaignId, item, kind, item?.entry.contentHash ?? "", new Date()),
    ).toBe(true);
  }
};
const stateOf = async (campaignId: string, code: string) =>
  (await testStore().states.load(campaignId)).get(code);
const outboxOf = (campaignId: string, code: string) => testStore().outbox.get(campaignId, code);

const sync = (campaign: Campaign, id: string) =>
  syncSheet(deps(), campaign.id, layout, googleSheetTarget(gateway, id, { minIntervalMs: 0 }));

const dossierFor = (
  campaign: Campaign,
  school: School,
  answers = PASSING_DOSSIER,
  time = "2026-11-05T01:30:00.123Z",
) =>
  formResponse(specBindings("dossier", campaign.criteriaSet), school, answers, {
    email: school.emails[0] ?? null,
    lastSubmittedTime: time,
  });

const registrationFor = (campaign: Campaign, school: School) =>
  formResponse(specBindings("registration", campaign.criteriaSet), school, PASSING_REGISTRATION, {
    email: school.emails[0] ?? null,
    lastSubmittedTime: "2026-03-01T01:00:00.000Z",
  });

/** Rows of a tab as objects keyed by header. */
const table = (id: string, title: string): Array<Record<string, CellValue | undefined>> => {
  const [header = [], ...rows] = server.values(id, title);
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [String(h), row[i]])));
};
const letterOf = (index: number) => String.fromCharCode(65 + index);

/** The office plans a school's inspection in Lịch kiểm tra. */
const typePlan = (id: string, code: string, day: string) => {
  const [header = [], ...rows] = server.values(id, "Lịch kiểm tra");
  const row = rows.findIndex((r) => r[0] === code) + 2;
  const school = SCHOOLS.find((s) => s.code === code);
  server.setValues(id, `'Lịch kiểm tra'!${letterOf(header.indexOf("Đoàn kiểm tra"))}${row}`, [
    [
      "Đoàn số 1",
      "Nguyễn Văn Thử (Phòng Giáo dục và Đào tạo); Trần Văn Bảo (Công an xã Phú Xuân)",
      day,
      "08:00",
      school?.name ?? "",
    ],
  ]);
};

/** The team's findings on a school: every claim confirmed but those in `reject` (id → reason). */
const typeFindings = (id: string, code: string, reject: Record<string, string> = {}) => {
  const [header = [], ...rows] = server.values(id, "Kiểm tra");
  const at = letterOf(header.indexOf("Kết quả kiểm tra"));
  rows.forEach((r, i) => {
    if (r[0] !== code) return;
    const reason = reject[String(r[2])];
    server.setValues(id, `'Kiểm tra'!${at}${i + 2}`, [
      reason === undefined ? ["Xác nhận", ""] : ["Không xác nhận", reason],
    ]);
  });
};

const rowOf = (id: string, code: string) => table(id, TRACKING).find((r) => r["Mã trường"] === code);

/** Requests received since a mark, split into reads and writes. */
const since = (mark: number) => {
  const requests = server.requests.slice(mark);
  return {
    reads: requests.filter((r) => r.method === "GET").length,
    writes: requests.filter((r) => r.method !== "GET"),
  };
};

describe("setting up the tracking sheet", () => {
  it("creates every tab with its headers, formats, protections, dropdowns, colours and chart, shared with the office", async () => {
    const { campaign, id } = await campaignWithSheet();
    const stored = server.spreadsheets.get(id);
    expect(stored?.sheets.map((s) => s.properties.title)).toEqual([
      "Tổng quan",
      "Điều khiển",
      TRACKING,
      "Lịch kiểm tra",
      "Kiểm tra",
      "Quyết định công nhận",
      "Báo cáo",
      "Lịch",
      "Gia hạn",
      "Đôn đốc",
      REGISTRY,
      "Tiêu chí",
      "Nhật ký",
      "Hướng dẫn",
    ]);
    // The clerk's guide, written whole: a row for each status, with what to do for it.
    const guide = server.values(id, "Hướng dẫn");
    expect(guide[0]).toEqual(["Mục", "Hướng dẫn"]);
    for (const label of Object.values(SCHOOL_STATUS_LABELS))
      expect(guide.find((r) => r[0] === label)?.[1], label).toContain("Việc cần làm:");
    const tracking = stored?.sheets.find((s) => s.properties.title === TRACKING);
    expect(server.values(id, TRACKING)[0]).toEqual([
      "Mã trường",
      "Tên trường",
      "Cấp học",
      "Xã/Phường",
      "Tình trạng",
      "Lần nộp gần nhất",
      ...campaign.criteriaSet.criteria.map((c) => `TC${c.id} (${c.points}đ)`),
      "Tổng điểm",
      "Còn thiếu",
      "Nộp muộn (phòng quyết định)",
      "Vụ việc đã báo cáo",
      "Báo cáo (PDF)",
      "Bản Word",
      "Đã gửi email lúc",
      "Kết quả kiểm tra",
      "Phòng duyệt gửi",
      "Số văn bản",
      "Ghi chú của phòng",
    ]);
    expect(tracking?.properties.gridProperties.frozenRowCount).toBe(1);
    expect(tracking?.properties.gridProperties.frozenColumnCount).toBe(2);
    // The status and verdict columns are coloured by value; Theo dõi's one dropdown is the office's
    // approval. The team's finding is a dropdown of the Kiểm tra tab, and only the finding and its
    // reason are open there.
    const approveColumn = 6 + campaign.criteriaSet.criteria.length + 8;
    expect(JSON.stringify(tracking?.conditionalFormats)).toContain("Chờ kiểm tra");
    expect(
      tracking?.dataValidations
        .filter((v) => v.rule)
        .map((v) => [(v.range as { startColumnIndex?: number }).startColumnIndex, JSON.stringify(v.rule)]),
    ).toEqual([[approveColumn, expect.stringContaining('"userEnteredValue":"Duyệt"')]]);
    const inspection = stored?.sheets.find((s) => s.properties.title === "Kiểm tra");
    const findingAt = server.values(id, "Kiểm tra")[0]?.indexOf("Kết quả kiểm tra") ?? -1;
    const validation = inspection?.dataValidations.find(
      (v) => (v.range as { startColumnIndex?: number }).startColumnIndex === findingAt,
    );
    expect(JSON.stringify(validation?.rule)).toContain("Không xác nhận");
    expect(
      (inspection?.protectedRanges ?? [])
        .map((p) => p.range as { startColumnIndex?: number; endColumnIndex?: number; startRowIndex?: number })
        .filter((r) => r.startRowIndex === 1)
        .map((r) => [r.startColumnIndex, r.endColumnIndex]),
    ).toEqual([
      [0, findingAt],
      // Kiểm tra dữ liệu and Đối chiếu (a reported incident against the dossier), the system's.
      [findingAt + 2, findingAt + 4],
    ]);
    // System columns are protected, office columns (approval, number, note) are not.
    const protectedColumns = (tracking?.protectedRanges ?? [])
      .map((p) => p.range as { startColumnIndex?: number; endColumnIndex?: number; startRowIndex?: number })
      .filter((r) => r.startRowIndex === 1);
    expect(protectedColumns).toEqual([
      {
        sheetId: tracking?.properties.sheetId,
        startRowIndex: 1,
        startColumnIndex: 0,
        endColumnIndex: approveColumn,
      },
    ]);
    const overview = stored?.sheets.find((s) => s.properties.title === "Tổng quan");
    expect(overview?.charts).toHaveLength(1);
    expect(stored?.permissions.map((p) => p.emailAddress)).toContain("phong@test.example");
    // Every school has its row, Chưa đăng ký before anything arrives.
    expect(table(id, TRACKING).map((r) => [r["Mã trường"], r["Tình trạng"]])).toEqual([
      ["T-MN1", "Chưa đăng ký"],
      ["T-TH1", "Chưa đăng ký"],
      ["T-CS1", "Chưa đăng ký"],
    ]);
    expect(table(id, REGISTRY).map((r) => r["Kiểm tra dữ liệu"])).toEqual(["Hợp lệ", "Hợp lệ", "Hợp lệ"]);
  });
});

describe("flushing changes", () => {
  it("writes one changed school in one request, and only its changed cells", async () => {
    const { campaign, id } = await campaignWithSheet();
    const school = SCHOOLS[1] as School;
    await ingestResponses(deps(), campaign, "registration", [registrationFor(campaign, school)]);
    await ingestResponses(deps(), campaign, "dossier", [dossierFor(campaign, school)]);
    const mark = server.requests.length;
    const result = await sync(campaign, id);
    const { reads, writes } = since(mark);
    expect(reads).toBe(1);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.path).toContain("values:batchUpdate");
    expect(writes[0]?.body).toMatchObject({ valueInputOption: "RAW" });
    expect(result.writes).toBe(1);
    expect(rowOf(id, school.code)?.["Tình trạng"]).toBe("Chờ kiểm tra");
    expect(rowOf(id, school.code)?.["Tổng điểm"]).toBe(100);
    // The outbox knows the row is written.
    expect((await outboxOf(campaign.id, school.code))?.sheet.state).toBe("done");
    // Nothing changed: the next cycle reads and writes nothing.
    const again = server.requests.length;
    await sync(campaign, id);
    expect(since(again).writes).toHaveLength(0);
  });

  it("keeps the office's columns through every flush, even when rows move", async () => {
    const { campaign, id } = await campaignWithSheet();
    const th1 = SCHOOLS[1] as School;
    const rowIndex = (title: string) => server.values(id, title).findIndex((r) => r[0] === th1.code);
    const noteAt = server.values(id, TRACKING)[0]?.indexOf("Ghi chú của phòng") ?? -1;
    server.setValues(id, `'${TRACKING}'!${letterOf(noteAt)}${rowIndex(TRACKING) + 1}`, [
      ["Đã kiểm tra ngày 20/11"],
    ]);
    typePlan(id, th1.code, "20/11/2026");
    await ingestResponses(deps(), campaign, "dossier", [dossierFor(campaign, th1)]);
    await sync(campaign, id);
    // A new primary school that sorts before it, typed by the office into the registry tab.
    const registryRows = server.values(id, REGISTRY).length;
    server.setValues(id, `'${REGISTRY}'!A${registryRows + 1}`, [
      ["T-TH0", "Trường Tiểu học An Bình", "Tiểu học", "Phú Xuân", "Công lập", "th0@test.example"],
    ]);
    await sync(campaign, id);
    await sync(campaign, id);
    for (const title of [TRACKING, "Lịch kiểm tra"])
      expect(server.values(id, title).map((r) => r[0])).toEqual([
        "Mã trường",
        "T-MN1",
        "T-TH0",
        "T-TH1",
        "T-CS1",
      ]);
    expect(rowOf(id, th1.code)?.["Ghi chú của phòng"]).toBe("Đã kiểm tra ngày 20/11");
    const plan = table(id, "Lịch kiểm tra").find((r) => r["Mã trường"] === th1.code);
    expect(plan?.["Địa điểm"]).toBe(th1.name);
    expect(plan?.["Đoàn kiểm tra"]).toBe("Đoàn số 1");
    expect(table(id, "Lịch kiểm tra").find((r) => r["Mã trường"] === "T-TH0")?.["Địa điểm"]).toBeUndefined();
    expect((await stateOf(campaign.id, th1.code))?.inputs.inspection?.date).toBe("2026-11-20");
    expect((await testStore().schools.load(campaign.id)).get("T-TH0")?.emails).toEqual(["th0@test.example"]);
  });

  it("takes the team's findings back: one claim not confirmed makes the school Không đạt, queued again", async () => {
    const { campaign, id } = await campaignWithSheet();
    const th1 = SCHOOLS[1] as School;
    await ingestResponses(deps(), campaign, "registration", [registrationFor(campaign, th1)]);
    await ingestResponses(deps(), campaign, "dossier", [dossierFor(campaign, th1)]);
    await sync(campaign, id);
    await delivered(campaign.id, th1.code);
    // The school's indicators are listed for the team, with its own answers and evidence.
    const rows = table(id, "Kiểm tra").filter((r) => r["Mã trường"] === th1.code);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.find((r) => r["Chỉ tiêu"] === "1.2")?.["Trường tự đánh giá"]).toMatch(/^Có/u);
    typePlan(id, th1.code, "20/11/2026");
    // Every claim confirmed but 1.2; a rejection typed without its reason is refused beside its row.
    typeFindings(id, th1.code, { "1.2": "Sổ nhật ký bảo vệ không có", "1.3": "" });
    const first = await sync(campaign, id);
    expect(first.inspections).toBe(1);
    const doc = await stateOf(campaign.id, th1.code);
    expect(doc?.status).toBe("khong-dat");
    expect(doc?.inputs.inspection?.findings["1.2"]).toEqual({
      finding: "khong-xac-nhan",
      reason: "Sổ nhật ký bảo vệ không có",
    });
    expect(doc?.inputs.inspection?.findings["1.3"]).toBeUndefined();
    const findingOf = (ind: string) =>
      table(id, "Kiểm tra").find((r) => r["Mã trường"] === th1.code && r["Chỉ tiêu"] === ind);
    expect(findingOf("1.3")?.["Kết quả kiểm tra"]).toBe("Không xác nhận");
    expect(findingOf("1.3")?.["Kiểm tra dữ liệu"]).toContain("Ghi lý do không xác nhận");
    const entry = await outboxOf(campaign.id, th1.code);
    expect(entry?.report.state).toBe("pending");
    expect(entry?.mail.state).toBe("pending");
    expect(rowOf(id, th1.code)?.["Tình trạng"]).toBe("Không đạt");
    expect(rowOf(id, th1.code)?.["Kết quả kiểm tra"]).toBe("Không đạt");
    expect(String(rowOf(id, th1.code)?.["Còn thiếu"])).toContain(
      "Kiểm tra không xác nhận 1.2: Sổ nhật ký bảo vệ không có",
    );
    const log = table(id, "Nhật ký").map((r) => String(r["Nội dung"]));
    expect(log.some((m) => m.startsWith("Kết quả kiểm tra: Không đạt (1.2"))).toBe(true);
    expect(log.filter((m) => m.startsWith("Ghi lý do không xác nhận"))).toHaveLength(1);
    // Nothing changed: the next cycle saves nothing and logs the refusal no second time.
    expect((await sync(campaign, id)).inspections).toBe(0);
    expect(table(id, "Nhật ký").filter((r) => String(r["Nội dung"]).startsWith("Ghi lý do"))).toHaveLength(1);
  });

  it("takes a note alone back without sending the school anything again", async () => {
    const { campaign, id } = await campaignWithSheet();
    const th1 = SCHOOLS[1] as School;
    await ingestResponses(deps(), campaign, "dossier", [dossierFor(campaign, th1)]);
    await sync(campaign, id);
    await delivered(campaign.id, th1.code);
    const row = server.values(id, TRACKING).findIndex((r) => r[0] === th1.code) + 1;
    const noteAt = server.values(id, TRACKING)[0]?.indexOf("Ghi chú của phòng") ?? -1;
    server.setValues(id, `'${TRACKING}'!${String.fromCharCode(65 + noteAt)}${row}`, [
      ["Gọi lại thầy Hiệu trưởng"],
    ]);
    expect((await sync(campaign, id)).reviews).toBe(1);
    const doc = await stateOf(campaign.id, th1.code);
    expect(doc?.inputs.review).toEqual({ note: "Gọi lại thầy Hiệu trưởng" });
    const entry = await outboxOf(campaign.id, th1.code);
    expect([entry?.report.state, entry?.mail.state]).toEqual(["done", "done"]);
  });

  it("stores a school name that looks like a formula as text", async () => {
    const sly: School = {
      ...(SCHOOLS[0] as School),
      code: "T-EQ",
      name: '=HYPERLINK("http://x.example","bấm")',
    };
    const { id } = await campaignWithSheet([sly, ...SCHOOLS.slice(1)]);
    const tracking = server.spreadsheets.get(id)?.sheets.find((s) => s.properties.title === TRACKING);
    const cell = tracking?.cells.find((r) => r?.[0] === "T-EQ")?.[1];
    expect(cell).toBe('=HYPERLINK("http://x.example","bấm")');
    const writes = server.writes().filter((r) => r.path.includes("values:batchUpdate"));
    expect(writes.every((w) => (w.body as { valueInputOption: string }).valueInputOption === "RAW")).toBe(
      true,
    );
  });

  it("completes a flush after five 429s on its write, with no row missing", async () => {
    const { campaign, id } = await campaignWithSheet();
    await ingestResponses(
      deps(),
      campaign,
      "dossier",
      SCHOOLS.map((s) => dossierFor(campaign, s)),
    );
    const mark = server.requests.length;
    server.failNext(5, 429, { method: "POST", path: /values:batchUpdate$/u });
    const result = await sync(campaign, id);
    expect(result.writes).toBe(1);
    // The same write, sent six times: refused five times, then taken.
    expect(since(mark).writes.filter((w) => w.path.endsWith("values:batchUpdate"))).toHaveLength(6);
    expect(table(id, TRACKING).map((r) => r["Mã trường"])).toEqual(["T-MN1", "T-TH1", "T-CS1"]);
    expect(table(id, TRACKING).every((r) => r["Tình trạng"] !== "Chưa đăng ký")).toBe(true);
  });

  it.each([
    ["the read", undefined],
    ["the write", { method: "POST", path: /values:batchUpdate$/u }],
  ])(
    "keeps a flush whose %s fails pending in the outbox, and the next one converges",
    async (_what, only) => {
      const { campaign, id } = await campaignWithSheet();
      const school = SCHOOLS[2] as School;
      await ingestResponses(deps(), campaign, "dossier", [dossierFor(campaign, school)]);
      server.failNext(50, 503, only);
      await expect(sync(campaign, id)).rejects.toThrow();
      server.failNext(0, 503);
      const entry = await outboxOf(campaign.id, school.code);
      expect(entry?.sheet.state).toBe("pending");
      expect(entry?.sheet.attempts).toBe(1);
      expect(rowOf(id, school.code)?.["Tình trạng"]).toBe("Chưa đăng ký");
      const result = await sync(campaign, id);
      expect(result.settled).toBeGreaterThanOrEqual(1);
      expect(rowOf(id, school.code)?.["Tình trạng"]).not.toBe("Chưa đăng ký");
      expect(table(id, "Nhật ký").some((r) => String(r["Nội dung"]).startsWith("Không cập nhật được"))).toBe(
        true,
      );
    },
  );
});

describe("drift", () => {
  it("repairs a deleted tab and a moved column on set-up, keeping the office's data", async () => {
    const { campaign, id } = await campaignWithSheet();
    const header = server.values(id, TRACKING)[0] ?? [];
    const noteAt = header.indexOf("Ghi chú của phòng");
    const row = server.values(id, TRACKING).findIndex((r) => r[0] === "T-CS1") + 1;
    server.setValues(id, `'${TRACKING}'!${String.fromCharCode(65 + noteAt)}${row}`, [["Hẹn kiểm tra 02/12"]]);
    server.deleteTab(id, "Tiêu chí");
    server.moveColumn(id, TRACKING, noteAt, 0);
    const result = await setupSheet(deps(), campaign.id, layout, sheetsAccess(gateway, layout));
    expect(result.created).toBe(false);
    expect(server.spreadsheets.get(id)?.sheets.map((s) => s.properties.title)).toContain("Tiêu chí");
    expect(server.values(id, TRACKING)[0]).toEqual(header);
    expect(rowOf(id, "T-CS1")?.["Ghi chú của phòng"]).toBe("Hẹn kiểm tra 02/12");
    expect(server.values(id, "Tiêu chí").length).toBeGreaterThan(20);
  });

  it("finds a renamed tab and a retyped header, reads them, and puts them back", async () => {
    const { campaign, id } = await campaignWithSheet();
    const header = server.values(id, TRACKING)[0] ?? [];
    const noteAt = header.indexOf("Ghi chú của phòng");
    const row = server.values(id, TRACKING).findIndex((r) => r[0] === "T-MN1") + 1;
    const note = String.fromCharCode(65 + noteAt);
    server.setValues(id, `'${TRACKING}'!${note}1`, [["Ghi chú"]]);
    server.setValues(id, `'${TRACKING}'!${note}${row}`, [["Dòng một\nDòng hai"]]);
    const tab = server.spreadsheets.get(id)?.sheets.find((s) => s.properties.title === TRACKING);
    if (tab) tab.properties.title = "Theo dõi (cũ)";
    const result = await sync(campaign, id);
    expect(result.rebuilt).toContain(TRACKING);
    expect(server.spreadsheets.get(id)?.sheets.map((s) => s.properties.title)).not.toContain("Theo dõi (cũ)");
    expect(server.values(id, TRACKING)[0]).toEqual(header);
    expect(rowOf(id, "T-MN1")?.["Ghi chú của phòng"]).toBe("Dòng một\nDòng hai");
    expect((await stateOf(campaign.id, "T-MN1"))?.inputs.review?.note).toBe("Dòng một\nDòng hai");
  });

  it("clears the columns a smaller criteria set leaves behind", async () => {
    const { campaign, id } = await campaignWithSheet();
    const before = server.values(id, TRACKING)[0]?.length ?? 0;
    const smaller = {
      ...campaign.criteriaSet,
      criteria: campaign.criteriaSet.criteria.slice(0, 4),
    };
    await testStore().campaigns.save({ ...campaign, criteriaSet: smaller });
    await sync(campaign, id);
    const grid = server.values(id, TRACKING);
    expect(grid[0]).toHaveLength(before - 2);
    expect(grid.every((r) => r.length <= before - 2)).toBe(true);
    expect(grid[0]?.slice(-4)).toEqual([
      "Kết quả kiểm tra",
      "Phòng duyệt gửi",
      "Số văn bản",
      "Ghi chú của phòng",
    ]);
  });
});

describe("pacing", () => {
  it("spaces writes by the interval across campaigns, and never runs two cycles of one campaign at once", async () => {
    // A virtual clock: waiting for a write slot moves time on instead of sleeping.
    let now = Date.parse("2020-03-01T01:00:00Z");
    const clock = () => new Date(now);
    const sleep = async (ms: number) => {
      const wake = now + ms;
      await new Promise((resolve) => setImmediate(resolve));
      now = Math.max(now, wake);
    };
    const paced = { ...deps(), clock, sleep };
    const a = await campaignWithSheet();
    const b = await campaignWithSheet();
    const cycles: Array<{ campaign: string; readAt: number; writeAt?: number; doneAt?: number }> = [];
    const watched = (c: { campaign: Campaign; id: string }): SheetTarget => {
      const inner = googleSheetTarget(gateway, c.id, { minIntervalMs: 400 });
      return {
        ...inner,
        read: () => {
          now += 1; // every step takes a moment, so overlapping cycles show
          cycles.push({ campaign: c.campaign.id, readAt: now });
          return inner.read();
        },
        plan: (model, current, options) => {
          const plan = inner.plan(model, current, options);
          return {
            ...plan,
            apply: async () => {
              const cycle = cycles.findLast((x) => x.campaign === c.campaign.id && x.doneAt === undefined);
              if (cycle && plan.requests > 0) cycle.writeAt = now;
              const applied = await plan.apply();
              now += 1;
              if (cycle) cycle.doneAt = now;
              return applied;
            },
          };
        },
      };
    };
    const cycle = (c: { campaign: Campaign; id: string }) =>
      syncSheet(paced, c.campaign.id, layout, watched(c));
    // Something to write in each campaign.
    for (const c of [a, b])
      await ingestResponses(deps(), c.campaign, "dossier", [dossierFor(c.campaign, SCHOOLS[0] as School)]);
    const results = await Promise.all([cycle(a), cycle(b), cycle(a), cycle(b)]);
    expect(results.filter((r) => r.writes > 0).length).toBeGreaterThanOrEqual(2);
    // Writes of all campaigns share one quota: slots are at least the interval apart, and no write
    // starts before its slot.
    const slots = results.flatMap((r) => (r.slot ? [r.slot.getTime()] : [])).sort((x, y) => x - y);
    // Only flushes with something to write take a slot.
    expect(slots).toHaveLength(results.filter((r) => r.writes > 0).length);
    for (let i = 1; i < slots.length; i++)
      expect((slots[i] ?? 0) - (slots[i - 1] ?? 0)).toBeGreaterThanOrEqual(400);
    const writes = cycles.flatMap((c) => (c.writeAt ? [c.writeAt] : [])).sort((x, y) => x - y);
    for (const [i, at] of writes.entries())
      expect(at).toBeGreaterThanOrEqual(slots[i] ?? Number.POSITIVE_INFINITY);
    // Cycles of one campaign never overlap.
    for (const id of [a.campaign.id, b.campaign.id]) {
      const own = cycles.filter((c) => c.campaign === id).sort((x, y) => x.readAt - y.readAt);
      for (let i = 1; i < own.length; i++) expect(own[i]?.readAt).toBeGreaterThan(own[i - 1]?.doneAt ?? 0);
    }
  });
});
