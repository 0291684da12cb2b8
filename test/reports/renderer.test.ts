import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it, vi } from "vitest";
import { PdfRenderer, RenderError, RendererBusy } from "../../functions/src/infra/render/pdf.js";
import { freezeBrowser, killStopped, running } from "../faults/chromium.js";

const page = (body: string) =>
  `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>t</title><style>body{font-family:serif}</style></head><body>${body}</body></html>`;
const text = (pdf: Buffer) => execFileSync("pdftotext", ["-", "-"], { input: pdf }).toString();

const renderers: PdfRenderer[] = [];
const renderer = (options: ConstructorParameters<typeof PdfRenderer>[0]) => {
  const r = new PdfRenderer(options);
  renderers.push(r);
  return r;
};
afterAll(async () => {
  await Promise.all(renderers.map((r) => r.close()));
});

describe("the supervised Chromium", () => {
  it("keeps one browser warm, reuses its pages, and replaces it after N renders", async () => {
    const r = renderer({ pages: 2, recycleAfter: 3 });
    const pdfs: Buffer[] = [];
    for (let i = 0; i < 7; i++) pdfs.push(await r.render(page(`<p>Trang số ${i}</p>`)));
    expect(pdfs.map((p) => text(p).trim())).toEqual(Array.from({ length: 7 }, (_, i) => `Trang số ${i}`));
    expect(r.stats.renders).toBe(7);
    expect(r.stats.launches).toBe(3); // renders 1-3, 4-6, then 7
    // Concurrent renders share the pool and each gets its own document back.
    const concurrent = await Promise.all(
      Array.from({ length: 6 }, (_, i) => r.render(page(`<p>Song song ${i}</p>`))),
    );
    expect(concurrent.map((p) => text(p).trim())).toEqual(
      Array.from({ length: 6 }, (_, i) => `Song song ${i}`),
    );
  });

  it("runs no script and makes no request: the HTML must be self-contained", async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? "");
      res.end("x");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const r = renderer({ pages: 1 });
      const pdf = await r.render(
        page(
          `<p id="p">tĩnh</p><script>document.getElementById("p").textContent = "đã chạy";</script>` +
            `<img src="http://127.0.0.1:${port}/anh.png"><link rel="stylesheet" href="http://127.0.0.1:${port}/x.css">`,
        ),
      );
      expect(text(pdf)).toContain("tĩnh");
      expect(text(pdf)).not.toContain("đã chạy");
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });

  it("fails a render that misses its deadline, and renders the next one", async () => {
    const r = renderer({ pages: 1, timeoutMs: 1 });
    await expect(r.render(page("<p>chậm</p>"))).rejects.toBeInstanceOf(RenderError);
    expect(r.stats.timeouts).toBeGreaterThanOrEqual(1);
    const patient = renderer({ pages: 1, timeoutMs: 30_000 });
    expect(text(await patient.render(page("<p>kịp</p>")))).toContain("kịp");
  });

  it("refuses at once, as retryable, a render beyond the waiting queue, and renders those it took", async () => {
    const r = renderer({ pages: 1, maxQueue: 1 });
    const first = r.render(page("<p>một</p>"));
    const second = r.render(page("<p>hai</p>"));
    const third = r.render(page("<p>ba</p>"));
    const refused = await third.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RendererBusy);
    expect((refused as RendererBusy).retryable).toBe(true);
    expect((refused as RendererBusy).publicMessage).toMatch(/thử lại/u);
    expect([text(await first).trim(), text(await second).trim()]).toEqual(["một", "hai"]);
    // Once the queue drains, renders are taken again.
    expect(text(await r.render(page("<p>bốn</p>"))).trim()).toBe("bốn");
  });

  it("starts a new browser after the old one crashed", async () => {
    const r = renderer({ pages: 1 });
    await r.render(page("<p>một</p>"));
    const pid = await r.browserPid();
    process.kill(pid as number, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The render in flight when it died may fail; the next one gets a new browser.
    await r.render(page("<p>hai</p>")).catch(() => undefined);
    expect(text(await r.render(page("<p>ba</p>")))).toContain("ba");
    expect(await r.browserPid()).not.toBe(pid);
  });
});

describe("a frozen Chromium", () => {
  const stopped: number[] = [];
  afterAll(() => killStopped(stopped));
  /** The browser's profile, from its command line. */
  const profile = (pid: number) =>
    /--user-data-dir=([^\0]+)/u.exec(readFileSync(`/proc/${pid}/cmdline`, "utf8"))?.[1] ?? "";

  it("is probed once a render misses its deadline, killed, and replaced by the next render", async () => {
    const r = renderer({ pages: 1, timeoutMs: 1_500 });
    await r.render(page("<p>một</p>"));
    const pid = (await r.browserPid()) as number;
    const dir = profile(pid);
    expect(existsSync(dir)).toBe(true);
    const tree = freezeBrowser(pid);
    stopped.push(...tree);
    expect(tree.length).toBeGreaterThan(1); // the browser and its helpers, all stopped
    const frozenAt = performance.now();
    await expect(r.render(page("<p>hai</p>"))).rejects.toBeInstanceOf(RenderError);
    expect(text(await r.render(page("<p>ba</p>")))).toContain("ba");
    // The deadline, the probe's 2 s at most (sent ahead of it), then a new browser's start.
    expect((performance.now() - frozenAt) / 1_000).toBeLessThan(1.5 + 2 + 3);
    expect(await r.browserPid()).not.toBe(pid);
    expect(r.stats).toMatchObject({ hangs: 1, restarts: 1, launches: 2, timeouts: 1 });
    await vi.waitFor(() => expect(tree.filter(running)).toEqual([]), { timeout: 5_000 });
    await vi.waitFor(() => expect(existsSync(dir)).toBe(false), { timeout: 5_000 });
  });

  it("keeps a browser that answers the probe: only the page was slow", async () => {
    const r = renderer({ pages: 1, timeoutMs: 1_000 });
    // A first page on a loaded machine may itself take more than the short deadline used here.
    await vi.waitFor(() => r.render(page("<p>một</p>")), { timeout: 15_000, interval: 100 });
    const pid = await r.browserPid();
    // Some 6 s of layout and printing: far past the deadline.
    const rows = "<tr><td>Trường tiểu học</td><td>đạt chuẩn mức độ 2</td></tr>".repeat(8_000);
    const started = performance.now();
    await expect(r.render(page(`<table>${rows}</table>`))).rejects.toBeInstanceOf(RenderError);
    expect(performance.now() - started).toBeLessThan(1_000 + 2_000 + 1_000);
    // The next page may share the renderer still laying out the table (and miss its own deadline
    // on a loaded machine): what matters is that the same browser prints it, never killed.
    await vi.waitFor(async () => expect(text(await r.render(page("<p>hai</p>")))).toContain("hai"), {
      timeout: 15_000,
      interval: 100,
    });
    expect(await r.browserPid()).toBe(pid);
    expect(r.stats).toMatchObject({ hangs: 0, restarts: 0, launches: 1 });
    expect(r.stats.timeouts).toBeGreaterThanOrEqual(1);
  });

  it("shuts down a frozen browser within its bound, killing it", async () => {
    const r = new PdfRenderer({ pages: 1 });
    await r.render(page("<p>một</p>"));
    const tree = freezeBrowser((await r.browserPid()) as number);
    stopped.push(...tree);
    const started = performance.now();
    await r.close();
    expect(performance.now() - started).toBeLessThan(5_000 + 2_000); // the close bound, then SIGKILL
    await vi.waitFor(() => expect(tree.filter(running)).toEqual([]), { timeout: 5_000 });
  }, 15_000);
});
