import { loadCriteriaSet } from "../../data/criteria-file.js";
import type { CliIo } from "../io.js";
import { formatCriteriaSet } from "../print.js";

export interface CriteriaOptions {
  criteria?: string;
  json?: boolean;
}

/** `dienhinh criteria`: print the active criteria set, validated. */
export const criteriaCommand = async (options: CriteriaOptions, io: CliIo): Promise<void> => {
  const set = await loadCriteriaSet(options.criteria);
  io.out(options.json ? JSON.stringify(set, null, 2) : formatCriteriaSet(set));
};
