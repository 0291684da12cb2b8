import { readFileSync } from "node:fs";
import { Command, CommanderError, Help, type Option } from "commander";
import { debugOf } from "../config.js";
import { DienhinhError, InputError, logCause } from "../errors.js";
import { GoogleAccessError } from "../infra/google/errors.js";
import { accessAdvice } from "./access-advice.js";
import { emulatorCommand, importCommand, setupCommand } from "./commands/campaign.js";
import { checkCommand } from "./commands/check.js";
import { criteriaCommand } from "./commands/criteria.js";
import { formCommand } from "./commands/form.js";
import { initCommand } from "./commands/init.js";
import { onboardCommand } from "./commands/onboard.js";
import { pushSecretCommand } from "./commands/push-secret.js";
import { deliverCommand, reportCommand, sendCommand } from "./commands/reports.js";
import { runCommand } from "./commands/run.js";
import { rescoreCommand, scoreCommand } from "./commands/score.js";
import { serveCommand } from "./commands/serve.js";
import { exportCommand, syncCommand } from "./commands/sheet.js";
import { statusLinkCommand } from "./commands/status-link.js";
import type { Env } from "./context.js";
import type { CliIo } from "./io.js";
import { option } from "./options.js";
import { helpTitle, translateParserError } from "./parser-messages.js";

/** Exit codes: 0 done, 1 an unexpected failure, 2 bad input the user can fix. */
export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;

/** The office's own files: starter files to edit, and their check together. */
const officeFileCommands = (program: Command, io: CliIo): void => {
  program
    .command("init")
    .description(
      "Viết các tệp khởi đầu của phòng để sửa: hồ sơ phòng, danh sách trường, bộ tiêu chí / " +
        "write the office's starter files to edit: profile, registry, criteria",
    )
    .option("--dir <dir>", "thư mục ghi tệp / folder to write them in", ".")
    .action((options) => initCommand(options, io));

  program
    .command("check")
    .description(
      "Kiểm tra cùng lúc hồ sơ phòng, danh sách trường (.csv hoặc .xlsx) và bộ tiêu chí trước khi tạo đợt / " +
        "check the office profile, the registry (.csv or .xlsx) and the criteria together",
    )
    .addOption(option.office())
    .addOption(option.registry())
    .addOption(option.criteria())
    .action((options) => checkCommand(options, io));
};

/** The commands that work on this computer alone: the whole job, the criteria, scoring, the form. */
const localCommands = (program: Command, io: CliIo, env: Env): void => {
  program
    .command("run")
    .description(
      "Chạy toàn bộ công việc, trên dữ liệu mẫu hoặc tệp của phòng, ra thư mục out/ / " +
        "run the whole job, on the sample data or the office's own files, into out/",
    )
    .addOption(option.campaign())
    .addOption(option.registry())
    .addOption(option.criteria())
    .addOption(option.office())
    .addOption(option.calendar())
    .addOption(option.today())
    .addOption(option.schoolYear("năm học của đợt / the campaign's school year (mặc định: của dữ liệu mẫu)"))
    .addOption(option.layout())
    .addOption(option.out())
    .option(
      "--responses <file>",
      "câu trả lời hồ sơ (JSON của Forms API hoặc CSV tải từ Biểu mẫu) / dossier responses (Forms API JSON or CSV export)",
    )
    .option("--registration-responses <file>", "câu trả lời đăng ký / registration responses (JSON or CSV)")
    .option(
      "--inspections <files...>",
      "lịch, kết quả kiểm tra và quyết định công nhận (.xlsx như bảng theo dõi, hoặc CSV của từng bảng) / " +
        "the office's inspection plan, findings and decisions (.xlsx like the workbook, or a CSV per table)",
    )
    .option("--schools", "in kết quả từng trường / print every school's result")
    .option(
      "--sample",
      "chạy thử trên danh sách trường của phòng với câu trả lời mẫu, mọi văn bản ghi là dữ liệu mẫu / " +
        "a trial on the office's registry with sample answers, every output marked as sample data",
    )
    .addOption(option.json())
    .action((options) => runCommand(options, io, env));

  program
    .command("criteria")
    .description("In bộ tiêu chí đang dùng / print the active criteria set")
    .addOption(option.criteria())
    .addOption(option.json())
    .action((options) => criteriaCommand(options, io));

  program
    .command("score")
    .description(
      "Chấm điểm bài nộp trong tệp JSON, hoặc chấm lại một đợt (--campaign) sau khi đổi tiêu chí / " +
        "score a submissions file, or re-score a campaign after a criteria change",
    )
    .argument("[file]", "tệp bài nộp / submissions file (JSON)")
    .addOption(option.registry())
    .addOption(option.criteria())
    .addOption(option.campaign(null))
    .addOption(option.json())
    .action((file, options) => {
      if (options.campaign) return rescoreCommand(options, io, env);
      if (!file) throw new InputError("Cần tệp bài nộp (score FILE) hoặc --campaign ID để chấm lại một đợt.");
      return scoreCommand(file, options, io);
    });

  program
    .command("form")
    .description("In biểu mẫu Google sẽ tạo cho một giai đoạn / print the Google Form for a stage")
    .addOption(option.stage().default("dossier"))
    .addOption(option.registry())
    .addOption(option.criteria())
    .addOption(option.office())
    .addOption(option.schoolYear("năm học / school year (mặc định: của dữ liệu mẫu / the sample's)"))
    .option("--json", "xuất Form của Forms API (JSON) / print the Forms API Form")
    .action((options) => formCommand(options, io));
};

