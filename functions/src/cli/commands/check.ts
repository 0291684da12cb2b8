import { readFile } from "node:fs/promises";
import { loadCriteriaSet } from "../../data/criteria-file.js";
import { DataFileError } from "../../data/errors.js";
import { loadOfficeProfile } from "../../data/office-file.js";
import { decodeCsv, loadRegistry } from "../../data/registry-csv.js";
import { filesProblems } from "../../domain/files-check.js";
import { levelsLabel } from "../../domain/levels.js";
import { formatNumberVi } from "../../domain/text.js";
import { InputError } from "../../errors.js";
import type { CliIo } from "../io.js";

export interface CheckOptions {
  office?: string;
  registry?: string;
  criteria?: string;
}

/** Every file refused, and every problem of the files together: the office fixes them all at once. */
export class FilesRefused extends InputError {}

/**
 * `dienhinh check`: the office's profile, its registry (.csv in UTF-8 or Windows-1258, or .xlsx)
 * and its criteria validated together before a campaign is set up: what each file holds, or every
 * problem of every file, each at its place (line, row, "Tiêu chí 2, chỉ tiêu 2.3"). Exit code 2
 * when any is refused.
 */
export const checkCommand = async (options: CheckOptions, io: CliIo): Promise<void> => {
  const [office, schools, set] = await Promise.allSettled([
    loadOfficeProfile(options.office),
    loadRegistry(options.registry),
    loadCriteriaSet(options.criteria),
  ]);
  const problems = [office, schools, set].flatMap((r) =>
    r.status === "rejected" ? [refusal(r.reason)] : [],
  );
  if (office.status === "fulfilled")
    io.out(`✓ Hồ sơ phòng: ${office.value.issuingBodyName} · ${office.value.parentBodyName}`);
  if (schools.status === "fulfilled") {
    const byLevel = new Map<string, number>();
    for (const s of schools.value)
      byLevel.set(levelsLabel(s.levels), (byLevel.get(levelsLabel(s.levels)) ?? 0) + 1);
    io.out(
      `✓ Danh sách trường: ${formatNumberVi(schools.value.length)} trường (` +
        [...byLevel].map(([level, n]) => `${level} ${formatNumberVi(n)}`).join(", ") +
        ")",
    );
    if (options.registry && (await isWindows1258(options.registry)))
      io.out(
        "  Tệp CSV lưu theo bảng mã Windows-1258 (Excel trên Windows tiếng Việt): đã đọc được; " +
          "nên lưu lại bằng “CSV UTF-8” để mọi chương trình đọc đúng.",
      );
  }
  if (set.status === "fulfilled")
    io.out(
      `✓ Bộ tiêu chí: ${set.value.title} (${set.value.criteria.length} tiêu chí, phiên bản ${set.value.version})`,
    );
  if (schools.status === "fulfilled" && set.status === "fulfilled")
    problems.push(...filesProblems(set.value, schools.value));
  if (problems.length > 0)
    throw new FilesRefused(
      [
        "các tệp chưa dùng được để tạo đợt đánh giá / the files cannot be used yet:",
        ...problems.map((p) => `- ${p.replace(/\n/gu, "\n  ")}`),
      ].join("\n"),
    );
  io.out("Các tệp hợp lệ và khớp nhau: dùng được để tạo đợt đánh giá / the files are valid together.");
};

const refusal = (error: unknown): string => {
  if (error instanceof DataFileError) return error.publicMessage;
  throw error;
};

/** Whether a CSV file is not UTF-8 (and so was read as Windows-1258). */
const isWindows1258 = async (file: string): Promise<boolean> => {
  if (/\.xlsx$/iu.test(file)) return false;
  const bytes = await readFile(file);
  return decodeCsv(bytes) !== new TextDecoder("utf-8").decode(bytes);
};
