import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { PdfRenderer, RenderError, RendererBusy } from "../../functions/src/infra/render/pdf.js";

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
