import { describe } from "vitest";
import { faultHolds } from "./holds.js";
import { smtpFault } from "./smtp.js";

describe("fault: no email sent twice or lost through a relay that drops connections", () =>
  faultHolds(smtpFault));
