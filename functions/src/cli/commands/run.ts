import { join } from "node:path";
import { z } from "zod";
import { countsOf } from "../../app/intake.js";
import { type LocalRun, runLocally } from "../../app/run-local.js";
import { loadCalendar } from "../../data/calendar-file.js";
import { loadCriteriaSet } from "../../data/criteria-file.js";
import { loadOfficeProfile } from "../../data/office-file.js";
import { loadOfficeTables } from "../../data/office-tables.js";
import { loadRegistry } from "../../data/registry-csv.js";
import { loadSheetLayout } from "../../data/sheet-layout-file.js";
import { tallyByLevel } from "../../domain/campaign-score.js";
import { communeLabelOf, wholeOfficeLabel } from "../../domain/office.js";
import { formatDateVi, fromWallClock } from "../../domain/time.js";
import { InputError, UnavailableError } from "../../errors.js";
import { checkChromium } from "../../infra/render/pdf.js";
import { SAMPLE_DAY } from "../../sample/sample-submissions.js";
import { campaignYear, configFor, type Env, withDeps } from "../context.js";
import type { CliIo } from "../io.js";
import { clearPreviousRun } from "../previous-run.js";
import { formatSchoolResults, formatTally } from "../print.js";
import { stepProgress } from "../progress.js";

export interface RunOptions {
  registry?: string;
  criteria?: string;
  office?: string;
  calendar?: string;
  /** Play the campaign as of this day (YYYY-MM-DD): the clock starts at 08:00 that day. */
  today?: string;
  campaign: string;
  out: string;
  layout?: string;
  /** The dossier responses (Forms API JSON or a Forms CSV export); the sample when neither is given. */
  responses?: string;
  registrationResponses?: string;
  /** The campaign's school year; the sample's on the sample data. */
  schoolYear?: string;
  /** The office's inspection tables; the sample's when it runs on sample responses. */
  inspections?: string[];
  json?: boolean;
  /** Also print every school's line (the workbook and index.html always have them). */
  schools?: boolean;
  /** A trial: sample answers for the schools, every output marked as sample data. */
  sample?: boolean;
}

/**
 * The office's own registry with no answers of its schools: the sample answers would be invented
 * for real schools and printed on official-looking papers. Refused, unless it is a trial
 * (`--sample`), whose every output is marked as sample data.
 */
const ownRegistryNeedsAnswers = (options: RunOptions) => {
  if (!options.registry || options.responses || options.registrationResponses || options.sample) return;
  throw new InputError(
    "Chạy trên danh sách trường của phòng cần câu trả lời của các trường: --responses TỆP (hồ sơ) " +
      "và/hoặc --registration-responses TỆP (đăng ký), JSON của Forms API hoặc CSV tải từ Google Forms. " +
      "Để chạy thử với câu trả lời mẫu (mọi văn bản, thư ghi rõ là dữ liệu mẫu), thêm --sample.",
  );
};

/**
 * `dienhinh run`: the main job on embedded defaults. It starts Google's Firestore emulator (unless
 * FIRESTORE_EMULATOR_HOST names one) and runs the whole job locally (app/run-local.ts), then
 * prints every school's standing by level and where the outputs are.
 */
