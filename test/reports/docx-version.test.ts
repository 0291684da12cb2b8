import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { docxBuilderHash } from "../../functions/src/infra/docx/version.js";

const BUILDER = join(dirname(fileURLToPath(import.meta.url)), "../../functions/src/infra/docx");

describe("the Word builder in the content hash", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it("changes when the builder's code changes, so stored Word copies are built again", async () => {
    const copy = await mkdtemp(join(tmpdir(), "dienhinh-docx-"));
    dirs.push(copy);
    await cp(BUILDER, copy, { recursive: true });
    const before = await docxBuilderHash(copy);
    expect(before).toBe(await docxBuilderHash(BUILDER));
    const [file] = (await readdir(copy)).filter((f) => f.endsWith(".ts"));
    await writeFile(join(copy, file as string), "// a changed table width\n", { flag: "a" });
    expect(await docxBuilderHash(copy)).not.toBe(before);
  });
});
