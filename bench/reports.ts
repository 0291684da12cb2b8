import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";
import { loadCriteriaSet } from "../functions/src/data/criteria-file.js";
import { loadOfficeProfile } from "../functions/src/data/office-file.js";
import type { Campaign } from "../functions/src/domain/campaign.js";
import { type SchoolResult, selfAssessedResult } from "../functions/src/domain/campaign-score.js";
import type { SchoolResultDocument } from "../functions/src/domain/documents.js";
import { evaluateSchool } from "../functions/src/domain/evaluate.js";
import { bindingsOf, buildFormSpec } from "../functions/src/domain/form-spec.js";
import { readResponse } from "../functions/src/domain/intake-guard.js";
import { schoolResultDocument } from "../functions/src/domain/school-documents.js";
import { PdfRenderer } from "../functions/src/infra/render/pdf.js";
import { loadTemplates } from "../functions/src/infra/templates.js";
import { cityRegistry, dossierFor, SCHOOLS } from "./city.js";
import type { Benchmark, Figure } from "./harness.js";

/**
 * Proportional memory (PSS, kB) of one process: its shared pages counted once across processes.
 * Read from /proc without spawning anything and without blocking the event loop, so sampling does
 * not slow the rendering it measures (spawning ps and cat synchronously every 200 ms cost about a
 * third of the throughput on two cores).
 */
