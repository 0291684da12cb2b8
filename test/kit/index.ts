/**
 * The test kit: local servers that speak Google's REST paths (Forms, Sheets, Drive, Gmail), an
 * SMTP sink, a campaign in the emulator, fixtures, and the CLI run in-process. Tests import it from here.
 */
export * from "./campaign.js";
export * from "./cli.js";
export * from "./criteria-change.js";
export * from "./fixtures.js";
export * from "./forms-server.js";
export * from "./google.js";
export * from "./google-errors.js";
export * from "./incident.js";
export * from "./inspection.js";
export * from "./mail-drive-server.js";
export * from "./oidc.js";
export * from "./sheets-server.js";
export * from "./smtp.js";
export * from "./smtp-faults.js";
