import type { TestProject } from "vitest/node";
import { startEmulator } from "../../functions/src/infra/emulators.js";

/**
 * One Google Cloud Firestore emulator for the whole test run (started in about 2 s), shared by the
 * projects that need it, unless FIRESTORE_EMULATOR_HOST already names one. Tests isolate
 * themselves by campaign id, so the suite also passes again against one long-lived emulator.
 */
declare module "vitest" {
  export interface ProvidedContext {
    firestoreHost: string;
  }
}

type Shared = { host: Promise<string>; users: number; stop?: () => Promise<void> };
const registry = globalThis as typeof globalThis & { __dienhinhEmulator?: Shared };

export default async function setup(project: TestProject) {
  const external = process.env.FIRESTORE_EMULATOR_HOST;
  if (external) {
    project.provide("firestoreHost", external);
    return;
  }
  if (!registry.__dienhinhEmulator) {
    const shared: Shared = { users: 0, host: Promise.resolve("") };
    shared.host = startEmulator("firestore").then((emulator) => {
      shared.stop = emulator.stop;
      return emulator.host;
    });
    registry.__dienhinhEmulator = shared;
  }
  const shared = registry.__dienhinhEmulator;
  shared.users++;
  project.provide("firestoreHost", await shared.host);
  return async () => {
    if (--shared.users > 0) return;
    registry.__dienhinhEmulator = undefined;
    await shared.stop?.();
  };
}
