import { reconcileCampaign } from "../../app/intake.js";
import { currentWorkbook, type SheetSyncResult, syncSheet } from "../../app/sheet-sync.js";
import { sheetPacing } from "../../config.js";
import { loadSheetLayout } from "../../data/sheet-layout-file.js";
import { isLocalForm } from "../../domain/campaign.js";
import { STAGE_LABELS } from "../../domain/criteria.js";
import { CampaignNotFound, loadCampaign } from "../../infra/campaign-store.js";
import { googleSheetTarget, type SheetTarget, xlsxTarget } from "../../infra/sheet-target.js";
import { sheetsGatewayFor } from "../../infra/sheets-api.js";
import { writeWorkbookFile } from "../../infra/xlsx-workbook.js";
import { cliDeps, formsGateway, layoutFor, openStore, parseCliEnv } from "../context.js";
import { UserError } from "../errors.js";
import type { CliIo } from "../io.js";

export interface SyncOptions {
  campaign: string;
  xlsx?: string;
  layout?: string;
  repair?: boolean;
  json?: boolean;
}

const campaignOrFail = async (db: Parameters<typeof loadCampaign>[0], id: string) =>
  loadCampaign(db, id).catch((error: Error) => {
    throw error instanceof CampaignNotFound ? new UserError(error.message) : error;
  });

/** One line on what a sheet cycle did, in Vietnamese. */
export const describeSync = (r: SheetSyncResult): string =>
  r.skipped
    ? `Bảng theo dõi đang được cập nhật bởi một tiến trình khác; lần này bỏ qua (${r.where}).`
    : `Bảng theo dõi ${r.where}: ${r.changedRows} dòng cập nhật trong ${r.writes} lần ghi` +
      (r.rebuilt.length ? `; dựng lại trang: ${r.rebuilt.join(", ")}` : "") +
      `; nhận từ bảng: ${r.reviews} kết quả kiểm tra, ${r.registry.added} trường mới, ${r.registry.updated} trường sửa` +
      (r.registry.refused ? `, ${r.registry.refused} dòng lỗi (xem cột Kiểm tra dữ liệu)` : "");

/**
 * `dienhinh sync`: pull new responses from the campaign's Google Forms (when it has real forms),
 * then run one cycle of the tracking sheet: the Google Sheet, or with --xlsx a workbook file
 * that the office edits in Excel (its verdicts, notes and registry rows are taken back).
 */
export const syncCommand = async (
  options: SyncOptions,
  io: CliIo,
  env: Record<string, string | undefined>,
) => {
  const cliEnv = parseCliEnv(env);
  // The Google Sheet's layout is the campaign's (setup --layout): another one here would be undone
  // by the functions' next cycle. An Excel file the office keeps is the office's to lay out.
  if (options.layout && !options.xlsx)
    throw new UserError(
      "--layout chỉ dùng với --xlsx; đổi bố cục Google Sheet của đợt bằng dienhinh setup --layout TỆP.",
    );
  if (options.layout) await loadSheetLayout(options.layout); // a broken file fails before anything
  const store = await openStore(cliEnv);
  try {
    const campaign = await campaignOrFail(store.db, options.campaign);
    const layout = await layoutFor(campaign, options.layout);
    const remoteForms = Object.values(campaign.forms).some((f) => !isLocalForm(f.formId));
    const deps = cliDeps(store.db, remoteForms ? formsGateway(cliEnv) : undefined);
    const pulled = remoteForms ? await reconcileCampaign(deps, campaign, undefined) : [];
    let target: SheetTarget;
    if (options.xlsx) target = xlsxTarget(options.xlsx, layout.timeZone);
    else if (campaign.spreadsheetId)
      target = googleSheetTarget(
        sheetsGatewayFor(cliEnv.DIENHINH_GOOGLE_ROOT_URL),
        campaign.spreadsheetId,
        sheetPacing(cliEnv),
      );
    else
      throw new UserError(
        `Đợt ${campaign.id} chưa có Google Sheet: chạy dienhinh setup (có Google), hoặc dùng --xlsx TỆP để theo dõi bằng tệp Excel.`,
      );
    const result = await syncSheet(deps, campaign.id, layout, target, { repair: options.repair ?? false });
    if (options.json) {
      io.out(JSON.stringify({ pulled, sheet: result }, null, 2));
      return;
    }
    for (const p of pulled) io.out(`${STAGE_LABELS[p.stage]}: ${p.pulled} câu trả lời mới lấy về`);
    io.out(describeSync(result));
  } finally {
    await store.close();
  }
};

export interface ExportOptions {
  campaign: string;
  xlsx: string;
  layout?: string;
}

/** `dienhinh export --xlsx FILE`: the tracking workbook as Firestore has it, as an .xlsx file. */
export const exportCommand = async (
  options: ExportOptions,
  io: CliIo,
  env: Record<string, string | undefined>,
) => {
  if (options.layout) await loadSheetLayout(options.layout);
  const store = await openStore(parseCliEnv(env));
  try {
    const layout = await layoutFor(await campaignOrFail(store.db, options.campaign), options.layout);
    const model = await currentWorkbook(store.db, options.campaign, layout);
    await writeWorkbookFile(model, options.xlsx);
    io.out(`Đã ghi ${options.xlsx} (${model.tabs.map((t) => t.title).join(", ")}).`);
  } finally {
    await store.close();
  }
};
