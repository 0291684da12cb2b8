import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_CRITERIA_FILE } from "../../data/criteria-file.js";
import { REGISTRY_COLUMNS } from "../../data/registry-csv.js";
import { InputError } from "../../errors.js";
import type { CliIo } from "../io.js";

const STARTER_OFFICE = fileURLToPath(new URL("../../../data/starter/phong.yaml", import.meta.url));

/** The files `init` writes, by name, as the office will find them. */
export const STARTER_FILES = {
  office: "phong.yaml",
  registry: "danh-sach-truong.csv",
  criteria: "tieu-chi.yaml",
} as const;

/**
 * `dienhinh init`: the office's own starter files to edit, in `dir`: its profile with every field
 * to fill marked «…» (check refuses it until filled), the registry's header row (a CSV in UTF-8
 * with a BOM, so Excel opens it in Vietnamese), and the shipped criteria set (the Sở's criteria, to
 * adjust). No sample school or office in any of them. An existing file is never overwritten.
 */
export const initCommand = async (options: { dir: string }, io: CliIo): Promise<void> => {
  const path = (name: string) => join(options.dir, name);
  await mkdir(options.dir, { recursive: true });
  const header = Object.values(REGISTRY_COLUMNS).map((c) => c.header);
  const writes: Array<[string, () => Promise<void>]> = [
    [STARTER_FILES.office, () => copyFile(STARTER_OFFICE, path(STARTER_FILES.office), 1)],
    [
      STARTER_FILES.registry,
      () => writeFile(path(STARTER_FILES.registry), `\ufeff${header.join(",")}\r\n`, { flag: "wx" }),
    ],
    [STARTER_FILES.criteria, () => copyFile(DEFAULT_CRITERIA_FILE, path(STARTER_FILES.criteria), 1)],
  ];
  const kept: string[] = [];
  for (const [name, write] of writes) {
    try {
      await write();
      io.out(`✓ ${path(name)}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      kept.push(path(name));
    }
  }
  if (kept.length === writes.length)
    throw new InputError(
      `Các tệp đã có, không ghi đè / the files exist, nothing overwritten: ${kept.join(", ")}. ` +
        "Xóa hoặc chọn thư mục khác (--dir) để tạo lại.",
    );
  for (const file of kept) io.out(`· ${file}: đã có, giữ nguyên / exists, kept`);
  const o = path(STARTER_FILES.office);
  const r = path(STARTER_FILES.registry);
  const c = path(STARTER_FILES.criteria);
  io.out(
    [
      "",
      "Việc tiếp theo / next:",
      `  1. Sửa ${o}: thay mọi chỗ «…» bằng thông tin của phòng (in trên văn bản chính thức).`,
      `  2. Mở ${r} bằng Excel, mỗi trường một dòng (cấp học: Mầm non, Tiểu học, THCS, THPT hoặc ghép như TH-THCS;`,
      "     loại hình: Công lập hoặc Ngoài công lập; nhiều email cách nhau bằng dấu ;), lưu dạng CSV UTF-8 hoặc .xlsx.",
      `  3. Xem ${c}: bộ tiêu chí, chỉnh nếu Sở có hướng dẫn khác (tổng điểm phải là 100).`,
      `  4. Kiểm tra: dienhinh check --office ${o} --registry ${r} --criteria ${c}`,
      `  5. Gửi ba tệp cho người vận hành hệ thống (docs/van-hanh.md) để tạo đợt cho phòng:`,
      `     dienhinh onboard --campaign <mã-đợt> --school-year <năm học> --office ${o} --registry ${r} --criteria ${c} --share <email cán bộ phòng>`,
    ].join("\n"),
  );
};
