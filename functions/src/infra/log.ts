import type { Logger } from "../app/deps.js";

/** JSON lines with a `severity`, the shape Cloud Logging reads from a function's or a job's output. */
export const jsonLogger = (write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger => {
  const at = (severity: string) => (message: string, fields?: Record<string, unknown>) =>
    write(JSON.stringify({ severity, message, ...fields }));
  return { info: at("INFO"), warn: at("WARNING"), error: at("ERROR") };
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
