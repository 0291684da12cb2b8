import { z } from "zod";
import { levelSchema, SCHOOL_LEVELS, type SchoolLevel } from "./levels.js";
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

/** One row of the school registry (danh sách trường). */
export const schoolSchema = z.strictObject({
  code: z
    .string()
    .transform(cleanText)
    .pipe(z.string().regex(/^[\p{L}\p{N}._-]+$/u, "mã trường chỉ gồm chữ, số, dấu chấm hoặc gạch ngang")),
  name: z.string().transform(cleanText).pipe(z.string().min(1, "tên trường không được để trống")),
  level: levelSchema,
  commune: z.string().transform(cleanText).pipe(z.string().min(1, "xã/phường không được để trống")),
  ownership: ownershipSchema,
  emails: z.union([emailList, z.array(z.email().transform((e) => e.toLowerCase())).min(1)]),
});
export type School = z.output<typeof schoolSchema>;

export interface SchoolRef {
  code: string;
  name: string;
  level: SchoolLevel;
}

/** Registry order everywhere users look: by level, then by name in Vietnamese collation. */
export const compareSchools = (a: SchoolRef, b: SchoolRef): number =>
  SCHOOL_LEVELS.indexOf(a.level) - SCHOOL_LEVELS.indexOf(b.level) ||
  compareVi(a.name, b.name) ||
  compareVi(a.code, b.code);
