import { PDFArray, PDFDocument, PDFName, PDFString } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { splitPdf } from "../../functions/src/infra/render/pdf-split.js";

/**
 * The split on its own, on PDFs made here: each document from its marker to the next, the markers
 * gone, each document titled; a batch whose markers are not one per document, in order, or whose
 * document links to a page of another is refused (the caller then prints each document alone).
 */
const PREFIX = "https://batch.invalid/test/";

/** A PDF of `pages` pages: the page's number as its text, and links to the URIs given per page. */
const batchPdf = async (pages: number, links: Record<number, string[]>, internal?: [number, number]) => {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawText(`trang ${i}`, { x: 50, y: 700 });
  for (const [page, uris] of Object.entries(links)) {
    const annots = uris.map((uri) =>
      doc.context.register(
        doc.context.obj({
          Type: "Annot",
          Subtype: "Link",
          Rect: [0, 0, 1, 1],
          A: { S: "URI", URI: PDFString.of(uri) },
        }),
      ),
    );
    doc.getPage(Number(page)).node.set(PDFName.of("Annots"), doc.context.obj(annots));
  }
  if (internal) {
    const [from, to] = internal;
    const link = doc.context.obj({
      Type: "Annot",
      Subtype: "Link",
      Rect: [0, 0, 1, 1],
      Dest: [doc.getPage(to).ref, "Fit"],
    });
    const annots = doc.getPage(from).node.lookup(PDFName.of("Annots"));
    if (annots instanceof PDFArray) annots.push(doc.context.register(link));
    else doc.getPage(from).node.set(PDFName.of("Annots"), doc.context.obj([doc.context.register(link)]));
  }
  return doc.save();
};

const pagesOf = async (pdf: Buffer) => {
  const doc = await PDFDocument.load(pdf);
  return { count: doc.getPageCount(), title: doc.getTitle() };
};

describe("splitting a batch's PDF", () => {
  it("gives each document the pages from its marker to the next, titled, without the markers", async () => {
    const pdf = await batchPdf(6, {
      0: [`${PREFIX}0`, "https://example.org/"],
      1: [`${PREFIX}1`],
      4: [`${PREFIX}2`],
    });
    const parts = await splitPdf(pdf, PREFIX, ["Một", "Hai & ba", "Bốn"]);
    expect(await Promise.all(parts.map(pagesOf))).toEqual([
      { count: 1, title: "Một" },
      { count: 3, title: "Hai & ba" },
      { count: 2, title: "Bốn" },
    ]);
    for (const part of parts) expect(part.includes("batch.invalid")).toBe(false);
    // A link of the document's own stays.
    expect(parts[0]?.includes("https://example.org/")).toBe(true);
  });

  it.each([
    ["a marker missing", { 0: [`${PREFIX}0`], 3: [`${PREFIX}2`] }],
    ["a marker twice", { 0: [`${PREFIX}0`], 1: [`${PREFIX}1`, `${PREFIX}1`], 3: [`${PREFIX}2`] }],
    ["markers out of order", { 0: [`${PREFIX}0`], 1: [`${PREFIX}2`], 3: [`${PREFIX}1`] }],
    ["the first page unmarked", { 1: [`${PREFIX}0`], 2: [`${PREFIX}1`], 3: [`${PREFIX}2`] }],
    ["two documents on one page", { 0: [`${PREFIX}0`], 2: [`${PREFIX}1`, `${PREFIX}2`] }],
  ])("refuses a batch with %s", async (_, links) => {
    const pdf = await batchPdf(4, links);
    await expect(splitPdf(pdf, PREFIX, ["a", "b", "c"])).rejects.toThrow(/batch:/u);
  });

  it("refuses a document that links to a page (it would carry the batch's pages along)", async () => {
    const pdf = await batchPdf(4, { 0: [`${PREFIX}0`], 2: [`${PREFIX}1`] }, [0, 1]);
    await expect(splitPdf(pdf, PREFIX, ["a", "b"])).rejects.toThrow(/outside its own/u);
  });
});
