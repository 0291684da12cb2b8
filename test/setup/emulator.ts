import type { TestProject } from "vitest/node";
import { startEmulator } from "../../functions/src/infra/emulators.js";

/**
 * One Google Cloud Firestore emulator for the whole test run (started in about 2 s), unless
 * FIRESTORE_EMULATOR_HOST already names one. Test files isolate themselves by campaign id.
 */
declare module "vitest" {
  export interface ProvidedContext {
    firestoreHost: string;
  }
}

export default async function setup(project: TestProject) {
  process.env.METADATA_SERVER_DETECTION = "none";
  const external = process.env.FIRESTORE_EMULATOR_HOST;
  if (external) {
    project.provide("firestoreHost", external);
    return;
  }
  const emulator = await startEmulator("firestore");
  project.provide("firestoreHost", emulator.host);
  return async () => emulator.stop();
}
