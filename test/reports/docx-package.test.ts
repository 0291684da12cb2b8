import { ExternalHyperlink, Packer, Paragraph, TextRun } from "docx";
import JSZip from "jszip";
import { SaxesParser } from "saxes";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { OfficialDocument } from "../../functions/src/domain/documents.js";
import { decisionDocument } from "../../functions/src/domain/office-documents.js";
import { schoolResultDocument } from "../../functions/src/domain/school-documents.js";
import { docxFile, renderDocx } from "../../functions/src/infra/docx/index.js";
import { packageOf } from "../../functions/src/infra/docx/package.js";
import { loadTemplates, type Templates } from "../../functions/src/infra/templates.js";
import { AUTHORITY, CS1, ctx, MN1, SET, TH1 } from "../domain/inspection-documents-fixtures.js";
import { byCode, DOCUMENTS, listed, textOf } from "./docx-fixtures.js";

/**
 * renderDocx packs a document with the parts its layout shares with every other document made
 * once, its cells and blocks that other documents have too made once, and its XML written by
 * infra/docx/xml.ts (package.ts, shared.ts): what docx's Packer makes of the same document, part
 * for part, byte for byte; and each document its own, whatever came before it.
 */

const KINDS = Object.keys(DOCUMENTS) as Array<OfficialDocument["kind"]>;

/** A .docx's parts by their paths, in the zip's order. */
const partsOf = async (buffer: Buffer): Promise<Map<string, string>> => {
  const zip = await JSZip.loadAsync(buffer);
  const parts = new Map<string, string>();
  for (const path of Object.keys(zip.files)) parts.set(path, (await zip.file(path)?.async("string")) ?? "");
  return parts;
};

/** The core properties' dates, which say when the file was made. */
const undated = (xml: string) => xml.replace(/(<dcterms:(?:created|modified) [^>]*>)[^<]*</gu, "$1…<");

/** Throws unless `xml` is well-formed XML with a declaration and one root element. */
const parseXml = (xml: string, path: string) => {
  const parser = new SaxesParser({ xmlns: true });
  let roots = 0;
  let depth = 0;
  parser.on("error", (error) => {
    throw new Error(`${path}: ${error.message}`);
  });
  parser.on("opentag", () => {
    if (depth++ === 0) roots++;
  });
  parser.on("closetag", () => {
    depth--;
  });
  parser.write(xml).close();
  expect(roots, path).toBe(1);
  expect(xml, path).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"/u);
};

/** Two packages alike but for the core properties' dates. */
const expectSame = (ours: Map<string, string>, theirs: Map<string, string>, what: string) => {
  expect([...ours.keys()], what).toEqual([...theirs.keys()]);
  for (const [path, xml] of theirs)
    expect(
      path === "docProps/core.xml" ? undated(ours.get(path) ?? "") : ours.get(path),
      `${what} ${path}`,
    ).toBe(path === "docProps/core.xml" ? undated(xml) : xml);
};

let templates: Templates;
beforeAll(async () => {
  templates = await loadTemplates();
});

