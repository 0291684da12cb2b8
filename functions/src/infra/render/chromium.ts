import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { InputError, UnavailableError } from "../../errors.js";

/**
 * Chromium under supervision, as gotenberg keeps its browser: started on first use and kept warm;
 * a bounded pool of pages, handed out one at a time, and a bounded queue of callers waiting for
 * one (a full queue is a clear, retryable error, not an ever-growing backlog); the browser
 * restarted after a crash (it is retired the moment it disconnects) or after `recycleAfter` uses
 * (memory does creep). What is done with a page is the caller's (see pdf.ts).
 */
export interface ChromiumOptions {
  executablePath?: string;
  /** Pages at once (default: one per core, 2 to 4); each costs Chromium about 200 MB. */
  pages?: number;
  /** Callers that may wait for a page; one more is refused (RendererBusy). */
  maxQueue?: number;
  /** Uses of one browser before it is replaced. */
  recycleAfter?: number;
  /** Longest wait for one DevTools call before the browser is taken for dead. */
  protocolTimeoutMs?: number;
  /** Set up a new page (script off, requests blocked). */
  preparePage?: (page: Page) => Promise<void>;
}

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** No browser to render with: the machine needs Chromium installed (scripts/setup). */
export class ChromiumMissing extends InputError {}

/** Every page is busy and the queue is full: try again in a moment. */
export class RendererBusy extends UnavailableError {}

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

/** One browser and its pages, from launch to shutdown. */
interface Generation {
  browser: Promise<Browser>;
  userDataDir: Promise<string>;
  idle: Page[];
  open: number;
  uses: number;
  retired: boolean;
  closed?: Promise<void>;
}

export class ChromiumSupervisor {
  private readonly options: Required<Omit<ChromiumOptions, "preparePage">> &
    Pick<ChromiumOptions, "preparePage">;
  private generation: Generation | undefined;
  private readonly generations = new Set<Generation>();
  private waiting: Array<() => void> = [];
  private busy = 0;
  readonly stats = { launches: 0, restarts: 0 };

  constructor(options: ChromiumOptions = {}) {
    this.options = {
      executablePath: options.executablePath ?? DEBIAN_CHROMIUM,
      pages: options.pages ?? 2,
      maxQueue: options.maxQueue ?? 1_000,
      recycleAfter: options.recycleAfter ?? 2_000,
      protocolTimeoutMs: options.protocolTimeoutMs ?? 60_000,
      preparePage: options.preparePage,
    };
  }

  get pages(): number {
    return this.options.pages;
  }

  /** The process id of the current browser (for measuring its memory). */
  async browserPid(): Promise<number | undefined> {
    return this.generation ? (await this.generation.browser).process()?.pid : undefined;
  }

  /**
   * Run `work` with a page of a live browser. A page whose work failed is not trusted again (it
   * is closed); a browser found dead is replaced; after `recycleAfter` uses the browser is retired.
   */
  async withPage<T>(work: (page: Page) => Promise<T>): Promise<T> {
    await this.slot();
    const generation = this.current();
    let page: Page | undefined;
    try {
      page = await this.page(generation);
      const result = await work(page);
      generation.idle.push(page);
      page = undefined;
      if (++generation.uses >= this.options.recycleAfter) this.retire(generation);
      return result;
    } catch (error) {
      if (page) {
        generation.open--;
        await page.close().catch(() => {});
      }
      const browser = await generation.browser.catch(() => undefined);
      if (!browser?.connected) this.retire(generation, true);
      throw error;
    } finally {
      this.release();
      if (generation.retired && generation.open === generation.idle.length) void this.shutdown(generation);
    }
  }

  async close(): Promise<void> {
    this.generation = undefined;
    await Promise.all([...this.generations].map((g) => this.shutdown(g)));
  }

  private current(): Generation {
    if (this.generation && !this.generation.retired) return this.generation;
    if (this.generation) this.stats.restarts++;
    this.stats.launches++;
    const userDataDir = mkdtemp(join(tmpdir(), "dienhinh-chromium-"));
    const browser = userDataDir.then((dir) =>
      puppeteer.launch({
        executablePath: this.options.executablePath,
        args: FLAGS,
        userDataDir: dir,
        protocolTimeout: this.options.protocolTimeoutMs,
      }),
    );
    browser.catch(() => {});
    const generation: Generation = { browser, userDataDir, idle: [], open: 0, uses: 0, retired: false };
    // A browser that dies is retired at once: its idle pages are never handed out again.
    void browser.then(
      (b) => b.on("disconnected", () => this.retire(generation, true)),
      () => this.retire(generation, true),
    );
    this.generations.add(generation);
    this.generation = generation;
    return generation;
  }

  private async page(generation: Generation): Promise<Page> {
    const reused = generation.idle.pop();
    if (reused) return reused;
    const page = await (await generation.browser).newPage();
    generation.open++;
    try {
      await this.options.preparePage?.(page);
    } catch (error) {
      generation.open--;
      await page.close().catch(() => {});
      throw error;
    }
    return page;
  }

  private retire(generation: Generation, crashed = false) {
    generation.retired = true;
    if (!crashed) return;
    generation.open -= generation.idle.length;
    generation.idle.length = 0;
    if (generation.open <= 0) void this.shutdown(generation);
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
    if (this.waiting.length >= this.options.maxQueue)
      throw new RendererBusy("Hệ thống đang tạo nhiều văn bản; vui lòng thử lại sau ít phút.", {
        detail: `renderer: ${this.waiting.length} callers already wait for one of ${this.options.pages} pages`,
      });
    // The slot is handed over by release(), never left free for a newcomer to take first.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release() {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy--;
  }
}
