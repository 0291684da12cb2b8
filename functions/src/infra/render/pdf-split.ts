/**
 * Splitting one PDF printed by Chromium (Skia: PDF 1.4, one classic cross-reference table, no
 * object streams, no incremental updates) into several, each with a run of its pages and every
 * object they use (contents, fonts, images), renumbered, with its own catalog, page tree and
 * document information (its own title). Anything else (object streams, inherited page attributes,
 * links between pages, an outline) is refused with an error: the caller then prints each document
 * alone, never a document that might hold another's pages.
 */

/** One object of the source: its dictionary (or value) text, and the stream bytes after it. */
interface PdfObject {
  head: string;
  stream?: Buffer;
}

/** What a split document is made of: its first page (in the source), its page count, its title. */
export interface PdfPart {
  firstPage: number;
  pageCount: number;
  title: string;
}

const latin1 = (b: Buffer) => b.toString("latin1");

/** The objects of a PDF, by number, read through its cross-reference table. */
const readObjects = (pdf: Buffer): { objects: Map<number, PdfObject>; trailer: string } => {
  const tail = latin1(pdf.subarray(Math.max(0, pdf.length - 64)));
  const xrefAt = Number(/startxref\s+(\d+)\s+%%EOF\s*$/u.exec(tail)?.[1] ?? Number.NaN);
  const table = latin1(pdf.subarray(xrefAt, pdf.length));
  const section = /^xref\s+0 (\d+)\s+/u.exec(table);
  if (!section) throw new Error("PDF: no single classic xref table");
  const size = Number(section[1]);
  const trailer = /trailer\s*(<<[\s\S]*?>>)\s*startxref/u.exec(table)?.[1] ?? "";
  if (/\/Prev\b|\/Encrypt\b/u.test(trailer)) throw new Error("PDF: incremental or encrypted");
  const offsets: Array<{ n: number; at: number }> = [];
  for (let n = 1; n < size; n++) {
    const entry = table.substr(section[0].length + n * 20, 20);
    if (entry[17] === "n") offsets.push({ n, at: Number(entry.slice(0, 10)) });
  }
  offsets.sort((a, b) => a.at - b.at);
  const objects = new Map<number, PdfObject>();
  offsets.forEach(({ n, at }, i) => {
    const end = offsets[i + 1]?.at ?? xrefAt;
    objects.set(n, parseObject(pdf.subarray(at, end), n));
  });
  return { objects, trailer };
};

/** `n 0 obj <head> [stream … endstream] endobj`, the stream's length taken from the head. */
const parseObject = (bytes: Buffer, n: number): PdfObject => {
  const text = latin1(bytes);
  const open = new RegExp(`^\\s*${n} 0 obj\\s*`, "u").exec(text);
  if (!open) throw new Error(`PDF: object ${n} not where the xref says`);
  const headEnd = valueEnd(text, open[0].length);
  const head = text.slice(open[0].length, headEnd);
  const after = /^\s*stream\r?\n/u.exec(text.slice(headEnd));
  if (!after) return { head };
  const length = /\/Length (\d+)(?!\s+\d+\s+R)/u.exec(head)?.[1];
  if (length === undefined) throw new Error(`PDF: object ${n} has an indirect stream length`);
  const start = headEnd + after[0].length;
  return { head, stream: bytes.subarray(start, start + Number(length)) };
};

/** Where the value starting at `from` ends (dictionaries, arrays and strings balanced). */
const valueEnd = (text: string, from: number): number => {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i] ?? "";
    const pair = text.slice(i, i + 2);
    if (pair === "<<" || pair === ">>") {
      depth += pair === "<<" ? 1 : -1;
      i++;
    } else if (c === "(") i = stringEnd(text, i);
    else if (c === "<") i = text.indexOf(">", i);
    else if (c === "[" || c === "]") depth += c === "[" ? 1 : -1;
    else if (depth === 0 && /\s/u.test(c)) return i;
    else continue;
    if (depth === 0 && c !== "[" && !(pair === "<<")) return i + 1;
  }
  return text.length;
};

