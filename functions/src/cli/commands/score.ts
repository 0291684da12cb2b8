import { type RescoreChange, rescoreCampaign } from "../../app/rescore.js";
import { loadCriteriaSet } from "../../data/criteria-file.js";
import { loadRegistry } from "../../data/registry-csv.js";
import { loadSubmissions } from "../../data/submissions-file.js";
import type { Submission } from "../../domain/answers.js";
import { type CampaignScore, scoreCampaign, tallyByLevel } from "../../domain/campaign-score.js";
import type { CriteriaSet } from "../../domain/criteria.js";
import { SCHOOL_STATUS_LABELS } from "../../domain/status.js";
import { formatPoints } from "../../domain/text.js";
import { InputError } from "../../errors.js";
import { configFor, type Env, withDeps } from "../context.js";
import type { CliIo } from "../io.js";
import { formatSchoolResults } from "../print.js";

export interface ScoreOptions {
  registry?: string;
  criteria?: string;
  campaign?: string;
  json?: boolean;
}

/**
 * `dienhinh score --campaign ID [--criteria FILE]`: score a campaign's schools again (after a
 * change of criteria) and show whose result changed.
 */
export const rescoreCommand = async (
  options: ScoreOptions & { campaign: string },
  io: CliIo,
  env: Env,
): Promise<void> => {
  const set = options.criteria ? await loadCriteriaSet(options.criteria) : undefined;
  const { schools, changes, formsBehind } = await withDeps(configFor(env), {}, (deps) =>
    rescoreCampaign(deps, options.campaign, set),
  );
  if (options.json) return void io.out(JSON.stringify({ schools, changes, formsBehind }, null, 2));
  io.out(
    `Chấm lại ${schools} trường${set ? ` theo ${set.title} (phiên bản ${set.version})` : ""}: ${changes.length} trường thay đổi kết quả.`,
  );
  const standing = (s: RescoreChange["before"]) =>
    `${SCHOOL_STATUS_LABELS[s.status]} (${formatPoints(s.points)})`;
  for (const c of changes) io.out(`  ${c.code} ${c.name}: ${standing(c.before)} → ${standing(c.after)}`);
  if (formsBehind)
    io.out(
      `Biểu mẫu của đợt vẫn hỏi theo bộ tiêu chí cũ: chạy dienhinh setup --campaign ${options.campaign} để cập nhật các câu hỏi thay đổi.`,
    );
};

/** `dienhinh score FILE`: score submissions from a JSON file against a registry. */
export const scoreCommand = async (file: string, options: ScoreOptions, io: CliIo): Promise<void> => {
  const [registry, set, submissions] = await Promise.all([
    loadRegistry(options.registry),
    loadCriteriaSet(options.criteria),
    loadSubmissions(file),
  ]);
  const score = scoreCampaign(registry, set, submissions);
  if (score.unknownSchoolCodes.length > 0) {
    throw new InputError(
      `Tệp bài nộp ${file} có mã trường không có trong danh sách trường: ${score.unknownSchoolCodes.join(", ")}.\n` +
        "Kiểm tra lại mã trường, hoặc bổ sung trường vào danh sách (--registry).",
    );
  }
  printScore(score, set, submissions, options.json ?? false, io);
};

export const printScore = (
  score: CampaignScore,
  set: CriteriaSet,
  submissions: readonly Submission[],
  json: boolean,
  io: CliIo,
): void => {
  if (json) {
    io.out(
      JSON.stringify(
        {
          criteriaSet: { id: set.id, version: set.version, title: set.title },
          submissions: submissions.length,
          summary: tallyByLevel(score.results),
          schools: score.results.map(({ school, status, evaluation }) => ({ school, status, evaluation })),
        },
        null,
        2,
      ),
    );
    return;
  }
  io.out(`${set.title} (phiên bản ${set.version}) · ${submissions.length} bài nộp\n`);
  io.out(formatSchoolResults(score.results));
};
