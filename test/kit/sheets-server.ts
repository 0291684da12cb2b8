import { randomBytes, randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { sheets_v4 } from "googleapis/build/src/apis/sheets/index.js";
import { ApiError, invalid, type Obj, type RecordedRequest, STATUS } from "./google-errors.js";

/**
 * A local server that answers the Google Sheets API v4 REST paths googleapis calls (plus Drive's
 * permissions.create, for sharing), keeps spreadsheets and their cells in memory, records every
 * request and can be told to fail. Point a client at it with `rootUrl: server.url`.
 *
 * Formulas are stored, never evaluated; formats and dimension properties are recorded as the
 * requests that set them, not applied. A tab's basic filter is kept as the real API keeps it: one
 * per sheet (`sheets[].basicFilter`), replaced by setBasicFilter, removed by clearBasicFilter; its
 * criteria are not applied (no row is hidden).
 */
export type CellValue = string | number | boolean | { formula: string };

export interface SheetTab {
  properties: {
    sheetId: number;
    title: string;
    index: number;
    gridProperties: {
      rowCount: number;
      columnCount: number;
      frozenRowCount?: number;
      frozenColumnCount?: number;
    };
    [k: string]: unknown;
  };
  /** Row-major, sparse (a missing row or cell is empty). */
  cells: CellValue[][];
  /** As added, with their protectedRangeId. */
  protectedRanges: Array<Record<string, unknown>>;
  conditionalFormats: Array<Record<string, unknown>>;
  dataValidations: Array<{ range: Record<string, unknown>; rule: unknown }>;
  /** repeatCell / updateBorders / mergeCells requests as received, e.g. `{ repeatCell: {...} }`. */
  formats: Array<Record<string, unknown>>;
  /** The tab's basic filter, as set (at most one per sheet, as in Google Sheets). */
  basicFilter?: sheets_v4.Schema$BasicFilter;
  /** updateDimensionProperties requests as received: `{ updateDimensionProperties: {...} }`. */
  dimensions: Array<Record<string, unknown>>;
  /** As added, with their chartId. */
  charts: Array<Record<string, unknown>>;
}

export interface StoredSpreadsheet {
  spreadsheetId: string;
  properties: Record<string, unknown>;
  sheets: SheetTab[];
  permissions: Array<Record<string, unknown>>;
}

export interface SheetsServer {
  url: string;
  /** A successful write replaces `sheets` of the stored spreadsheet (batchUpdate is atomic): re-read tabs after one. */
  spreadsheets: Map<string, StoredSpreadsheet>;
  requests: RecordedRequest[];
  /** Requests that write: POST/PUT/DELETE to a spreadsheet (batchUpdate, values:batchUpdate, values update, create). */
  writes(): RecordedRequest[];
  /**
   * Answer the next `count` requests with this status (429 → RESOURCE_EXHAUSTED, 503 → UNAVAILABLE,
   * 500 → INTERNAL), Google-shaped error body; with `only`, just the requests whose method and
   * path it matches (e.g. `{ method: "POST", path: /values:batchUpdate$/ }`).
   */
  failNext(count: number, status: number, only?: { method?: string; path?: RegExp }): void;
  /** The values of a tab as a dense grid trimmed like values.get (for assertions). */
  values(spreadsheetId: string, title: string): CellValue[][];
  /** Staff typing: set cells starting at an A1 cell, e.g. setValues(id, "'Theo dõi'!N5", [["Không đạt", "ghi chú"]]). */
  setValues(spreadsheetId: string, a1: string, values: CellValue[][]): void;
  /** Drift helpers for tests: remove a tab; move a column (0-based) within a tab, cells moving with it. */
  deleteTab(spreadsheetId: string, title: string): void;
  /** Afterwards the column that was at `from` is at `to` (both 0-based). */
  moveColumn(spreadsheetId: string, title: string, from: number, to: number): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// A1 notation

export interface A1Range {
  title: string;
  /** 0-based; ends exclusive and absent when open (`A:C` has no endRow, `3:5` no endColumn). */
  startRow: number;
  endRow?: number;
  startColumn: number;
  endColumn?: number;
}

const columnIndex = (letters: string) =>
  [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

export const columnName = (index: number): string => {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
};

/** Parse `Tab`, `'Tab ''x'''!A1:C5`, `Tab!A:C`, `Tab!A2:C`, `Tab!3:5`... Throws on anything else. */
export const parseA1 = (range: string): A1Range => {
  const quoted = /^'((?:[^']|'')+)'(?:!(.*))?$/su.exec(range);
  const bang = range.lastIndexOf("!");
  if (range.startsWith("'") && !quoted) throw new Error(`Unable to parse range: ${range}`);
  const title = quoted ? (quoted[1] ?? "").replaceAll("''", "'") : bang < 0 ? range : range.slice(0, bang);
  const cells = quoted ? quoted[2] : bang < 0 ? undefined : range.slice(bang + 1);
  if (!title) throw new Error(`Unable to parse range: ${range}`);
  if (cells === undefined) return { title, startRow: 0, startColumn: 0 };
  const parts = cells.split(":").map((p) => /^([A-Za-z]{0,3})(\d*)$/u.exec(p));
  const [start, end] = parts;
  const bad = (m: RegExpExecArray | null | undefined) => !m || (!m[1] && !m[2]) || m[2] === "0";
  if (parts.length > 2 || bad(start) || (parts.length === 2 && bad(end)) || !start)
    throw new Error(`Unable to parse range: ${range}`);
  const sCol = start[1] ? columnIndex(start[1]) : 0;
  const sRow = start[2] ? Number(start[2]) - 1 : 0;
  if (!end) {
    if (!start[1] || !start[2]) throw new Error(`Unable to parse range: ${range}`);
    return { title, startRow: sRow, endRow: sRow + 1, startColumn: sCol, endColumn: sCol + 1 };
  }
  const result: A1Range = { title, startRow: sRow, startColumn: sCol };
  if (end[1]) {
    const eCol = columnIndex(end[1]);
    result.startColumn = Math.min(sCol, eCol);
    result.endColumn = Math.max(sCol, eCol) + 1;
  }
  if (end[2]) {
    const eRow = Number(end[2]) - 1;
    result.startRow = Math.min(sRow, eRow);
    result.endRow = Math.max(sRow, eRow) + 1;
  }
  return result;
};

