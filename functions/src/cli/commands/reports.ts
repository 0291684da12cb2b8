import { type DeliverRun, deliverCampaign } from "../../app/deliver.js";
import { jsonLogger } from "../../app/deps.js";
import type { MailOutcome } from "../../app/mail.js";
import {
  type ReportDeps,
  renderOfficeDocuments,
  renderSchoolReports,
  sendOfficeReport,
  sendSchoolMail,
} from "../../app/reports.js";
import { currentWorkbook } from "../../app/sheet-sync.js";
import { type Role, sheetPacing } from "../../config.js";
import { loadSheetLayout } from "../../data/sheet-layout-file.js";
import { layoutOf } from "../../domain/campaign.js";
import { CampaignNotFound, listCampaigns, loadCampaign } from "../../infra/campaign-store.js";
import { mailTransportFor, reportStoreFor } from "../../infra/delivery.js";
import { chromiumPath, PdfRenderer } from "../../infra/pdf-renderer.js";
import { sheetsGatewayFor } from "../../infra/sheets-api.js";
import { loadTemplates } from "../../infra/templates.js";
import { workbookToXlsx } from "../../infra/xlsx-workbook.js";
import { cliDeps, openStore, parseCliEnv } from "../context.js";
import { UserError } from "../errors.js";
import type { CliIo } from "../io.js";

export interface ReportOptions {
  campaign: string;
  all?: boolean;
  summary?: boolean;
  decision?: boolean;
  number?: string;
  out: string;
}

