import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { compareSchools, registryFieldOf, type School, schoolSchema } from "../domain/school.js";
import { cleanText, foldKey, truncateText } from "../domain/text.js";
import { DataFileError, type DataIssue, formatPath } from "./errors.js";
import { readDataBytes } from "./yaml-file.js";

/** About 70 invented schools in Nhà Bè, for the demo only (the file says so in its first line). */
export const SAMPLE_REGISTRY_FILE = fileURLToPath(
  new URL("../../data/sample/truong-nha-be.csv", import.meta.url),
);

const WHAT = "Tệp danh sách trường";

/**
 * The registry's columns, headed as the office writes them (and in English, for scripts). The
 * commune column is "Xã/Phường", "Xã/Thị trấn" or "Xã/Phường/Thị trấn", as the office calls its
 * communes; the head's name and the phone are optional.
 */
export const REGISTRY_COLUMNS = {
  code: { header: "Mã trường", aliases: ["ma truong", "ma", "code"] },
  name: { header: "Tên trường", aliases: ["ten truong", "ten", "name"] },
  level: { header: "Cấp học", aliases: ["cap hoc", "cap", "level"] },
  commune: {
    header: "Xã/Phường",
    aliases: [
      "xa/phuong",
      "xa, phuong",
      "xa phuong",
      "xa/thi tran",
      "xa, thi tran",
      "xa thi tran",
      "xa/phuong/thi tran",
      "xa, phuong, thi tran",
      "xa/thi tran cu",
      "xa",
      "phuong",
      "thi tran",
      "commune",
    ],
  },
  ownership: { header: "Loại hình", aliases: ["loai hinh", "ownership"] },
  emails: { header: "Email", aliases: ["email", "emails", "email lien he", "thu dien tu"] },
  head: { header: "Hiệu trưởng", aliases: ["hieu truong", "ho ten hieu truong", "head"], optional: true },
  phone: {
    header: "Điện thoại",
    aliases: ["dien thoai", "so dien thoai", "sdt", "dien thoai lien he", "phone"],
    optional: true,
  },
} as const;
type Field = keyof typeof REGISTRY_COLUMNS;

const fieldOf = (header: string): Field | undefined =>
  (Object.keys(REGISTRY_COLUMNS) as Field[]).find((f) =>
    (REGISTRY_COLUMNS[f].aliases as readonly string[]).includes(foldKey(header)),
  );

/** A row of the registry as read from its file, with its 1-based line (or row) number. */
interface RawRow {
  record: string[];
  line: number;
}

const required = (Object.keys(REGISTRY_COLUMNS) as Field[]).filter(
  (f) => !("optional" in REGISTRY_COLUMNS[f]),
);

/**
 * The header row: the first of the first rows that names every required column (a title, a date
 * or an empty line above it, as offices head their lists, is skipped); else the first row, so the
 * error names the columns it lacks.
 */
const headerRow = (rows: readonly RawRow[]): number => {
  const found = rows
    .slice(0, 10)
    .findIndex((row) => required.every((f) => row.record.map(fieldOf).includes(f)));
  return Math.max(found, 0);
};

/**
 * Parse a registry CSV (UTF-8, with or without BOM, "," or ";" separated as Excel writes it in
 * Vietnamese locales). Lines starting with "#" are comments. Every bad row is reported, with its
 * line and the school's code, before anything is used.
 */
