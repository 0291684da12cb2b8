import { appendFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureCli } from "../kit/cli.js";

/** `dienhinh init`: the office's starter files, refused by `check` until the office has filled them in. */
describe("dienhinh init", () => {
  it("writes the office's starter files, with no sample data, which check refuses until they are filled in", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dienhinh-init-"));
    const init = await captureCli(["init", "--dir", dir]);
    expect(init.code).toBe(0);
    expect(init.out).toContain("dienhinh check --office");
    const office = join(dir, "phong.yaml");
    const registry = join(dir, "danh-sach-truong.csv");
    const criteria = join(dir, "tieu-chi.yaml");
    const files = ["--office", office, "--registry", registry, "--criteria", criteria];
    const profile = await readFile(office, "utf8");
    // Nothing of the sample office, nor its marker: the office writes its own.
    expect(profile).not.toMatch(/Nhà Bè|Mẫu|sample:/u);
    const csv = await readFile(registry);
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.toString("utf8").slice(1).trim()).toBe(
      "Mã trường,Tên trường,Cấp học,Xã/Phường,Loại hình,Email,Hiệu trưởng,Điện thoại",
    );

    const refused = await captureCli(["check", ...files]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      "place (dòng 14): chưa điền: thay «Tên xã/phường» bằng thông tin của phòng",
    );
    expect(refused.err).toContain("danh sách không có trường nào");

    // Filled in as the office would: every «…» replaced, one school added in Excel.
    const filled = profile
      .replace(/«XÃ\/PHƯỜNG …»/gu, "XÃ HIỆP PHƯỚC")
      .replace(/«xã\/phường …»/gu, "xã Hiệp Phước")
      .replace("«Tên xã/phường»", "Hiệp Phước")
      .replace(/«hop-thu-cua-phong@…»/u, "vhxh@hiepphuoc.example")
      .replace(/«email-lanh-dao@…»/u, "chutich@hiepphuoc.example")
      .replace(/«[^»]*»/gu, "Nguyễn Văn An");
    await writeFile(office, filled);
    await appendFile(
      registry,
      "HP-TH01,Trường Tiểu học Hiệp Phước,Tiểu học,Hiệp Phước,Công lập,th.hiepphuoc@hiepphuoc.example,Lê Thị Hoa,028 3780 0001\r\n",
    );
    const accepted = await captureCli(["check", ...files]);
    expect([accepted.code, accepted.err]).toEqual([0, ""]);
    expect(accepted.out).toContain("✓ Hồ sơ phòng: Phòng Văn hóa - Xã hội · Ủy ban nhân dân xã Hiệp Phước");
    expect(accepted.out).toContain("✓ Danh sách trường: 1 trường (Tiểu học 1)");

    // Run again: nothing the office edited is overwritten.
    const again = await captureCli(["init", "--dir", dir]);
    expect(again.code).toBe(2);
    expect(again.err).toContain("không ghi đè");
    expect(await readFile(office, "utf8")).toBe(filled);
  });
});
