import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { InputError, UnavailableError } from "../../errors.js";
import { ChromiumTimeout, killBrowser, within } from "./chromium-process.js";

export { browserProcesses, ChromiumTimeout, within } from "./chromium-process.js";

/**
 * Chromium under supervision, as gotenberg keeps its browser: started on first use and kept warm;
 * a bounded pool of pages, handed out one at a time, and a bounded queue of callers waiting for
 * one (a full queue is a clear, retryable error, not an ever-growing backlog); the browser
 * restarted after a crash (it is retired the moment it disconnects), after a hang, or after
 * `recycleAfter` uses (memory does creep). What is done with a page is the caller's (see pdf.ts).
 *
 * No wait is unbounded: a caller's work, page included, has a deadline; when it passes (or the work
 * fails) the browser is probed, and one that does not answer is frozen, not slow: it is retired at
 * once, its processes killed (SIGKILL: a stopped process heeds nothing else) and its profile removed,
 * and the next caller gets a new browser. Closing a page or a browser is bounded too.
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
  /** Deadline of a caller's work, page included, once it holds a slot and a browser (default 30 s). */
  timeoutMs?: number;
  /** Longest wait for a probed browser to answer before it is taken for frozen (default 2 s). */
  probeTimeoutMs?: number;
  /** Longest wait for a page or a browser to close (default 5 s). */
  closeTimeoutMs?: number;
  /** Set up a new page (script off, requests blocked). */
  preparePage?: (page: Page) => Promise<void>;
  /**
   * Each page in a browser context of its own, and so in a renderer process of its own (Chromium
   * shares none across contexts): pages lay out and print on as many cores. Otherwise the pages
   * share the default context, where Chromium may well put them all in one renderer, on one core
   * (default true).
   */
  rendererPerPage?: boolean;
}

/** The error a caller's work fails with past its deadline (`timeoutMs`; default: ChromiumTimeout). */
export type Deadline = { onTimeout?: () => Error };

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
  // Few renderers (our pages hold only our own HTML), no caches: memory stays low. Pages in
  // contexts of their own (rendererPerPage) each get one all the same. No omnibox popup (a WebUI
  // renderer per window: 50 to 100 MB, and one of the two renderers the limit allows).
  "--disable-site-isolation-trials",
  "--disable-features=site-per-process,IsolateOrigins,Translate,OptimizationHints,MediaRouter,BackForwardCache,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
  "--disk-cache-size=0",
  "--renderer-process-limit=2",
];

/** One browser and its pages, from launch to shutdown. */
interface Generation {
  browser: Promise<Browser>;
  /** The browser's process, once launched (to kill it when it hangs). */
  process?: ChildProcess | undefined;
  userDataDir: Promise<string>;
  idle: Page[];
  open: number;
  uses: number;
  retired: boolean;
  /** Killed for not answering a probe. */
  hung: boolean;
  /** A probe in flight: whether the browser answered (a new caller waits for the verdict). */
  probe?: Promise<boolean> | undefined;
  closed?: Promise<void>;
}

export class ChromiumSupervisor {
  private readonly options: Required<Omit<ChromiumOptions, "preparePage">> &
    Pick<ChromiumOptions, "preparePage">;
  private generation: Generation | undefined;
  private readonly generations = new Set<Generation>();
  private waiting: Array<() => void> = [];
  private busy = 0;
  /** Browsers launched; replaced (for any reason); of those, killed because they hung. */
  readonly stats = { launches: 0, restarts: 0, hangs: 0 };

