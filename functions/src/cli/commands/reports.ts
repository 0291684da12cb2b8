import { type DeliverAllRun, DeliveryIncomplete, deliverAll } from "../../app/deliver.js";
import { renderSchoolReports } from "../../app/documents.js";
import { renderOfficeDocuments } from "../../app/office-documents.js";
import { sendOfficeReport } from "../../app/office-report.js";
import { sendSchoolMail } from "../../app/school-mail.js";
import { currentWorkbook } from "../../app/workbook.js";
import { FORM_LABELS, layoutOf } from "../../domain/campaign.js";
import type { MailOutcome } from "../../domain/mail.js";
import { InputError } from "../../errors.js";
import { checkChromium } from "../../infra/render/pdf.js";
import { configFor, type Env, withDeps } from "../context.js";
import type { CliIo } from "../io.js";

export interface ReportOptions {
  campaign: string;
  all?: boolean;
  summary?: boolean;
  /** The office's plan to the schools (Kế hoạch triển khai). */
  plan?: boolean;
  decision?: boolean;
  number?: string;
  out: string;
}

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
    throw new InputError(`--number "${text}": cần một số nguyên dương (số văn bản đã đăng ký).`);
  return number;
};

/** The configuration of a command that renders: Chromium is checked now, with what to do, not once per school. */
const renderingConfig = (env: Env, role: "cli" | "deliver" = "cli") => {
  const config = configFor(env, role);
  checkChromium(config.chromiumPath);
  return config;
};

const OFFICE_DOCUMENTS: Record<string, string> = {
  "ke-hoach": "Kế hoạch triển khai",
  "bao-cao": "Báo cáo",
  "to-trinh": "Tờ trình",
  "quyet-dinh": "Quyết định (dự thảo)",
};

/** `dienhinh report [SCHOOL] [--all] [--plan] [--summary] [--decision]`: render the official PDFs. */
export const reportCommand = async (
  school: string | undefined,
  options: ReportOptions,
  io: CliIo,
  env: Env,
) => {
  const number = parseNumber(options.number);
  await withDeps(renderingConfig(env), { outDir: options.out }, async (deps) => {
    // Dates print in the campaign's own time zone (its sheet layout's).
    const campaign = await deps.store.campaigns.get(options.campaign);
    const reports = await deps.reports(layoutOf(campaign, deps.layout).timeZone);
    const office = [
      ...(options.plan ? (["ke-hoach"] as const) : []),
      ...(options.summary ? (["bao-cao"] as const) : []),
      ...(options.decision ? (["to-trinh", "quyet-dinh"] as const) : []),
    ];
    if (school || options.all || office.length === 0) {
      const run = await renderSchoolReports(reports, campaign.id, {
        ...(school ? { codes: [school] } : {}),
        ...(options.all ? { all: true } : {}),
      });
      if (school && run.schools === 0)
        throw new InputError(
          `Trường "${school}" chưa có dữ liệu trong đợt ${campaign.id} (mã trường đúng chưa?).`,
        );
      io.out(
        `Báo cáo từng trường: ${run.schools} trường · tạo mới ${run.rendered} PDF, dùng lại ${run.reused} · lỗi ${run.failed.length} · ${reports.files.describe}`,
      );
      for (const f of run.failed) io.err(`  ! ${f.code}: ${f.error}`);
    }
    if (office.length === 0) return;
    const docs = await renderOfficeDocuments(
      reports,
      campaign.id,
      office,
      number === undefined ? {} : { number },
    );
    for (const doc of docs)
      io.out(`${OFFICE_DOCUMENTS[doc.kind]}: ${doc.url}${doc.rendered ? "" : " (không đổi)"}`);
    if (options.decision && !docs.some((d) => d.kind === "quyet-dinh"))
      io.out(
        campaign.office.authority
          ? "Tờ trình, Quyết định: chưa có trường nào đạt qua kiểm tra mà chưa được công nhận, nên chưa có gì để đề nghị."
          : "Tờ trình, Quyết định: hồ sơ đơn vị chưa có cấp có thẩm quyền công nhận (authority); thêm vào tệp hồ sơ đơn vị rồi chạy dienhinh setup --office TỆP.",
      );
  });
};

export interface SendOptions {
  campaign: string;
  dryRun?: boolean;
  summary?: boolean;
  number?: string;
  /** Every message left unknown, or those to the addresses or school codes named. */
  resendUnknown?: boolean | string[];
  out: string;
}