/** Titles Google leaves unquoted in the ranges it echoes: plain identifiers that are not cell names. */
const quoteTitle = (title: string) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/u.test(title) && !/^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$/u.test(title)
    ? title
    : `'${title.replaceAll("'", "''")}'`;

interface Rect {
  startRow: number;
  endRow: number;
  startColumn: number;
  endColumn: number;
}

const formatRect = (title: string, r: Rect, alwaysQuote = false) => {
  const first = `${columnName(r.startColumn)}${r.startRow + 1}`;
  const last = `${columnName(r.endColumn - 1)}${r.endRow}`;
  const name = alwaysQuote ? `'${title.replaceAll("'", "''")}'` : quoteTitle(title);
  return `${name}!${first === last ? first : `${first}:${last}`}`;
};

// ---------------------------------------------------------------------------------------------
// Errors and small helpers

type Dimension = "ROWS" | "COLUMNS";

const sizeOf = (tab: SheetTab, dim: Dimension) =>
  dim === "ROWS" ? tab.properties.gridProperties.rowCount : tab.properties.gridProperties.columnCount;

const resize = (tab: SheetTab, dim: Dimension, size: number) => {
  if (dim === "ROWS") tab.properties.gridProperties.rowCount = size;
  else tab.properties.gridProperties.columnCount = size;
  remap(tab, dim, (i) => (i < size ? i : undefined));
};

/** The row at `i`, created if missing. */
const rowOf = <T>(grid: T[][], i: number): T[] => {
  const row = grid[i] ?? [];
  grid[i] = row;
  return row;
};

/** Move every cell along `dim` to `f(index)`; cells mapped to undefined are dropped. */
const remap = (tab: SheetTab, dim: Dimension, f: (i: number) => number | undefined) => {
  const next: CellValue[][] = [];
  tab.cells.forEach((row, r) => {
    row.forEach((value, c) => {
      const nr = dim === "ROWS" ? f(r) : r;
      const nc = dim === "COLUMNS" ? f(c) : c;
      if (value !== undefined && nr !== undefined && nc !== undefined) rowOf(next, nr)[nc] = value;
    });
  });
  tab.cells = next;
};

/** Google's moveDimension: `dest` counts positions before the move. */
const moveBlock = (tab: SheetTab, dim: Dimension, start: number, end: number, dest: number) => {
  if (dest >= start && dest <= end) return;
  const order = [...Array(sizeOf(tab, dim)).keys()];
  const block = order.splice(start, end - start);
  order.splice(dest > start ? dest - block.length : dest, 0, ...block);
  const position = new Map(order.map((old, now) => [old, now]));
  remap(tab, dim, (i) => position.get(i));
};

const setCell = (tab: SheetTab, r: number, c: number, value: CellValue | undefined) => {
  if (value === undefined || value === "") {
    const row = tab.cells[r];
    if (row) delete row[c];
  } else rowOf(tab.cells, r)[c] = value;
};

const trim = <T>(grid: Array<Array<T | undefined>>, empty: T): T[][] => {
  const rows = grid.map((row) => {
    let n = row.length;
    while (n > 0 && row[n - 1] === undefined) n--;
    return row.slice(0, n).map((v) => v ?? empty);
  });
  let m = rows.length;
  while (m > 0 && rows[m - 1]?.length === 0) m--;
  return rows.slice(0, m);
};

const cut = (tab: SheetTab, r: Rect): Array<Array<CellValue | undefined>> =>
  Array.from({ length: r.endRow - r.startRow }, (_, i) =>
    Array.from(
      { length: r.endColumn - r.startColumn },
      (_, j) => tab.cells[r.startRow + i]?.[r.startColumn + j],
    ),
  );

const transpose = <T>(grid: T[][]): T[][] => {
  const out: T[][] = [];
  grid.forEach((row, r) => {
    row.forEach((v, c) => {
      rowOf(out, c)[r] = v;
    });
  });
  return Array.from(out, (row) => row ?? []);
};

const tabByTitle = (doc: StoredSpreadsheet, title: string) =>
  doc.sheets.find((s) => s.properties.title === title);
const tabById = (doc: StoredSpreadsheet, sheetId: number | null | undefined) => {
  const tab = doc.sheets.find((s) => s.properties.sheetId === (sheetId ?? 0));
  if (!tab) throw invalid(`No grid with id: ${sheetId ?? 0}`);
  return tab;
};
const renumber = (doc: StoredSpreadsheet) =>
  doc.sheets.forEach((s, i) => {
    s.properties.index = i;
  });

const newId = (used: Iterable<unknown>) => {
  const taken = new Set(used);
  for (;;) {
    const id = randomInt(1, 2 ** 31 - 1);
    if (!taken.has(id)) return id;
  }
};