/** Everything the report and send commands need, closed together. */
const openReports = async (env: Record<string, string | undefined>, out: string, role: Role = "cli") => {
  const config = parseCliEnv(env, role);
  try {
    chromiumPath(); // now, with what to do, rather than once per school
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  const [templates, layout] = await Promise.all([loadTemplates(), loadSheetLayout()]);
  const store = await openStore(config);
  const renderer = new PdfRenderer();
  const deps: ReportDeps = {
    ...cliDeps(store.db),
    renderer,
    templates,
    store: reportStoreFor(config, out),
    timeZone: layout.timeZone,
  };
  return {
    config,
    deps,
    /** The deployment's sheet layout: a campaign without its own uses it. */
    layout,
    close: async () => {
      await renderer.close();
      await store.close();
    },
  };
};

/** What became of a message, as the office reads it. */
const OUTCOME_LABELS: Record<MailOutcome | "would-send", string> = {
  sent: "đã gửi",
  "already-sent": "đã gửi trước đó",
  "in-flight": "đang được gửi ở nơi khác",
  deferred: "hoãn (đã hết hạn mức trong ngày)",
  failed: "lỗi, không gửi được (xem Nhật ký)",
  "retry-later": "tạm lỗi, sẽ gửi lại sau",
  unknown: "không rõ đã gửi chưa (xem Nhật ký)",
  "would-send": "sẽ gửi",
};

const parseNumber = (text: string | undefined): number | undefined => {
  const number = text === undefined ? undefined : Number(text);
  if (number !== undefined && !(Number.isInteger(number) && number > 0))
    throw new UserError(`--number "${text}": cần một số nguyên dương (số văn bản đã đăng ký).`);
  return number;
};

const campaignMissing = (error: Error): never => {
  throw error instanceof CampaignNotFound ? new UserError(error.message) : error;
};

const checkCampaign = (deps: ReportDeps, id: string) => loadCampaign(deps.db, id).catch(campaignMissing);

/** `dienhinh report [SCHOOL] [--all] [--summary] [--decision]`: render the official PDFs. */
export const reportCommand = async (
  school: string | undefined,
  options: ReportOptions,
  io: CliIo,
  env: Record<string, string | undefined>,
) => {
  const number = parseNumber(options.number);
  const { deps, layout, close } = await openReports(env, options.out);
  try {
    // Dates print in the campaign's own time zone (its sheet layout's).
    deps.timeZone = layoutOf(await checkCampaign(deps, options.campaign), layout).timeZone;
    const office = [
      ...(options.summary ? (["bao-cao"] as const) : []),
      ...(options.decision ? (["quyet-dinh"] as const) : []),
    ];
    if (school || options.all || office.length === 0) {
      const run = await renderSchoolReports(deps, options.campaign, {
        ...(school ? { codes: [school] } : {}),
        ...(options.all ? { all: true } : {}),
      });
      if (school && run.schools === 0)
        throw new UserError(
          `Trường "${school}" chưa có dữ liệu trong đợt ${options.campaign} (mã trường đúng chưa?).`,
        );
      io.out(
        `Báo cáo từng trường: ${run.schools} trường · tạo mới ${run.rendered} PDF, dùng lại ${run.reused} · lỗi ${run.failed.length} · ${deps.store.describe}`,
      );
      for (const f of run.failed) io.err(`  ! ${f.code}: ${f.error}`);
    }
    if (office.length > 0) {
      for (const doc of await renderOfficeDocuments(
        deps,
        options.campaign,
        office,
        number === undefined ? {} : { number },
      ))
        io.out(
          `${doc.kind === "bao-cao" ? "Báo cáo" : "Quyết định"}: ${doc.url}${doc.rendered ? "" : " (không đổi)"}`,
        );
    }
  } finally {
    await close();
  }
};

export interface SendOptions {
  campaign: string;
  dryRun?: boolean;
  summary?: boolean;
  number?: string;
  resendUnknown?: boolean;
  out: string;
}

/** `dienhinh send [--dry-run]`: render what is pending, then email each school, exactly once. */
export const sendCommand = async (
  options: SendOptions,
  io: CliIo,
  env: Record<string, string | undefined>,
) => {
  const { config, deps, layout, close } = await openReports(env, options.out);
  try {
    const campaign = await checkCampaign(deps, options.campaign);
    const campaignLayout = layoutOf(campaign, layout);
    deps.timeZone = campaignLayout.timeZone;
    const transport = mailTransportFor(config, options.out);
    if (options.summary) {
      const number = parseNumber(options.number);
      const { documents, outcome } = await sendOfficeReport(
        { ...deps, transport, dailyLimit: config.DIENHINH_MAIL_DAILY_LIMIT },
        options.campaign,
        async () => workbookToXlsx(await currentWorkbook(deps.db, options.campaign, campaignLayout)),
        { ...(number === undefined ? {} : { number }), ...(options.dryRun ? { dryRun: true } : {}) },
      );
      io.out(
        `Báo cáo tổng hợp${documents.length ? ` (${documents.map((d) => d.url).join(", ")})` : ""} · ${transport.describe}: ${OUTCOME_LABELS[outcome]}`,
      );
      return;
    }
    if (!options.dryRun) await renderSchoolReports(deps, options.campaign);
    const run = await sendSchoolMail(
      {
        ...deps,
        transport,
        dailyLimit: config.DIENHINH_MAIL_DAILY_LIMIT,
        ...(options.resendUnknown ? { resendUnknown: true } : {}),
      },
      options.campaign,
      options.dryRun ? { dryRun: true } : {},
    );
    const count = (outcome: string) => run.messages.filter((m) => m.outcome === outcome).length;
    for (const f of run.failedSchools) io.err(`  ! ${f.code}: ${f.error}`);
    io.out(
      options.dryRun
        ? `Sẽ gửi ${run.messages.length} thư (${transport.describe}).`
        : `Thư: gửi ${count("sent")}, đã gửi trước đó ${count("already-sent")}, hoãn ${count("deferred") + count("retry-later")}, lỗi ${count("failed")} · ${transport.describe}`,
    );
    for (const m of run.messages.filter((x) => x.outcome !== "already-sent"))
      io.out(`  ${m.school} → ${m.to}: ${OUTCOME_LABELS[m.outcome]}`);
  } finally {
    await close();
  }
};

export interface DeliverOptions {
  campaign?: string;
  allCampaigns?: boolean;
  out: string;
}

/**
 * `dienhinh deliver`: what the scheduled Cloud Run job runs. For one campaign or every one: the
 * office's verdicts from the sheet, pending reports, pending mail (exactly once), links back.
 */
export const deliverCommand = async (
  options: DeliverOptions,
  io: CliIo,
  env: Record<string, string | undefined>,
) => {
  if (!options.campaign && !options.allCampaigns)
    throw new UserError("Cần --campaign ID hoặc --all-campaigns / needs --campaign ID or --all-campaigns.");
  const { config, deps, layout, close } = await openReports(env, options.out, "deliver");
  // The job's log is Cloud Logging's: JSON lines with a severity, like the functions'.
  const log = jsonLogger((line) => io.err(line));
  try {
    const transport = mailTransportFor(config, options.out);
    const sheets = {
      gateway: sheetsGatewayFor(config.DIENHINH_GOOGLE_ROOT_URL),
      layout,
      ...sheetPacing(config),
    };
    const campaigns = options.campaign
      ? [await loadCampaign(deps.db, options.campaign).catch(campaignMissing)]
      : await listCampaigns(deps.db);
    const failures: string[] = [];
    for (const campaign of campaigns) {
      let run: DeliverRun;
      try {
        run = await deliverCampaign(
          {
            ...deps,
            log,
            timeZone: layoutOf(campaign, layout).timeZone,
            transport,
            dailyLimit: config.DIENHINH_MAIL_DAILY_LIMIT,
            sheets,
          },
          campaign,
        );
      } catch (error) {
        // Credentials or quota of the mail: every campaign would fail the same way.
        if ((error as Error).name === "MailSystemError") throw error;
        failures.push(campaign.id);
        io.err(
          `${campaign.id}: lỗi, không gửi gì lần này / failed, nothing sent: ${(error as Error).message}`,
        );
        continue;
      }
      if (!run.delivered) {
        io.out(`${campaign.id}: để lần sau (${run.reason})`);
        continue;
      }
      const sent = run.mail.messages.filter((m) => m.outcome === "sent").length;
      const failed = [...run.reports.failed, ...run.mail.failedSchools];
      const schools = new Set(failed.map((f) => f.code)).size;
      io.out(
        `${campaign.id}: ${run.reports.rendered} PDF mới, ${sent} thư đã gửi` +
          (schools ? ` · lỗi ở ${schools} trường (sẽ thử lại lần sau)` : ""),
      );
      for (const f of failed) io.err(`  ! ${f.code}: ${f.error}`);
    }
    if (campaigns.length === 0) io.out("Chưa có đợt đánh giá nào / no campaign yet.");
    if (failures.length > 0) throw new Error(`Không gửi được cho đợt: ${failures.join(", ")}.`);
  } finally {
    await close();
  }
};
