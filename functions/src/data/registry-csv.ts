import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { compareSchools, registryFieldOf, type School, schoolSchema } from "../domain/school.js";
import { cleanText, foldKey, truncateText } from "../domain/text.js";
import { DataFileError, type DataIssue, formatPath } from "./errors.js";
import { readDataFile } from "./yaml-file.js";

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

/**
 * Parse a registry CSV (UTF-8, with or without BOM, "," or ";" separated as Excel writes it in
 * Vietnamese locales). Lines starting with "#" are comments. Every bad row is reported, with its
 * line and the school's code, before anything is used.
 */
export const parseRegistryCsv = (text: string, file: string): School[] => {
  const firstLine = text.split(/\r?\n/u).find((l) => l.trim() && !l.startsWith("#")) ?? "";
  const delimiter = firstLine.split(";").length > firstLine.split(",").length ? ";" : ",";
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
  const [header, ...body] = rows;
  if (!header) throw new DataFileError(file, WHAT, [{ path: "", message: "tệp không có dòng tiêu đề" }]);
  const fields = header.record.map(fieldOf);
  const absent = (Object.keys(REGISTRY_COLUMNS) as Field[]).filter(
    (f) => !("optional" in REGISTRY_COLUMNS[f]) && !fields.includes(f),
  );
  if (absent.length > 0) {
    throw new DataFileError(file, WHAT, [
      {
        path: "",
        line: header.info.lines,
        message: `thiếu cột: ${absent.map((f) => `"${REGISTRY_COLUMNS[f].header}"`).join(", ")}`,
      },
    ]);
  }

  const issues: DataIssue[] = [];
  const schools: School[] = [];
  const lineOfCode = new Map<string, number>();
  for (const { record, info } of body) {
    const raw: Record<string, string> = {};
    fields.forEach((field, i) => {
      if (field) raw[field] = record[i] ?? "";
    });
    const result = schoolSchema.safeParse(raw);
    // A code too long to use is named by its start, so the message stays readable.
    const code = cleanText(raw.code ?? "");
    const label = code ? `dòng ${info.lines} (mã ${truncateText(code, 40)})` : `dòng ${info.lines}`;
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
    lineOfCode.set(result.data.code, info.lines);
    schools.push(result.data);
  }
  if (issues.length > 0) throw new DataFileError(file, WHAT, issues);
  if (schools.length === 0)
    throw new DataFileError(file, WHAT, [{ path: "", message: "danh sách không có trường nào" }]);
  return schools.sort(compareSchools);
};

export const loadRegistry = async (file: string = SAMPLE_REGISTRY_FILE): Promise<School[]> =>
  parseRegistryCsv(await readDataFile(file, WHAT), file);