/** `dienhinh send [--dry-run]`: render what is pending, then email each school, exactly once. */
export const sendCommand = async (options: SendOptions, io: CliIo, env: Env) => {
  const number = options.summary ? parseNumber(options.number) : undefined;
  await withDeps(renderingConfig(env), { outDir: options.out }, async (deps) => {
    const campaign = await deps.store.campaigns.get(options.campaign);
    const layout = layoutOf(campaign, deps.layout);
    const release = options.resendUnknown ?? false;
    if (Array.isArray(release)) {
      const schools = await deps.schools(campaign.id);
      const strangers = release.filter((r) => !r.includes("@") && !schools.has(r.trim()));
      if (strangers.length)
        throw new InputError(
          `--resend-unknown: không có trường mã ${strangers.join(", ")} trong đợt ${campaign.id} (nêu địa chỉ thư, hoặc mã trường).`,
        );
    }
    const sending = await deps.sending(layout.timeZone, release === false ? {} : { resendUnknown: release });
    if (options.summary) {
      const { documents, outcome } = await sendOfficeReport(
        sending,
        campaign.id,
        async () => deps.xlsx(await currentWorkbook(deps.store, campaign.id, layout, { now: deps.clock() })),
        { ...(number === undefined ? {} : { number }), ...(options.dryRun ? { dryRun: true } : {}) },
      );
      const files = documents.length ? ` (${documents.map((d) => d.url).join(", ")})` : "";
      return void io.out(
        `Báo cáo tổng hợp${files} · ${sending.transport.describe}: ${OUTCOME_LABELS[outcome]}`,
      );
    }
    if (!options.dryRun) await renderSchoolReports(sending, campaign.id);
    const run = await sendSchoolMail(sending, campaign.id, options.dryRun ? { dryRun: true } : {});
    const count = (outcome: string) => run.messages.filter((m) => m.outcome === outcome).length;
    for (const f of run.failedSchools) io.err(`  ! ${f.code}: ${f.error}`);
    io.out(
      options.dryRun
        ? `Sẽ gửi ${run.messages.length} thư (${sending.transport.describe}).`
        : `Thư: gửi ${count("sent")}, đã gửi trước đó ${count("already-sent")}, hoãn ${count("deferred") + count("retry-later")}, lỗi ${count("failed")} · ${sending.transport.describe}`,
    );
    for (const m of run.messages.filter((x) => x.outcome !== "already-sent"))
      io.out(`  ${m.school} → ${m.to}: ${OUTCOME_LABELS[m.outcome]}`);
  });
};

export interface DeliverOptions {
  campaign?: string;
  allCampaigns?: boolean;
  daily?: boolean;
  out: string;
}

/**
 * `dienhinh deliver`: what the scheduled Cloud Run job runs. For one campaign or every one: the
 * office's input from the sheet, pending reports, pending mail (exactly once), links back.
 */
export const deliverCommand = async (options: DeliverOptions, io: CliIo, env: Env) => {
  if (!options.campaign && !options.allCampaigns)
    throw new InputError("Cần --campaign ID hoặc --all-campaigns / needs --campaign ID or --all-campaigns.");
  // The job's log is Cloud Logging's: JSON lines with a severity, like the functions'.
  const build = { outDir: options.out, logTo: (line: string) => io.err(line) };
  const runs = await withDeps(renderingConfig(env, "deliver"), build, async (deps) =>
    deliverAll(
      { ...(await deps.sending(deps.layout.timeZone)), sheets: deps.sheets, forms: deps.forms },
      {
        ...(options.campaign ? { campaignId: options.campaign } : {}),
        daily: options.daily ?? false,
        timeZoneOf: (campaign) => layoutOf(campaign, deps.layout).timeZone,
        onRun: (run) => printDelivery(run, io),
      },
    ),
  );
  if (runs.length === 0) io.out("Chưa có đợt đánh giá nào / no campaign yet.");
  const failures = runs.filter((r) => "failed" in r).map((r) => r.campaign);
  if (failures.length > 0) throw new DeliveryIncomplete(failures);
};

/** One campaign's delivery, as the job's output says it. */
const printDelivery = (run: DeliverAllRun, io: CliIo) => {
  if ("failed" in run)
    return void io.err(`${run.campaign}: lỗi, không gửi gì lần này / failed, nothing sent: ${run.failed}`);
  if (!run.delivered) return void io.out(`${run.campaign}: để lần sau (${run.reason})`);
  const sent = run.mail.messages.filter((m) => m.outcome === "sent").length;
  const failed = [...run.reports.failed, ...run.mail.failedSchools];
  const schools = new Set(failed.map((f) => f.code)).size;
  const alerts = run.incidents.filter((a) => a.outcome === "sent").length;
  io.out(
    `${run.campaign}: ${run.reports.rendered} PDF mới, ${sent} thư đã gửi` +
      (alerts ? ` · ${alerts} báo cáo vụ việc đã báo lãnh đạo phòng` : "") +
      (schools ? ` · lỗi ở ${schools} trường (sẽ thử lại lần sau)` : ""),
  );
  for (const f of failed) io.err(`  ! ${f.code}: ${f.error}`);
  for (const f of run.forms) {
    if (f.error) io.err(`  ! ${f.message}: ${f.error}`);
    else io.out(`  ${f.message}`);
  }
  for (const l of run.schoolLists) {
    const form = FORM_LABELS[l.form];
    if (l.error) io.err(`  ! Chưa cập nhật được danh sách trường trên biểu mẫu ${form}: ${l.error}`);
    else io.out(`  Danh sách trường trên biểu mẫu ${form}: thêm ${l.added.length}, bỏ ${l.removed.length}`);
  }
  if (run.chase) {
    const { reminders, digest } = run.chase;
    io.out(
      `${run.campaign}: ${reminders.length} thư nhắc hạn · ${digest.overdue.length} trường quá hạn · thư tổng hợp: ` +
        (digest.outcome === "sent"
          ? "đã gửi phòng"
          : digest.outcome === "already-sent"
            ? "đã gửi trong ngày"
            : digest.outcome === "deferred"
              ? "để ngày mai (đã hết hạn mức thư trong ngày)"
              : digest.due
                ? "chưa gửi được, lần sau thử lại"
                : "không có thay đổi"),
    );
  }
};
