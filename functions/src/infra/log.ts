/** Where the program says what it did: a function's or a job's log, or nothing (tests). */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** JSON lines with a `severity`, the shape Cloud Logging reads from a function's or a job's output. */
export const jsonLogger = (write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger => {
  const at = (severity: string) => (message: string, fields?: Record<string, unknown>) =>
    write(JSON.stringify({ severity, message, ...fields }));
  return { info: at("INFO"), warn: at("WARNING"), error: at("ERROR") };
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