/** A campaign in Firestore: set up, synced with its sheet or workbook, exported, back-filled. */
const campaignCommands = (program: Command, io: CliIo, env: Env): void => {
  program
    .command("setup")
    .description(
      "Tạo hoặc sửa đợt đánh giá, biểu mẫu và theo dõi / create or repair a campaign, its forms and watches",
    )
    .addOption(option.campaign())
    .addOption(
      option.schoolYear(
        "năm học của đợt, bắt buộc khi tạo đợt mới / the school year, required for a new campaign",
      ),
    )
    .addOption(option.registry())
    .addOption(option.criteria())
    .addOption(option.office())
    .addOption(option.calendar())
    .option(
      "--adopt-registration <formId>",
      "dùng biểu mẫu đăng ký có sẵn / adopt an existing registration form",
    )
    .option("--adopt-dossier <formId>", "dùng biểu mẫu hồ sơ có sẵn / adopt an existing dossier form")
    .option("--topic <projects/P/topics/T>", "chủ đề Pub/Sub nhận thông báo / Pub/Sub topic for form watches")
    .option("--local", "không dùng Google (Forms, Sheets) / without Google APIs")
    .option("--no-sheet", "không tạo Google Sheet theo dõi / without the tracking Google Sheet")
    .addOption(option.layout())
    .option("--share <emails>", "chia sẻ bảng theo dõi với / share the sheet with (comma-separated)")
    .option(
      "--sample",
      "đợt chạy thử: dùng hồ sơ phòng và danh sách trường mẫu cho tệp không nêu / a trial campaign: the sample office and registry for the files not given",
    )
    .action((options) => setupCommand(options, io, env));

  program
    .command("sync")
    .description(
      "Lấy câu trả lời mới và cập nhật bảng theo dõi (hai chiều) / pull new responses and sync the tracking sheet both ways",
    )
    .addOption(option.campaign())
    .option(
      "--xlsx <file>",
      "theo dõi bằng tệp Excel thay cho Google Sheet / use an .xlsx file instead of the Google Sheet",
    )
    .addOption(option.layout())
    .option("--repair", "dựng lại bố cục mọi trang / lay every tab out again")
    .addOption(option.json())
    .action((options) => syncCommand(options, io, env));

  program
    .command("export")
    .description("Xuất bảng theo dõi ra tệp Excel / export the tracking workbook as .xlsx")
    .addOption(option.campaign())
    .requiredOption("--xlsx <file>", "tệp .xlsx sẽ ghi / the .xlsx file to write")
    .addOption(option.layout())
    .action((options) => exportCommand(options, io, env));

  program
    .command("import")
    .description(
      "Nhập câu trả lời đã lưu (JSON của Forms API hoặc CSV tải từ Biểu mẫu) / backfill saved responses",
    )
    .argument("<file>", "tệp câu trả lời / responses file (.json or .csv)")
    .addOption(option.campaign())
    .addOption(option.stage())
    .addOption(option.json())
    .action((file, options) => importCommand(file, options, io, env));

  program
    .command("push-secret")
    .description(
      "Tạo, xem hoặc thay khóa ký Apps Script của đợt (in ra để dán vào biểu mẫu) / create, show or rotate a campaign's Apps Script push key",
    )
    .addOption(option.campaign(null))
    .option(
      "--rotate",
      "thay khóa mới; khóa cũ còn được nhận 7 ngày / rotate: the old key stays valid for 7 days",
    )
    .action((options) => pushSecretCommand(options, io, env));
};

