import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clearPreviousRun } from "../../functions/src/cli/previous-run.js";

describe("a new local run replaces the last run's documents and messages", () => {
  it("removes only the files a run names itself", async () => {
    const out = await mkdtemp(join(tmpdir(), "dienhinh-prev-"));
    await mkdir(join(out, "reports"));
    await mkdir(join(out, "outbox"));
    const ours = [
      "reports/ket-qua-NB-MN01-0123456789ab.pdf",
      "reports/ket-qua-NB-MN01-0123456789ab.docx",
      "reports/quyet-dinh-mau-a5d84ad553d3.pdf",
      `outbox/${"a".repeat(40)}.eml`,
    ];
    const theirs = [
      "reports/ghi-chu.pdf",
      "reports/ket-qua-NB-MN01.xlsx",
      "outbox/thu-rieng.eml",
      "theo-doi.xlsx",
      "index.html",
    ];
    for (const f of [...ours, ...theirs]) await writeFile(join(out, f), "x");
    expect(await clearPreviousRun(out)).toBe(ours.length);
    const left = [
      ...(await readdir(join(out, "reports"))).map((f) => `reports/${f}`),
      ...(await readdir(join(out, "outbox"))).map((f) => `outbox/${f}`),
      ...(await readdir(out)).filter((f) => !["reports", "outbox"].includes(f)),
    ];
    expect(left.sort()).toEqual([...theirs].sort());
  });

  it("has nothing to do in a folder that does not exist yet", async () => {
    expect(await clearPreviousRun(join(tmpdir(), "dienhinh-none", String(Date.now())))).toBe(0);
  });
});
