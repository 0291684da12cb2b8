import { Document, Packer, Paragraph } from "docx";
import { renderDocx } from "../functions/src/infra/docx/index.js";
import { SCHOOLS } from "./city.js";
import type { Benchmark, Figure } from "./harness.js";
import { sampleResultDocuments } from "./reports.js";

/** Documents per second of `render` over `count` runs, after one to warm up. */
const perSecond = async (count: number, render: (i: number) => Promise<Buffer>) => {
  await render(0);
  const start = process.hrtime.bigint();
  let bytes = 0;
  for (let i = 0; i < count; i++) bytes += (await render(i)).length;
  return { perSecond: count / (Number(process.hrtime.bigint() - start) / 1e9), bytes: bytes / count };
};

/**
 * The school result as a Word file at city scale: a sample of the 3,500 schools' results (the same
 * view models as the PDF benchmark's) rendered to .docx one after another on one core, as
 * `ensureRendered` does beside each PDF; extrapolated to 3,500. Beside it, in the same run, the
 * library's floor: an empty document through docx's Packer (which compiles the styles, theme,
 * numbering and settings and zips the package for every document, whatever it holds).
 */
export const docxBenchmark = (): Benchmark => ({
  name: "Word copies (.docx)",
  run: async (): Promise<Figure[]> => {
    const docs = await sampleResultDocuments(Number(process.env.BENCH_DOCX ?? 300));
    const results = await perSecond(docs.length, (i) => renderDocx(docs[i] as (typeof docs)[number]));
    const empty = await perSecond(100, () =>
      Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph("")] }] })),
    );
    return [
      {
        name: `school results per second (${docs.length} rendered, ${Math.round(results.bytes / 1024)} kB each)`,
        value: results.perSecond,
        unit: ".docx/s",
        compareWith: { name: "an empty document (docx's floor)", value: empty.perSecond, unit: ".docx/s" },
        target: "≥ 200",
        met: results.perSecond >= 200,
      },
      {
        name: `all ${SCHOOLS.toLocaleString("en")} schools, extrapolated`,
        value: SCHOOLS / results.perSecond,
        unit: "s",
      },
    ];
  },
});
