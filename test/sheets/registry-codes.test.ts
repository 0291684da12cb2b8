import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncSheet } from "../../functions/src/app/sheet-cycle.js";
import { setupSheet } from "../../functions/src/app/sheet-setup.js";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import type { SheetLayout } from "../../functions/src/domain/sheet-layout.js";
import { localAuth } from "../../functions/src/infra/google/forms.js";
import { googleSheetsGateway, type SheetsGateway } from "../../functions/src/infra/google/sheets.js";
import { googleSheetTarget } from "../../functions/src/infra/sheet-target.js";
import {
  type CellValue,
  makeCampaign,
  type SheetsServer,
  sheetsAccess,
  startSheetsServer,
  testDeps,
  testStore,
} from "../kit/index.js";

/**
 * Issue 12, item 5: a school code Firestore refuses as a document id ("..", "__x__") typed into the
 * registry tab is refused beside its row, and the same cycle still saves the other rows' edits and
 * the office's verdicts (before, the whole batch failed at every cycle).
 */
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

const TRACKING = "Theo dõi";
const REGISTRY = "Danh sách trường";

const table = (id: string, title: string): Array<Record<string, CellValue | undefined>> => {
  const [header = [], ...rows] = server.values(id, title);
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [String(h), row[i]])));
};
const column = (id: string, title: string, header: string) =>
  String.fromCharCode(65 + (server.values(id, title)[0]?.indexOf(header) ?? -1));

describe("registry codes Firestore refuses", () => {
  it("refuses '..' and '__x__' beside their rows, and saves the valid new school and a note of the same cycle", async () => {
    const campaign = await makeCampaign();
    const { spreadsheetId: id } = await setupSheet(
      testDeps(),
      campaign.id,
      layout,
      sheetsAccess(gateway, layout),
    );
    const sync = () =>
      syncSheet(testDeps(), campaign.id, layout, googleSheetTarget(gateway, id, { minIntervalMs: 0 }));

    const next = server.values(id, REGISTRY).length + 1;
    server.setValues(id, `'${REGISTRY}'!A${next}`, [
      ["..", "Trường Tiểu học Hai Chấm", "Tiểu học", "Phú Xuân", "Công lập", "hai-cham@test.example"],
      ["__x__", "Trường THCS Gạch Dưới", "THCS", "Phú Xuân", "Công lập", "gach-duoi@test.example"],
      ["T-TH9", "Trường Tiểu học Bình Minh", "Tiểu học", "Nhơn Đức", "Công lập", "th9@test.example"],
    ]);
    const row = server.values(id, TRACKING).findIndex((r) => r[0] === "T-CS1") + 1;
    server.setValues(id, `'${TRACKING}'!${column(id, TRACKING, "Ghi chú của phòng")}${row}`, [
      ["Chưa có sổ trực bảo vệ"],
    ]);

    const result = await sync();
    expect(result.registry).toEqual({ added: 1, updated: 0, refused: 2, removed: 0 });
    expect(result.reviews).toBe(1);

    // Saved: the valid school and the note.
    const schools = await testStore().schools.load(campaign.id);
    expect(schools.get("T-TH9")?.emails).toEqual(["th9@test.example"]);
    expect([...schools.keys()].sort()).toEqual(["T-CS1", "T-MN1", "T-TH1", "T-TH9"]);
    const states = await testStore().states.load(campaign.id);
    expect(states.get("T-CS1")?.inputs.review).toEqual({ note: "Chưa có sổ trực bảo vệ" });

    // Refused: each bad row stays as typed, with its reason in the check column.
    const check = new Map(table(id, REGISTRY).map((r) => [r["Mã trường"], String(r["Kiểm tra dữ liệu"])]));
    expect(check.get("..")).toBe(
      "Chưa dùng được dòng này. Mã trường: mã trường phải có ít nhất một chữ hoặc số",
    );
    expect(check.get("__x__")).toContain("hai dấu gạch dưới (__)");
    expect(check.get("T-TH9")).toBe("Hợp lệ");
    expect(table(id, REGISTRY).find((r) => r["Mã trường"] === "..")?.["Tên trường"]).toBe(
      "Trường Tiểu học Hai Chấm",
    );
    // The new school has its tracking row; the refused ones have none.
    const codes = table(id, TRACKING).map((r) => r["Mã trường"]);
    expect(codes).toContain("T-TH9");
    expect(codes).not.toContain("..");
    expect(codes).not.toContain("__x__");
    expect(table(id, "Nhật ký").some((r) => String(r["Nội dung"]).includes("Thêm trường mới"))).toBe(true);

    // The next cycle changes nothing more and keeps the refusals where they are.
    const again = await sync();
    expect(again.registry).toEqual({ added: 0, updated: 0, refused: 2, removed: 0 });
    expect(again.reviews).toBe(0);
    expect((await testStore().states.load(campaign.id)).get("T-CS1")?.inputs.review?.note).toBe(
      "Chưa có sổ trực bảo vệ",
    );
  });
});