  constructor(options: ChromiumOptions = {}) {
    this.options = {
      executablePath: options.executablePath ?? DEBIAN_CHROMIUM,
      pages: options.pages ?? 2,
      maxQueue: options.maxQueue ?? 1_000,
      recycleAfter: options.recycleAfter ?? 2_000,
      protocolTimeoutMs: options.protocolTimeoutMs ?? 60_000,
      timeoutMs: options.timeoutMs ?? 30_000,
      probeTimeoutMs: options.probeTimeoutMs ?? 2_000,
      closeTimeoutMs: options.closeTimeoutMs ?? 5_000,
      preparePage: options.preparePage,
      rendererPerPage: options.rendererPerPage ?? true,
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
   * Run `work` with a page of a live browser, within the deadline. A page whose work failed is not
   * trusted again (it is closed); a browser found dead or frozen is replaced; after `recycleAfter`
   * uses the browser is retired.
   */
  async withPage<T>(work: (page: Page) => Promise<T>, deadline: Deadline = {}): Promise<T> {
    await this.slot();
    let generation: Generation | undefined;
    try {
      generation = await this.live();
      await generation.browser; // a launch has puppeteer's bound (30 s), not the caller's deadline
      return await this.attempt(generation, work, deadline);
    } finally {
      this.release();
      if (generation) this.settle(generation);
    }
  }

  async close(): Promise<void> {
    this.generation = undefined;
    await Promise.all([...this.generations].map((g) => this.shutdown(g)));
  }

  private async attempt<T>(
    generation: Generation,
    work: (page: Page) => Promise<T>,
    deadline: Deadline,
  ): Promise<T> {
    const ms = this.options.timeoutMs;
    const held: { page?: Page; late?: boolean } = {};
    const running = (async () => {
      const page = await this.page(generation);
      if (held.late) {
        // Past the deadline: the page is good, but its caller has gone.
        generation.idle.push(page);
        this.settle(generation);
        throw new ChromiumTimeout("late page");
      }
      held.page = page;
      return work(page);
    })();
    // The probe goes out ahead, so that its verdict is in when the deadline passes.
    const ahead = Math.max(0, ms - this.options.probeTimeoutMs);
    const early = setTimeout(() => void this.probe(generation), ahead);
    try {
      const result = await within(running, ms, () => {
        held.late = true;
        return deadline.onTimeout?.() ?? new ChromiumTimeout(`Chromium không xong việc trong ${ms} ms`);
      }).finally(() => clearTimeout(early));
      if (held.page) generation.idle.push(held.page);
      if (++generation.uses >= this.options.recycleAfter) this.retire(generation);
      return result;
    } catch (error) {
      await this.recover(generation, held.page);
      throw error;
    }
  }

  /** After a failure: a browser that does not answer is killed; one that does keeps running. */
  private async recover(generation: Generation, page: Page | undefined) {
    const alive = await this.probe(generation);
    if (!page) return;
    generation.open--;
    if (!alive) return; // its pages went with it
    if (!(await this.closePage(page))) this.retire(generation); // replaced once its pages are back
  }

  /** The current browser, once any probe of it has given its verdict. */
  private async live(): Promise<Generation> {
    for (;;) {
      const generation = this.current();
      if (!generation.probe) return generation;
      await generation.probe;
    }
  }

  private current(): Generation {
    if (this.generation && !this.generation.retired) return this.generation;
    if (this.generation) this.stats.restarts++;
    this.stats.launches++;
    const userDataDir = mkdtemp(join(tmpdir(), "dienhinh-chromium-"));
    const browser = userDataDir.then(async (dir) => {
      const launched = await puppeteer.launch({
        executablePath: this.options.executablePath,
        args: FLAGS,
        userDataDir: dir,
        protocolTimeout: this.options.protocolTimeoutMs,
      });
      // A browser that dies is retired at once, even while it is still being set up here: its idle
      // pages are never handed out again. (Heard after the setup, a death during it went unheard,
      // and every later render failed on the dead browser.)
      generation.process = launched.process() ?? undefined;
      launched.on("disconnected", () => this.retire(generation, true));
      if (!launched.connected) this.retire(generation, true);
      // Pages in contexts of their own leave the first tab's renderer (50 MB) idle: close it.
      if (this.options.rendererPerPage) {
        const first = launched.pages().then((pages) => Promise.all(pages.map((page) => page.close())));
        await within(first, this.options.closeTimeoutMs).catch(() => {});
      }
      return launched;
    });
    const generation: Generation = {
      browser,
      userDataDir,
      idle: [],
      open: 0,
      uses: 0,
      retired: false,
      hung: false,
    };
    void browser.catch(() => this.retire(generation, true));
    this.generations.add(generation);
    this.generation = generation;
    return generation;
  }

  private async page(generation: Generation): Promise<Page> {
    const reused = generation.idle.pop();
    if (reused) return reused;
    const browser = await generation.browser;
    const page = await (this.options.rendererPerPage
      ? browser.createBrowserContext().then((context) => context.newPage())
      : browser.newPage());
    generation.open++;
    try {
      await this.options.preparePage?.(page);
    } catch (error) {
      generation.open--;
      await this.closePage(page);
      throw error;
    }
    return page;
  }

  /**
   * Whether the browser answers (Browser.getVersion) within `probeTimeoutMs`. One that is still
   * connected and does not is frozen: it is retired and killed before the verdict is given.
   */
  private probe(generation: Generation): Promise<boolean> {
    generation.probe ??= (async () => {
      const browser = await generation.browser.catch(() => undefined);
      if (!browser?.connected) this.retire(generation, true); // dead: never lend its pages again
      if (!browser?.connected || generation.hung) return false;
      const silent = await within(browser.version(), this.options.probeTimeoutMs)
        .then(() => false)
        .catch((error: unknown) => error instanceof ChromiumTimeout);
      if (silent && browser.connected) this.kill(generation);
      return !silent && browser.connected;
    })().finally(() => {
      generation.probe = undefined;
    });
    return generation.probe;
  }

  /** A frozen browser: retired (its idle pages dropped), its processes killed; shut down once empty. */
  private kill(generation: Generation) {
    if (generation.hung) return;
    generation.hung = true;
    this.stats.hangs++;
    this.retire(generation, true);
    killBrowser(generation.process);
  }

  private closePage(page: Page): Promise<boolean> {
    // A page's own context goes with it.
    const closing = this.options.rendererPerPage ? page.browserContext().close() : page.close();
    return within(closing, this.options.closeTimeoutMs)
      .then(() => true)
      .catch(() => false);
  }

  private retire(generation: Generation, crashed = false) {
    generation.retired = true;
    if (!crashed) return;
    generation.open -= generation.idle.length;
    generation.idle.length = 0;
    this.settle(generation);
  }

  /** A retired browser is shut down once every page it lent is back. */
  private settle(generation: Generation) {
    if (generation.retired && generation.open <= generation.idle.length) void this.shutdown(generation);
  }

  private shutdown(generation: Generation): Promise<void> {
    this.generations.delete(generation);
    generation.closed ??= (async () => {
      const browser = await generation.browser.catch(() => undefined);
      // A frozen browser answers no close either: past the bound, its processes are killed.
      const closing = browser?.close() ?? Promise.resolve();
      await within(closing, this.options.closeTimeoutMs).catch(() => {
        killBrowser(generation.process);
      });
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
