import { describe } from "vitest";
import { faultHolds } from "./holds.js";
import { hostileFault } from "./hostile.js";

describe("fault: no HTTP 500 and no runaway memory under hostile requests", () => faultHolds(hostileFault));
