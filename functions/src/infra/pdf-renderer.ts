import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, type CDPSession, type Page } from "puppeteer-core";
import { InputError, UnavailableError } from "../errors.js";

/**
 * HTML to PDF on a supervised Chromium (Debian's `chromium`, through puppeteer-core):
 * - one browser, started on first use and kept warm;
 * - a bounded pool of pages, each reused across renders;
 * - a deadline on every render; a page that misses it is closed and replaced;
 * - the browser restarted after a crash, or after `recycleAfter` renders (memory does creep);
 * - JavaScript off and every request blocked but data: URLs: the HTML is self-contained.
 */
export interface PdfRendererOptions {
  executablePath?: string;
  /** Pages rendering at once (default: one per core, 2 to 4); each costs Chromium about 200 MB. */
  pages?: number;
  /** Deadline of one render, in ms. */
  timeoutMs?: number;
  /** Renders after which the browser is replaced. */
  recycleAfter?: number;
}

/** A render failed or missed its deadline: the browser is replaced, and the next try may succeed. */
export class RenderError extends UnavailableError {}

/** No browser to render with: the machine needs Chromium installed (scripts/setup). */
export class ChromiumMissing extends InputError {}

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** Chromium must be there before any work starts: say so, and how to fix it, at once. */
export const checkChromium = (path: string): void => {
  if (!existsSync(path))
    throw new ChromiumMissing(
      `Không tìm thấy Chromium tại ${path}: chạy scripts/setup (cài gói chromium của Debian) hoặc đặt CHROMIUM_PATH.`,
    );
};

/** Flags for a headless Chromium on a closed network, as root. */
const FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-extensions",
  "--disable-default-apps",
  "--mute-audio",
  "--font-render-hinting=none",
  // One renderer for all our pages (they hold only our own HTML), no caches: memory stays low.
  "--disable-site-isolation-trials",
  "--disable-features=site-per-process,IsolateOrigins,Translate,OptimizationHints,MediaRouter,BackForwardCache",
  "--disk-cache-size=0",
  "--renderer-process-limit=2",
];

/** Documents a page prints between two forced garbage collections. */
const GC_EVERY = 25;

interface Generation {
  browser: Promise<Browser>;
  userDataDir: Promise<string>;
  idle: Page[];
  open: number;
  renders: number;
  retired: boolean;
  closed?: Promise<void>;
}

export class PdfRenderer {
  private readonly options: Required<PdfRendererOptions>;
  private generation: Generation | undefined;
  private waiting: Array<() => void> = [];
  private busy = 0;
  readonly stats = { renders: 0, launches: 0, restarts: 0, timeouts: 0 };

  constructor(options: PdfRendererOptions = {}) {
    this.options = {
      executablePath: options.executablePath ?? DEBIAN_CHROMIUM,
      pages: options.pages ?? Math.max(2, Math.min(4, availableParallelism())),
      timeoutMs: options.timeoutMs ?? 30_000,
      recycleAfter: options.recycleAfter ?? 2_000,
    };
  }

  /** The process id of the current browser (for measuring its memory). */
  async browserPid(): Promise<number | undefined> {
    return this.generation ? (await this.generation.browser).process()?.pid : undefined;
  }

  async render(html: string): Promise<Buffer> {
    await this.slot();
    const generation = this.current();
    let page: Page | undefined;
    try {
      page = await this.page(generation);
      const pdf = await withDeadline(this.print(page, html), this.options.timeoutMs, () => {
        this.stats.timeouts++;
      });
      generation.idle.push(page);
      page = undefined;
      this.stats.renders++;
      generation.renders++;
      if (generation.renders >= this.options.recycleAfter) this.retire(generation);
      return pdf;
    } catch (error) {
      // A page that failed or missed its deadline is not trusted again; a dead browser is replaced.
      if (page) {
        generation.open--;
        await page.close().catch(() => {});
      }
      const browser = await generation.browser.catch(() => undefined);
      if (!browser?.connected) this.retire(generation, true);
      throw error instanceof RenderError
        ? error
        : new RenderError("Không tạo được PDF; sẽ thử lại.", {
            cause: error,
            detail: `Không tạo được PDF: ${String(error)}`,
          });
    } finally {
      this.release();
      if (generation.retired && generation.open === generation.idle.length) void this.shutdown(generation);
    }
  }

  async close(): Promise<void> {
    this.generation = undefined;
    await Promise.all([...this.generations].map((g) => this.shutdown(g)));
  }