const pss = async (pid: number): Promise<number> => {
  try {
    return Number(/Pss:\s+(\d+) kB/u.exec(await readFile(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0; // the process ended meanwhile
  }
};

/** PSS of a process and all its descendants (Chromium's browser, renderer and GPU processes). */
const treePss = async (root: number): Promise<number> => {
  const children = new Map<number, number[]>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/u.test(entry)) continue;
    // /proc/PID/stat: "pid (comm) state ppid ...": comm may hold spaces, so read after the last ")".
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (Number.isInteger(ppid)) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    stack.push(...(children.get(pid) ?? []));
    total += await pss(pid);
  }
  return total;
};

/** Sample the peak of a measure while work runs. */
const peakWhile = async <T>(
  measure: () => Promise<number>,
  work: Promise<T>,
): Promise<{ result: T; peak: number }> => {
  let peak = 0;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      peak = Math.max(peak, await measure());
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const result = await work;
  done = true;
  await sampler;
  return { result, peak };
};

/**
 * Renders waiting at once, as the job keeps them (app/documents.ts: 16 schools at a time, one to
 * four documents each): enough to fill every print's batch, without holding every document's HTML.
 */
const IN_FLIGHT = 32;

/** `work` over `items`, at most `limit` at a time, results in order. */
const inFlight = async <T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

/**
 * `sample` schools' results of the city's registry (each with its own dossier), as the documents
 * the office sends them: the same view models the PDF and the Word copy are made from.
 */
export const sampleResultDocuments = async (sample: number): Promise<SchoolResultDocument[]> => {
  const [set, office] = await Promise.all([loadCriteriaSet(), loadOfficeProfile()]);
  const registry = cityRegistry();
  const spec = buildFormSpec({
    set,
    schools: registry.slice(0, 10),
    stage: "dossier",
    schoolYear: "2026-2027",
    office,
  });
  const bindings = bindingsOf(spec, set, "dossier");
  const campaign: Campaign = {
    id: "bench",
    schoolYear: "2026-2027",
    office,
    criteriaSet: set,
    forms: { dossier: { formId: "bench-form", bindings } },
    formIds: ["bench-form"],
  };
  const schools = new Map(registry.map((s) => [s.code, s]));
  const date = new Date("2026-11-20T03:00:00Z");
  return registry.slice(0, sample).map((school, i) => {
    const outcome = readResponse(dossierFor(campaign, school, i), {
      stage: "dossier",
      set,
      bindings,
      schools,
      receivedAt: date.toISOString(),
    });
    const evaluation = evaluateSchool(school, set, [
      {
        schoolCode: school.code,
        stage: "dossier",
        submittedAt: outcome.lastSubmittedTime,
        answers: outcome.answers,
      },
    ]);
    const result: SchoolResult = selfAssessedResult(school, evaluation);
    return schoolResultDocument(
      {
        office,
        schoolYear: "2025-2026",
        period: "từ ngày 16 tháng 11 năm 2025 đến ngày 15 tháng 11 năm 2026",
        award: set.award,
        date,
        timeZone: "Asia/Ho_Chi_Minh",
      },
      result,
      set,
    );
  });
};

/**
 * The school result PDF at city scale: a sample of the 3,500 schools' reports rendered on the
 * warm page pool, extrapolated to 3,500; beside a naive baseline in the same run (a browser
 * launched per report); peak memory of Node and Chromium together (PSS).
 */
export const reportsBenchmark = (chromium: string): Benchmark => ({
  name: "school reports (PDF)",
  run: async (): Promise<Figure[]> => {
    const templates = await loadTemplates();
    const sample = Number(process.env.BENCH_PDFS ?? 300);
    // Each document's HTML is made when its render starts, as the job makes it (not all held at once).
    const docs = await sampleResultDocuments(sample);

    const renderer = new PdfRenderer({
      executablePath: chromium,
      ...(process.env.BENCH_PAGES ? { pages: Number(process.env.BENCH_PAGES) } : {}),
      ...(process.env.BENCH_BATCH ? { batch: Number(process.env.BENCH_BATCH) } : {}),
      // BENCH_RENDERER_PER_PAGE=0: all pages in one renderer process (one core), as before.
      ...(process.env.BENCH_RENDERER_PER_PAGE
        ? { rendererPerPage: process.env.BENCH_RENDERER_PER_PAGE !== "0" }
        : {}),
    });
    await renderer.render(templates.document(docs[0] as SchoolResultDocument)); // warm: the browser starts once
    const browserPid = await renderer.browserPid();
    const start = process.hrtime.bigint();
    // Node itself (not its other children: the Firestore emulator runs beside) and Chromium's tree.
    let chromiumPeak = 0;
    const measured = await peakWhile(
      async () => {
        const chromium = browserPid ? await treePss(browserPid) : 0;
        chromiumPeak = Math.max(chromiumPeak, chromium);
        return (await pss(process.pid)) + chromium;
      },
      inFlight(docs, IN_FLIGHT, (doc) => renderer.render(templates.document(doc))),
    );
    const pooledSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const pdfs = measured.result;
    const pages = Number(
      /Pages:\s+(\d+)/u.exec(execFileSync("pdfinfo", ["-"], { input: pdfs[0] }).toString())?.[1] ?? 0,
    );
    await renderer.close();

    // The naive baseline: a browser launched, used once and closed, per report.
    const naiveCount = 5;
    const naiveStart = process.hrtime.bigint();
    for (const h of docs.slice(0, naiveCount).map((doc) => templates.document(doc))) {
      const dir = await mkdtemp(join(tmpdir(), "dienhinh-naive-"));
      const browser = await puppeteer.launch({
        executablePath: chromium,
        args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        userDataDir: dir,
      });
      const page = await browser.newPage();
      await page.setContent(h, { waitUntil: "load" });
      await page.pdf({ preferCSSPageSize: true, printBackground: true });
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
    const naiveSeconds = Number(process.hrtime.bigint() - naiveStart) / 1e9;

    const perSecond = pdfs.length / pooledSeconds;
    const naivePerSecond = naiveCount / naiveSeconds;
    const peakMiB = measured.peak / 1024;
    return [
      {
        name: `school reports per second (${pdfs.length} rendered, ${pages} pages each)`,
        value: perSecond,
        unit: "PDFs/s",
        compareWith: { name: "a browser per report", value: naivePerSecond, unit: "PDFs/s" },
        target: "≥ 25, ≥ 20× naive",
        met: perSecond >= 25 && perSecond >= 20 * naivePerSecond,
      },
      {
        name: `all ${SCHOOLS.toLocaleString("en")} schools, extrapolated`,
        value: SCHOOLS / perSecond,
        unit: "s",
        compareWith: { name: "naive", value: SCHOOLS / naivePerSecond, unit: "s" },
      },
      {
        name: "peak memory, Node and Chromium (PSS)",
        value: peakMiB,
        unit: "MiB",
        compareWith: { name: "Chromium alone", value: chromiumPeak / 1024, unit: "MiB" },
        target: "≤ 1024",
        met: peakMiB <= 1024,
      },
    ];
  },
});