/** Resolve an A1 range against a spreadsheet; a bare `A1:B2` means the first sheet, as in Google. */
const resolve = (doc: StoredSpreadsheet, raw: string) => {
  let a1: A1Range;
  try {
    a1 = parseA1(raw);
  } catch {
    throw invalid(`Unable to parse range: ${raw}`);
  }
  let tab = tabByTitle(doc, a1.title);
  const first = doc.sheets[0];
  if (!tab && !raw.includes("!") && !raw.startsWith("'") && first) {
    try {
      a1 = parseA1(`'${first.properties.title.replaceAll("'", "''")}'!${raw}`);
      tab = first;
    } catch {
      // Not a cell range either: unknown tab.
    }
  }
  if (!tab) throw invalid(`Unable to parse range: ${raw}`);
  const { rowCount, columnCount } = tab.properties.gridProperties;
  const rect: Rect = {
    startRow: a1.startRow,
    endRow: a1.endRow ?? rowCount,
    startColumn: a1.startColumn,
    endColumn: a1.endColumn ?? columnCount,
  };
  if (rect.endRow > rowCount || rect.endColumn > columnCount || rect.startRow >= rect.endRow)
    throw exceeds(tab, rect);
  if (rect.startColumn >= rect.endColumn) throw exceeds(tab, rect);
  return { tab, a1, rect };
};

const exceeds = (tab: SheetTab, rect: Rect) => {
  const { rowCount, columnCount } = tab.properties.gridProperties;
  const shown = { ...rect, endRow: Math.max(rect.endRow, rect.startRow + 1) };
  shown.endColumn = Math.max(shown.endColumn, shown.startColumn + 1);
  return invalid(
    `Range (${formatRect(tab.properties.title, shown, true)}) exceeds grid limits. Max rows: ${rowCount}, max columns: ${columnCount}`,
  );
};

/** A GridRange must name an existing sheet (absent sheetId = 0) and lie within its grid. */
const checkGrid = (doc: StoredSpreadsheet, range: sheets_v4.Schema$GridRange | null | undefined) => {
  const tab = tabById(doc, range?.sheetId);
  const { rowCount, columnCount } = tab.properties.gridProperties;
  const rect: Rect = {
    startRow: range?.startRowIndex ?? 0,
    endRow: range?.endRowIndex ?? rowCount,
    startColumn: range?.startColumnIndex ?? 0,
    endColumn: range?.endColumnIndex ?? columnCount,
  };
  if (rect.startRow > rect.endRow || rect.startColumn > rect.endColumn)
    throw invalid("Invalid range: start index must not be after end index");
  if (rect.startRow < 0 || rect.startColumn < 0 || rect.endRow > rowCount || rect.endColumn > columnCount)
    throw exceeds(tab, rect);
  return tab;
};

const checkDimension = (
  doc: StoredSpreadsheet,
  range: sheets_v4.Schema$DimensionRange | null | undefined,
  { insert = false } = {},
) => {
  const tab = tabById(doc, range?.sheetId);
  const dim = range?.dimension as Dimension;
  if (dim !== "ROWS" && dim !== "COLUMNS") throw invalid(`Invalid dimension: ${dim}`);
  const size = sizeOf(tab, dim);
  const start = range?.startIndex ?? 0;
  const end = range?.endIndex ?? size;
  if (start < 0 || end <= start) throw invalid("Invalid range: start index must be before end index");
  if ((insert ? start : end) > size)
    throw invalid(
      `Range (${dim} ${start}:${end}) exceeds grid limits. Max rows: ${tab.properties.gridProperties.rowCount}, max columns: ${tab.properties.gridProperties.columnCount}`,
    );
  return { tab, dim, start, end, size };
};

/** Field masks: `a,b.c`, `gridProperties(rowCount,frozenRowCount)`, `*`. */
const fieldPaths = (fields: string, prefix = ""): string[] => {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  const flush = (to: number) => {
    const part = fields.slice(from, to).trim();
    const open = part.indexOf("(");
    if (open < 0) {
      if (part) out.push(prefix + part);
    } else out.push(...fieldPaths(part.slice(open + 1, -1), `${prefix}${part.slice(0, open)}.`));
  };
  for (let i = 0; i < fields.length; i++) {
    if (fields[i] === "(") depth++;
    else if (fields[i] === ")") depth--;
    else if (fields[i] === "," && depth === 0) {
      flush(i);
      from = i + 1;
    }
  }
  flush(fields.length);
  return out;
};

const applyFields = (target: Obj, source: Obj, fields: string | null | undefined, keep: string[] = []) => {
  if (!fields) throw invalid("At least one field must be specified in 'fields'");
  for (const path of fieldPaths(fields)) {
    if (path === "*") {
      for (const [key, value] of Object.entries(source)) {
        if (keep.includes(key)) continue;
        target[key] =
          value && typeof value === "object" && !Array.isArray(value)
            ? { ...(target[key] as Obj), ...(value as Obj) }
            : value;
      }
      continue;
    }
    const keys = path.split(".");
    if (keep.includes(keys[0] ?? "")) continue;
    let from: unknown = source;
    for (const key of keys) from = (from as Obj | undefined)?.[key];
    let into = target;
    for (const key of keys.slice(0, -1)) {
      if (typeof into[key] !== "object" || into[key] === null) into[key] = {};
      into = into[key] as Obj;
    }
    const last = keys[keys.length - 1] ?? "";
    if (from === undefined || from === null) delete into[last];
    else into[last] = from;
  }
};

