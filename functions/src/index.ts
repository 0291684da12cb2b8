/**
 * Cloud Functions entry point (package.json "main"). Configuration is parsed at start, so a
 * missing value stops the instance with a message saying what to set; clients are built on first
 * use, not at import. The request guard is put in front of the server the Functions Framework
 * creates next (request-guard.ts): size, encoding and type checked, the body read and parsed by us.
 */
import { parseConfig, processEnvironment, roleOfTarget } from "./config.js";
import { buildDeps } from "./deps.js";
import { googleOidcVerifier } from "./functions/auth.js";
import type { FunctionDeps } from "./functions/handlers.js";
import { registerFunctions } from "./functions/register.js";
import { installRequestGuard } from "./functions/request-guard.js";
import { jsonLogger } from "./infra/log.js";

const variables = processEnvironment();
const config = parseConfig(variables, roleOfTarget(variables.FUNCTION_TARGET));

let deps: Promise<FunctionDeps> | undefined;
const provide = () => {
  deps ??= buildDeps(config, { log: jsonLogger(), schoolsTtlMs: 30_000 }).then((app) => ({
    app,
    layout: app.layout,
    ...(config.oidc
      ? {
          oidc: googleOidcVerifier({
            audience: config.oidc.audience,
            allowedEmails: config.oidc.emails,
            ...(config.oidc.certs ? { certs: config.oidc.certs } : {}),
          }),
        }
      : {}),
    ...(config.watchTopic ? { watchTopic: config.watchTopic } : {}),
  }));
  return deps;
};

registerFunctions(provide);
installRequestGuard(variables.FUNCTION_TARGET);