/** The index of the parenthesis closing the literal string opened at `at`. */
const stringEnd = (text: string, at: number): number => {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return i;
  }
  throw new Error("PDF: unterminated string");
};

/** `head` with every reference outside its strings passed through `map` (null: the reference is dropped). */
const mapReferences = (head: string, map: (n: number) => number | null): string => {
  let out = "";
  let i = 0;
  const ref = /(\d+) 0 R\b/uy;
  while (i < head.length) {
    if (head[i] === "(") {
      const end = stringEnd(head, i) + 1;
      out += head.slice(i, end);
      i = end;
      continue;
    }
    ref.lastIndex = i;
    const m =
      /[\d]/u.test(head[i] ?? "") && (i === 0 || /[\s[</]/u.test(head[i - 1] ?? "")) ? ref.exec(head) : null;
    if (m) {
      const to = map(Number(m[1]));
      out += to === null ? "" : `${to} 0 R`;
      i += m[0].length;
    } else out += head[i++];
  }
  return out;
};

const references = (head: string): number[] => {
  const found: number[] = [];
  mapReferences(head, (n) => {
    found.push(n);
    return n;
  });
  return found;
};

/** The pages in order, through the page tree (no attribute may be inherited from a node). */
const pageOrder = (objects: Map<number, PdfObject>, root: number): number[] => {
  const pages: number[] = [];
  const walk = (n: number) => {
    const head = objects.get(n)?.head ?? "";
    if (/\/Type\s*\/Page\b/u.test(head)) return void pages.push(n);
    if (!/\/Type\s*\/Pages\b/u.test(head) || /\/(Resources|MediaBox|CropBox|Rotate)\b/u.test(head))
      throw new Error(`PDF: unexpected page tree node ${n}`);
    const kids = /\/Kids\s*\[([^\]]*)\]/u.exec(head)?.[1] ?? "";
    for (const kid of references(kids)) walk(kid);
  };
  walk(root);
  return pages;
};

/** A PDF text string: UTF-16BE with its byte order mark, in hex (as Chromium writes titles). */
const pdfText = (text: string): string =>
  `<FEFF${[...text]
    .flatMap((ch) => {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp < 0x10000) return [cp];
      const v = cp - 0x10000;
      return [0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff)];
    })
    .map((u) => u.toString(16).toUpperCase().padStart(4, "0"))
    .join("")}>`;

/** The source's objects that are parts of the split documents (the page tree, catalog, info). */
export interface PdfSource {
  objects: Map<number, PdfObject>;
  pages: number[];
  info: string;
  catalog: string;
}

export const readPdf = (pdf: Buffer): PdfSource => {
  const { objects, trailer } = readObjects(pdf);
  const rootRef = Number(/\/Root (\d+) 0 R/u.exec(trailer)?.[1]);
  const catalog = objects.get(rootRef)?.head ?? "";
  const pagesRef = Number(/\/Pages (\d+) 0 R/u.exec(catalog)?.[1]);
  // Only what Chromium writes for a plain print: anything else (outline, names, structure) refers
  // to pages across documents.
  if (references(catalog).length !== 1) throw new Error("PDF: catalog refers to more than its pages");
  const infoRef = /\/Info (\d+) 0 R/u.exec(trailer)?.[1];
  const info = infoRef ? (objects.get(Number(infoRef))?.head ?? "") : "";
  return { objects, pages: pageOrder(objects, pagesRef), info, catalog };
};

/**
 * One document of the source: its pages (without the annotations in `drop`), every object they
 * reach, a page tree of their own, the source's catalog entries and information with `title`.
 */
