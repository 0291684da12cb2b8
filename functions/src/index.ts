/**
 * Cloud Functions entry point (package.json "main"). Configuration is parsed at start, so a
 * missing value stops the instance with a message saying what to set; clients are built on first
 * use, not at import.
 */
import { cachedSchools, jsonLogger } from "./app/deps.js";
import { parseConfig, projectOf, roleOfTarget, sheetPacing } from "./config.js";
import { loadSheetLayout } from "./data/sheet-layout-file.js";
import { googleOidcVerifier } from "./functions/auth.js";
import type { FunctionDeps } from "./functions/handlers.js";
import { registerFunctions } from "./functions/register.js";
import { createFirestore } from "./infra/firestore.js";
import { formsGatewayFor } from "./infra/forms-api.js";
import { sheetsGatewayFor } from "./infra/sheets-api.js";

const config = parseConfig(process.env, roleOfTarget(process.env.FUNCTION_TARGET));

let deps: Promise<FunctionDeps> | undefined;
const provide = () => {
  deps ??= Promise.resolve().then(async () => {
    const db = createFirestore({
      projectId: projectOf(config) ?? "",
      ...(config.FIRESTORE_EMULATOR_HOST ? { emulatorHost: config.FIRESTORE_EMULATOR_HOST } : {}),
    });
    const forms = formsGatewayFor(config.DIENHINH_GOOGLE_ROOT_URL);
    return {
      app: {
        db,
        forms,
        sheets: {
          gateway: sheetsGatewayFor(config.DIENHINH_GOOGLE_ROOT_URL),
          ...sheetPacing(config),
          layout: await loadSheetLayout(),
        },
        clock: () => new Date(),
        log: jsonLogger(),
        schools: cachedSchools(db),
      },
      ...(config.DIENHINH_HMAC_SECRET ? { hmacSecret: config.DIENHINH_HMAC_SECRET } : {}),
      ...(config.DIENHINH_OIDC_AUDIENCE && config.DIENHINH_OIDC_EMAILS
        ? {
            oidc: googleOidcVerifier({
              audience: config.DIENHINH_OIDC_AUDIENCE,
              allowedEmails: config.DIENHINH_OIDC_EMAILS,
              ...(config.DIENHINH_OIDC_CERTS ? { certs: config.DIENHINH_OIDC_CERTS } : {}),
            }),
          }
        : {}),
      ...(config.DIENHINH_WATCH_TOPIC ? { watchTopic: config.DIENHINH_WATCH_TOPIC } : {}),
    };
  });
  return deps;
};

registerFunctions(provide);
