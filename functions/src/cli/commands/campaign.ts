import { importResponsesFile } from "../../app/import.js";
import { setupCampaign } from "../../app/setup.js";
import { setupSheet } from "../../app/sheet-sync.js";
import { sheetPacing } from "../../config.js";
import { loadCriteriaSet } from "../../data/criteria-file.js";
import { loadOfficeProfile } from "../../data/office-file.js";
import { loadRegistry } from "../../data/registry-csv.js";
import { loadSheetLayout } from "../../data/sheet-layout-file.js";
import { campaignSchema, isLocalForm, schoolYearOf } from "../../domain/campaign.js";
import { STAGE_LABELS, type Stage } from "../../domain/criteria.js";
import { CampaignNotFound, loadCampaign, loadSchools } from "../../infra/campaign-store.js";
import { startEmulator } from "../../infra/emulators.js";
import { sheetsGatewayFor } from "../../infra/sheets-api.js";
import { cliDeps, formsGateway, layoutFor, openStore, parseCliEnv } from "../context.js";
import { UserError } from "../errors.js";
import type { CliIo } from "../io.js";

export interface SetupOptions {
  campaign: string;
  schoolYear?: string;
  registry?: string;
  criteria?: string;
  office?: string;
  adoptRegistration?: string;
  adoptDossier?: string;
  topic?: string;
  local?: boolean;
  /** Create or repair the Google Sheet (default); `--no-sheet` sets it to false. */
  sheet?: boolean;
  layout?: string;
  share?: string;
}

/** `dienhinh setup`: create or repair a campaign, its forms (Forms API) and their watches. */
export const setupCommand = async (
  options: SetupOptions,
  io: CliIo,
  env: Record<string, string | undefined>,
) => {
  const cliEnv = parseCliEnv(env);
  for (const [flag, schema, value] of [
    ["--campaign", campaignSchema.shape.id, options.campaign],
    ["--school-year", campaignSchema.shape.schoolYear, options.schoolYear],
  ] as const) {
    const checked = schema.optional().safeParse(value);
    if (!checked.success) throw new UserError(`${flag} "${value}": ${checked.error.issues[0]?.message}`);
  }
  const givenLayout = options.layout ? await loadSheetLayout(options.layout) : undefined;
  const shareWith = (options.share ?? "")
    .split(/[\s,;]+/u)
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  const store = await openStore(cliEnv);
  try {
    // Run again on an existing campaign, setup keeps its registry, criteria and office unless a
    // file is given: repairing a form or the sheet must not bring back the sample data.
    const existing = await loadCampaign(store.db, options.campaign).catch((error: Error) => {
      if (error instanceof CampaignNotFound) return undefined;
      throw error;
    });
    const [schools, criteriaSet, office] = await Promise.all([
      options.registry || !existing
        ? loadRegistry(options.registry)
        : loadSchools(store.db, existing.id).then((m) => [...m.values()]),
      options.criteria || !existing ? loadCriteriaSet(options.criteria) : existing.criteriaSet,
      options.office || !existing ? loadOfficeProfile(options.office) : existing.office,
    ]);
    const forms = options.local ? undefined : formsGateway(cliEnv);
    const adopt: Partial<Record<Stage, string>> = {
      ...(options.adoptRegistration ? { registration: options.adoptRegistration } : {}),
      ...(options.adoptDossier ? { dossier: options.adoptDossier } : {}),
    };
    const { stages } = await setupCampaign(cliDeps(store.db, forms), {
      campaignId: options.campaign,
      schoolYear: options.schoolYear ?? existing?.schoolYear ?? schoolYearOf(new Date()),
      office,
      criteriaSet,
      schools,
      adopt,
      ...(options.topic ? { topicName: options.topic } : {}),
      ...(givenLayout ? { sheetLayout: givenLayout } : {}),
    }).catch(googleAccessError("Google Forms API"));
    io.out(
      `Đợt đánh giá ${options.campaign} (${schools.length} trường, ${criteriaSet.title} phiên bản ${criteriaSet.version}) · ${store.where}`,
    );
    for (const s of stages) {
      io.out(
        `  ${STAGE_LABELS[s.stage]}: biểu mẫu ${s.formId} (${s.action})${s.responderUri ? ` · ${s.responderUri}` : ""}`,
      );
      if (s.missing.length) io.out(`    ! chưa có câu hỏi cho chỉ tiêu: ${s.missing.join(", ")}`);
      if (s.unmatched.length) io.out(`    ! câu hỏi không khớp chỉ tiêu nào: ${s.unmatched.join(" | ")}`);
    }
    if (!options.local && options.sheet !== false) {
      const sheet = await setupSheet(
        cliDeps(store.db),
        options.campaign,
        givenLayout ?? (await layoutFor(existing ?? {}, undefined)),
        sheetsGatewayFor(cliEnv.DIENHINH_GOOGLE_ROOT_URL),
        // A registry file given now is the registry: the tab is written from it, not read back.
        {
          shareWith,
          readRegistry: !options.registry,
          ...sheetPacing(cliEnv),
        },
      ).catch(googleAccessError("Google Sheets API"));
      io.out(`  Bảng theo dõi: ${sheet.created ? "đã tạo" : "đã kiểm tra và sửa bố cục"} · ${sheet.where}`);
    }
    // The forms too: the office edits them, and the functions' account reads their responses.
    const formIds = stages.map((s) => s.formId).filter((id) => !isLocalForm(id));
    if (!options.local && formIds.length > 0 && shareWith.length > 0) {
      const drive = sheetsGatewayFor(cliEnv.DIENHINH_GOOGLE_ROOT_URL);
      for (const formId of formIds)
        for (const email of shareWith)
          await drive.share(formId, email).catch(googleAccessError("Google Drive API"));
      io.out(`  Biểu mẫu đã chia sẻ (quyền chỉnh sửa) với: ${shareWith.join(", ")}`);
    }
  } finally {
    await store.close();
  }
};

