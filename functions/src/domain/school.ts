import { z } from "zod";
import { LEVEL_GROUPS, levelGroupOf, levelsSchema, type SchoolLevels } from "./levels.js";
import { vietnamesePhoneSchema } from "./phone.js";
import { cleanText, compareVi, foldKey } from "./text.js";

/** Public (công lập) or private (ngoài công lập: tư thục, dân lập). */
export const OWNERSHIPS = ["cong-lap", "ngoai-cong-lap"] as const;
export type Ownership = (typeof OWNERSHIPS)[number];
export const OWNERSHIP_LABELS: Record<Ownership, string> = {
  "cong-lap": "Công lập",
  "ngoai-cong-lap": "Ngoài công lập",
};

const ownershipSchema = z.string().transform((value, ctx): Ownership => {
  const key = foldKey(value);
  if (["cong-lap", "cong lap", "public"].includes(key)) return "cong-lap";
  if (["ngoai-cong-lap", "ngoai cong lap", "tu thuc", "dan lap", "private"].includes(key)) {
    return "ngoai-cong-lap";
  }
  ctx.addIssue({
    code: "custom",
    message: `Loại hình không hợp lệ: "${value}". Dùng "Công lập" hoặc "Ngoài công lập"`,
  });
  return z.NEVER;
});

const emailList = z
  .string()
  .transform((value) =>
    value
      .split(/[\s,;]+/u)
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.email("email không hợp lệ")).min(1, "cần ít nhất một email liên hệ"));

/**
 * A school code is the id of the school's Firestore documents (schools/{code}, schoolStates/{code},
 * outbox/{code}) and part of its PDF names ("ket-qua-{code}-{hash}.pdf"), so it must be a valid
 * Firestore document id: no "/", not "." or "..", not "__…__" (reserved), at most 1,500 bytes. The
 * rule here is stricter: only letters, digits, ".", "-" and "_", at least one letter or digit, and
 * at most 64 characters. Real codes are short ("NB-TH01"); 64 characters of Vietnamese letters (at
 * most 3 bytes each in UTF-8) keep a PDF name under the 255-byte file-name limit of Drive exports
 * and local disks, and keep the sheet's code column readable.
 */
export const MAX_SCHOOL_CODE_CHARS = 64;
const CODE_CHAR = /[\p{L}\p{N}._-]/u;

/** What is wrong with a school code (already cleaned), in Vietnamese, or undefined when it is usable. */
export const schoolCodeProblem = (code: string): string | undefined => {
  if (code === "") return "mã trường không được để trống";
  const chars = [...code];
  const bad = [...new Set(chars.filter((c) => !CODE_CHAR.test(c)))];
  if (bad.length > 0)
    return `mã trường có ký tự không dùng được: ${bad.map((c) => (c === " " ? "dấu cách" : `"${c}"`)).join(", ")}; chỉ dùng chữ, số, dấu chấm (.), gạch ngang (-) hoặc gạch dưới (_)`;
  if (!/[\p{L}\p{N}]/u.test(code)) return "mã trường phải có ít nhất một chữ hoặc số";
  if (/^__.*__$/u.test(code))
    return "mã trường không được vừa bắt đầu vừa kết thúc bằng hai dấu gạch dưới (__): hệ thống dành riêng dạng này; bỏ dấu gạch dưới ở đầu hoặc ở cuối";
  if (chars.length > MAX_SCHOOL_CODE_CHARS)
    return `mã trường dài ${chars.length} ký tự, tối đa ${MAX_SCHOOL_CODE_CHARS}; dùng mã ngắn hơn (ví dụ NB-TH01)`;
  return undefined;
};

const schoolCodeSchema = z.string().superRefine((code, ctx) => {
  const problem = schoolCodeProblem(code);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** The optional fields of a registry row: left empty, they are absent (not stored as ""). */
const OPTIONAL_FIELDS = ["head", "phone"] as const;

const withoutBlanks = (value: unknown): unknown => {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const row = { ...(value as Record<string, unknown>) };
  // Registries and schools stored before schools of several levels say `level`.
  if (row.levels === undefined && row.level !== undefined) {
    row.levels = row.level;
    delete row.level;
  }
  for (const field of OPTIONAL_FIELDS)
    if (row[field] === undefined || row[field] === null || cleanText(String(row[field])) === "")
      delete row[field];
  return row;
};

/**
 * One row of the school registry (danh sách trường). The head's name and the phone are optional:
 * registries and stored schools from before them still parse.
 */
export const schoolSchema = z.preprocess(
  withoutBlanks,
  z.strictObject({
    code: z.string().transform(cleanText).pipe(schoolCodeSchema),
    name: z.string().transform(cleanText).pipe(z.string().min(1, "tên trường không được để trống")),
    /** Cấp học: one level, or several for a school that spans them ("TH-THCS-THPT"). */
    levels: levelsSchema,
    commune: z.string().transform(cleanText).pipe(z.string().min(1, "xã/phường không được để trống")),
    ownership: ownershipSchema,
    emails: z.union([emailList, z.array(z.email().transform((e) => e.toLowerCase())).min(1)]),
    /** Hiệu trưởng: the head's full name. */
    head: z.string().transform(cleanText).optional(),
    /** The school's phone, as normalisePhone keeps it ("028 3873 1234", "0912 345 678"). */
    phone: vietnamesePhoneSchema.optional(),
  }),
);
export type School = z.output<typeof schoolSchema>;

/** The registry column a schema issue is about (a school's `levels` are read from its "level"). */
export const registryFieldOf = (path: readonly PropertyKey[]): string | undefined => {
  const key = path[0];
  if (key === undefined) return undefined;
  return key === "levels" ? "level" : String(key);
};

export interface SchoolRef {
  code: string;
  name: string;
  levels: SchoolLevels;
}

/** Registry order everywhere users look: by level, then by name in Vietnamese collation. */
export const compareSchools = (a: SchoolRef, b: SchoolRef): number =>
  LEVEL_GROUPS.indexOf(levelGroupOf(a.levels)) - LEVEL_GROUPS.indexOf(levelGroupOf(b.levels)) ||
  compareVi(a.name, b.name) ||
  compareVi(a.code, b.code);