// ---------------------------------------------------------------------------------------------
// Values

type RenderOption = "FORMATTED_VALUE" | "UNFORMATTED_VALUE" | "FORMULA";

const render = (value: CellValue, option: RenderOption): string | number | boolean => {
  if (typeof value === "object") return value.formula;
  if (option !== "FORMATTED_VALUE") return value;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
};

const fromUser = (value: string | number | boolean, option: string): CellValue => {
  if (option === "RAW" || typeof value !== "string") return value;
  if (value.startsWith("=")) return { formula: value };
  if (value.startsWith("'")) return value.slice(1);
  const text = value.trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/u.test(text)) return Number(text);
  if (/^(true|false)$/iu.test(text)) return text.toUpperCase() === "TRUE";
  return value;
};

const readValues = (
  doc: StoredSpreadsheet,
  raw: string,
  query: URLSearchParams,
): sheets_v4.Schema$ValueRange => {
  const option = (query.get("valueRenderOption") ?? "FORMATTED_VALUE") as RenderOption;
  if (!["FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"].includes(option))
    throw invalid(`Invalid value at 'value_render_option', "${option}"`);
  const major = query.get("majorDimension") ?? "ROWS";
  if (!["ROWS", "COLUMNS", "DIMENSION_UNSPECIFIED"].includes(major))
    throw invalid(`Invalid value at 'major_dimension', "${major}"`);
  const { tab, rect } = resolve(doc, raw);
  const grid = cut(tab, rect).map((row) => row.map((v) => (v === undefined ? undefined : render(v, option))));
  const values = trim(major === "COLUMNS" ? transpose(grid) : grid, "");
  return {
    range: formatRect(tab.properties.title, rect),
    majorDimension: major === "COLUMNS" ? "COLUMNS" : "ROWS",
    ...(values.length ? { values } : {}),
  };
};

const VALUE_INPUT = ["RAW", "USER_ENTERED"];

const writeValues = (doc: StoredSpreadsheet, data: sheets_v4.Schema$ValueRange, option: string) => {
  const raw = data.range ?? "";
  const { tab, a1, rect } = resolve(doc, raw);
  const given = (data.values ?? []) as unknown[][];
  const grid = data.majorDimension === "COLUMNS" ? transpose(given) : given;
  const rows = grid.length;
  const columns = Math.max(0, ...grid.map((row) => row.length));
  const single = a1.endRow === a1.startRow + 1 && a1.endColumn === a1.startColumn + 1;
  const requested = formatRect(tab.properties.title, rect, true);
  if (!single && a1.endRow !== undefined && rect.startRow + rows > rect.endRow)
    throw invalid(
      `Requested writing within range [${requested}], but tried writing to row [${rect.startRow + rows}]`,
    );
  if (!single && a1.endColumn !== undefined && rect.startColumn + columns > rect.endColumn)
    throw invalid(
      `Requested writing within range [${requested}], but tried writing to column [${columnName(rect.startColumn + columns - 1)}]`,
    );
  const written: Rect = {
    startRow: rect.startRow,
    endRow: rect.startRow + Math.max(rows, 1),
    startColumn: rect.startColumn,
    endColumn: rect.startColumn + Math.max(columns, 1),
  };
  const { rowCount, columnCount } = tab.properties.gridProperties;
  if (written.endRow > rowCount || written.endColumn > columnCount) throw exceeds(tab, written);
  let cells = 0;
  grid.forEach((row, r) => {
    row.forEach((value, c) => {
      if (value === null || value === undefined) return;
      if (!["string", "number", "boolean"].includes(typeof value))
        throw invalid(`Invalid values[${r}][${c}]: ${JSON.stringify(value)}`);
      setCell(
        tab,
        rect.startRow + r,
        rect.startColumn + c,
        fromUser(value as string | number | boolean, option),
      );
      cells++;
    });
  });
  return {
    tab,
    response: {
      spreadsheetId: doc.spreadsheetId,
      updatedRange: formatRect(tab.properties.title, rows && columns ? written : rect),
      updatedRows: rows,
      updatedColumns: columns,
      updatedCells: cells,
    },
  };
};

// ---------------------------------------------------------------------------------------------
// batchUpdate requests

const addSheet = (doc: StoredSpreadsheet, p: sheets_v4.Schema$SheetProperties = {}, defaultId?: number) => {
  const title = p.title ?? `Sheet${doc.sheets.length + 1}`;
  if (doc.sheets.some((s) => s.properties.title.toLowerCase() === title.toLowerCase()))
    throw invalid(`A sheet with the name "${title}" already exists. Please enter another name.`);
  const sheetId = p.sheetId ?? defaultId ?? newId(doc.sheets.map((s) => s.properties.sheetId));
  if (sheetId < 0 || doc.sheets.some((s) => s.properties.sheetId === sheetId))
    throw invalid(`A sheet with the id ${sheetId} already exists. Please enter another id.`);
  const { gridProperties, index, ...rest } = p;
  const grid = { ...gridProperties, rowCount: gridProperties?.rowCount ?? 1000 };
  grid.columnCount = gridProperties?.columnCount ?? 26;
  const tab: SheetTab = {
    properties: {
      sheetType: "GRID",
      ...rest,
      sheetId,
      title,
      index: 0,
      gridProperties: grid as SheetTab["properties"]["gridProperties"],
    },
    cells: [],
    protectedRanges: [],
    conditionalFormats: [],
    dataValidations: [],
    formats: [],
    dimensions: [],
    charts: [],
  };
  doc.sheets.splice(Math.min(index ?? doc.sheets.length, doc.sheets.length), 0, tab);
  renumber(doc);
  return tab;
};

