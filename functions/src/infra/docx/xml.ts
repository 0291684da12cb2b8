import type { IXmlableObject } from "docx";

/**
 * The XML of what docx's components give for a part (`prepForXml`: objects such as
 * `{ "w:b": { _attr: { "w:val": true } } }`), written exactly as docx's Packer writes them, byte for
 * byte (test/reports/docx-package.test.ts compares the two for every kind of document). docx builds
 * every element and attribute; this only spells its objects out, as its own writer (not exported)
 * does, without the intermediate objects that writer makes for each element.
 *
 * An object marked `shared` (the output of a component used again and again, shared.ts) keeps its
 * XML once written, so a cell every school's table has is spelled out once.
 */

const SHARED = Symbol("dienhinh.docx.shared");
const WRITTEN = Symbol("dienhinh.docx.written");

type Marked = IXmlableObject & { [SHARED]?: true; [WRITTEN]?: string };

/** Marks docx's output for a component that is reused unchanged, so its XML is written once. */
export const shared = <T extends object>(output: T): T => {
  (output as Marked)[SHARED] = true;
  return output;
};

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  '"': "&quot;",
  "'": "&apos;",
  "<": "&lt;",
  ">": "&gt;",
};
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters XML 1.0 cannot hold, dropped as docx drops them.
const UNSAFE = /[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const UNSAFE_ALL = /[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/gu;

/** Text or an attribute's value as docx escapes it: the five entities; the control characters XML cannot hold dropped. */
export const escapeXml = (value: string): string =>
  UNSAFE.test(value) ? value.replace(UNSAFE_ALL, (c) => ESCAPES[c] ?? "") : value;

/** An attribute's value: strings escaped, anything else as `String` gives it. */
const attributeValue = (value: unknown): string =>
  typeof value === "string" ? escapeXml(value) : String(value);

/** Text: as a value, but nothing for undefined. */
const textValue = (value: unknown): string => (value === undefined ? "" : attributeValue(value));

const attributes = (attrs: Record<string, unknown>): string => {
  let out = "";
  for (const key in attrs) out += ` ${key}="${attributeValue(attrs[key])}"`;
  return out;
};

const firstKey = (object: object): string | undefined => {
  for (const key in object) return key;
  return undefined;
};

/**
 * An element's children as docx writes them: attribute objects (`_attr`) join the element's
 * attributes; a text takes the place of the child before it (docx's writer's quirk, kept).
 */
const children = (values: readonly unknown[], attrs: { text: string }): string => {
  const parts: string[] = [""];
  for (const value of values)
    if (typeof value === "object" && value !== null) {
      if (firstKey(value) === "_attr")
        attrs.text += attributes((value as { _attr: Record<string, unknown> })._attr);
      else parts.push(xmlOf(value as IXmlableObject));
    } else {
      parts.pop();
      parts.push(textValue(value));
    }
  return parts.join("");
};

const CDATA_END = /\]\]>/gu;

const write = (data: IXmlableObject): string => {
  const name = firstKey(data);
  if (name === undefined) return "";
  const values = data[name];
  if (typeof values !== "object") return `<${name}>${textValue(values)}</${name}>`;
  if (values === null) return `<${name}/>`;
  const attrs = { text: "" };
  const { _attr: own, _cdata: cdata } = values as { _attr?: Record<string, unknown>; _cdata?: string };
  if (own) attrs.text += attributes(own);
  const cdataXml = cdata ? `<![CDATA[${cdata.replace(CDATA_END, "]]]]><![CDATA[>")}]]>` : "";
  if (!Array.isArray(values))
    return cdataXml ? `<${name}${attrs.text}>${cdataXml}</${name}>` : `<${name}${attrs.text}/>`;
  const inner = children(values, attrs);
  return `<${name}${attrs.text}>${cdataXml}${inner}</${name}>`;
};

/** The XML of one of docx's objects (an element and everything in it). */
export const xmlOf = (data: IXmlableObject): string => {
  const marked = data as Marked;
  const written = marked[WRITTEN];
  if (written !== undefined) return written;
  const xml = write(data);
  if (marked[SHARED]) marked[WRITTEN] = xml;
  return xml;
};

/** The declaration docx starts its parts with. */
export const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
