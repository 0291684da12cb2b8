import * as ff from "@google-cloud/functions-framework";
import {
  type DepsProvider,
  ingestResponseHandler,
  onFormResponsesHandler,
  reconcileHandler,
} from "./handlers.js";
import { statusPageHandler } from "./status-page.js";

/** The deployed functions and the signature type each is served with (`dienhinh serve`, deploy). */
export const FUNCTIONS = [
  { name: "ingestResponse", signature: "http" },
  { name: "reconcile", signature: "http" },
  { name: "onFormResponses", signature: "cloudevent" },
  { name: "statusPage", signature: "http" },
] as const;
export type FunctionName = (typeof FUNCTIONS)[number]["name"];

/** Register dienhinh's functions with the Functions Framework, with the given dependencies. */
export const registerFunctions = (provide: DepsProvider): void => {
  ff.http("ingestResponse", ingestResponseHandler(provide));
  ff.http("reconcile", reconcileHandler(provide));
  ff.cloudEvent("onFormResponses", onFormResponsesHandler(provide));
  ff.http("statusPage", statusPageHandler(provide));
};
