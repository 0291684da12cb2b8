import { loadCriteriaSet } from "../../data/criteria-file.js";
import { loadOfficeProfile } from "../../data/office-file.js";
import { loadRegistry } from "../../data/registry-csv.js";
import { scoreCampaign } from "../../domain/campaign-score.js";
import { sampleSubmissions } from "../../sample/sample-submissions.js";
import type { CliIo } from "../io.js";
import { printScore } from "./score.js";

export interface RunOptions {
  registry?: string;
  criteria?: string;
  office?: string;
  json?: boolean;
}

/**
 * `dienhinh run`: the main job. For now it loads the registry (the sample one by default), the
 * office profile and the criteria set, scores the deterministic sample submissions and prints
 * the result per school and level.
 */
export const runCommand = async (options: RunOptions, io: CliIo): Promise<void> => {
  const [registry, set, office] = await Promise.all([
    loadRegistry(options.registry),
    loadCriteriaSet(options.criteria),
    loadOfficeProfile(options.office),
  ]);
  const submissions = sampleSubmissions(registry, set);
  if (!options.json) {
    io.out(`${office.parentBody} · ${office.issuingBody}${office.sample ? " (dữ liệu mẫu)" : ""}`);
    io.out(`${registry.length} trường · ${submissions.length} bài nộp mẫu\n`);
  }
  printScore(scoreCampaign(registry, set, submissions), set, submissions, options.json ?? false, io);
};