export const parseRegistryCsv = (text: string, file: string): School[] => {
  const lines = text.split(/\r?\n/u).filter((l) => l.trim() && !l.startsWith("#"));
  // ";" when one of the first lines (the header) has more semicolons than commas; a title line
  // above the header, with neither, does not decide.
  const counts = lines.slice(0, 10).map((l) => [l.split(";").length, l.split(",").length] as const);
  const delimiter = counts.some(([semi, comma]) => semi > comma && semi > 2) ? ";" : ",";
  let rows: Array<{ record: string[]; info: { lines: number } }>;
  try {
    rows = parse(text, {
      bom: true,
      delimiter,
      comment: "#",
      comment_no_infix: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof rows;
  } catch (error) {
    throw new DataFileError(file, WHAT, [
      { path: "", message: `lỗi định dạng CSV: ${(error as Error).message}` },
    ]);
  }
  return parseRegistryRows(
    rows.map((r) => ({ record: r.record, line: r.info.lines })),
    file,
  );
};

/** The registry from its rows (of a CSV or an .xlsx sheet): the header found, every school checked. */
export const parseRegistryRows = (all: readonly RawRow[], file: string): School[] => {
  const rows = all.slice(headerRow(all));
  const [header, ...body] = rows;
  if (!header) throw new DataFileError(file, WHAT, [{ path: "", message: "tệp không có dòng tiêu đề" }]);
  const fields = header.record.map(fieldOf);
  const absent = required.filter((f) => !fields.includes(f));
  if (absent.length > 0) {
    throw new DataFileError(file, WHAT, [
      {
        path: "",
        line: header.line,
        message: `thiếu cột: ${absent.map((f) => `"${REGISTRY_COLUMNS[f].header}"`).join(", ")}`,
      },
    ]);
  }

  const issues: DataIssue[] = [];
  const schools: School[] = [];
  const lineOfCode = new Map<string, number>();
  for (const { record, line } of body) {
    if (record.every((cell) => !cell.trim())) continue; // an empty row of a sheet
    const raw: Record<string, string> = {};
    fields.forEach((field, i) => {
      if (field) raw[field] = record[i] ?? "";
    });
    const result = schoolSchema.safeParse(raw);
    // A code too long to use is named by its start, so the message stays readable.
    const code = cleanText(raw.code ?? "");
    const label = code ? `dòng ${line} (mã ${truncateText(code, 40)})` : `dòng ${line}`;
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = registryFieldOf(issue.path) as Field | undefined;
        issues.push({
          path: field
            ? `${label}, cột "${REGISTRY_COLUMNS[field].header}"`
            : `${label} ${formatPath(issue.path)}`,
          message: issue.message,
        });
      }
      continue;
    }
    const earlier = lineOfCode.get(result.data.code);
    if (earlier !== undefined) {
      issues.push({ path: label, message: `mã trường trùng với dòng ${earlier}` });
      continue;
    }
    lineOfCode.set(result.data.code, line);
    schools.push(result.data);
  }
  if (issues.length > 0) throw new DataFileError(file, WHAT, issues);
  if (schools.length === 0)
    throw new DataFileError(file, WHAT, [{ path: "", message: "danh sách không có trường nào" }]);
  return schools.sort(compareSchools);
};

/**
 * The registry file as the office saved it: an .xlsx workbook (its first sheet), or a CSV in UTF-8
 * or in Windows-1258 (Excel's "CSV" on a Vietnamese Windows), recognised by its bytes and read.
 */
export const loadRegistry = async (file: string = SAMPLE_REGISTRY_FILE): Promise<School[]> => {
  const bytes = await readDataBytes(file, WHAT);
  if (/\.xlsx$/iu.test(file)) return parseRegistryRows(await xlsxRows(bytes, file), file);
  return parseRegistryCsv(decodeCsv(bytes), file);
};

/** UTF-8 when the bytes are; otherwise Windows-1258 (which writes most marks apart: composed here). */
export const decodeCsv = (bytes: Uint8Array): string => {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1258").decode(bytes).normalize("NFC");
  }
};

/** The first sheet of an .xlsx workbook as rows of text, each with its row number. */
const xlsxRows = async (bytes: Buffer, file: string): Promise<RawRow[]> => {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new DataFileError(file, WHAT, [
      { path: "", message: `không đọc được tệp Excel (.xlsx): ${(error as Error).message}` },
    ]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet)
    throw new DataFileError(file, WHAT, [{ path: "", message: "tệp Excel không có trang tính nào" }]);
  const rows: RawRow[] = [];
  sheet.eachRow((row, line) => {
    const cells = (row.values as unknown[]).slice(1);
    rows.push({ record: cells.map((c) => cellText(c)), line });
  });
  return rows;
};

/** A cell's text: rich text and hyperlinks by their text, numbers and dates as written. */
const cellText = (value: unknown): string => {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") {
    const v = value as { text?: unknown; richText?: Array<{ text: string }>; result?: unknown };
    if (v.richText) return v.richText.map((r) => r.text).join("");
    if (typeof v.text === "string") return v.text;
    if (v.result !== undefined) return String(v.result);
  }
  return String(value);
};