const sameRange = (a: sheets_v4.Schema$GridRange, b: sheets_v4.Schema$GridRange) =>
  (["sheetId", "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"] as const).every(
    (k) => (a[k] ?? null) === (b[k] ?? null),
  );

const allCharts = (doc: StoredSpreadsheet) => doc.sheets.flatMap((s) => s.charts);

/** Apply one request to `doc` (a draft); returns its reply. Throws ApiError on refusal. */
const apply = (doc: StoredSpreadsheet, kind: string, r: sheets_v4.Schema$Request): Obj => {
  switch (kind) {
    case "addSheet": {
      const tab = addSheet(doc, r.addSheet?.properties ?? {});
      return { addSheet: { properties: tab.properties } };
    }
    case "deleteSheet": {
      const id = r.deleteSheet?.sheetId ?? 0;
      const tab = doc.sheets.find((s) => s.properties.sheetId === id);
      if (!tab) throw invalid(`No sheet with id: ${id}`);
      if (doc.sheets.length === 1) throw invalid("You can't remove all the sheets in a document.");
      doc.sheets = doc.sheets.filter((s) => s !== tab);
      renumber(doc);
      return {};
    }
    case "updateSheetProperties": {
      const given = r.updateSheetProperties?.properties ?? {};
      const tab = tabById(doc, given.sheetId);
      const next = structuredClone(tab.properties) as Obj;
      applyFields(next, given as Obj, r.updateSheetProperties?.fields, ["sheetId"]);
      const title = String(next.title ?? "");
      if (!title) throw invalid("Sheet titles must not be empty.");
      if (doc.sheets.some((s) => s !== tab && s.properties.title.toLowerCase() === title.toLowerCase()))
        throw invalid(`A sheet with the name "${title}" already exists. Please enter another name.`);
      const grid = (next.gridProperties ?? {}) as Obj;
      for (const key of ["rowCount", "columnCount"] as const)
        if (!Number.isInteger(grid[key]) || (grid[key] as number) < 1)
          throw invalid(`Invalid ${key}: ${grid[key]}`);
      const { rowCount, columnCount } = grid as SheetTab["properties"]["gridProperties"];
      tab.properties = next as SheetTab["properties"];
      resize(tab, "ROWS", rowCount);
      resize(tab, "COLUMNS", columnCount);
      const index = Math.min(Math.max(Number(next.index ?? 0), 0), doc.sheets.length - 1);
      doc.sheets = doc.sheets.filter((s) => s !== tab);
      doc.sheets.splice(index, 0, tab);
      renumber(doc);
      return {};
    }
    case "updateSpreadsheetProperties":
      applyFields(
        doc.properties,
        (r.updateSpreadsheetProperties?.properties ?? {}) as Obj,
        r.updateSpreadsheetProperties?.fields,
      );
      return {};
    case "appendDimension": {
      const { sheetId, dimension, length } = r.appendDimension ?? {};
      const tab = tabById(doc, sheetId);
      if (dimension !== "ROWS" && dimension !== "COLUMNS") throw invalid(`Invalid dimension: ${dimension}`);
      if (!length || length < 1) throw invalid("length must be positive");
      resize(tab, dimension, sizeOf(tab, dimension) + length);
      const total = doc.sheets.reduce(
        (n, s) => n + s.properties.gridProperties.rowCount * s.properties.gridProperties.columnCount,
        0,
      );
      if (total > 10_000_000)
        throw invalid(
          "This action would increase the number of cells in the workbook above the limit of 10000000 cells.",
        );
      return {};
    }
    case "insertDimension": {
      const { tab, dim, start, end, size } = checkDimension(doc, r.insertDimension?.range, { insert: true });
      if (r.insertDimension?.inheritFromBefore && start === 0)
        throw invalid("Cannot inherit properties from before when inserting at the start.");
      tab.properties.gridProperties[dim === "ROWS" ? "rowCount" : "columnCount"] = size + end - start;
      remap(tab, dim, (i) => (i >= start ? i + end - start : i));
      return {};
    }
    case "deleteDimension": {
      const { tab, dim, start, end, size } = checkDimension(doc, r.deleteDimension?.range);
      if (end - start >= size) throw invalid(`You can't delete all the ${dim.toLowerCase()} on the sheet.`);
      remap(tab, dim, (i) => (i < start ? i : i >= end ? i - (end - start) : undefined));
      tab.properties.gridProperties[dim === "ROWS" ? "rowCount" : "columnCount"] = size - (end - start);
      return {};
    }
    case "moveDimension": {
      const { tab, dim, start, end, size } = checkDimension(doc, r.moveDimension?.source);
      const dest = r.moveDimension?.destinationIndex ?? -1;
      if (dest < 0 || dest > size) throw invalid(`Invalid destinationIndex: ${dest}`);
      moveBlock(tab, dim, start, end, dest);
      return {};
    }
    case "updateDimensionProperties": {
      const { tab } = checkDimension(doc, r.updateDimensionProperties?.range);
      tab.dimensions.push({ updateDimensionProperties: r.updateDimensionProperties });
      return {};
    }
    case "repeatCell":
    case "updateBorders":
    case "mergeCells": {
      const range = ((r as Obj)[kind] as { range?: sheets_v4.Schema$GridRange }).range;
      checkGrid(doc, range).formats.push({ [kind]: (r as Obj)[kind] });
      return {};
    }
    case "setBasicFilter": {
      const filter = r.setBasicFilter?.filter;
      if (!filter?.range) throw invalid("A basic filter must have a range.");
      // Setting a filter replaces the sheet's filter, whatever it was.
      checkGrid(doc, filter.range).basicFilter = structuredClone(filter);
      return {};
    }
    case "clearBasicFilter": {
      tabById(doc, r.clearBasicFilter?.sheetId).basicFilter = undefined;
      return {};
    }
    case "addProtectedRange": {
      const protectedRange = { ...r.addProtectedRange?.protectedRange };
      const tab = checkGrid(doc, protectedRange.range);
      const used = doc.sheets.flatMap((s) => s.protectedRanges.map((p) => p.protectedRangeId));
      if (protectedRange.protectedRangeId != null && used.includes(protectedRange.protectedRangeId))
        throw invalid(`A protected range with id ${protectedRange.protectedRangeId} already exists.`);
      protectedRange.protectedRangeId ??= newId(used);
      tab.protectedRanges.push(protectedRange);
      return { addProtectedRange: { protectedRange } };
    }
    case "deleteProtectedRange": {
      const id = r.deleteProtectedRange?.protectedRangeId;
      const tab = doc.sheets.find((s) => s.protectedRanges.some((p) => p.protectedRangeId === id));
      if (!tab) throw invalid(`No protected range with id: ${id}`);
      tab.protectedRanges = tab.protectedRanges.filter((p) => p.protectedRangeId !== id);
      return {};
    }
    case "setDataValidation": {
      const range = r.setDataValidation?.range ?? {};
      const tab = checkGrid(doc, range);
      tab.dataValidations = tab.dataValidations.filter((v) => !sameRange(v.range, range));
      if (r.setDataValidation?.rule)
        tab.dataValidations.push({ range: range as Obj, rule: r.setDataValidation.rule });
      return {};
    }
    case "addConditionalFormatRule": {
      const rule = r.addConditionalFormatRule?.rule ?? {};
      const tabs = (rule.ranges ?? []).map((range) => checkGrid(doc, range));
      const tab = tabs[0];
      if (!tab) throw invalid("A conditional format rule needs at least one range.");
      if (tabs.some((t) => t !== tab))
        throw invalid("All ranges of a conditional format rule must be on one sheet.");
      const index = r.addConditionalFormatRule?.index ?? 0;
      if (index < 0 || index > tab.conditionalFormats.length) throw invalid(`Invalid index: ${index}`);
      tab.conditionalFormats.splice(index, 0, rule as Obj);
      return {};
    }
    case "deleteConditionalFormatRule": {
      const { sheetId, index } = r.deleteConditionalFormatRule ?? {};
      const tab = tabById(doc, sheetId);
      const [rule] = tab.conditionalFormats.splice(index ?? 0, 1);
      if (!rule) throw invalid(`No conditional format on sheet: ${sheetId ?? 0} at index: ${index ?? 0}`);
      return { deleteConditionalFormatRule: { rule } };
    }
    case "addChart": {
      const chart = structuredClone(r.addChart?.chart ?? {});
      const anchor = chart.position?.overlayPosition?.anchorCell;
      if (!anchor && chart.position?.sheetId == null)
        throw invalid("Charts must be placed on an existing sheet.");
      const tab = anchor
        ? checkGrid(doc, {
            sheetId: anchor.sheetId,
            startRowIndex: anchor.rowIndex,
            endRowIndex: (anchor.rowIndex ?? 0) + 1,
            startColumnIndex: anchor.columnIndex,
            endColumnIndex: (anchor.columnIndex ?? 0) + 1,
          })
        : tabById(doc, chart.position?.sheetId);
      const visit = (node: unknown) => {
        if (!node || typeof node !== "object") return;
        if ("sheetId" in node) checkGrid(doc, node as sheets_v4.Schema$GridRange);
        else for (const child of Object.values(node)) visit(child);
      };
      visit(chart.spec);
      const used = allCharts(doc).map((c) => c.chartId);
      if (chart.chartId != null && used.includes(chart.chartId))
        throw invalid(`An object with id ${chart.chartId} already exists.`);
      chart.chartId ??= newId(used);
      tab.charts.push(chart as Obj);
      return { addChart: { chart } };
    }
    case "deleteEmbeddedObject": {
      const id = r.deleteEmbeddedObject?.objectId;
      const tab = doc.sheets.find((s) => s.charts.some((c) => c.chartId === id));
      if (!tab) throw invalid(`No object with id: ${id}`);
      tab.charts = tab.charts.filter((c) => c.chartId !== id);
      return {};
    }
    default:
      throw invalid("this kind of request is not emulated by the local Sheets server");
  }
};

