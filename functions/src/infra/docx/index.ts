import { Document, type FileChild } from "docx";
import { type OfficialDocument, withCurlyQuotes } from "../../domain/documents.js";
import { headerBlock, signatureBlock, titleBlock } from "./blocks.js";
import { STYLES, section, THEME } from "./layout.js";
import { chaseLetterBody, decisionBody, planBody, proposalBody, summaryReportBody } from "./office-kinds.js";
import { type Metadata, packageOf } from "./package.js";
import { inspectionRecordBody, noticeBody, schoolResultBody } from "./school-kinds.js";
import { overdueAppendix, schoolListAppendix, schoolsAppendix } from "./tables.js";

/**
 * Every official document also as a Word file (.docx), built from the same view model as its PDF
 * (not converted from it), so the clerk can add what only the office knows: Times New Roman, A4
 * with Decree 30's margins and sizes, the header block as a borderless table, the document's
 * tables as real tables with a header row repeated on every page, page numbers from page 2, each
 * appendix a section from a new page with its own numbering. Stored beside the PDF (report-store.ts:
 * DOCX_TYPE), which in a deployment Drive converts to a Google Doc.
 */
interface Parts {
  /** Between the title block and the signature block. */
  body: FileChild[];
  /** The signature block with "Nơi nhận:" (minutes sign inside their body). */
  signed: boolean;
  appendices: FileChild[][];
}

const partsOf = (doc: OfficialDocument): Parts => {
  switch (doc.kind) {
    case "ket-qua":
      return { body: schoolResultBody(doc), signed: true, appendices: [] };
    case "thong-bao":
      return { body: noticeBody(doc), signed: true, appendices: [] };
    case "bien-ban":
      return { body: inspectionRecordBody(doc), signed: false, appendices: [] };
    case "bao-cao":
      return { body: summaryReportBody(doc), signed: true, appendices: [schoolsAppendix(doc.appendix)] };
    case "quyet-dinh":
      return { body: decisionBody(doc), signed: true, appendices: [schoolListAppendix(doc.appendix)] };
    case "to-trinh":
      return { body: proposalBody(doc), signed: true, appendices: doc.appendices.map(schoolListAppendix) };
    case "cong-van":
      return { body: chaseLetterBody(doc), signed: true, appendices: [overdueAppendix(doc.appendix)] };
    case "ke-hoach":
      return { body: planBody(doc), signed: true, appendices: [] };
  }
};

/** What a document is made of: its body's blocks, its appendices, its core properties. */
const contentOf = (document: OfficialDocument) => {
  // One kind of quotation marks, as the templates print them.
  const doc = withCurlyQuotes(document);
  const parts = partsOf(doc);
  const main = [
    headerBlock(doc),
    // A công văn has no title: its subject is under its number.
    ...(doc.type ? titleBlock(doc) : []),
    ...parts.body,
    ...(parts.signed ? signatureBlock(doc) : []),
  ];
  const metadata: Metadata = {
    title: `${doc.type} – ${doc.subject}`,
    subject: doc.subject,
    creator: doc.header.issuingBody,
    lastModifiedBy: doc.header.issuingBody,
  };
  return { main, appendices: parts.appendices, metadata };
};

/** The document as a .docx file's bytes (package.ts: the layout's parts made once). */
export const renderDocx = async (document: OfficialDocument): Promise<Buffer> => {
  const { main, appendices, metadata } = contentOf(document);
  return packageOf(main, appendices, metadata);
};

/**
 * The same document as docx's own file, for docx's Packer to pack whole: what `renderDocx` makes
 * without its shortcuts (test/reports/docx-package.test.ts compares the two part by part).
 */
export const docxFile = (document: OfficialDocument) => {
  const { main, appendices, metadata } = contentOf(document);
  return new Document({
    ...metadata,
    styles: STYLES,
    theme: THEME,
    sections: [section(main), ...appendices.map((a) => section(a, { appendix: true }))],
  });
};
