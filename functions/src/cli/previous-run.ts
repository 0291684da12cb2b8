import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { DOCUMENT_KINDS } from "../domain/documents.js";

/**
 * The files a previous `dienhinh run` wrote into the output folder for a campaign that is gone:
 * without FIRESTORE_EMULATOR_HOST each run is a new campaign in a temporary emulator, so its
 * documents and messages replace the last run's rather than lie beside them (a clerk counting
 * out/outbox would count both). Only what the run itself names is removed: documents named
 * "{kind}-…" (.pdf, .docx) in reports/ and messages named by their 40-hex-digit key in outbox/.
 */
const OURS = {
  reports: new RegExp(`^(?:${DOCUMENT_KINDS.join("|")})-[^/]+\\.(?:pdf|docx)$`, "u"),
  outbox: /^[0-9a-f]{40}\.eml$/u,
} as const;

/** Removes them; returns how many there were. */
export const clearPreviousRun = async (outDir: string): Promise<number> => {
  let removed = 0;
  for (const [folder, pattern] of Object.entries(OURS)) {
    const dir = join(outDir, folder);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => pattern.test(n))) {
      await rm(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
};
