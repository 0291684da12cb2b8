import { join } from "node:path";
import { importResponsesFile } from "../../app/import.js";
import { countsOf, ingestResponses } from "../../app/intake.js";
import { type OutputsSummary, writeOutputs } from "../../app/outputs.js";
import { setupCampaign } from "../../app/setup.js";
import { loadCriteriaSet } from "../../data/criteria-file.js";
import { loadOfficeProfile } from "../../data/office-file.js";
import { loadRegistry } from "../../data/registry-csv.js";
import { loadSheetLayout } from "../../data/sheet-layout-file.js";
import { schoolYearOf } from "../../domain/campaign.js";
import { schoolResultOf, tallyByLevel } from "../../domain/campaign-score.js";
import type { Stage } from "../../domain/criteria.js";
import { compareSchools } from "../../domain/school.js";
import { loadSchoolStates } from "../../infra/campaign-store.js";
import { chromiumPath, PdfRenderer } from "../../infra/pdf-renderer.js";
import { loadTemplates } from "../../infra/templates.js";
import { sampleFormResponses } from "../../sample/sample-responses.js";
import { cliDeps, openStore, parseCliEnv } from "../context.js";
import { UserError } from "../errors.js";
import type { CliIo } from "../io.js";
import { formatSchoolResults, formatTally } from "../print.js";
import { stepProgress } from "../progress.js";

export interface RunOptions {
  registry?: string;
  criteria?: string;
  office?: string;
  campaign: string;
  out: string;
  layout?: string;
  /** The dossier responses (Forms API JSON or a Forms CSV export); the sample when neither is given. */
  responses?: string;
  registrationResponses?: string;
  json?: boolean;
  /** Also print every school's line (the workbook and index.html always have them). */
  schools?: boolean;
}

/**
 * `dienhinh run`: the main job on embedded defaults. It starts Google's Firestore emulator (unless
 * FIRESTORE_EMULATOR_HOST names one), sets up a local campaign from the registry, office and
 * criteria files, takes the sample form responses through the same intake path as the Cloud
 * Functions, and prints every school's standing by level.
 */
export const runCommand = async (options: RunOptions, io: CliIo, env: Record<string, string | undefined>) => {
  const [registry, criteriaSet, office, layout] = await Promise.all([
    loadRegistry(options.registry),
    loadCriteriaSet(options.criteria),
    loadOfficeProfile(options.office),
    loadSheetLayout(options.layout),
  ]);
  try {
    chromiumPath(); // the PDFs need it: say so before anything starts
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  const say = (text: string) => {
    if (!options.json) io.out(text);
  };
  say(`${office.parentBody} · ${office.issuingBody}${office.sample ? " (dữ liệu mẫu)" : ""}`);
  const progress = stepProgress(options.json ? { out: () => {}, err: io.err } : io);
  const step = progress.step;
  step("Khởi động Firestore");
  const store = await openStore(parseCliEnv(env), { ephemeral: true }).catch((error: unknown) => {
    progress.end(false);
    throw error;
  });
  try {
    step(`Tạo đợt đánh giá (${store.where})`);
    const deps = cliDeps(store.db);
    const { campaign } = await setupCampaign(deps, {
      campaignId: options.campaign,
      schoolYear: schoolYearOf(new Date()),
      office,
      criteriaSet,
      schools: registry,
      ...(options.layout ? { sheetLayout: layout } : {}),
    });
    // The office's own saved responses (Forms API JSON or the Forms CSV export), or the sample.
    const own = options.responses || options.registrationResponses;
    const sample = own ? undefined : sampleFormResponses(campaign, registry);
    const stageFile = async (stage: Stage, file: string | undefined, payloads: readonly unknown[]) =>
      file
        ? importResponsesFile(deps, campaign, file, { stage })
        : ingestResponses(deps, campaign, stage, payloads);
    step("Nhận câu trả lời (như Cloud Functions)");
    const registration = await stageFile(
      "registration",
      options.registrationResponses,
      sample?.registration ?? [],
    );
    const dossier = await stageFile("dossier", options.responses, sample?.dossier ?? []);
    const states = await loadSchoolStates(store.db, campaign, new Map(registry.map((s) => [s.code, s])));
    const renderer = new PdfRenderer();
    let outputs: OutputsSummary;
    try {
      outputs = await writeOutputs(
        { ...deps, renderer, templates: await loadTemplates(), timeZone: layout.timeZone },
        {
          campaign,
          outDir: options.out,
          layout,
          outcomes: [...registration.outcomes, ...dossier.outcomes],
          progress: step,
        },
      );
    } finally {
      await renderer.close();
    }
    progress.end();
    const workbookFile = outputs.files.workbook;
    const results = [...registry]
      .sort(compareSchools)
      .map((school) => schoolResultOf(school, criteriaSet, states.get(school.code)));
    if (options.json) {
      io.out(
        JSON.stringify(
          {
            campaign: {
              id: campaign.id,
              schoolYear: campaign.schoolYear,
              criteriaSet: { id: criteriaSet.id, version: criteriaSet.version },
            },
            ingest: { registration: countsOf(registration), dossier: countsOf(dossier) },
            files: outputs.files,
            summary: tallyByLevel(results),
            schools: results.map((r) => ({
              code: r.school.code,
              name: r.school.name,
              level: r.school.level,
              status: r.status,
              points: r.evaluation.points,
              maxPoints: r.evaluation.maxPoints,
              missing: r.evaluation.missing.map((m) => m.message),
              quarantineReasons: r.quarantineReasons,
            })),
          },
          null,
          2,
        ),
      );
      return;
    }
    for (const [label, s] of [
      ["Đăng ký", registration],
      ["Hồ sơ", dossier],
    ] as const) {
      say(
        `${label}: ${s.received} câu trả lời · lưu mới ${s.stored}, trùng ${s.duplicates} · hợp lệ ${s.accepted}, cần bổ sung ${s.quarantined}`,
      );
    }
    say(`${registry.length} trường · ${criteriaSet.title} (phiên bản ${criteriaSet.version})\n`);
    if (options.schools) io.out(`${formatSchoolResults(results)}\n`);
    else io.out(`Tổng hợp theo cấp học\n${formatTally(tallyByLevel(results))}\n`);
    const where = (label: string, path: string) => `  ${label.padEnd(24)} ${path}`;
    io.out(
      [
        "Xem kết quả / where to look:",
        where("Trang tổng hợp", outputs.files.index),
        where("Bảng theo dõi (Excel)", workbookFile),
        where(`Văn bản PDF (${outputs.pdfs})`, join(options.out, "reports")),
        where(`Thư (.eml, ${outputs.emails})`, join(options.out, "outbox")),
        where("Tóm tắt (JSON)", outputs.files.summary),
        ...(options.schools ? [] : ["Từng trường: thêm --schools, hoặc mở trang tổng hợp."]),
      ].join("\n"),
    );
  } catch (error) {
    progress.end(false); // the step that failed ends with ✗, not ✓
    throw error;
  } finally {
    await store.close();
  }
};
