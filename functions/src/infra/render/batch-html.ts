import { randomUUID } from "node:crypto";

/**
 * Several documents in one print (pdf-batch.ts): one HTML document holding their bodies one after
 * the other, each from a new page, each numbering its pages as it would alone, and each marking its
 * first page with a link the split finds (and removes).
 *
 * Page numbers come from the stylesheet's paged-media rules (templates/style.css): the page
 * counter, none on the first page, and the appendices' own counters (named pages `appendix` and
 * `appendix-second`). In one print these would run on from document to document, so each document
 * gets named pages and counters of its own that mirror those rules. Only heads whose paged-media
 * rules are exactly the ones mirrored here (or that have none at all) are batched; any other is
 * printed alone, as before.
 */

/** A document's head without its title (the part pages share), its title, and its body. */
export interface DocumentParts {
  /** What comes before the head (doctype, the <html> tag). */
  prefix: string;
  head: string;
  headKey: string;
  title: string;
  body: string;
}

export const splitDocument = (html: string): DocumentParts | undefined => {
  const start = /^([\s\S]*?)<head>([\s\S]*?)<\/head>/iu.exec(html);
  const body = /<body[\s\S]*<\/body>/iu.exec(html)?.[0];
  if (!start || body === undefined) return undefined;
  const [, prefix = "", head = ""] = start;
  const title = /<title>[\s\S]*?<\/title>/iu.exec(head)?.[0] ?? "<title></title>";
  return { prefix, head, headKey: prefix + head.replace(title, ""), title, body };
};

/** The paged-media rules of templates/style.css, whitespace removed: the ones BATCH_RULES mirrors. */
const OFFICIAL_RULES = [
  '@page{size:A4;margin:20mm 15mm 20mm 30mm;@top-center{content:counter(page);font-family:"Tinos",serif;font-size:13pt;font-style:normal;font-weight:normal;color:#000;vertical-align:middle;}}',
  "@page:first{@top-center{content:none;}}",
  '@counter-style page-number-not-first{system:fixed 1;symbols:"";fallback:decimal;}',
  "@page appendix{counter-increment:appendix-page;@top-center{content:counter(appendix-page,page-number-not-first);}}",
  "@page appendix-second{counter-increment:appendix-second-page;@top-center{content:counter(appendix-second-page,page-number-not-first);}}",
].join("");

/** The named pages the official stylesheet gives elements (mirrored per document). */
const NAMED_PAGES = ["appendix", "appendix-second"];

/** Bodies larger than this are printed alone (a huge document would hold up the others). */
export const MAX_BATCHED_BODY = 200_000;

