import type { Firestore } from "@google-cloud/firestore";
import { type AppDeps, cachedSchools, silentLogger } from "../app/deps.js";
import { type Config, ConfigError, parseConfig, type Role } from "../config.js";
import { loadSheetLayout } from "../data/sheet-layout-file.js";
import { type Campaign, layoutOf } from "../domain/campaign.js";
import type { SheetLayout } from "../domain/sheet-layout.js";
import { type RunningEmulator, startEmulator } from "../infra/emulators.js";
import { createFirestore } from "../infra/firestore.js";
import { type FormsGateway, formsGatewayFor } from "../infra/forms-api.js";
import { UserError } from "./errors.js";

/** The configuration (src/config.ts), read once per command; a mistake is the user's to fix. */
export const parseCliEnv = (env: Record<string, string | undefined>, role: Role = "cli"): Config => {
  try {
    return parseConfig(env, role);
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message);
    throw error;
  }
};
export type CliEnv = Config;

/** The sheet layout a command uses: the file given, else the campaign's own, else the deployment's. */
export const layoutFor = async (
  campaign: Pick<Campaign, "sheetLayout">,
  file?: string,
): Promise<SheetLayout> => (file ? loadSheetLayout(file) : layoutOf(campaign, await loadSheetLayout()));

export interface Store {
  db: Firestore;
  /** Where the data lives, for messages. */
  where: string;
  close: () => Promise<void>;
}

/**
 * Firestore for a command: the emulator FIRESTORE_EMULATOR_HOST names, the project
 * GOOGLE_CLOUD_PROJECT names, or (with `ephemeral`) an emulator started for this command alone.
 */
export const openStore = async (env: CliEnv, options: { ephemeral?: boolean } = {}): Promise<Store> => {
  process.env.METADATA_SERVER_DETECTION ??= "none";
  if (env.FIRESTORE_EMULATOR_HOST) {
    const db = createFirestore({
      projectId: env.GOOGLE_CLOUD_PROJECT ?? "demo-dienhinh",
      emulatorHost: env.FIRESTORE_EMULATOR_HOST,
    });
    return { db, where: `Firestore emulator ${env.FIRESTORE_EMULATOR_HOST}`, close: () => db.terminate() };
  }
  if (env.GOOGLE_CLOUD_PROJECT && !options.ephemeral) {
    const db = createFirestore({ projectId: env.GOOGLE_CLOUD_PROJECT });
    return { db, where: `Firestore của dự án ${env.GOOGLE_CLOUD_PROJECT}`, close: () => db.terminate() };
  }
  if (!options.ephemeral) {
    throw new UserError(
      "Chưa chọn nơi lưu dữ liệu. Đặt GOOGLE_CLOUD_PROJECT (Firestore thật), hoặc chạy `dienhinh emulator` " +
        "rồi đặt FIRESTORE_EMULATOR_HOST theo địa chỉ nó in ra.",
    );
  }
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator("firestore");
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  const db = createFirestore({ projectId: "demo-dienhinh", emulatorHost: emulator.host });
  return {
    db,
    where: `Firestore emulator tạm thời ${emulator.host}`,
    close: async () => {
      await db.terminate();
      await emulator.stop();
    },
  };
};

/** The Forms API: Google's (application default credentials), or the server DIENHINH_GOOGLE_ROOT_URL names. */
export const formsGateway = (env: CliEnv): FormsGateway => formsGatewayFor(env.DIENHINH_GOOGLE_ROOT_URL);

export const cliDeps = (db: Firestore, forms?: FormsGateway): AppDeps => ({
  db,
  ...(forms ? { forms } : {}),
  clock: () => new Date(),
  log: silentLogger,
  schools: cachedSchools(db, 0),
});
