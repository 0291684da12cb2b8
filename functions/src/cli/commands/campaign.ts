import { importResponsesFile } from "../../app/import.js";
import type { StageSetup } from "../../app/setup.js";
import { type SetupDone, setupOffice } from "../../app/setup-office.js";
import { loadSheetLayout } from "../../data/sheet-layout-file.js";
import { campaignSchema, FORM_LABELS } from "../../domain/campaign.js";
import { STAGE_LABELS, type Stage } from "../../domain/criteria.js";
import { InputError } from "../../errors.js";
import { startEmulator } from "../../infra/emulators.js";
import { configFor, type Env, withDeps } from "../context.js";
import type { CliIo } from "../io.js";

export interface SetupOptions {
  campaign: string;
  schoolYear?: string;
  registry?: string;
  criteria?: string;
  office?: string;
  calendar?: string;
  adoptRegistration?: string;
  adoptDossier?: string;
  topic?: string;
  local?: boolean;
  /** Create or repair the Google Sheet (default); `--no-sheet` sets it to false. */
  sheet?: boolean;
  layout?: string;
  share?: string;
  sample?: boolean;
}

/** --campaign and --school-year, each refused with its flag when malformed. */
export const checkCampaignFlags = (options: { campaign?: string; schoolYear?: string }) => {
  for (const [flag, schema, value] of [
    ["--campaign", campaignSchema.shape.id, options.campaign],
    ["--school-year", campaignSchema.shape.schoolYear, options.schoolYear],
  ] as const) {
    const checked = schema.optional().safeParse(value);
    if (!checked.success) throw new InputError(`${flag} "${value}": ${checked.error.issues[0]?.message}`);
  }
};

/** The people --share names: separated by commas, semicolons or spaces, lower case. */
export const shareListOf = (text: string | undefined): string[] =>
  (text ?? "")
    .split(/[\s,;]+/u)
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);

/** `dienhinh setup`: create or repair a campaign, its forms (Forms API), their watches and its sheet. */
export const setupCommand = async (options: SetupOptions, io: CliIo, env: Env) => {
  const config = configFor(env);
  checkCampaignFlags(options);
  const sheetLayout = options.layout ? await loadSheetLayout(options.layout) : undefined;
  const shareWith = shareListOf(options.share);
  const done = await withDeps(config, {}, async (deps) => {
    const { forms, ...withoutForms } = deps;
    return setupOffice(options.local ? withoutForms : { ...withoutForms, forms }, {
      campaignId: options.campaign,
      ...(options.schoolYear ? { schoolYear: options.schoolYear } : {}),
      files: {
        ...(options.registry ? { registry: options.registry } : {}),
        ...(options.criteria ? { criteria: options.criteria } : {}),
        ...(options.office ? { office: options.office } : {}),
        ...(options.calendar ? { calendar: options.calendar } : {}),
      },
      adopt: {
        ...(options.adoptRegistration ? { registration: options.adoptRegistration } : {}),
        ...(options.adoptDossier ? { dossier: options.adoptDossier } : {}),
      },
      ...(options.topic ? { topicName: options.topic } : {}),
      ...(options.sample ? { sample: true } : {}),
      ...(sheetLayout ? { sheetLayout } : {}),
      ...(options.local ? {} : { share: { gateway: deps.sheets.gateway, with: shareWith } }),
      ...(options.local || options.sheet === false ? {} : { sheet: deps.sheets }),
    }).then((result) => ({ result, where: deps.store.where }));
  });
  printSetup(done.result, done.where, shareWith, io);
};