/** A city's deployment: an office added in one command (its campaign, forms, sheet, shares). */
const officeCommands = (program: Command, io: CliIo, env: Env): void => {
  program
    .command("onboard")
    .description(
      "Thêm một phòng vào hệ thống đang chạy: kiểm tra tệp, tạo đợt, biểu mẫu, bảng theo dõi và chia sẻ cho cán bộ phòng / " +
        "onboard an office into the running deployment: check its files, create its campaign, forms and sheet, share them",
    )
    .addOption(option.campaign(null))
    .addOption(option.schoolYear("năm học của đợt (bắt buộc) / the campaign's school year (required)"))
    .addOption(option.office())
    .addOption(option.registry())
    .addOption(option.criteria())
    .addOption(option.calendar())
    .option(
      "--share <emails>",
      "tài khoản Google của cán bộ phòng, cách nhau bằng dấu phẩy (bắt buộc) / the office staff's Google accounts (required)",
    )
    .option(
      "--topic <projects/P/topics/T>",
      "chủ đề Pub/Sub nhận thông báo (mặc định: của hệ thống) / Pub/Sub topic for form watches (default: the deployment's)",
    )
    .addOption(option.layout())
    .action((options) => onboardCommand(options, io, env));
};

/** The official documents and their mail: render, send, and the scheduled delivery job. */
const deliveryCommands = (program: Command, io: CliIo, env: Env): void => {
  program
    .command("report")
    .description(
      "Tạo văn bản PDF: kết quả từng trường, báo cáo, quyết định / render the official PDFs (school results, report, decision)",
    )
    .argument("[school]", "mã trường / a school code")
    .addOption(option.campaign())
    .option("--all", "mọi trường / every school")
    .option("--summary", "báo cáo gửi Sở / the report to the Department")
    .option("--plan", "kế hoạch triển khai gửi các trường / the office's plan to the schools")
    .option(
      "--decision",
      "tờ trình đề nghị công nhận và dự thảo quyết định / the proposal and the draft recognition decision",
    )
    .addOption(option.number())
    .addOption(option.out())
    .action((school, options) => reportCommand(school, options, io, env));

  program
    .command("send")
    .description(
      "Gửi email kết quả cho các trường, mỗi thư một lần / email the schools their results, exactly once",
    )
    .addOption(option.campaign())
    .option("--dry-run", "chỉ liệt kê, không gửi / list without sending")
    .option(
      "--resend-unknown [ai...]",
      "gửi lại thư không rõ đã đi chưa (đã kiểm tra hộp thư đã gửi): mọi thư như thế, hoặc chỉ thư đến các địa chỉ " +
        "hay mã trường nêu tên / resend messages whose fate is unknown: all, or those to the addresses or schools named",
    )
    .option(
      "--summary",
      "gửi báo cáo tổng hợp, quyết định và bảng theo dõi cho phòng / send the office the summary report, decision and workbook",
    )
    .addOption(option.number())
    .addOption(option.out())
    .action((options) => sendCommand(options, io, env));

  program
    .command("deliver")
    .description(
      "Việc định kỳ: nhận kết quả kiểm tra từ bảng, tạo PDF còn chờ, gửi thư còn chờ / " +
        "the scheduled job: the office's input from the sheet, pending PDFs, pending mail",
    )
    .addOption(option.campaign(null))
    .option("--all-campaigns", "mọi đợt của hệ thống / every campaign of the deployment")
    .option(
      "--daily",
      "lần chạy buổi sáng: thêm nhắc hạn các trường và thư tổng hợp (kèm công văn đôn đốc) gửi phòng / " +
        "the morning run: also the schools' reminders and the office's digest (with the chase letter)",
    )
    .option("--out <dir>", "thư mục kết quả (khi lưu tệp cục bộ) / output folder (local files)", "out")
    .action((options) => deliverCommand(options, io, env));
};