describe("renderDocx's package", () => {
  it.each(KINDS)("is docx's Packer's for the %s, part for part, byte for byte", async (kind) => {
    const doc = DOCUMENTS[kind](templates);
    // Twice: the first fills the caches, the second is made from them.
    for (const round of ["cold", "warm"]) {
      const ours = await partsOf(await renderDocx(doc));
      const docx = await partsOf(await Packer.toBuffer(docxFile(doc)));
      expect([...ours.keys()], `${kind} ${round}`).toEqual([...docx.keys()]);
      for (const [path, xml] of docx)
        expect(
          path === "docProps/core.xml" ? undated(ours.get(path) ?? "") : ours.get(path),
          `${kind} ${path}`,
        ).toBe(path === "docProps/core.xml" ? undated(xml) : xml);
    }
  });

  it("escapes what XML must escape, as docx does: & < > quotes, and drops the control characters", async () => {
    const doc = DOCUMENTS["ket-qua"](templates);
    if (doc.kind !== "ket-qua") throw new Error("not a result");
    const odd = "A & B <c> \"d\" 'e' \u0001f";
    const escaped = {
      ...doc,
      subject: odd,
      conclusion: odd,
      missing: [odd],
      school: { ...doc.school, code: "T-A&B" },
    };
    const ours = await partsOf(await renderDocx(escaped));
    const docx = await partsOf(await Packer.toBuffer(docxFile(escaped)));
    expect(ours.get("word/document.xml")).toBe(docx.get("word/document.xml"));
    expect(undated(ours.get("docProps/core.xml") ?? "")).toBe(undated(docx.get("docProps/core.xml") ?? ""));
    expect(ours.get("word/document.xml")).toContain("A &amp; B &lt;c&gt; “d” &apos;e&apos; f");
  });

  it("refuses content that needs parts the layout has not (a link), and packs the next document whole", async () => {
    const link = new Paragraph({
      children: [new ExternalHyperlink({ link: "https://example.org", children: [new TextRun("liên kết")] })],
    });
    const metadata = { title: "t", subject: "s", creator: "c", lastModifiedBy: "c" };
    await expect(packageOf([link], [], metadata)).rejects.toThrow(/parts of its own/u);
    const doc = DOCUMENTS["ket-qua"](templates);
    expectSame(
      await partsOf(await renderDocx(doc)),
      await partsOf(await Packer.toBuffer(docxFile(doc))),
      "after a link",
    );
  });

  it("dates the core properties when the file is made, and names the document in them", async () => {
    const doc = DOCUMENTS["ket-qua"](templates);
    const before = Date.now();
    const core = (await partsOf(await renderDocx(doc))).get("docProps/core.xml") ?? "";
    const created = /<dcterms:created [^>]*>([^<]+)</u.exec(core)?.[1] ?? "";
    expect(Date.parse(created)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(created)).toBeLessThanOrEqual(Date.now());
    expect(core).toContain(`<dc:subject>${doc.subject.replace(/"([^"]*)"/gu, "“$1”")}</dc:subject>`);
    expect(core).toContain(`<dc:creator>${doc.header.issuingBody}</dc:creator>`);
  });

  it("opens: a zip whose parts are well-formed XML, every part its content types and relationships name there", async () => {
    for (const kind of KINDS) {
      const parts = await partsOf(await renderDocx(DOCUMENTS[kind](templates)));
      for (const [path, xml] of parts) parseXml(xml, `${kind} ${path}`);
      const types = parts.get("[Content_Types].xml") ?? "";
      for (const m of types.matchAll(/PartName="\/([^"]+)"/gu))
        expect(parts.has(m[1] ?? ""), `${kind} ${m[1]}`).toBe(true);
      for (const path of parts.keys())
        if (path.endsWith(".xml") && path !== "[Content_Types].xml")
          expect(types, `${kind} ${path}`).toMatch(new RegExp(`PartName="/${path}"|Extension="xml"`, "u"));
      const rels = parts.get("word/_rels/document.xml.rels") ?? "";
      for (const m of rels.matchAll(/Target="([^"]+)"/gu))
        expect(parts.has(`word/${m[1]}`), `${kind} ${m[1]}`).toBe(true);
      const document = parts.get("word/document.xml") ?? "";
      for (const m of document.matchAll(/r:id="(rId\d+)"/gu))
        expect(rels, `${kind} ${m[1]}`).toContain(`Id="${m[1]}"`);
    }
  });
});

