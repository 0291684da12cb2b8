import type { SchoolListChange } from "../../app/form-sync.js";
import type { SheetSyncResult } from "../../app/sheet-cycle.js";
import { syncCampaign } from "../../app/sync.js";
import { currentWorkbook } from "../../app/workbook.js";
import { loadSheetLayout } from "../../data/sheet-layout-file.js";
import { FORM_LABELS } from "../../domain/campaign.js";
import { InputError } from "../../errors.js";
import { writeWorkbookFile } from "../../infra/xlsx-workbook.js";
import { configFor, type Env, layoutFor, withDeps } from "../context.js";
import type { CliIo } from "../io.js";

export interface SyncOptions {
  campaign: string;
  xlsx?: string;
  layout?: string;
  repair?: boolean;
  json?: boolean;
}

/** One line on what a sheet cycle did, in Vietnamese. */
export const describeSync = (r: SheetSyncResult): string =>
  r.skipped
    ? `Bảng theo dõi đang được cập nhật bởi một tiến trình khác; lần này bỏ qua (${r.where}).`
    : `Bảng theo dõi ${r.where}: ${r.changedRows} dòng cập nhật trong ${r.writes} lần ghi` +
      (r.rebuilt.length ? `; dựng lại trang: ${r.rebuilt.join(", ")}` : "") +
      `; nhận từ bảng: ${r.reviews} ghi chú, ${r.inspections} trường có lịch hoặc kết quả kiểm tra mới, ` +
      `${r.recognised} trường được công nhận, ${r.registry.added} trường mới, ${r.registry.updated} trường sửa` +
      (r.registry.removed ? `, ${r.registry.removed} trường bỏ khỏi danh sách` : "") +
      (r.registry.refused ? `, ${r.registry.refused} dòng lỗi (xem cột Kiểm tra dữ liệu)` : "");

/** `dienhinh sync`: new responses, then one cycle of the Google Sheet or (--xlsx) the office's Excel file. */
export const syncCommand = async (options: SyncOptions, io: CliIo, env: Env) => {
  const config = configFor(env);
  // The Google Sheet's layout is the campaign's (setup --layout): another one here would be undone
  // by the functions' next cycle. An Excel file the office keeps is the office's to lay out.
  if (options.layout && !options.xlsx)
    throw new InputError(
      "--layout chỉ dùng với --xlsx; đổi bố cục Google Sheet của đợt bằng dienhinh setup --layout TỆP.",
    );
  if (options.layout) await loadSheetLayout(options.layout); // a broken file fails before anything
  const result = await withDeps(config, {}, async (deps) => {
    const campaign = await deps.store.campaigns.get(options.campaign);
    const layout = await layoutFor(deps, campaign, options.layout);
    if (!options.xlsx && !campaign.spreadsheetId)
      throw new InputError(
        `Đợt ${campaign.id} chưa có Google Sheet: chạy dienhinh setup (có Google), hoặc dùng --xlsx TỆP để theo dõi bằng tệp Excel.`,
      );
    const target = options.xlsx
      ? deps.xlsxTarget(options.xlsx, layout.timeZone)
      : deps.sheets.target(campaign.spreadsheetId as string);
    return syncCampaign(deps, campaign, layout, target, { repair: options.repair ?? false });
  });
  if (options.json) return void io.out(JSON.stringify(result, null, 2));
  for (const p of result.pulled) io.out(`${FORM_LABELS[p.stage]}: ${p.pulled} câu trả lời mới lấy về`);
  io.out(describeSync(result.sheet));
  for (const c of result.schoolLists) io.out(describeSchoolList(c));
};

/** "Danh sách trường trên biểu mẫu Đăng ký: thêm 1, bỏ 0" (or why it was not changed). */
const describeSchoolList = (c: SchoolListChange): string =>
  c.error
    ? `Chưa cập nhật được danh sách trường trên biểu mẫu ${FORM_LABELS[c.form]}: ${c.error}`
    : `Danh sách trường trên biểu mẫu ${FORM_LABELS[c.form]}: thêm ${c.added.length}, bỏ ${c.removed.length}`;

export interface ExportOptions {
  campaign: string;
  xlsx: string;
  layout?: string;
}

/** `dienhinh export --xlsx FILE`: the tracking workbook as the store has it, as an .xlsx file. */
export const exportCommand = async (options: ExportOptions, io: CliIo, env: Env) => {
  if (options.layout) await loadSheetLayout(options.layout);
  const model = await withDeps(configFor(env), {}, async (deps) => {
    const layout = await layoutFor(deps, await deps.store.campaigns.get(options.campaign), options.layout);
    return currentWorkbook(deps.store, options.campaign, layout, { now: deps.clock() });
  });
  await writeWorkbookFile(model, options.xlsx);
  io.out(`Đã ghi ${options.xlsx} (${model.tabs.map((t) => t.title).join(", ")}).`);
};
