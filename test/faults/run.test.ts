import { describe } from "vitest";
import { faultHolds } from "./holds.js";
import { runFault } from "./run.js";

describe("fault: the main job says what it could not finish, and fails fast without Firestore", () =>
  faultHolds(runFault));
