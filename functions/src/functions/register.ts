import * as ff from "@google-cloud/functions-framework";
import {
  type DepsProvider,
  ingestResponseHandler,
  onFormResponsesHandler,
  reconcileHandler,
} from "./handlers.js";

/** Register dienhinh's functions with the Functions Framework, with the given dependencies. */
export const registerFunctions = (provide: DepsProvider): void => {
  ff.http("ingestResponse", ingestResponseHandler(provide));
  ff.http("reconcile", reconcileHandler(provide));
  ff.cloudEvent("onFormResponses", onFormResponsesHandler(provide));
};
