import { chromiumFault } from "./chromium.js";
import type { Fault } from "./fault.js";
import { hostileFault } from "./hostile.js";
import { intakeFault } from "./intake.js";
import { runFault } from "./run.js";
import { smtpFault } from "./smtp.js";

/** Every fault of the suite, in the order the table shows them. */
export const FAULTS: readonly Fault[] = [smtpFault, intakeFault, hostileFault, chromiumFault, runFault];
export type { Fault, FaultContext, FaultRow } from "./fault.js";