/** Services to run beside: the functions locally, a Firestore emulator. */
const serviceCommands = (program: Command, io: CliIo, env: Env): void => {
  program
    .command("status-link")
    .description(
      "In đường dẫn trang tình hình của từng trường (như trong thư gửi trường) / print each school's status link",
    )
    .argument("[school]", "mã trường / a school code")
    .addOption(option.campaign())
    .option(
      "--url <url>",
      "địa chỉ hàm statusPage (mặc định DIENHINH_STATUS_URL) / the statusPage function's URL",
    )
    .action((school, options) => statusLinkCommand(school, options, io, env));
  program
    .command("serve")
    .description(
      "Chạy các Cloud Function trên máy này qua Functions Framework / serve the functions locally (Functions Framework)",
    )
    .option(
      "--port <port>",
      "cổng đầu tiên; bốn hàm dùng bốn cổng liên tiếp (0: cổng trống) / first of four ports (0: any free)",
      "5001",
    )
    .action((options) => serveCommand(options, io, env));

  program
    .command("emulator")
    .description("Chạy Firestore emulator cho các lệnh khác / run a Firestore emulator for other commands")
    .action(() => emulatorCommand(io, env));
};

/** Commander's help with its headings, usage words and "(default: …)" in Vietnamese too. */
const HELP_IN_VIETNAMESE = {
  styleTitle: helpTitle,
  styleUsage: (usage: string) => usage.replace("[options]", "[tùy chọn]").replace("[command]", "[lệnh]"),
  optionDescription(this: Help, option: Option) {
    return Help.prototype.optionDescription.call(this, option).replace("(default: ", "(mặc định / default: ");
  },
};

/** The version in package.json ("0.1.0"), two folders above this module in src and in lib. */
const packageVersion = (): string => {
  try {
    const file = new URL("../../../package.json", import.meta.url);
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "không rõ / unknown";
  }
};

const buildProgram = (io: CliIo, env: Env): Command => {
  const program = new Command("dienhinh")
    .description(
      "Đợt xét công nhận trường theo bộ tiêu chí: nhận hồ sơ, chấm điểm, theo dõi, văn bản và thư.\n" +
        "A criteria-based recognition campaign for schools: intake, scoring, tracking, documents and mail.",
    )
    .exitOverride()
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      // The parser's own errors in the office's language too (parser-messages.ts).
      outputError: (text, write) => write(translateParserError(text)),
    })
    .configureHelp(HELP_IN_VIETNAMESE)
    .helpOption("-h, --help", "xem hướng dẫn / display help")
    .helpCommand("help [lệnh]", "xem hướng dẫn của một lệnh / display help for a command")
    .version(packageVersion(), "-V, --version", "in ra phiên bản / print the version")
    .showHelpAfterError("(dùng --help để xem hướng dẫn / use --help for usage)");
  for (const group of [
    officeFileCommands,
    localCommands,
    campaignCommands,
    officeCommands,
    deliveryCommands,
    serviceCommands,
  ])
    group(program, io, env);
  return program;
};

/** Run the CLI with the given arguments; returns the exit code instead of exiting. */
export const runCli = async (
  argv: readonly string[],
  io: CliIo,
  env: Record<string, string | undefined>,
): Promise<number> => {
  try {
    await buildProgram(io, env).parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (error) {
    // Help and version end through here too, with exit code 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    if (error instanceof DienhinhError && error.fixable) {
      io.err(`Lỗi: ${error.publicMessage}`);
      // Who runs the command decides what to do: the office's user, the job's account, anyone.
      if (error instanceof GoogleAccessError) io.err(accessAdvice(argv[0]));
      return EXIT.badInput;
    }
    // A service that stopped answering: nothing is wrong with the command, it can be run again.
    if (error instanceof DienhinhError && error.retryable) {
      io.err(`Lỗi: ${error.publicMessage}\n  Đây là lỗi tạm thời: kiểm tra dịch vụ đó rồi chạy lại lệnh.`);
      io.err(`  chi tiết / detail: ${logCause(error)}`);
      return EXIT.failure;
    }
    // Not the user's to fix: what went wrong, and the whole cause (the command line is its own log).
    const what = error instanceof DienhinhError ? error.publicMessage : "lỗi trong chương trình";
    io.err(`Lỗi không mong đợi: ${what}\n  chi tiết / detail: ${logCause(error)}`);
    if (debugOf(env) && error instanceof Error) io.err(error.stack ?? "");
    return EXIT.failure;
  }
};