// ---------------------------------------------------------------------------------------------
// Views

const cellData = (value: CellValue) => {
  if (typeof value === "object") return { userEnteredValue: { formulaValue: value.formula } };
  const key =
    typeof value === "string" ? "stringValue" : typeof value === "number" ? "numberValue" : "boolValue";
  return {
    userEnteredValue: { [key]: value },
    effectiveValue: { [key]: value },
    formattedValue: render(value, "FORMATTED_VALUE"),
  };
};

/** Drop trailing empties, fill inner ones. */
const trimRow = <T>(row: Array<T | undefined>, empty: T): T[] => trim([row], empty)[0] ?? [];

const gridData = (tab: SheetTab, rect: Rect) => {
  const rowData = trimRow<Obj>(
    cut(tab, rect).map((row) => {
      const values = trimRow<Obj>(
        row.map((v) => (v === undefined ? undefined : cellData(v))),
        {},
      );
      return values.length ? { values } : undefined;
    }),
    {},
  );
  return { startRow: rect.startRow, startColumn: rect.startColumn, ...(rowData.length ? { rowData } : {}) };
};

const sheetView = (tab: SheetTab, data?: unknown[]) => {
  const merges = tab.formats.flatMap((f) => (f.mergeCells ? [(f.mergeCells as Obj).range] : []));
  return {
    properties: tab.properties,
    ...(data ? { data } : {}),
    ...(merges.length ? { merges } : {}),
    ...(tab.conditionalFormats.length ? { conditionalFormats: tab.conditionalFormats } : {}),
    ...(tab.protectedRanges.length ? { protectedRanges: tab.protectedRanges } : {}),
    ...(tab.basicFilter ? { basicFilter: tab.basicFilter } : {}),
    ...(tab.charts.length ? { charts: tab.charts } : {}),
  };
};

