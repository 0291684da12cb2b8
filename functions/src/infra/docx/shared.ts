import { type IContext, type IXmlableObject, Paragraph, Table, TableCell, TableRow } from "docx";
import { shared } from "./xml.js";

/**
 * Components used again as they are, in many rows and many documents: docx builds each once and
 * writes its XML once (xml.ts: `shared`). A school's result shares nearly all of its table's cells
 * and most of its rows with every other school's (the criteria's words, the requirements, the
 * statuses and points), and the header and signature blocks with every document of its office.
 *
 * Only what writes the same wherever it is may be shared: a cell, a row or a table whose widths are
 * its own (in twips, not shares of the page), holding no table, no hyperlink, no image, no numbered
 * list. docx keeps its components usable in several documents (the body adds a section's
 * properties to a paragraph only while it writes it), and these change nothing when written.
 */

/** docx's output for `component`, kept from its first writing. */
const once = (
  written: { xml?: IXmlableObject },
  write: () => IXmlableObject | undefined,
): IXmlableObject | undefined => {
  if (written.xml) return written.xml;
  const xml = write();
  if (xml) written.xml = shared(xml);
  return xml;
};

export class SharedCell extends TableCell {
  readonly #written: { xml?: IXmlableObject } = {};

  override prepForXml(context: IContext): IXmlableObject | undefined {
    return once(this.#written, () => super.prepForXml(context));
  }
}

export class SharedRow extends TableRow {
  readonly #written: { xml?: IXmlableObject } = {};

  override prepForXml(context: IContext): IXmlableObject | undefined {
    return once(this.#written, () => super.prepForXml(context));
  }
}

export class SharedTable extends Table {
  readonly #written: { xml?: IXmlableObject } = {};

  override prepForXml(context: IContext): IXmlableObject | undefined {
    return once(this.#written, () => super.prepForXml(context));
  }
}

/**
 * A paragraph: shared only where it is written on its own, as package.ts writes the children of a
 * one-section body. Within docx's Body (a document of several sections, or docx's Packer), the
 * paragraph that ends a section holds that section's properties while it is written, so there it
 * is written afresh each time.
 */
export class SharedParagraph extends Paragraph {
  readonly #written: { xml?: IXmlableObject } = {};

  override prepForXml(context: IContext): IXmlableObject | undefined {
    if (context.stack.length > 0) return super.prepForXml(context);
    return once(this.#written, () => super.prepForXml(context));
  }
}

/**
 * What `make` makes for `key`, made once: a cache of components by what makes them. Bounded: when
 * it holds `most`, it is emptied and the next documents fill it again.
 */
export const cached = <T>(cache: Map<string, T>, key: string, make: () => T, most = 5000): T => {
  let made = cache.get(key);
  if (made === undefined) {
    if (cache.size >= most) cache.clear();
    made = make();
    cache.set(key, made);
  }
  return made;
};
