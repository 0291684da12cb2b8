import { availableParallelism } from "node:os";
import type { CDPSession, Page } from "puppeteer-core";
import { UnavailableError } from "../../errors.js";
import { type DocumentParts, numbering, splitDocument } from "./batch-html.js";
import { ChromiumSupervisor, type Deadline } from "./chromium.js";
import { BatchQueue } from "./pdf-batch.js";

export { ChromiumMissing, checkChromium, DEBIAN_CHROMIUM, RendererBusy } from "./chromium.js";

/**
 * HTML to PDF on the supervised Chromium (chromium.ts): a deadline on every render (past it the
 * browser is probed, and replaced at once if it is frozen), JavaScript off
 * and every request blocked but data: URLs (the HTML is self-contained), and a warm page reused
 * across documents that share their head (only the title and body are swapped). Documents that wait
 * for a page are printed several at a time and the PDF split (pdf-batch.ts).
 */
export interface PdfRendererOptions {
  executablePath?: string;
  /** Pages rendering at once (default: one per core, 2 to 4); each costs Chromium about 200 MB. */
  pages?: number;
  /** Renders that may wait for a page; one more fails at once with RendererBusy (retryable). */
  maxQueue?: number;
  /** Deadline of one render (page included), in ms. */
  timeoutMs?: number;
  /** Longest wait for the browser to answer once a render failed, before it is taken for frozen. */
  probeTimeoutMs?: number;
  /** Renders after which the browser is replaced. */
  recycleAfter?: number;
  /** Each page with a renderer process of its own, on a core of its own (default true). */
  rendererPerPage?: boolean;
  /** The most documents printed together (default 8, at most 16; 1: each alone, never split). */
  batch?: number;
}

/** A render failed or missed its deadline: the page is replaced, and the next try may succeed. */
export class RenderError extends UnavailableError {}

/** Documents a page prints between two forced garbage collections. */
const GC_EVERY = 25;

export class PdfRenderer {
  private readonly chromium: ChromiumSupervisor;
  private readonly timeoutMs: number;
  private readonly heads = new WeakMap<Page, string>();
  private readonly sessions = new WeakMap<Page, Promise<CDPSession>>();
  private readonly printed = new WeakMap<Page, number>();
  private readonly deadline: Deadline;
  private readonly batches: BatchQueue;
  /** Restarts count every new browser; hangs, those that replaced a frozen one. */
  readonly stats = { renders: 0, prints: 0, launches: 0, restarts: 0, hangs: 0, timeouts: 0 };
  /** The most documents one print holds. */
  private readonly batch: number;

  constructor(options: PdfRendererOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.batch = options.batch ?? 8;
    this.chromium = new ChromiumSupervisor({
      ...(options.executablePath ? { executablePath: options.executablePath } : {}),
      pages: options.pages ?? Math.max(2, Math.min(4, availableParallelism())),
      ...(options.maxQueue === undefined ? {} : { maxQueue: options.maxQueue }),
      ...(options.recycleAfter === undefined ? {} : { recycleAfter: options.recycleAfter }),
      ...(options.rendererPerPage === undefined ? {} : { rendererPerPage: options.rendererPerPage }),
      protocolTimeoutMs: Math.max(this.timeoutMs * 2, 60_000),
      timeoutMs: this.timeoutMs,
      ...(options.probeTimeoutMs === undefined ? {} : { probeTimeoutMs: options.probeTimeoutMs }),
      preparePage: isolate,
    });
    this.deadline = {
      onTimeout: () => {
        this.stats.timeouts++;
        return new RenderError("Không tạo được PDF kịp thời hạn; sẽ thử lại.", {
          detail: `Tạo PDF quá ${this.timeoutMs} ms`,
        });
      },
    };
    this.batches = new BatchQueue({
      withPage: (work) => this.chromium.withPage(work, this.deadline),
      print: (page, html, parts, documents) => this.print(page, html, parts, documents),
      maxDocuments: this.batch,
    });
  }

  /** The process id of the current browser (for measuring its memory). */
  browserPid(): Promise<number | undefined> {
    return this.chromium.browserPid();
  }

  async render(html: string): Promise<Buffer> {
    try {
      const parts = splitDocument(html);
      const style = parts && this.batch > 1 ? numbering(parts) : undefined;
      const pdf =
        parts && style
          ? await this.batches.render(html, parts, style)
          : await this.chromium.withPage((page) => this.print(page, html, parts), this.deadline);
      this.stats.renders++;
      return pdf;
    } catch (error) {
      if (error instanceof UnavailableError) throw error;
      throw new RenderError("Không tạo được PDF; sẽ thử lại.", {
        cause: error,
        detail: `Không tạo được PDF: ${String(error)}`,
      });
    } finally {
      Object.assign(this.stats, this.chromium.stats);
    }
  }

  close(): Promise<void> {
    return this.chromium.close();
  }

  /** Print `html` (`documents` documents, in a batch) on the page, as one PDF. */
  private async print(
    page: Page,
    html: string,
    parts: DocumentParts | undefined,
    documents = 1,
  ): Promise<Buffer> {
    // Documents share their head (stylesheet, inlined fonts: 150 KB): when a reused page already
    // holds the same head, only the title and the body are replaced (through DevTools' DOM domain:
    // the page runs no script), which spares parsing the fonts again for every report.
    if (parts && this.heads.get(page) === parts.headKey) {
      const session = await this.session(page);
      const { root } = await session.send("DOM.getDocument", { depth: 1 });
      for (const [selector, outerHTML] of [
        ["title", parts.title],
        ["body", parts.body],
      ] as const) {
        const { nodeId } = await session.send("DOM.querySelector", { nodeId: root.nodeId, selector });
        // Never print the previous document under this one's name.
        if (!nodeId) throw new RenderError(`Trang dựng sẵn không còn thẻ <${selector}>`);
        await session.send("DOM.setOuterHTML", { nodeId, outerHTML });
      }
    } else {
      await page.setContent(html, { waitUntil: "load", timeout: this.timeoutMs });
      if (parts) this.heads.set(page, parts.headKey);
    }
    const pdf = await page.pdf({
      preferCSSPageSize: true,
      printBackground: true,
      timeout: this.timeoutMs,
      waitForFonts: true,
      // No accessibility tags or outline: they take Chromium as long again as the printing itself.
      tagged: false,
      outline: false,
    });
    // Swapped bodies leave garbage that a renderer of its own may keep until it holds ~470 MiB
    // (one per page when Chromium gives each page its own renderer: 1.2 GiB in all, against
    // ~400 MiB when they share one). A full collection every few documents keeps it at the latter.
    this.stats.prints++;
    const before = this.printed.get(page) ?? 0;
    this.printed.set(page, before + documents);
    if (Math.floor((before + documents) / GC_EVERY) > Math.floor(before / GC_EVERY))
      await (await this.session(page)).send("HeapProfiler.collectGarbage");
    return Buffer.from(pdf);
  }

  private session(page: Page): Promise<CDPSession> {
    let session = this.sessions.get(page);
    if (!session) {
      session = page.createCDPSession();
      this.sessions.set(page, session);
    }
    return session;
  }
}

/** A new page runs no script and loads nothing but data: URLs. */
const isolate = async (page: Page) => {
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith("data:") || url === "about:blank") void request.continue();
    else void request.abort("blockedbyclient");
  });
};
