/**
 * Writes the sample submissions file (functions/data/sample/bai-nop-mau.json) from the sample
 * registry and the default criteria set, for `dienhinh score` demos. A test keeps it in step.
 * Run: npm run sample:generate
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { loadCriteriaSet } from "../data/criteria-file.js";
import { loadRegistry } from "../data/registry-csv.js";
import { sampleSubmissions } from "./sample-submissions.js";

export const SAMPLE_SUBMISSIONS_FILE = fileURLToPath(
  new URL("../../data/sample/bai-nop-mau.json", import.meta.url),
);

export const sampleSubmissionsJson = async (): Promise<string> => {
  const submissions = sampleSubmissions(await loadRegistry(), await loadCriteriaSet());
  return `${JSON.stringify({ submissions }, null, 2)}\n`;
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(SAMPLE_SUBMISSIONS_FILE, await sampleSubmissionsJson());
  console.log(`Đã ghi ${SAMPLE_SUBMISSIONS_FILE}`);
}