  private async print(page: Page, html: string): Promise<Buffer> {
    // Documents share their head (stylesheet, inlined fonts: 150 KB): when a reused page already
    // holds the same head, only the title and the body are replaced (through DevTools' DOM domain:
    // the page runs no script), which spares parsing the fonts again for every report.
    const parts = splitDocument(html);
    const loaded = this.heads.get(page);
    if (parts && loaded === parts.headKey) {
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
      await page.setContent(html, { waitUntil: "load", timeout: this.options.timeoutMs });
      if (parts) this.heads.set(page, parts.headKey);
    }
    const pdf = await page.pdf({
      preferCSSPageSize: true,
      printBackground: true,
      timeout: this.options.timeoutMs,
      waitForFonts: true,
      // No accessibility tags or outline: they take Chromium as long again as the printing itself.
      tagged: false,
      outline: false,
    });
    // Swapped bodies leave garbage that a renderer of its own may keep until it holds ~470 MiB
    // (one per page when Chromium gives each page its own renderer: 1.2 GiB in all, against
    // ~400 MiB when they share one). A full collection every few documents keeps it at the latter.
    const printed = (this.printed.get(page) ?? 0) + 1;
    this.printed.set(page, printed);
    if (printed % GC_EVERY === 0) await (await this.session(page)).send("HeapProfiler.collectGarbage");
    return Buffer.from(pdf);
  }

  private readonly printed = new WeakMap<Page, number>();

  private readonly generations = new Set<Generation>();
  private readonly heads = new WeakMap<Page, string>();
  private readonly sessions = new WeakMap<Page, Promise<CDPSession>>();

  private session(page: Page): Promise<CDPSession> {
    let session = this.sessions.get(page);
    if (!session) {
      session = page.createCDPSession();
      this.sessions.set(page, session);
    }
    return session;
  }

  private current(): Generation {
    if (!this.generation || this.generation.retired) {
      if (this.generation) this.stats.restarts++;
      this.stats.launches++;
      const userDataDir = mkdtemp(join(tmpdir(), "dienhinh-chromium-"));
      const browser = userDataDir.then((dir) =>
        puppeteer.launch({
          executablePath: this.options.executablePath,
          args: FLAGS,
          userDataDir: dir,
          protocolTimeout: Math.max(this.options.timeoutMs * 2, 60_000),
        }),
      );
      browser.catch(() => {});
      const generation: Generation = { browser, userDataDir, idle: [], open: 0, renders: 0, retired: false };
      // A browser that dies is retired at once: its idle pages are never handed out again.
      void browser.then(
        (b) => b.on("disconnected", () => this.retire(generation, true)),
        () => this.retire(generation, true),
      );
      this.generations.add(generation);
      this.generation = generation;
    }
    return this.generation;
  }

  private async page(generation: Generation): Promise<Page> {
    const reused = generation.idle.pop();
    if (reused) return reused;
    const page = await (await generation.browser).newPage();
    generation.open++;
    try {
      await page.setJavaScriptEnabled(false);
      await page.setRequestInterception(true);
    } catch (error) {
      generation.open--;
      await page.close().catch(() => {});
      throw error;
    }
    page.on("request", (request) => {
      const url = request.url();
      if (url.startsWith("data:") || url === "about:blank") void request.continue();
      else void request.abort("blockedbyclient");
    });
    return page;
  }

  private retire(generation: Generation, crashed = false) {
    generation.retired = true;
    if (crashed) {
      generation.open -= generation.idle.length;
      generation.idle.length = 0;
      if (generation.open <= 0) void this.shutdown(generation);
    }
  }

  private shutdown(generation: Generation): Promise<void> {
    this.generations.delete(generation);
    generation.closed ??= (async () => {
      const browser = await generation.browser.catch(() => undefined);
      await browser?.close().catch(() => {});
      await rm(await generation.userDataDir, { recursive: true, force: true }).catch(() => {});
    })();
    return generation.closed;
  }

  private async slot() {
    if (this.busy < this.options.pages) {
      this.busy++;
      return;
    }
    // The slot is handed over by release(), never left free for a newcomer to take first.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release() {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy--;
  }
}

const withDeadline = <T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new RenderError(`Tạo PDF quá ${ms} ms`));
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });

/** A document's head without its title (the part pages share), its title, and its body. */
const splitDocument = (html: string): { headKey: string; title: string; body: string } | undefined => {
  const head = /<head>([\s\S]*?)<\/head>/iu.exec(html)?.[1];
  const body = /<body[\s\S]*<\/body>/iu.exec(html)?.[0];
  if (head === undefined || body === undefined) return undefined;
  const title = /<title>[\s\S]*?<\/title>/iu.exec(head)?.[0] ?? "<title></title>";
  return { headKey: head.replace(title, ""), title, body };
};