export const runCommand = async (options: RunOptions, io: CliIo, env: Env) => {
  const config = configFor(env);
  if (options.today !== undefined && !z.iso.date().safeParse(options.today).success)
    throw new InputError(`--today "${options.today}": ngày dạng YYYY-MM-DD, ví dụ 2026-11-20`);
  const schoolYear = campaignYear(
    options.schoolYear,
    options.registry ?? options.responses ?? options.registrationResponses,
  );
  ownRegistryNeedsAnswers(options);
  const [registry, criteriaSet, loadedOffice, layout, calendar] = await Promise.all([
    loadRegistry(options.registry),
    loadCriteriaSet(options.criteria),
    loadOfficeProfile(options.office),
    loadSheetLayout(options.layout),
    options.calendar ? loadCalendar(options.calendar) : undefined,
  ]);
  // A trial on the office's own registry (--sample): every output says it is sample data.
  const office = options.sample ? { ...loadedOffice, sample: true } : loadedOffice;
  // Read before anything starts, so a bad file is said at once.
  const officeTables = options.inspections?.length
    ? await loadOfficeTables(options.inspections, layout, criteriaSet, communeLabelOf(office))
    : undefined;
  checkChromium(config.chromiumPath); // the PDFs need it: say so before anything starts
  // A new campaign in a temporary emulator: the last run's documents and messages are not its own.
  if (!config.firestoreEmulator) await clearPreviousRun(options.out);
  if (!options.json)
    io.out(`${office.parentBody} · ${office.issuingBody}${office.sample ? " (dữ liệu mẫu)" : ""}`);
  // The sample plays a fixed day of its November (its reminders, a late dossier, a deadline passed),
  // whatever day it is run; --today sets another.
  const sampleDay = office.sample && !options.responses && !options.registrationResponses;
  const today = options.today ?? (sampleDay ? SAMPLE_DAY : undefined);
  if (!options.json && today && !options.today)
    io.out(`Ngày của dữ liệu mẫu: ${formatDateVi(today)} (đổi bằng --today YYYY-MM-DD)`);
  const progress = stepProgress(options.json ? { out: () => {}, err: io.err } : io);
  progress.step("Khởi động Firestore");
  let run: LocalRun;
  try {
    // Links in the workbook and the index are relative to the output folder, so it can be moved.
    const build = {
      ephemeralStore: true,
      localOnly: true,
      outDir: options.out,
      linkFrom: options.out,
      ...(today ? { clock: clockFrom(today, layout.timeZone) } : {}),
    };
    run = await withDeps(config, build, (deps) =>
      runLocally(
        {
          ...deps,
          outputs: async () => ({ ...(await deps.sending(layout.timeZone)), backoffMs: 10, xlsx: deps.xlsx }),
        },
        {
          campaignId: options.campaign,
          schoolYear,
          registry,
          criteriaSet,
          office,
          ...(calendar ? { calendar } : {}),
          layout,
          ownLayout: Boolean(options.layout),
          files: {
            ...(options.responses ? { dossier: options.responses } : {}),
            ...(options.registrationResponses ? { registration: options.registrationResponses } : {}),
          },
          ...(officeTables ? { officeTables } : {}),
          outDir: options.out,
          step: progress.step,
        },
      ),
    );
  } catch (error) {
    progress.end(false); // the step that failed ends with ✗, not ✓
    throw error;
  }
  progress.end();
  if (options.json) io.out(JSON.stringify(runJson(run), null, 2));
  else printRun(run, { ...options, ...(today ? { today } : {}) }, io);
  const { unfinished } = run.outputs;
  if (unfinished.length === 0) return;
  // Everything else is written; what is missing is said school by school, and the run fails.
  for (const u of unfinished) io.err(`  ! ${u.code}: chưa tạo được ${u.what}: ${u.reason}`);
  throw new RunIncomplete(unfinished.length);
};

/**
 * A clock that starts at 08:00 of `day` in the campaign's time zone and runs on from there, so the
 * run's own moments keep their order.
 */
const clockFrom = (day: string, timeZone: string): (() => Date) => {
  const start = fromWallClock(new Date(`${day}T08:00:00Z`), timeZone).getTime();
  const began = Date.now();
  return () => new Date(start + (Date.now() - began));
};

/** Some schools' documents or mail could not be made: the run says which, and does not end as done. */
class RunIncomplete extends UnavailableError {
  constructor(schools: number) {
    super(`${schools} việc chưa hoàn tất (xem danh sách ở trên); chạy lại lệnh để làm tiếp.`);
  }
}

const runJson = ({ campaign, ingest, outputs, results }: LocalRun) => ({
  campaign: {
    id: campaign.id,
    schoolYear: campaign.schoolYear,
    criteriaSet: { id: campaign.criteriaSet.id, version: campaign.criteriaSet.version },
  },
  ingest: { registration: countsOf(ingest.registration), dossier: countsOf(ingest.dossier) },
  files: outputs.files,
  summary: tallyByLevel(results, wholeOfficeLabel(campaign.office.parentBodyName)),
  schools: results.map((r) => ({
    code: r.school.code,
    name: r.school.name,
    levels: r.school.levels,
    status: r.status,
    points: r.evaluation.points,
    maxPoints: r.evaluation.maxPoints,
    missing: r.evaluation.missing.map((m) => m.message),
    quarantineReasons: r.quarantineReasons,
  })),
});

