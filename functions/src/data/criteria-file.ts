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
  parseYamlData(text, file, WHAT, criteriaSetSchema, placeInSet);

/**
 * "Tiêu chí 2, chỉ tiêu 2.3": where a problem is, as the office numbers its criteria (their ids
 * as written, else counted from 1).
 */
export const placeInSet = (path: readonly PropertyKey[], data: unknown): string | undefined => {
  const [top, c, below, i] = path;
  if (top !== "criteria" || typeof c !== "number") return undefined;
  type Raw = { id?: unknown; indicators?: Array<{ id?: unknown }> };
  const criterion = (data as { criteria?: Raw[] } | undefined)?.criteria?.[c];
  const named = (id: unknown, counted: string) =>
    typeof id === "string" || typeof id === "number" ? String(id) : counted;
  const place = `Tiêu chí ${named(criterion?.id, String(c + 1))}`;
  if (below !== "indicators" || typeof i !== "number") return place;
  return `${place}, chỉ tiêu ${named(criterion?.indicators?.[i]?.id, `${c + 1}.${i + 1}`)}`;
};

export const loadCriteriaSet = async (file: string = DEFAULT_CRITERIA_FILE): Promise<CriteriaSet> =>
  parseCriteriaSet(await readDataFile(file, WHAT), file);
