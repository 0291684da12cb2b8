import { fileURLToPath } from "node:url";
import { type CriteriaSet, criteriaSetSchema } from "../domain/criteria.js";
import { parseYamlData, readDataFile } from "./yaml-file.js";

/** The criteria set shipped with dienhinh; an office points a campaign at its own copy. */
export const DEFAULT_CRITERIA_FILE = fileURLToPath(
  new URL("../../data/criteria/mac-dinh.yaml", import.meta.url),
);

const WHAT = "Tệp bộ tiêu chí";

/**
 * Every problem of the file at once, each with its line: the schema's cross checks (duplicated
 * ids, accepted options, min and max) run even when other values are wrong.
 */
export const parseCriteriaSet = (text: string, file: string): CriteriaSet =>
  parseYamlData(text, file, WHAT, criteriaSetSchema);

export const loadCriteriaSet = async (file: string = DEFAULT_CRITERIA_FILE): Promise<CriteriaSet> =>
  parseCriteriaSet(await readDataFile(file, WHAT), file);
