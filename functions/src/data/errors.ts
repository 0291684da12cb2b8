import { z } from "zod";
import { InputError } from "../errors.js";

// Users read validation messages: zod speaks Vietnamese for its built-in checks, and a missing
// value says so plainly instead of "expected a number, received undefined".
z.config({
  ...z.locales.vi(),
  customError: (issue) =>
    issue.code === "invalid_type" && issue.input === undefined ? "thiếu, cần khai báo" : undefined,
});

export interface DataIssue {
  /** Where in the file, as people read it: "criteria[2].indicators[0].threshold.op". */
  path: string;
  /** Line in the file, when known (1-based). */
  line?: number;
  message: string;
}

/**
 * A data file (criteria set, registry, office profile, submissions) that cannot be used. The
 * message names the file, the place inside it and what is wrong, so it can be fixed by hand.
 */
export class DataFileError extends InputError {
  constructor(
    readonly file: string,
    readonly what: string,
    readonly issues: readonly DataIssue[],
  ) {
    super(
      [
        `${what} ${file} không hợp lệ:`,
        ...issues.map(
          (i) => `  - ${i.path || "(toàn tệp)"}${i.line ? ` (dòng ${i.line})` : ""}: ${i.message}`,
        ),
      ].join("\n"),
    );
  }
}

/** ["criteria", 2, "indicators", 0, "id"] → "criteria[2].indicators[0].id". */
export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    "",
  );

export const zodIssues = (
  error: z.ZodError,
  lineOf?: (path: readonly PropertyKey[]) => number | undefined,
  placeOf?: (path: readonly PropertyKey[]) => string | undefined,
) =>
  error.issues.map((issue): DataIssue => {
    const line = lineOf?.(issue.path);
    const place = placeOf?.(issue.path);
    const path = formatPath(issue.path);
    return { path: place ? `${place} (${path})` : path, message: issue.message, ...(line ? { line } : {}) };
  });
