import { Firestore } from "@google-cloud/firestore";

/**
 * The Firestore client. Against an emulator (FIRESTORE_EMULATOR_HOST or an explicit host) it uses
 * no credentials; in production it uses the function's service account.
 */
export const createFirestore = (options: { projectId: string; emulatorHost?: string }): Firestore =>
  new Firestore({
    projectId: options.projectId,
    ignoreUndefinedProperties: true,
    ...(options.emulatorHost
      ? {
          host: options.emulatorHost,
          ssl: false,
          customHeaders: { Authorization: "Bearer owner" },
          // Named, so the client does not ask the metadata server for credentials it has no use for.
          universeDomain: "googleapis.com",
        }
      : {}),
  });