const printRun = (
  { campaign, ingest, office, outputs, results }: LocalRun,
  options: RunOptions,
  io: CliIo,
) => {
  for (const [label, s] of [
    ["Đăng ký", ingest.registration],
    ["Hồ sơ", ingest.dossier],
  ] as const)
    io.out(
      `${label}: ${s.received} câu trả lời · lưu mới ${s.stored}, trùng ${s.duplicates} · hợp lệ ${s.accepted}, cần bổ sung ${s.quarantined}` +
        (s.notYet
          ? ` · ${s.notYet} gửi sau ${options.today ? `ngày ${formatDateVi(options.today)}` : "lúc chạy"}, chưa tính`
          : ""),
    );
  if (outputs.incidents.reports > 0)
    io.out(
      `Báo cáo vụ việc: ${outputs.incidents.reports} báo cáo · đã báo ngay lãnh đạo phòng ${outputs.incidents.alerts} thư`,
    );
  const { approval } = outputs;
  io.out(
    `Thư gửi trường: ${approval.acknowledged} thư xác nhận đã nhận (tự động, không phải văn bản chính thức)` +
      (approval.awaiting.length > 0
        ? ` · ${approval.awaiting.length} trường có văn bản chờ phòng duyệt (cột Phòng duyệt gửi, trang Theo dõi): ${approval.awaiting.join(", ")}`
        : ""),
  );
  if (outputs.reminders > 0)
    io.out(
      `Nhắc hạn: ${outputs.reminders} thư nhắc các trường còn thiếu (mỗi trường, mỗi hạn, mỗi mốc một lần)`,
    );
  const { digest } = outputs;
  if (digest.outcome === "sent")
    io.out(
      `Tổng hợp ngày: đã gửi phòng · ${digest.overdue} trường quá hạn${digest.letter ? " · dự thảo Công văn đôn đốc kèm theo" : ""}`,
    );
  else if (digest.outcome === "already-sent") io.out("Tổng hợp ngày: đã gửi phòng trong ngày, không gửi lại");
  if (outputs.forms.length > 0) io.out(`Biểu mẫu: ${outputs.forms.join(" · ")}`);
  if (outputs.late > 0)
    io.out(
      `Nộp muộn: ${outputs.late} trường gửi sau hạn · đã lưu và chấm, phòng quyết định (gia hạn nếu chấp nhận, ở trang Gia hạn)`,
    );
  if (office) {
    io.out(
      `Kiểm tra: ${office.inspections} trường có lịch hoặc kết quả kiểm tra · ${office.recognised} trường được công nhận`,
    );
    // What the office must correct in its tables, row by row (kept out of the store until fixed).
    for (const [key, problem] of office.inspectionTab.problems)
      io.err(`  ! ${key.replace("|", ", chỉ tiêu ")}: ${problem}`);
    for (const d of office.inspectionTab.decisions ?? [])
      if (d.problem) io.err(`  ! Quyết định ${d.number || "(chưa có số)"}: ${d.problem}`);
  }
  const set = campaign.criteriaSet;
  io.out(`${results.length} trường · ${set.title} (phiên bản ${set.version})\n`);
  if (options.schools) io.out(`${formatSchoolResults(results)}\n`);
  else
    io.out(
      `Tổng hợp theo cấp học\n${formatTally(tallyByLevel(results, wholeOfficeLabel(campaign.office.parentBodyName)))}\n`,
    );
  const where = (label: string, path: string) => `  ${label.padEnd(24)} ${path}`;
  io.out(
    [
      "Xem kết quả / where to look:",
      where("Trang tổng hợp", outputs.files.index),
      where("Bảng theo dõi (Excel)", outputs.files.workbook),
      ...(outputs.files.plan ? [where("Kế hoạch triển khai", outputs.files.plan)] : []),
      where(`Văn bản PDF và Word (${outputs.pdfs})`, join(options.out, "reports")),
      where(`Thư (.eml, ${outputs.emails})`, join(options.out, "outbox")),
      where("Trang từng trường", join(options.out, "truong")),
      ...(digest.letter ? [where("Công văn đôn đốc", digest.letter)] : []),
      where("Tóm tắt (JSON)", outputs.files.summary),
      ...(options.schools ? [] : ["Từng trường: thêm --schools, hoặc mở trang tổng hợp."]),
    ].join("\n"),
  );
};
