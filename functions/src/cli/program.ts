import { Command, CommanderError } from "commander";
import { DataFileError } from "../data/errors.js";
import { criteriaCommand } from "./commands/criteria.js";
import { runCommand } from "./commands/run.js";
import { scoreCommand } from "./commands/score.js";
import { UserError } from "./errors.js";
import type { CliIo } from "./io.js";

/** Exit codes: 0 done, 1 an unexpected failure, 2 bad input the user can fix. */
export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;

const buildProgram = (io: CliIo): Command => {
  const program = new Command("dienhinh")
    .description(
      "Trường học điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc: chấm điểm theo bộ tiêu chí.\n" +
        "Model schools of the all-people national-security movement: scoring against the criteria.",
    )
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError("(dùng --help để xem hướng dẫn / use --help for usage)");

  program
    .command("run")
    .description("Chạy toàn bộ công việc trên dữ liệu mẫu / run the main job on the sample data")
    .option("--registry <csv>", "danh sách trường / school registry (CSV)")
    .option("--criteria <file>", "bộ tiêu chí / criteria set (YAML or JSON)")
    .option("--office <file>", "thông tin cơ quan / office profile (YAML)")
    .option("--json", "xuất JSON / print JSON")
    .action((options) => runCommand(options, io));

  program
    .command("criteria")
    .description("In bộ tiêu chí đang dùng / print the active criteria set")
    .option("--criteria <file>", "bộ tiêu chí / criteria set (YAML or JSON)")
    .option("--json", "xuất JSON / print JSON")
    .action((options) => criteriaCommand(options, io));

  program
    .command("score")
    .description("Chấm điểm các bài nộp trong tệp JSON / score the submissions in a JSON file")
    .argument("<file>", "tệp bài nộp / submissions file (JSON)")
    .option("--registry <csv>", "danh sách trường / school registry (CSV)")
    .option("--criteria <file>", "bộ tiêu chí / criteria set (YAML or JSON)")
    .option("--json", "xuất JSON / print JSON")
    .action((file, options) => scoreCommand(file, options, io));

  return program;
};

/** Run the CLI with the given arguments; returns the exit code instead of exiting. */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  try {
    await buildProgram(io).parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end through here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (error instanceof DataFileError || error instanceof UserError) {
      io.err(`Lỗi: ${error.message}`);
      return EXIT.badInput;
    }
    io.err(`Lỗi không mong đợi: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.DIENHINH_DEBUG && error instanceof Error) io.err(error.stack ?? "");
    return EXIT.failure;
  }
};
