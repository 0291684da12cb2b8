import { type Config, parseConfig, type Role } from "../config.js";
import { loadSheetLayout } from "../data/sheet-layout-file.js";
import { type BuildOptions, buildDeps, type Deps } from "../deps.js";
import { type Campaign, layoutOf } from "../domain/campaign.js";
import type { SheetLayout } from "../domain/sheet-layout.js";

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
