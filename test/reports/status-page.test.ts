import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { simpleParser } from "mailparser";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { OutputSummaryJson } from "../../functions/src/app/outputs.js";
import { calendarOf } from "../../functions/src/domain/calendar.js";
import { statusLink, statusLinkExpiry } from "../../functions/src/domain/status-link.js";
import { registerFunctions } from "../../functions/src/functions/register.js";
import { guardServer } from "../../functions/src/functions/request-guard.js";
import { captureCli, testDeps, testStore, uniqueId } from "../kit/index.js";

/**
 * The schools' status pages in the real Chromium, at a phone's width: the static pages of a whole
 * `dienhinh run` (every link resolving), and the statusPage function's pages for a good link and
 * for bad ones (no school's data).
 */
const PHONE = { width: 375, height: 740, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let outDir: string;
let campaignId: string;
let summary: Pick<OutputSummaryJson, "schools">;
let browser: Browser;
let page: Page;
let server: Server;
let base: string;

/**
 * Whether a page fits the phone: a mobile viewport widens itself to content wider than the device
 * (zooming out), so both widths are held to the device's.
 */
const expectFits = (seen: Seen, what: string) => {
  expect(seen.innerWidth, what).toBe(PHONE.width);
  expect(seen.scrollWidth, what).toBeLessThanOrEqual(PHONE.width);
};

/** What a page at phone width looks like: its widths, the text one reads, links, scripts (run in the page). */
const INSPECT = `(() => ({
  scrollWidth: document.scrollingElement.scrollWidth,
  innerWidth: window.innerWidth,
  text: document.body.innerText,
  links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
  scripts: document.scripts.length,
  viewport: document.querySelector('meta[name="viewport"]')?.getAttribute("content") ?? "",
}))()`;
interface Seen {
  scrollWidth: number;
  innerWidth: number;
  text: string;
  links: string[];
  scripts: number;
  viewport: string;
}
const inspect = (p: Page) => p.evaluate(INSPECT) as Promise<Seen>;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "dienhinh-truong-"));
  campaignId = uniqueId("truong");
  const run = await captureCli(["run", "--campaign", campaignId, "--out", outDir], {
    FIRESTORE_EMULATOR_HOST: inject("firestoreHost"),
  });
  expect(run.code, run.out).toBe(0);
  summary = JSON.parse(await readFile(join(outDir, "summary.json"), "utf8"));
  browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  page = await browser.newPage();
  await page.setViewport(PHONE);
  // The function, as deployed (behind the request guard), on the run's campaign.
  registerFunctions(async () => ({ app: testDeps() }));
  server = guardServer(getTestServer("statusPage"), "statusPage");
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("the static status pages of a run (out/truong/)", () => {
  it("are one per school, listed in summary.json and linked from index.html", async () => {
    const files = (await readdir(join(outDir, "truong"))).sort();
    expect(files).toHaveLength(summary.schools.length);
    expect(summary.schools.map((s) => s.page).sort()).toEqual(files.map((f) => `truong/${f}`));
    await page.goto(pathToFileURL(join(outDir, "index.html")).href);
    const { links } = await inspect(page);
    for (const s of summary.schools)
      expect(links, s.code).toContain(pathToFileURL(join(outDir, s.page as string)).href);
  });

  it("fit a phone's width, run no script, and every link resolves", { timeout: 180_000 }, async () => {
    await page.setJavaScriptEnabled(false);
    for (const s of summary.schools) {
      await page.goto(pathToFileURL(join(outDir, s.page as string)).href);
      const seen = await inspect(page);
      expectFits(seen, s.code);
      expect(seen.viewport, s.code).toContain("width=device-width");
      expect(seen.scripts, s.code).toBe(0);
      expect(seen.text, s.code).toContain(s.name);
      expect(seen.text, s.code).toContain(`Tình trạng: ${s.statusLabel}`);
      // What it lacks: the stage it has not sent, or each thing its response lacks.
      const lacks =
        s.status === "chua-dang-ky"
          ? ["phiếu đăng ký"]
          : s.status === "da-dang-ky"
            ? ["phiếu tự đánh giá"]
            : s.missing;
      for (const lack of lacks) expect(seen.text, s.code).toContain(lack);
      // Its documents are the ones summary.json lists for it, each a file of the run, once the
      // office approved them; until then the page says they are being looked at.
      const files = seen.links.filter((l) => l.startsWith("file:"));
      expect(files.length, s.code).toBe(s.awaitingApproval ? 0 : s.pdfs.length + s.docx.length);
      if (s.awaitingApproval) expect(seen.text, s.code).toContain("văn bản chính thức sẽ hiện ở đây");
      for (const link of seen.links) {
        if (link.startsWith("file:")) expect(existsSync(fileURLToPath(link)), link).toBe(true);
        else if (link.startsWith("mailto:")) expect(link).toMatch(/^mailto:[^@\s]+@[^@\s]+$/u);
        else expect(link, s.code).toMatch(/^https:\/\/docs\.google\.com\/forms\//u);
      }
    }
    await page.setJavaScriptEnabled(true);
  });
});

describe("a school asked to supply something", () => {
  it("reads on its page the deadline its notice printed", async () => {
    const noticed = summary.schools.filter((s) => s.pdfs.some((p) => p.includes("thong-bao")));
    expect(noticed.length).toBeGreaterThan(0);
    for (const s of noticed) {
      const html = await readFile(join(outDir, s.page as string), "utf8");
      const day = /Hạn bổ sung: (\d\d\/\d\d\/\d{4})/u.exec(html)?.[1];
      const notice = join(outDir, s.pdfs.find((p) => p.includes("thong-bao")) as string);
      const printed = execFileSync("pdftotext", [notice, "-"]).toString().replace(/\s+/gu, " ");
      expect(printed, s.code).toContain(`chậm nhất ngày ${day}`);
    }
  });
});

describe("the run's emails to schools", () => {
  it("each carry the school's own page, which exists", async () => {
    const subjects: string[] = [];
    for (const s of summary.schools) {
      for (const file of s.emails) {
        const mail = await simpleParser(await readFile(join(outDir, file)));
        const own = pathToFileURL(join(outDir, s.page as string)).href;
        expect(mail.text, file).toContain(`Xem tình hình của trường: ${own}`);
        expect(existsSync(fileURLToPath(own)), own).toBe(true);
        expect(mail.html || "", file).toContain(`href="${own}"`);
        subjects.push(mail.subject ?? "");
      }
    }
    // Results, inspection plans and reminders alike: the sample sends each kind.
    for (const kind of ["Kết quả đánh giá", "Lịch kiểm tra", "Đã quá hạn", "Nhắc hạn"])
      expect(
        subjects.some((subject) => subject.includes(kind)),
        kind,
      ).toBe(true);
  });
});

describe("the statusPage function in Chromium", () => {
  const linkFor = async (code: string) => {
    const campaign = await testStore().campaigns.get(campaignId);
    const key = await testStore().campaigns.ensureStatusKey(campaignId, "s".repeat(43));
    return statusLink(base, key, {
      campaignId,
      schoolCode: code,
      expires: statusLinkExpiry(calendarOf(campaign)),
    });
  };
  /** A school that must supply something: the page lists what. */
  const lacking = () => summary.schools.find((s) => s.status === "can-bo-sung" && s.missing.length > 0);

  it("shows a good link's school at a phone's width", async () => {
    const school = lacking();
    expect(school).toBeDefined();
    if (!school) return;
    const res = await page.goto(await linkFor(school.code));
    expect(res?.status()).toBe(200);
    const seen = await inspect(page);
    expectFits(seen, school.code);
    expect(seen.scripts).toBe(0);
    expect(seen.text).toContain(school.name);
    for (const lack of school.missing) expect(seen.text).toContain(lack);
    expect(seen.text).toContain("Hạn bổ sung");
  });

  it("shows a forged, other school's or cut link a page with no school's data", async () => {
    const [first, second] = summary.schools;
    if (!first || !second) throw new Error("the sample has schools");
    const good = new URL(await linkFor(first.code));
    const otherSchool = new URL(good);
    otherSchool.searchParams.set("t", second.code);
    const forged = new URL(good);
    forged.searchParams.set("h", `${good.searchParams.get("h")?.split(".")[0]}.${"A".repeat(43)}`);
    const cut = new URL(base);
    cut.searchParams.set("d", campaignId);
    for (const url of [otherSchool, forged, cut]) {
      const res = await page.goto(url.href);
      expect(res?.status(), url.href).toBe(403);
      const seen = await inspect(page);
      expectFits(seen, url.href);
      expect(seen.text).toContain("Đường dẫn không hợp lệ hoặc đã hết hạn");
      expect(seen.links).toEqual([]);
      for (const s of summary.schools) {
        expect(seen.text).not.toContain(s.name);
        expect(seen.text).not.toContain(s.code);
      }
      expect(seen.text).not.toContain(campaignId);
    }
  });
});
