import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OfficialDocument } from "../../functions/src/domain/documents.js";
import { numbering, splitDocument } from "../../functions/src/infra/render/batch-html.js";
import { ChromiumSupervisor } from "../../functions/src/infra/render/chromium.js";
import { PdfRenderer } from "../../functions/src/infra/render/pdf.js";
import { BatchQueue } from "../../functions/src/infra/render/pdf-batch.js";
import { loadTemplates, type Templates } from "../../functions/src/infra/templates.js";
import { DOCUMENTS } from "./docx-fixtures.js";

/**
 * Documents printed together (one Chromium print, split) are the documents printed alone, page for
 * page: as many pages, the same text on each (page numbers included), the same pixels, only Tinos
 * embedded, A4, the same title. And a batch that fails costs only the document at fault.
 */
const dir = mkdtempSync(join(tmpdir(), "dienhinh-batch-"));
let templates: Templates;
let alone: PdfRenderer;
let batched: PdfRenderer;
beforeAll(async () => {
  templates = await loadTemplates();
  alone = new PdfRenderer({ pages: 1, batch: 1 });
  batched = new PdfRenderer({ pages: 1 });
});
afterAll(async () => {
  await Promise.all([alone.close(), batched.close()]);
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
const file = (pdf: Buffer) => {
  const path = join(dir, `${files++}.pdf`);
  writeFileSync(path, pdf);
  return path;
};
const info = (pdf: Buffer) => execFileSync("pdfinfo", [file(pdf)]).toString();
const field = (pdf: Buffer, name: string) => new RegExp(`^${name}:\\s*(.*)$`, "mu").exec(info(pdf))?.[1];
/** Each page's text, laid out as on paper (the page number in the top margin included). */
const pagesText = (pdf: Buffer) =>
  execFileSync("pdftotext", ["-layout", file(pdf), "-"])
    .toString()
    .split("\f")
    .slice(0, -1);
/** The embedded fonts' names, without their subset tags. */
const fonts = (pdf: Buffer) =>
  execFileSync("pdffonts", [file(pdf)])
    .toString()
    .split("\n")
    .slice(2)
    .filter(Boolean)
    .map((line) => (line.split(/\s+/u)[0] ?? "").replace(/^[A-Z]{6}\+/u, ""));
/** The URLs of the PDF's links, as poppler finds them in its objects. */
const urls = (pdf: Buffer) =>
  execFileSync("pdfinfo", ["-url", file(pdf)])
    .toString()
    .split("\n")
    .slice(1)
    .filter(Boolean);
/** No trace of a batch's markers: no link to them, not even an object left over in the file. */
const expectNoMarker = (pdf: Buffer, label: string) => {
  expect(pdf.includes("batch.invalid"), label).toBe(false);
  expect(
    urls(pdf).filter((line) => line.includes("batch.invalid")),
    label,
  ).toEqual([]);
};
/** Each page as a grey image at 50 dpi. */
const pixels = (pdf: Buffer): Buffer[] => {
  const prefix = join(dir, `img-${files++}`);
  execFileSync("pdftoppm", ["-r", "50", "-gray", file(pdf), prefix]);
  const name = prefix.slice(dir.length + 1);
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${name}-`))
    .sort()
    .map((f) => readFileSync(join(dir, f)));
};

const expectSameDocument = (batch: Buffer, single: Buffer, label: string) => {
  expect(field(batch, "Pages"), label).toBe(field(single, "Pages"));
  expect(field(batch, "Page size"), label).toBe(field(single, "Page size"));
  expect(field(batch, "Title"), label).toBe(field(single, "Title"));
  expectNoMarker(batch, label);
  expect(pagesText(batch), label).toEqual(pagesText(single));
  expect(fonts(batch).sort(), label).toEqual(fonts(single).sort());
  // The same pixels, but for a few glyph edges per line anti-aliased otherwise (the embedded font
  // subsets differ: a batch's hold the glyphs of all its documents): under 0.5 % of a page.
  const [a, b] = [pixels(batch), pixels(single)];
  expect(a.length, label).toBe(b.length);
  for (const [i, page] of a.entries()) {
    const other = b[i] as Buffer;
    expect(page.length, label).toBe(other.length);
    let differing = 0;
    for (let j = 0; j < page.length; j++) if (Math.abs((page[j] ?? 0) - (other[j] ?? 0)) > 8) differing++;
    expect(differing / page.length, `${label}, page ${i + 1}`).toBeLessThan(0.005);
  }
};

/** Every kind of official document, as docx.test.ts builds them (docx-fixtures.ts). */
const officialDocuments = (): OfficialDocument[] => Object.values(DOCUMENTS).map((build) => build(templates));

/** A document with the official head and a body of our own: long text, and appendices of several pages. */
const withBody = (html: string, title: string, body: string) =>
  html
    .replace(/<title>[\s\S]*?<\/title>/u, `<title>${title}</title>`)
    .replace(/<body[\s\S]*<\/body>/u, `<body>${body}</body>`);
const paragraphs = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `<p>${tag} đoạn ${i}: ${"nội dung kiểm tra ".repeat(20)}</p>`).join("");
const appendix = (n: number, tag: string, second = false) =>
  `<section class="appendix${second ? " appendix-second" : ""}"><p class="appendix-label">Phụ lục ${tag}</p>${paragraphs(n, tag)}</section>`;

describe("documents printed together", () => {
  it("are, page for page, the documents printed alone", async () => {
    const official = officialDocuments().map((doc) => templates.document(doc));
    const head = official[0] as string;
    const own = [
      withBody(head, "Dài &amp; nhiều trang", paragraphs(30, "A")),
      withBody(head, "Hai phụ lục", paragraphs(3, "B") + appendix(14, "I") + appendix(14, "II", true)),
      withBody(head, "Một phụ lục", paragraphs(9, "C") + appendix(25, "III")),
    ];
    const html = [...official, ...own, ...official.slice(0, 3)];
    for (const h of html) expect(numbering(splitDocument(h) as never)).toBe("official");
    const singles: Buffer[] = [];
    for (const h of html) singles.push(await alone.render(h));
    const prints = batched.stats.prints;
    const batches = await Promise.all(html.map((h) => batched.render(h)));
    // All of them in a couple of prints (a batch holds 8 at most), not one each.
    expect(batched.stats.prints - prints).toBeLessThanOrEqual(3);
    expect(singles.map((pdf) => Number(field(pdf, "Pages")))).toContain(5);
    for (const i of html.keys())
      expectSameDocument(batches[i] as Buffer, singles[i] as Buffer, `document ${i}`);
    for (const pdf of batches) {
      expect(field(pdf, "Page size")).toMatch(/\(A4\)/u);
      expect(new Set(fonts(pdf).map((f) => f.replace(/-.*/u, "")))).toEqual(new Set(["Tinos"]));
    }
  });

  it("print again one at a time, each its own, when the split refuses the batch", async () => {
    const head = templates.document(officialDocuments()[0] as OfficialDocument);
    // An internal link: its target lies on a page of its own document, which only printing alone keeps.
    const linked = `<p><a href="#cuoi">Đến phần cuối</a></p>${paragraphs(12, "L")}<p id="cuoi">Phần cuối</p>`;
    const html = [
      withBody(head, "Một", paragraphs(2, "một")),
      withBody(head, "Liên kết", linked),
      withBody(head, "Ba", paragraphs(20, "ba")),
    ];
    const prints = batched.stats.prints;
    const pdfs = await Promise.all(html.map((h) => batched.render(h)));
    expect(batched.stats.prints - prints).toBe(1 + html.length); // the batch, then each alone
    for (const [i, h] of html.entries())
      expectSameDocument(pdfs[i] as Buffer, await alone.render(h), `document ${i}`);
  });
});

describe("a batch that fails", () => {
  const chromium = new ChromiumSupervisor({ pages: 1, timeoutMs: 20_000 });
  afterAll(() => chromium.close());
  const print = async (page: Page, html: string) => {
    // A document that breaks the print: its batch fails as a whole.
    if (html.includes("HỎNG")) throw new Error("the print failed");
    await page.setContent(html);
    return Buffer.from(await page.pdf({ preferCSSPageSize: true, tagged: false, outline: false }));
  };
  const queue = new BatchQueue({ withPage: (work) => chromium.withPage(work), print });
  const page = (title: string, body: string) =>
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
  const render = (html: string) => {
    const parts = splitDocument(html);
    if (!parts) throw new Error("not a document");
    return queue.render(html, parts, numbering(parts) ?? "none");
  };

  it("fails only the document at fault; the others get their own PDF", async () => {
    const html = ["một", "hai", "HỎNG", "bốn", "năm"].map((word) => page(word, `<p>Văn bản ${word}</p>`));
    const outcomes = await Promise.allSettled(html.map(render));
    expect(outcomes.map((o) => o.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    for (const [i, word] of ["một", "hai", "", "bốn", "năm"].entries()) {
      const outcome = outcomes[i];
      if (outcome?.status !== "fulfilled") continue;
      expect(pagesText(outcome.value).map((t) => t.trim())).toEqual([`Văn bản ${word}`]);
      expect(field(outcome.value, "Title")).toBe(word);
    }
  });
});
