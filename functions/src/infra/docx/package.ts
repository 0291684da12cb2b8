import {
  Document,
  dateTimeValue,
  type File,
  type FileChild,
  type IContext,
  type IXmlableObject,
  Packer,
} from "docx";
import { strFromU8, unzipSync } from "fflate";
import { STYLES, section, THEME } from "./layout.js";
import { DECLARATION, escapeXml, xmlOf } from "./xml.js";
import { type DeflatedPart, deflated, zipParts } from "./zip.js";

/**
 * A document's package (.docx) with the parts that are the same for every document of a layout
 * made once. docx's Packer compiles and deflates, for every document, its styles, theme,
 * numbering, settings, fonts, headers, relationships and content types, whatever the document
 * holds (docx's floor, bench/docx.ts); here docx packs a layout once (a document of as many
 * sections, with no content), and each document adds its own two parts: its body
 * (word/document.xml, docx's components written by xml.ts) and its core properties (title,
 * subject, author, dates). test/reports/docx-package.test.ts checks every part against docx's
 * Packer for every kind of document.
 */

const DOCUMENT = "word/document.xml";
const CORE = "docProps/core.xml";

/** The core properties a document sets (docx's `IPropertiesOptions`). */
export interface Metadata {
  title: string;
  subject: string;
  creator: string;
  lastModifiedBy: string;
}

interface Layout {
  /** Every part in docx's order, deflated once; the document's own two by their paths. */
  parts: Array<DeflatedPart | typeof DOCUMENT | typeof CORE>;
  /** The empty document docx packed: the context a one-section body is written in. */
  file: File;
  /** Its document.xml before the body's content, and from the last section's properties on. */
  start: string;
  end: string;
}

const packed = async (sections: number): Promise<Layout> => {
  const file = new Document({
    styles: STYLES,
    theme: THEME,
    sections: Array.from({ length: sections }, (_, i) => section([], { appendix: i > 0 })),
  });
  const files = unzipSync(new Uint8Array(await Packer.toBuffer(file)));
  const parts = Object.entries(files).map(([path, data]): Layout["parts"][number] =>
    path === DOCUMENT || path === CORE ? path : deflated(path, data),
  );
  const document = strFromU8(files[DOCUMENT] ?? new Uint8Array());
  const at = document.indexOf("<w:body>") + "<w:body>".length;
  if (at < "<w:body>".length || !parts.includes(CORE))
    throw new Error("docx packed no body or core properties");
  return { parts, file, start: document.slice(0, at), end: document.slice(at) };
};

/** The layouts packed so far, by their number of sections (one for a school's documents). */
const layouts = new Map<number, Promise<Layout>>();
const layoutOf = (sections: number): Promise<Layout> => {
  let layout = layouts.get(sections);
  if (!layout) {
    layout = packed(sections);
    layout.catch(() => layouts.delete(sections));
    layouts.set(sections, layout);
  }
  return layout;
};

/** Where the core properties' values go (characters of Unicode's private use area, which no value holds). */
const SLOTS = { title: "\uE000", subject: "\uE001", creator: "\uE002", lastModifiedBy: "\uE003" } as const;
const STAMP = "\uE004";

/**
 * docx's core properties with slots for the values, by the values a document has (docx leaves an
 * empty one out): docx writes the element and its attributes, `coreOf` fills the slots.
 */
const coreTemplates = new Map<string, string>();
const coreTemplate = (metadata: Metadata): string => {
  const given = (Object.keys(SLOTS) as Array<keyof Metadata>).filter((k) => metadata[k] !== "");
  const key = given.join();
  let template = coreTemplates.get(key);
  if (template === undefined) {
    const file = new Document({ ...Object.fromEntries(given.map((k) => [k, SLOTS[k]])), sections: [] });
    const core = file.CoreProperties.prepForXml({ file, viewWrapper: file.Document, stack: [] });
    const xml = DECLARATION + xmlOf(core as IXmlableObject);
    const stamp = /<dcterms:created [^>]*>([^<]+)</u.exec(xml)?.[1];
    if (!stamp) throw new Error("docx wrote no creation date");
    template = xml.split(stamp).join(STAMP);
    coreTemplates.set(key, template);
  }
  return template;
};

const coreOf = (metadata: Metadata, now: Date): string => {
  const values: Record<string, string> = { [STAMP]: dateTimeValue(now) };
  for (const key of Object.keys(SLOTS) as Array<keyof Metadata>)
    values[SLOTS[key]] = escapeXml(metadata[key]);
  return coreTemplate(metadata).replace(/[\uE000-\uE004]/gu, (slot) => values[slot] ?? "");
};

interface Written {
  xml: string;
  /** The file it was written in. */
  file: File;
}

/**
 * What a document's content added to the file it was written in: a relationship (a hyperlink), a
 * list's numbering, an image. The layout's parts, packed once, have none of these.
 */
const additions = (file: File) =>
  `${file.Document.Relationships.RelationshipCount} ${file.Numbering.ConcreteNumbering.length} ${file.Media.Array.length}`;

/** A one-section body: each of its children written in the layout's context, between the layout's start and end. */
const oneSection = (layout: Layout, children: readonly FileChild[]): Written => {
  const context: IContext = { file: layout.file, viewWrapper: layout.file.Document, stack: [] };
  let body = "";
  for (const child of children) {
    const xml = child.prepForXml(context);
    if (xml) body += xmlOf(xml);
  }
  return { xml: layout.start + body + layout.end, file: layout.file };
};

/** A body of several sections (an office's documents with appendices): docx's own document, written whole. */
const sections = (main: FileChild[], appendices: readonly FileChild[][]): Written => {
  const file = new Document({
    sections: [section(main), ...appendices.map((a) => section(a, { appendix: true }))],
  });
  const xml = file.Document.View.prepForXml({ file, viewWrapper: file.Document, stack: [] });
  return { xml: DECLARATION + (xml ? xmlOf(xml) : ""), file };
};

/** DEFLATE's level for a document's own parts: zlib's fastest (the body's text deflates well at any). */
const LEVEL = 1;

/**
 * The .docx of a document: its body (`main`, a section with the page numbers of layout.ts), then
 * each appendix a section of its own.
 */
export const packageOf = async (
  main: FileChild[],
  appendices: readonly FileChild[][],
  metadata: Metadata,
): Promise<Buffer> => {
  const layout = await layoutOf(1 + appendices.length);
  const expected = additions(layout.file);
  const document = appendices.length === 0 ? oneSection(layout, main) : sections(main, appendices);
  if (additions(document.file) !== expected) {
    // The layout's file now holds them too: the next document packs the layout again.
    layouts.delete(1 + appendices.length);
    throw new Error(
      "a document's content needs parts of its own (a link, a list, an image): pack it with docx's Packer",
    );
  }
  const core = coreOf(metadata, new Date());
  return zipParts(
    layout.parts.map((part) =>
      part === DOCUMENT
        ? { path: DOCUMENT, text: document.xml }
        : part === CORE
          ? { path: CORE, text: core }
          : part,
    ),
    LEVEL,
  );
};
