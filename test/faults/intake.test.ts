import { describe } from "vitest";
import { faultHolds } from "./holds.js";
import { intakeFault } from "./intake.js";

describe("fault: no response lost, and no form stalled, when some are oversized", () =>
  faultHolds(intakeFault));
