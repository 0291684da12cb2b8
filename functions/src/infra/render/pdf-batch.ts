import { setImmediate as nextTurn } from "node:timers/promises";
import type { Page } from "puppeteer-core";
import { batchDocument, type DocumentParts, MAX_BATCH, titleText } from "./batch-html.js";
import { splitPdf } from "./pdf-split.js";

/**
 * Renders that wait for a page are printed together: the first to get a page takes, besides its
 * own document, those queued behind it with the same head (up to MAX_BATCH), prints them as one
 * document (batch-html.ts) and splits the PDF (pdf-split.ts). One print of many documents costs
 * Chromium a fraction of as many prints (fonts are embedded once; print setup and transfer are paid
 * once), and callers still get one PDF each.
 *
 * Each render keeps its own call for a page (and so its place in the queue, its refusal when the
 * queue is full, its deadline): a call that finds its document already printed by another's batch
 * just gives the page back. A document alone is printed as it is. A batch that fails (a document the
 * split refuses, one that breaks the print) or misses its deadline is printed again one document at
 * a time, so that only the document at fault fails. A document is only ever given the
 * pages its own marker opens: a split that does not find every marker, in order, fails the batch.
 */
export interface BatchQueueOptions {
  /** `work` on a page of the browser, within a render's deadline (the supervisor's withPage). */
  withPage: <T>(work: (page: Page) => Promise<T>) => Promise<T>;
  /** Print one HTML document on the page (its head reused when the page holds it already). */
  print: (page: Page, html: string, parts: DocumentParts, documents: number) => Promise<Buffer>;
  /** The most documents one print holds (1 to MAX_BATCH; default MAX_BATCH). */
  maxDocuments?: number;
  /** The most body text one print holds, in characters. */
  maxChars?: number;
}

type Style = "none" | "official";

interface Entry {
  html: string;
  parts: DocumentParts;
  style: Style;
  taken: boolean;
  resolve: (pdf: Buffer) => void;
  reject: (error: unknown) => void;
}

export class BatchQueue {
  private pending: Entry[] = [];
  private readonly maxChars: number;
  private readonly maxDocuments: number;
  /** One copy of each head (150 KB with its fonts) for all the documents waiting with it. */
  private readonly heads = new Map<string, string>();

  constructor(private readonly options: BatchQueueOptions) {
    this.maxChars = options.maxChars ?? 2_000_000;
    this.maxDocuments = Math.max(1, Math.min(MAX_BATCH, options.maxDocuments ?? MAX_BATCH));
  }

  render(html: string, document: DocumentParts, style: Style): Promise<Buffer> {
    if (!this.heads.has(document.headKey) && this.heads.size >= 8) this.heads.clear();
    const headKey = this.heads.get(document.headKey) ?? document.headKey;
    this.heads.set(headKey, headKey);
    const parts = { ...document, headKey };
    return new Promise<Buffer>((resolve, reject) => {
      const entry: Entry = { html, parts, style, taken: false, resolve, reject };
      this.pending.push(entry);
      this.dispatch(entry);
    });
  }

  /** The entry's own call for a page: it prints the entry (and what it takes along) unless another did. */
  private dispatch(entry: Entry) {
    let batch: Entry[] = [];
    let over = false;
    const work = async (page: Page) => {
      await nextTurn(); // renders asked for in this turn of the event loop join the batch
      if (over || entry.taken) return [];
      batch = this.take(entry);
      return this.print(page, batch);
    };
    this.options.withPage(work).then(
      (pdfs) => {
        for (const [i, e] of batch.entries()) e.resolve(pdfs[i] as Buffer);
      },
      (error: unknown) => {
        over = true;
        if (!entry.taken) {
          this.pending = this.pending.filter((e) => e !== entry);
          entry.reject(error);
        } else if (batch.length === 1) batch[0]?.reject(error);
        else for (const e of batch) this.alone(e);
      },
    );
  }

  /** One document of a failed batch, printed again on its own: its failure is its own. */
  private alone(entry: Entry) {
    this.options
      .withPage((page) => this.print(page, [entry]))
      .then(
        (pdfs) => entry.resolve(pdfs[0] as Buffer),
        (error: unknown) => entry.reject(error),
      );
  }

  /** `entry`, then the oldest waiting entries that print with it, up to a batch's bounds. */
  private take(entry: Entry): Entry[] {
    const batch = [entry];
    let chars = entry.parts.body.length;
    for (const e of this.pending) {
      if (batch.length >= this.maxDocuments) break;
      if (e === entry || e.style !== entry.style || e.parts.headKey !== entry.parts.headKey) continue;
      if (chars + e.parts.body.length > this.maxChars) continue;
      chars += e.parts.body.length;
      batch.push(e);
    }
    for (const e of batch) e.taken = true;
    this.pending = this.pending.filter((e) => !e.taken);
    return batch;
  }

  private async print(page: Page, batch: Entry[]): Promise<Buffer[]> {
    const first = batch[0] as Entry;
    // One document alone is printed as it is, as it would be without batches.
    if (batch.length === 1) return [await this.options.print(page, first.html, first.parts, 1)];
    const doc = batchDocument(
      batch.map((e) => e.parts),
      first.style,
    );
    const html = `${first.parts.prefix}<head>${doc.head}<title></title></head>${doc.body}</html>`;
    const parts = { ...first.parts, headKey: `${first.parts.prefix}${doc.head}`, title: "<title></title>" };
    const pdf = await this.options.print(page, html, { ...parts, body: doc.body }, batch.length);
    return splitPdf(
      pdf,
      doc.markerPrefix,
      batch.map((e) => titleText(e.parts.title)),
    );
  }
}