// ---------------------------------------------------------------------------------------------
// The server

export const startSheetsServer = async (): Promise<SheetsServer> => {
  const spreadsheets = new Map<string, StoredSpreadsheet>();
  const requests: RecordedRequest[] = [];
  let failures: { count: number; status: number; only?: { method?: string; path?: RegExp } } = {
    count: 0,
    status: 0,
  };
  let base = "";

  const view = (doc: StoredSpreadsheet, data?: Map<SheetTab, unknown[]>, only?: Set<SheetTab>) => ({
    spreadsheetId: doc.spreadsheetId,
    properties: doc.properties,
    sheets: doc.sheets.filter((s) => !only || only.has(s)).map((s) => sheetView(s, data?.get(s))),
    spreadsheetUrl: `${base}/spreadsheets/d/${doc.spreadsheetId}/edit`,
  });

  /** Apply `f` to a copy of `doc` and keep the result only if it does not throw. */
  const transact = <T>(doc: StoredSpreadsheet, f: (draft: StoredSpreadsheet) => T): T => {
    const draft = structuredClone(doc);
    const result = f(draft);
    Object.assign(doc, draft);
    return result;
  };

  const find = (spreadsheetId: string) => {
    const doc = spreadsheets.get(spreadsheetId);
    if (!doc) throw new ApiError(404, "Requested entity was not found.");
    return doc;
  };

  const create = (body: sheets_v4.Schema$Spreadsheet): StoredSpreadsheet => {
    const doc: StoredSpreadsheet = {
      spreadsheetId: randomBytes(33).toString("base64url"),
      properties: {
        title: "Untitled spreadsheet",
        locale: "en_US",
        autoRecalc: "ON_CHANGE",
        timeZone: "Etc/GMT",
        ...body.properties,
      },
      sheets: [],
      permissions: [],
    };
    const given = body.sheets?.length ? body.sheets : [{ properties: { title: "Sheet1" } }];
    let zeroFree = !given.some((s) => s.properties?.sheetId === 0);
    for (const sheet of given) {
      addSheet(doc, sheet.properties ?? {}, zeroFree ? 0 : undefined);
      zeroFree = false;
    }
    spreadsheets.set(doc.spreadsheetId, doc);
    return doc;
  };

  const route = (method: string, path: string, query: URLSearchParams, body: Obj): unknown => {
    if (method === "POST" && path === "/v4/spreadsheets")
      return view(create(body as sheets_v4.Schema$Spreadsheet));
    const drive = /^\/drive\/v3\/files\/([^/]+)\/permissions$/u.exec(path);
    if (drive) {
      const fileId = decodeURIComponent(drive[1] ?? "");
      const doc = spreadsheets.get(fileId);
      if (!doc) throw new ApiError(404, `File not found: ${fileId}.`);
      if (method === "GET") return { kind: "drive#permissionList", permissions: doc.permissions };
      if (method !== "POST") throw new ApiError(404, `No route for ${method} ${path}`);
      if (!body.type) throw invalid("The permission type field is required.");
      if (!body.role) throw invalid("The permission role field is required.");
      const permission = { kind: "drive#permission", id: String(randomInt(1e9, 1e10)), ...body };
      doc.permissions.push(permission);
      return permission;
    }
    const m = /^\/v4\/spreadsheets\/([^/:]+)(.*)$/u.exec(path);
    if (!m) throw new ApiError(404, `No route for ${method} ${path}`);
    const doc = find(decodeURIComponent(m[1] ?? ""));
    const rest = m[2] ?? "";
    const range = /^\/values\/([^/:]+)$/u.exec(rest)?.[1];
    if (method === "GET" && rest === "") {
      const ranges = query.getAll("ranges").map((raw) => resolve(doc, raw));
      const data = new Map<SheetTab, unknown[]>();
      if (query.get("includeGridData") === "true") {
        const whole = (tab: SheetTab) => ({
          tab,
          rect: {
            startRow: 0,
            startColumn: 0,
            endRow: sizeOf(tab, "ROWS"),
            endColumn: sizeOf(tab, "COLUMNS"),
          },
        });
        const wanted = ranges.length ? ranges : doc.sheets.map(whole);
        for (const { tab, rect } of wanted) data.set(tab, [...(data.get(tab) ?? []), gridData(tab, rect)]);
      }
      return view(doc, data, ranges.length ? new Set(ranges.map((x) => x.tab)) : undefined);
    }
    if (method === "POST" && rest === ":batchUpdate") {
      const list = (body.requests ?? []) as sheets_v4.Schema$Request[];
      if (!list.length) throw invalid("Must specify at least one request.");
      const replies = transact(doc, (draft) =>
        list.map((request, i) => {
          const kinds = Object.keys(request).filter((k) => request[k as keyof typeof request] != null);
          const kind = kinds[0];
          if (kinds.length !== 1 || !kind)
            throw invalid(`Invalid requests[${i}]: exactly one kind of request must be set.`);
          try {
            return apply(draft, kind, request);
          } catch (e) {
            if (e instanceof ApiError) throw invalid(`Invalid requests[${i}].${kind}: ${e.message}`);
            throw e;
          }
        }),
      );
      return {
        spreadsheetId: doc.spreadsheetId,
        replies,
        ...(body.includeSpreadsheetInResponse ? { updatedSpreadsheet: view(doc) } : {}),
      };
    }
    if (method === "GET" && rest === "/values:batchGet") {
      const valueRanges = query.getAll("ranges").map((raw) => readValues(doc, raw, query));
      return { spreadsheetId: doc.spreadsheetId, ...(valueRanges.length ? { valueRanges } : {}) };
    }
    if (method === "GET" && range) return readValues(doc, decodeURIComponent(range), query);
    if ((method === "POST" && rest === "/values:batchUpdate") || (method === "PUT" && range)) {
      const option = String((range ? query.get("valueInputOption") : body.valueInputOption) ?? "");
      if (!option) throw invalid("'valueInputOption' is required but not specified");
      if (!VALUE_INPUT.includes(option)) throw invalid(`Invalid value at 'value_input_option', "${option}"`);
      const data = range
        ? [{ ...body, range: decodeURIComponent(range) }]
        : ((body.data ?? []) as sheets_v4.Schema$ValueRange[]);
      const results = transact(doc, (draft) => data.map((d) => writeValues(draft, d, option)));
      if (range) return results[0]?.response;
      const responses = results.map((x) => x.response);
      const sum = (k: "updatedRows" | "updatedColumns" | "updatedCells") =>
        responses.reduce((n, x) => n + x[k], 0);
      return {
        spreadsheetId: doc.spreadsheetId,
        totalUpdatedRows: sum("updatedRows"),
        totalUpdatedColumns: sum("updatedColumns"),
        totalUpdatedCells: sum("updatedCells"),
        totalUpdatedSheets: new Set(results.map((x) => x.tab.properties.sheetId)).size,
        responses,
      };
    }
    throw new ApiError(404, `No route for ${method} ${path}`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://local");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const method = req.method ?? "";
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
      res.end(JSON.stringify(payload));
    };
    const error = (code: number, message: string) =>
      send(code, { error: { code, message, status: STATUS[code] ?? "UNKNOWN" } });
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      requests.push({ method, path: url.pathname, query: url.searchParams, body: text });
      return error(400, "Invalid JSON payload received.");
    }
    requests.push({ method, path: url.pathname, query: url.searchParams, body });
    const targeted =
      (!failures.only?.method || failures.only.method === method) &&
      (!failures.only?.path || failures.only.path.test(url.pathname));
    if (failures.count > 0 && targeted) {
      failures.count--;
      return error(failures.status, "injected failure");
    }
    try {
      send(200, route(method, url.pathname, url.searchParams, (body ?? {}) as Obj));
    } catch (e) {
      if (e instanceof ApiError) return error(e.code, e.message);
      throw e;
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: 500, message: String(e), status: "INTERNAL" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  const tabOf = (spreadsheetId: string, title: string) => {
    const tab = spreadsheets.get(spreadsheetId)?.sheets.find((s) => s.properties.title === title);
    if (!tab) throw new Error(`no tab ${title} in spreadsheet ${spreadsheetId}`);
    return tab;
  };

  return {
    url: base,
    spreadsheets,
    requests,
    writes: () => requests.filter((r) => r.method !== "GET" && r.path.startsWith("/v4/spreadsheets")),
    failNext(count, status, only) {
      failures = { count, status, ...(only ? { only } : {}) };
    },
    values(spreadsheetId, title) {
      const tab = tabOf(spreadsheetId, title);
      return trim(
        Array.from(tab.cells, (row) => Array.from(row ?? [])),
        "",
      );
    },
    setValues(spreadsheetId, a1, values) {
      const { title, startRow, startColumn } = parseA1(a1);
      const tab = tabOf(spreadsheetId, title);
      const { rowCount, columnCount } = tab.properties.gridProperties;
      values.forEach((row, r) => {
        row.forEach((value, c) => {
          if (startRow + r >= rowCount || startColumn + c >= columnCount)
            throw new Error(`setValues ${a1}: [${r}][${c}] is outside the ${rowCount}×${columnCount} grid`);
          setCell(tab, startRow + r, startColumn + c, value);
        });
      });
    },
    deleteTab(spreadsheetId, title) {
      const doc = spreadsheets.get(spreadsheetId);
      const tab = tabOf(spreadsheetId, title);
      if (doc) {
        doc.sheets = doc.sheets.filter((s) => s !== tab);
        renumber(doc);
      }
    },
    moveColumn(spreadsheetId, title, from, to) {
      const tab = tabOf(spreadsheetId, title);
      const size = tab.properties.gridProperties.columnCount;
      if (from < 0 || to < 0 || from >= size || to >= size)
        throw new Error(`moveColumn: ${from}→${to} outside ${size}`);
      moveBlock(tab, "COLUMNS", from, from + 1, to > from ? to + 1 : to);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