/** The @page and @counter-style rules of a stylesheet, in order, whitespace removed. */
const pagedMediaRules = (css: string): string => {
  let rules = "";
  for (const start of css.matchAll(/@(?:page|counter-style)\b/gu)) {
    let depth = 0;
    let end = start.index;
    for (; end < css.length; end++) {
      if (css[end] === "{") depth++;
      else if (css[end] === "}" && --depth === 0) break;
    }
    const rule = css.slice(start.index, end + 1).replace(/\/\*[\s\S]*?\*\//gu, "");
    // Spaces matter only between words ("@page appendix", "fixed 1", "20mm 15mm").
    rules += rule.replace(/\s+/gu, " ").replace(/ (?=[^\w-])|(?<=[^\w-]) /gu, "");
  }
  return rules;
};

/** How a head numbers its pages, if batching can keep it: "none" (no paged-media rule), "official". */
export const numbering = (parts: DocumentParts): "none" | "official" | undefined => {
  if (!/^<body>/u.test(parts.body) || parts.body.length > MAX_BATCHED_BODY) return undefined;
  // Its element must close where it ends: a stray </div> would close it early, one missing, late.
  const count = (re: RegExp) => parts.body.match(re)?.length ?? 0;
  if (count(/<div\b/giu) !== count(/<\/div\s*>/giu) || count(/<body\b/giu) !== 1) return undefined;
  if (count(/<table\b/giu) !== count(/<\/table\s*>/giu)) return undefined;
  // A page name or a page counter set anywhere else would not be mirrored.
  const pageNames = [...parts.head.matchAll(/[{;\s]page\s*:\s*([\w-]+)/gu)].map((m) => m[1] ?? "");
  if (/[\s;"'{]page\s*:|counter-(?:reset|set)\s*:[^;}]*page/u.test(parts.body)) return undefined;
  if (/counter-(?:reset|set)\s*:[^;}]*page/u.test(parts.head)) return undefined;
  const rules = pagedMediaRules(parts.head);
  if (rules === "" && pageNames.length === 0) return "none";
  if (rules === OFFICIAL_RULES && pageNames.every((name) => NAMED_PAGES.includes(name))) return "official";
  return undefined;
};

/** The rules that number document `i`'s pages as the official stylesheet numbers a document's. */
const officialRules = (i: number): string => {
  const d = `dienhinh-batch-${i}`;
  const box = (counter: string) => `@top-center { content: counter(${counter}, dienhinh-batch-not-first); }`;
  return [
    `.${d} { page: ${d}; }`,
    `.${d} .appendix { page: ${d}-appendix; }`,
    `.${d} .appendix.appendix-second { page: ${d}-appendix-second; }`,
    `@page ${d} { counter-increment: ${d}-page; ${box(`${d}-page`)} }`,
    `@page ${d}-appendix { counter-increment: ${d}-page ${d}-appendix-page; ${box(`${d}-appendix-page`)} }`,
    `@page ${d}-appendix-second { counter-increment: ${d}-page ${d}-appendix-second-page; ${box(`${d}-appendix-second-page`)} }`,
  ].join("\n");
};

/** The most documents one print holds. */
export const MAX_BATCH = 16;

const BATCH_STYLE = {
  none: Array.from({ length: MAX_BATCH }, (_, i) => `.dienhinh-batch-${i} { break-before: page; }`).join(
    "\n",
  ),
  official: [
    '@counter-style dienhinh-batch-not-first { system: fixed 1; symbols: ""; fallback: decimal; }',
    ...Array.from({ length: MAX_BATCH }, (_, i) => officialRules(i)),
  ].join("\n"),
};

/** A batch's document and the prefix of its markers' links (the document's index follows it). */
export interface BatchDocument {
  /** The head shared by every batch of documents with this head (the page keeps it). */
  head: string;
  body: string;
  markerPrefix: string;
}

/**
 * One document of `documents` (sharing a head and its numbering) after the other, each in an element
 * with its own named pages, its first page marked by an empty link (no text, nothing painted).
 */
export const batchDocument = (
  documents: readonly DocumentParts[],
  style: "none" | "official",
): BatchDocument => {
  const first = documents[0];
  if (!first || documents.length > MAX_BATCH) throw new Error("batch: 1 to MAX_BATCH documents");
  const markerPrefix = `https://batch.invalid/${randomUUID()}/`;
  const body = documents
    .map(
      (doc, i) =>
        `<div class="dienhinh-batch-${i}"><a href="${markerPrefix}${i}" style="display:block;position:absolute;width:1px;height:1px"></a>${doc.body.slice("<body>".length, -"</body>".length)}</div>`,
    )
    .join("");
  const head = `${first.head.replace(first.title, "")}<style>${BATCH_STYLE[style]}</style>`;
  return { head, body: `<body>${body}</body>`, markerPrefix };
};

/** A title as the document's `document.title` gives it: entities decoded, white space collapsed. */
export const titleText = (title: string): string =>
  title
    .replace(/<\/?title>/giu, "")
    .replace(/&(?:#(\d+)|#x([\da-f]+)|(amp|lt|gt|quot|apos|nbsp));/giu, (_, dec, hex, name) => {
      if (dec) return String.fromCodePoint(Number(dec));
      if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
      const named: Record<string, string> = {
        amp: "&",
        lt: "<",
        gt: ">",
        quot: '"',
        apos: "'",
        nbsp: "\u00a0",
      };
      return named[String(name).toLowerCase()] ?? "";
    })
    .replace(/[\t\n\f\r ]+/gu, " ")
    .trim();