export const writePart = (source: PdfSource, part: PdfPart, drop: ReadonlySet<number>): Buffer => {
  const pages = source.pages.slice(part.firstPage, part.firstPage + part.pageCount);
  if (pages.length !== part.pageCount || part.pageCount === 0) throw new Error("PDF: pages out of range");
  const number = new Map<number, number>();
  const order: number[] = [];
  const visit = (n: number) => {
    if (number.has(n) || drop.has(n)) return;
    const object = source.objects.get(n);
    if (!object) throw new Error(`PDF: missing object ${n}`);
    // A reference to a page outside the document (a link's target) would carry it along.
    if (/\/Type\s*\/Pages?\b/u.test(object.head) && !pages.includes(n))
      throw new Error(`PDF: object refers to page ${n} of another document`);
    number.set(n, number.size + 1);
    order.push(n);
    for (const ref of references(pageHead(object.head))) visit(ref);
  };
  for (const page of pages) visit(page);
  const tree = order.length + 1;
  const catalog = tree + 1;
  const info = tree + 2;
  const renumber = (head: string) =>
    mapReferences(head, (n) => (drop.has(n) ? null : (number.get(n) ?? null)));
  const chunks: Uint8Array[] = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  const offsets: number[] = [];
  let length = chunks[0]?.length ?? 0;
  const emit = (n: number, head: string, stream?: Buffer) => {
    offsets[n] = length;
    const parts: Uint8Array[] = [Buffer.from(`${n} 0 obj\n${head}`, "latin1")];
    if (stream) parts.push(Buffer.from("\nstream\n", "latin1"), stream, Buffer.from("\nendstream", "latin1"));
    parts.push(Buffer.from("\nendobj\n", "latin1"));
    for (const p of parts) {
      chunks.push(p);
      length += p.length;
    }
  };
  order.forEach((n, i) => {
    const object = source.objects.get(n) as PdfObject;
    const head = renumber(pageHead(object.head)).replace(/\/Annots \[\s*\]\s*/u, "");
    emit(i + 1, pages.includes(n) ? head.replace(/>>\s*$/u, `\n/Parent ${tree} 0 R>>`) : head, object.stream);
  });
  const kids = pages.map((p) => `${number.get(p)} 0 R`).join(" ");
  emit(tree, `<</Type /Pages\n/Count ${pages.length}\n/Kids [${kids}]>>`);
  emit(catalog, source.catalog.replace(/\/Pages \d+ 0 R/u, `/Pages ${tree} 0 R`));
  const titled = withoutTitle(source.info);
  const infoHead = titled.replace(/^<</u, part.title ? `<</Title ${pdfText(part.title)}\n` : "<<");
  emit(info, infoHead || "<<>>");
  const xrefAt = length;
  const entries = Array.from(
    { length: info },
    (_, i) => `${String(offsets[i + 1]).padStart(10, "0")} 00000 n \n`,
  );
  const trailer = `trailer\n<</Size ${info + 1}\n/Root ${catalog} 0 R\n/Info ${info} 0 R>>\nstartxref\n${xrefAt}\n%%EOF\n`;
  chunks.push(
    Buffer.from(`xref\n0 ${info + 1}\n0000000000 65535 f \n${entries.join("")}${trailer}`, "latin1"),
  );
  return Buffer.concat(chunks);
};

/** Document information without its title (a hex or a literal string). */
const withoutTitle = (info: string): string => {
  const at = /\/Title\s*/u.exec(info);
  if (!at) return info;
  const start = at.index + at[0].length;
  const end = info[start] === "(" ? stringEnd(info, start) + 1 : info.indexOf(">", start) + 1;
  return info.slice(0, at.index) + info.slice(end).replace(/^\s*/u, "");
};

/** A page's dictionary without its parent (the page tree is written anew). */
const pageHead = (head: string): string => head.replace(/\s*\/Parent \d+ 0 R/u, "");

/**
 * The link annotations whose URI starts with `prefix`, by object number, with what follows the
 * prefix (the markers a batch puts on each document's first page), and the page each is on.
 */
export const markers = (
  source: PdfSource,
  prefix: string,
): Array<{ page: number; annot: number; key: string }> => {
  const found: Array<{ page: number; annot: number; key: string }> = [];
  source.pages.forEach((page, index) => {
    const annots = /\/Annots\s*\[([^\]]*)\]/u.exec(source.objects.get(page)?.head ?? "")?.[1] ?? "";
    for (const annot of references(annots)) {
      const uri = /\/URI \(([^)]*)\)/u.exec(source.objects.get(annot)?.head ?? "")?.[1] ?? "";
      if (uri.startsWith(prefix)) found.push({ page: index, annot, key: uri.slice(prefix.length) });
    }
  });
  return found;
};
