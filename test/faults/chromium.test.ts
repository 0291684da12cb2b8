import { describe } from "vitest";
import { chromiumFault } from "./chromium.js";
import { faultHolds } from "./holds.js";

describe("fault: a frozen Chromium is replaced within one deadline", () => faultHolds(chromiumFault));
