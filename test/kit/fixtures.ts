import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DEFAULT_CRITERIA_FILE, parseCriteriaSet } from "../../functions/src/data/criteria-file.js";
import type { Answer } from "../../functions/src/domain/answers.js";
import type { CriteriaSet } from "../../functions/src/domain/criteria.js";
import type { SchoolLevel } from "../../functions/src/domain/levels.js";
import type { SchoolRef } from "../../functions/src/domain/school.js";

export const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export const loadSetSync = (file: string): CriteriaSet => parseCriteriaSet(readFileSync(file, "utf8"), file);

export const defaultSet = (): CriteriaSet => loadSetSync(DEFAULT_CRITERIA_FILE);
export const trafficSet = (): CriteriaSet => loadSetSync(fixture("criteria-giao-thong.yaml"));

export const schoolAt = (level: SchoolLevel, code = `T-${level}`): SchoolRef => ({
  code,
  name: `Trường thử ${level}`,
  levels: [level],
});

export const answer = (value: Answer["value"], files: string[] = [], notApplicable = false): Answer => ({
  value,
  files,
  notApplicable,
});