export const printSetup = (done: SetupDone, where: string, shareWith: readonly string[], io: CliIo) => {
  const { campaign, stages } = done;
  io.out(
    `Đợt đánh giá ${campaign.id} (${done.schools} trường, ${campaign.criteriaSet.title} phiên bản ${campaign.criteriaSet.version}) · ${where}`,
  );
  for (const s of stages) {
    io.out(
      `  ${FORM_LABELS[s.stage]}: biểu mẫu ${s.formId} (${s.action})${s.responderUri ? ` · ${s.responderUri}` : ""}`,
    );
    if (s.missing.length)
      io.out(
        `    ! chưa có câu hỏi ${s.stage === "incident" ? "" : "cho chỉ tiêu"}: ${s.missing.join(", ")}`,
      );
    if (s.unmatched.length) io.out(`    ! câu hỏi không khớp chỉ tiêu nào: ${s.unmatched.join(" | ")}`);
    printFormChanges(s, io);
  }
  if (done.sheet)
    io.out(
      `  Bảng theo dõi: ${done.sheet.created ? "đã tạo" : "đã kiểm tra và sửa bố cục"} · ${done.sheet.where}`,
    );
  if (done.sharedForms.length > 0)
    io.out(`  Biểu mẫu đã chia sẻ (quyền chỉnh sửa) với: ${shareWith.join(", ")}`);
};

/** What setup changed on a form: its questions (a criteria change) and its school list (the registry). */
const printFormChanges = (s: StageSetup, io: CliIo) => {
  const local = s.action === "local" ? " (biểu mẫu cục bộ, tạo lại theo bộ tiêu chí mới)" : "";
  const { created, changed, removed } = s.questions;
  if (created.length) io.out(`    + câu hỏi mới${local}: ${created.join(" | ")}`);
  if (changed.length) io.out(`    ~ câu hỏi đã sửa${local}: ${changed.join(" | ")}`);
  if (removed.length) io.out(`    - câu hỏi đã bỏ${local}: ${removed.join(" | ")}`);
  if (s.schoolList)
    io.out(
      `    danh sách trường: thêm ${s.schoolList.added.length}, bỏ ${s.schoolList.removed.length}` +
        [...s.schoolList.added.map((o) => ` · + ${o}`), ...s.schoolList.removed.map((o) => ` · - ${o}`)].join(
          "",
        ),
    );
};

export interface ImportOptions {
  campaign: string;
  stage?: Stage;
  json?: boolean;
}

/** `dienhinh import FILE`: backfill saved responses (Forms API JSON or a Forms CSV export). */
export const importCommand = async (file: string, options: ImportOptions, io: CliIo, env: Env) => {
  const summary = await withDeps(configFor(env), {}, async (deps) =>
    importResponsesFile(
      deps,
      await deps.store.campaigns.get(options.campaign),
      file,
      options.stage ? { stage: options.stage } : {},
    ),
  );
  const { outcomes, ...counts } = summary;
  if (options.json) {
    const listed = outcomes.map((o) => ({
      key: o.key,
      schoolCode: o.schoolCode,
      disposition: o.disposition,
      reasons: o.reasons,
    }));
    io.out(JSON.stringify({ ...counts, outcomes: listed }, null, 2));
    return;
  }
  io.out(
    `${file}: ${counts.received} câu trả lời (${STAGE_LABELS[summary.stage]}) · mới lưu ${counts.stored}, đã có từ trước ${counts.duplicates} · ` +
      `hợp lệ ${counts.accepted}, cần bổ sung ${counts.quarantined}`,
  );
  for (const o of outcomes.filter((x) => x.disposition === "quarantined"))
    io.out(`  - ${o.schoolCode ?? "(không rõ trường)"} ${o.key}: ${o.reasons.join(" ")}`);
};

/** `dienhinh emulator`: a Firestore emulator in the foreground, for local campaigns across commands. */
export const emulatorCommand = async (io: CliIo, env: Env): Promise<void> => {
  const config = configFor(env);
  const emulator = await startEmulator("firestore", config.sdkRoot ? { sdkRoot: config.sdkRoot } : {});
  io.out(
    `Firestore emulator đang chạy. Trong cửa sổ khác:\n  export FIRESTORE_EMULATOR_HOST=${emulator.host}\nNhấn Ctrl-C để dừng (dữ liệu không được lưu lại).`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await emulator.stop();
};