describe("documents one after another, the caches warm", () => {
  it("makes each what a fresh process makes of it: the cells, rows, paragraphs and blocks kept change nothing", async () => {
    const warm = new Map<string, Map<string, string>>();
    // Every kind once to fill the caches, then each again from them.
    for (const kind of KINDS) await renderDocx(DOCUMENTS[kind](templates));
    for (const kind of KINDS) warm.set(kind, await partsOf(await renderDocx(DOCUMENTS[kind](templates))));
    for (const kind of KINDS) {
      // A fresh copy of infra/docx, its caches empty, for each document.
      vi.resetModules();
      const fresh = await import("../../functions/src/infra/docx/index.js");
      expectSame(
        warm.get(kind) ?? new Map(),
        await partsOf(await fresh.renderDocx(DOCUMENTS[kind](templates))),
        kind,
      );
    }
  });

  const read = async (doc: OfficialDocument) => {
    const parts = await partsOf(await renderDocx(doc));
    const document = parts.get("word/document.xml") ?? "";
    return { document, styles: parts.get("word/styles.xml") ?? "", text: textOf(document) };
  };

  it("gives each its own content: two schools' results, the office's report, a draft and an issued decision", async () => {
    const cs1Result = schoolResultDocument(ctx(), byCode(CS1.code), SET);
    const th1Result = schoolResultDocument(ctx(), byCode(TH1.code), SET);
    const mn1Result = schoolResultDocument(ctx(), byCode(MN1.code), SET);
    const draft = DOCUMENTS["quyet-dinh"](templates);
    const issued = decisionDocument(ctx(), listed, SET.legalBasis, AUTHORITY, {
      number: "123",
      date: new Date("2026-12-02T02:00:00Z"),
    });
    const sequence = [
      cs1Result,
      DOCUMENTS["bao-cao"](templates),
      th1Result,
      draft,
      mn1Result,
      issued,
      cs1Result,
    ];
    const files = [];
    for (const doc of sequence) files.push(await read(doc));
    const [cs1, report, th1, draftFile, mn1, issuedFile, cs1Again] = files as [
      (typeof files)[number],
      ...(typeof files)[number][],
    ];
    // The same document, the same content (the caches change nothing).
    expect(cs1Again?.document).toBe(cs1.document);
    for (const [file, result, others] of [
      [cs1, cs1Result, [th1Result, mn1Result]],
      [th1, th1Result, [cs1Result, mn1Result]],
      [mn1, mn1Result, [cs1Result, th1Result]],
    ] as const) {
      expect(file?.text).toContain(`(mã trường ${result.school.code})`);
      expect(file?.text).toContain(
        `Kết quả chung: ${result.status} (${result.points}/${result.maxPoints} điểm).`,
      );
      for (const other of others) expect(file?.text).not.toContain(other.school.name);
    }
    expect(report?.text).toContain("BÁO CÁO");
    expect(report?.text).not.toContain("Kết quả chung:");
    expect(draftFile?.text).toContain("DỰ THẢO");
    expect(issuedFile?.text).not.toContain("DỰ THẢO");
    expect(issuedFile?.text).toContain("Số: 123/QĐ-UBND");
    expect(draftFile?.text).toContain("QUYẾT ĐỊNH:");
    for (const file of files) {
      // Times New Roman alone, A4 portrait with Decree 30's margins, in every section.
      const fonts = [file.document, file.styles].flatMap((xml) =>
        [...xml.matchAll(/w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"/gu)].map((m) => m[1]),
      );
      expect(new Set(fonts)).toEqual(new Set(["Times New Roman"]));
      const sections = [...file.document.matchAll(/<w:sectPr>(.*?)<\/w:sectPr>/gu)].map((m) => m[1] ?? "");
      expect(sections.length).toBeGreaterThanOrEqual(1);
      for (const s of sections) {
        expect(s).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/u);
        expect(s).toMatch(/<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"/u);
      }
    }
    expect([...(draftFile?.document ?? "").matchAll(/<w:sectPr>/gu)]).toHaveLength(2);
    expect([...(cs1.document ?? "").matchAll(/<w:sectPr>/gu)]).toHaveLength(1);
  });
});
