import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFObjectCopier,
  type PDFPage,
  type PDFRef,
  PDFString,
} from "pdf-lib";

/**
 * One PDF printed for a batch (pdf-batch.ts), cut into its documents with pdf-lib. Each document's
 * first page carries a marker: a link annotation whose URI is the batch's prefix and the document's
 * index. The markers are removed, each run of pages from one marker to the next is copied into a
 * PDF of its own, with the source's document information and the document's own title. A split
 * that finds the markers missing, duplicated or out of order, or a document whose pages reach a
 * page outside it (an internal link), fails: the caller then prints each document alone, so a
 * document never holds another's pages.
 */

const ANNOTS = PDFName.of("Annots");
const A = PDFName.of("A");
const URI = PDFName.of("URI");
const TYPE = PDFName.of("Type");
const PAGE = PDFName.of("Page");
const PAGES = PDFName.of("Pages");
const VIEWER_PREFERENCES = PDFName.of("ViewerPreferences");

/** A marker: the page it is on, and the document index its URI names. */
interface Marker {
  page: number;
  key: string;
}

/** The URI of a link annotation (an action /A with its /URI), if any. */
const uriOf = (doc: PDFDocument, annot: unknown): string | undefined => {
  const dict = doc.context.lookup(annot as PDFRef);
  if (!(dict instanceof PDFDict)) return undefined;
  const action = dict.lookup(A);
  if (!(action instanceof PDFDict)) return undefined;
  const uri = action.lookup(URI);
  return uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : undefined;
};

/** The page's annotations whose URI starts with `prefix`, removed from the page; their keys. */
const takeMarkers = (doc: PDFDocument, page: PDFPage, prefix: string): string[] => {
  const annots = page.node.lookup(ANNOTS);
  if (!(annots instanceof PDFArray)) return [];
  const keys: string[] = [];
  for (let i = annots.size() - 1; i >= 0; i--) {
    const uri = uriOf(doc, annots.get(i));
    if (uri?.startsWith(prefix)) {
      keys.unshift(uri.slice(prefix.length));
      annots.remove(i);
    }
  }
  if (annots.size() === 0) page.node.delete(ANNOTS);
  return keys;
};

/** Every marker, in page order, once removed from its page (the source is changed). */
const markers = (doc: PDFDocument, prefix: string): Marker[] =>
  doc
    .getPages()
    .flatMap((page, index) => takeMarkers(doc, page, prefix).map((key) => ({ page: index, key })));

/** The pages (page objects) a PDF holds, the ones of its page tree and any other it carries along. */
const pageObjects = (doc: PDFDocument): number =>
  doc.context
    .enumerateIndirectObjects()
    .filter(([, object]) => object instanceof PDFDict && object.get(TYPE) === PAGE).length;

/**
 * `pdf` (a batch of `titles.length` documents, marked with `prefix`) as one PDF per document, in
 * order, each titled with its title.
 */
export const splitPdf = async (
  pdf: Uint8Array,
  prefix: string,
  titles: readonly string[],
): Promise<Buffer[]> => {
  const source = await PDFDocument.load(pdf, { updateMetadata: false });
  // What Chromium writes for a plain print; anything else (named destinations of internal links,
  // an outline, a structure tree) refers to pages across documents.
  const extra = source.catalog.keys().filter((key) => ![TYPE, PAGES, VIEWER_PREFERENCES].includes(key));
  if (extra.length > 0) throw new Error(`batch: the catalog holds ${extra.join(" ")}`);
  const found = markers(source, prefix);
  const inOrder = found.every(
    (m, i) => m.key === String(i) && (i === 0 ? m.page === 0 : m.page > (found[i - 1]?.page ?? 0)),
  );
  if (found.length !== titles.length || !inOrder)
    throw new Error(`batch: ${found.length} markers of ${titles.length} documents, in order: ${inOrder}`);
  const pageCount = source.getPageCount();
  const parts: Buffer[] = [];
  for (const [i, title] of titles.entries()) {
    const first = found[i]?.page ?? 0;
    const next = found[i + 1]?.page ?? pageCount;
    const indices = Array.from({ length: next - first }, (_, k) => first + k);
    const part = await PDFDocument.create({ updateMetadata: false });
    for (const page of await part.copyPages(source, indices)) part.addPage(page);
    // A link to a page is copied with that page, and the page with its page tree: all the batch.
    if (pageObjects(part) !== indices.length)
      throw new Error(`batch: document ${i} refers to pages outside its own`);
    describe(part, source, title);
    parts.push(Buffer.from(await part.save({ useObjectStreams: false, addDefaultPage: false })));
  }
  return parts;
};

/** The source's viewer preferences and information (creator, producer, dates), with its own title. */
const describe = (part: PDFDocument, source: PDFDocument, title: string) => {
  const preferences = source.catalog.get(VIEWER_PREFERENCES);
  if (preferences)
    part.catalog.set(VIEWER_PREFERENCES, PDFObjectCopier.for(source.context, part.context).copy(preferences));
  if (title) part.setTitle(title);
  const creator = source.getCreator();
  const producer = source.getProducer();
  const created = source.getCreationDate();
  const modified = source.getModificationDate();
  if (creator !== undefined) part.setCreator(creator);
  if (producer !== undefined) part.setProducer(producer);
  if (created) part.setCreationDate(created);
  if (modified) part.setModificationDate(modified);
};