/** A Google API refusing our credentials, as a message saying what to do. */
const googleAccessError =
  (api: string) =>
  (error: unknown): never => {
    const status = (error as { response?: { status?: number } }).response?.status;
    if (status === 401 || status === 403 || /credentials|Could not load the default/iu.test(String(error))) {
      throw new UserError(
        `Không truy cập được ${api} (${(error as Error).message}). Đăng nhập bằng tài khoản dịch vụ ` +
          "(GOOGLE_APPLICATION_CREDENTIALS), hoặc dùng --local để tạo đợt đánh giá không cần Google.",
      );
    }
    throw error;
  };

export interface ImportOptions {
  campaign: string;
  stage?: Stage;
  json?: boolean;
}

/** `dienhinh import FILE`: backfill saved responses (Forms API JSON or a Forms CSV export). */
export const importCommand = async (
  file: string,
  options: ImportOptions,
  io: CliIo,
  env: Record<string, string | undefined>,
) => {
  const store = await openStore(parseCliEnv(env));
  try {
    const deps = cliDeps(store.db);
    const campaign = await loadCampaign(store.db, options.campaign).catch((error: Error) => {
      throw new UserError(error.message);
    });
    const summary = await importResponsesFile(
      deps,
      campaign,
      file,
      options.stage ? { stage: options.stage } : {},
    );
    const { outcomes, ...counts } = summary;
    if (options.json) {
      io.out(
        JSON.stringify(
          {
            ...counts,
            outcomes: outcomes.map((o) => ({
              key: o.key,
              schoolCode: o.schoolCode,
              disposition: o.disposition,
              reasons: o.reasons,
            })),
          },
          null,
          2,
        ),
      );
      return;
    }
    io.out(
      `${file}: ${counts.received} câu trả lời (${STAGE_LABELS[summary.stage]}) · mới lưu ${counts.stored}, đã có từ trước ${counts.duplicates} · ` +
        `hợp lệ ${counts.accepted}, cần bổ sung ${counts.quarantined}`,
    );
    for (const o of outcomes.filter((x) => x.disposition === "quarantined")) {
      io.out(`  - ${o.schoolCode ?? "(không rõ trường)"} ${o.key}: ${o.reasons.join(" ")}`);
    }
  } finally {
    await store.close();
  }
};

/** `dienhinh emulator`: a Firestore emulator in the foreground, for local campaigns across commands. */
export const emulatorCommand = async (io: CliIo): Promise<void> => {
  const emulator = await startEmulator("firestore").catch((error: Error) => {
    throw new UserError(error.message);
  });
  io.out(
    `Firestore emulator đang chạy. Trong cửa sổ khác:\n  export FIRESTORE_EMULATOR_HOST=${emulator.host}\nNhấn Ctrl-C để dừng (dữ liệu không được lưu lại).`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await emulator.stop();
};
