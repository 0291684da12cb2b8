import { type Config, parseConfig, type Role } from "../config.js";
import { loadSheetLayout } from "../data/sheet-layout-file.js";
import { type BuildOptions, buildDeps, type Deps } from "../deps.js";
import { type Campaign, campaignSchema, layoutOf } from "../domain/campaign.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import { InputError } from "../errors.js";
import { SAMPLE_SCHOOL_YEAR } from "../sample/sample-submissions.js";

export type Env = Record<string, string | undefined>;

/** The configuration (src/config.ts), read once per command. */
export const configFor = (env: Env, role: Role = "cli"): Config => parseConfig(env, role);

/** Run a command's work with everything built for it (deps.ts), and closed after, whatever happens. */
export const withDeps = async <T>(
  config: Config,
  options: BuildOptions,
  work: (deps: Deps) => Promise<T>,
): Promise<T> => {
  const deps = await buildDeps(config, options);
  try {
    return await work(deps);
  } finally {
    await deps.close();
  }
};

/** The sheet layout a command uses: the file given, else the campaign's own, else the deployment's. */
export const layoutFor = async (
  deps: Pick<Deps, "layout">,
  campaign: Pick<Campaign, "sheetLayout">,
  file?: string,
): Promise<SheetLayout> => (file ? loadSheetLayout(file) : layoutOf(campaign, deps.layout));

/**
 * The school year a command works on: the one given, or the sample's for a run on the sample data.
 * Never the date the program runs on: a campaign carries its own year (a run in December prints the
 * cycle that just ended, not the one starting).
 */
export const campaignYear = (given: string | undefined, ownData: string | boolean | undefined): string => {
  if (given) {
    const parsed = campaignSchema.shape.schoolYear.safeParse(given);
    if (!parsed.success)
      throw new InputError(`--school-year "${given}": ${parsed.error.issues[0]?.message ?? "không hợp lệ"}.`);
    return parsed.data;
  }
  if (ownData)
    throw new InputError(
      "Ghi năm học của đợt đánh giá: --school-year 2025-2026 (năm học có kỳ đánh giá từ 16/11/2025 đến 15/11/2026).",
    );
  return SAMPLE_SCHOOL_YEAR;
};
