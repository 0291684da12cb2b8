import { readFile } from "node:fs/promises";
import { isCollection, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { DataFileError, zodIssues } from "./errors.js";

/**
 * Parse YAML text (JSON is valid YAML) and validate it with a schema. Errors carry the line of
 * the offending value, or of the nearest enclosing one when a key is missing.
 */
export const parseYamlData = <S extends z.ZodType>(
  text: string,
  file: string,
  what: string,
  schema: S,
  /** The place of a path in the office's words ("Tiêu chí 2, chỉ tiêu 2.3"), from the data as read. */
  placeOf?: (path: readonly PropertyKey[], data: unknown) => string | undefined,
): z.output<S> => {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new DataFileError(
      file,
      what,
      doc.errors.map((e) => ({
        path: "",
        line: lineCounter.linePos(e.pos[0]).line,
        message: `lỗi cú pháp YAML: ${e.message.split("\n")[0]}`,
      })),
    );
  }
  const result = schema.safeParse(doc.toJS());
  if (result.success) return result.data;
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as unknown[], true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range && (depth > 0 || isCollection(node))) return lineCounter.linePos(range[0]).line;
    }
    return undefined;
  };
  const data = doc.toJS();
  throw new DataFileError(
    file,
    what,
    zodIssues(result.error, lineOf, placeOf && ((path) => placeOf(path, data))),
  );
};

export const readDataFile = async (file: string, what: string): Promise<string> =>
  (await readDataBytes(file, what)).toString("utf8");

/** A data file's bytes (for a file whose encoding is found from them), or a message why not. */
export const readDataBytes = async (file: string, what: string): Promise<Buffer> => {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "không tìm thấy tệp" : `không đọc được tệp (${code ?? String(error)})`;
    throw new DataFileError(file, what, [{ path: "", message: reason }]);
  }
};
