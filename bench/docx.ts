import { Document, Packer, Paragraph } from "docx";
import { strFromU8, unzipSync } from "fflate";
import type { SchoolResultDocument } from "../functions/src/domain/documents.js";
import { docxFile, renderDocx } from "../functions/src/infra/docx/index.js";
import { SCHOOLS } from "./city.js";
import type { Benchmark, Figure } from "./harness.js";
import { sampleResultDocuments } from "./reports.js";

/** Documents per second of `render` over `count` runs, after one to warm up; and the files made. */
const perSecond = async (count: number, render: (i: number) => Promise<Buffer>) => {
  await render(0);
  const files: Buffer[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) files.push(await render(i));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const bytes = files.reduce((n, f) => n + f.length, 0);
  return { perSecond: count / seconds, bytes: bytes / count, files };
};

/**
 * Each file made is a whole .docx of its school, checked after the timing: it unzips into as many
 * parts as docx's Packer makes of the same document, and its body names the school and its total.
 */
const checkFiles = (docs: readonly SchoolResultDocument[], files: readonly Buffer[], parts: number) =>
  files.forEach((file, i) => {
    const doc = docs[i] as SchoolResultDocument;
    const unzipped = unzipSync(new Uint8Array(file));
    const body = strFromU8(unzipped["word/document.xml"] ?? new Uint8Array());
    if (
      Object.keys(unzipped).length !== parts ||
      !body.includes(doc.school.name) ||
      !body.includes(`${doc.points}/`)
    )
      throw new Error(`the .docx of ${doc.school.code} is not whole`);
  });

/**
 * The school result as a Word file at city scale: a sample of the 3,500 schools' results (the same
 * view models as the PDF benchmark's) rendered to .docx one after another on one core, as
 * `ensureRendered` does beside each PDF; extrapolated to 3,500. Every file is checked whole after
 * the timing. Beside it, in the same run, the library's floor: an empty document through docx's
 * Packer (which compiles the styles, theme, numbering and settings and zips the package for every
 * document, whatever it holds; renderDocx packs those once per layout, infra/docx/package.ts); and
 * the same documents packed whole by docx's Packer (its XML writer and zip for every part of every
 * document, the documents' components built as renderDocx builds them).
 */
export const docxBenchmark = (): Benchmark => ({
  name: "Word copies (.docx)",
  run: async (): Promise<Figure[]> => {
    const docs = await sampleResultDocuments(Number(process.env.BENCH_DOCX ?? 300));
    const doc = (i: number) => docs[i] as SchoolResultDocument;
    const results = await perSecond(docs.length, (i) => renderDocx(doc(i)));
    const packer = await perSecond(Math.min(docs.length, 60), (i) => Packer.toBuffer(docxFile(doc(i))));
    checkFiles(docs, results.files, Object.keys(unzipSync(new Uint8Array(packer.files[0] ?? []))).length);
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
        name: "the same results packed whole by docx's Packer",
        value: packer.perSecond,
        unit: ".docx/s",
        compareWith: { name: "renderDocx", value: results.perSecond, unit: ".docx/s" },
      },
      {
        name: `all ${SCHOOLS.toLocaleString("en")} schools, extrapolated`,
        value: SCHOOLS / results.perSecond,
        unit: "s",
      },
    ];
  },
});
