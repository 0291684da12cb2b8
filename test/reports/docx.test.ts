import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureRendered, type PlannedDocument, type ReportDeps } from "../../functions/src/app/documents.js";
import type { OfficialDocument } from "../../functions/src/domain/documents.js";
import { decisionDocument } from "../../functions/src/domain/office-documents.js";
import { schoolResultDocument } from "../../functions/src/domain/school-documents.js";
import { renderDocx } from "../../functions/src/infra/docx/index.js";
import { localAuth } from "../../functions/src/infra/google/forms.js";
import { DOCX_TYPE, driveReportStore, localReportStore } from "../../functions/src/infra/report-store.js";
import { loadTemplates, type Templates } from "../../functions/src/infra/templates.js";
import { AUTHORITY, CS1, ctx, SET, TH1 } from "../domain/inspection-documents-fixtures.js";
import {
  GOOGLE_DOC_MIME,
  type MailDriveServer,
  startMailDriveServer,
  testDeps,
  testStore,
} from "../kit/index.js";
import { byCode, DOCUMENTS, decode, listed, results, textOf } from "./docx-fixtures.js";

/**
 * Every official document as a Word file, built from the same view model as its PDF: read back
 * from the .docx (a zip of WordprocessingML), its text, its fonts, its page, its tables. The files
 * stay in the temporary directory below, to be opened in Word or LibreOffice.
 */
const OUT = join(tmpdir(), "dienhinh-docx");

/** The run properties of the run whose text is `text` (the whole of a run's text, after a line break if any). */
const runProps = (xml: string, text: string): string | undefined => {
  for (const m of xml.matchAll(
    /<w:r>(?:<w:rPr>(.*?)<\/w:rPr>)?(?:<w:br\/>)?<w:t(?:\s[^>]*)?>([^<]*)<\/w:t><\/w:r>/gu,
  ))
    if (decode(m[2] ?? "") === text) return m[1] ?? "";
  return undefined;
};

/** The paragraph properties of the paragraph holding `text`. */
const paragraphProps = (xml: string, text: string): string | undefined =>
  xml
    .split("</w:p>")
    .find((p) => textOf(p.slice(p.lastIndexOf("<w:p>"))).includes(text))
    ?.match(/<w:p>(?:<w:pPr>(.*?)<\/w:pPr>)?/u)?.[1];

interface Docx {
  file: string;
  document: string;
  styles: string;
  headers: string[];
  parts: string[];
  text: string;
}

const read = async (buffer: Buffer, name: string): Promise<Docx> => {
  const file = join(OUT, `${name}.docx`);
  await writeFile(file, buffer);
  const zip = await JSZip.loadAsync(buffer);
  const part = async (path: string) => (await zip.file(path)?.async("string")) ?? "";
  const parts = Object.keys(zip.files);
  const document = await part("word/document.xml");
  const headers = await Promise.all(parts.filter((p) => /^word\/header\d+\.xml$/u.test(p)).map(part));
  return { file, document, styles: await part("word/styles.xml"), headers, parts, text: textOf(document) };
};

let templates: Templates;
beforeAll(async () => {
  templates = await loadTemplates();
  const { mkdir } = await import("node:fs/promises");
  await mkdir(OUT, { recursive: true });
});

describe("the Word copy of every document", () => {
  it.each(Object.keys(DOCUMENTS) as Array<OfficialDocument["kind"]>)(
    "writes the %s as a .docx: its header block, kind, subject, school, number, recipients and signer",
    async (kind) => {
      const doc = DOCUMENTS[kind](templates);
      const docx = await read(await renderDocx(doc), kind);
      expect(docx.parts).toEqual(
        expect.arrayContaining(["[Content_Types].xml", "word/document.xml", "word/styles.xml"]),
      );
      for (const part of [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        doc.header.issuingBody,
        doc.type,
        // Curly quotes, as the PDF prints them.
        doc.subject.replace(/"([^"]*)"/gu, "“$1”"),
        "Số:",
        doc.header.number.replace(/\s+/gu, " "),
        doc.signature.name,
      ])
        expect(docx.text, `${kind}: ${part}`).toContain(part);
      if (kind !== "bien-ban") {
        expect(docx.text).toContain("Nơi nhận:");
        for (const r of doc.recipients) expect(docx.text).toContain(`- ${r}`);
      }
      if ("school" in doc) expect(docx.text).toContain(doc.school.name);
      // The sample's office: the notice, small and italic at the foot.
      expect(docx.text).toContain("Dữ liệu mẫu, không phải văn bản chính thức.");
      expect(runProps(docx.document, "Dữ liệu mẫu, không phải văn bản chính thức.")).toMatch(
        /<w:i\/>.*<w:sz w:val="18"\/>/u,
      );
      expect(docx.text).not.toMatch(/[≥≤"]/u);
    },
  );

  it.each(Object.keys(DOCUMENTS) as Array<OfficialDocument["kind"]>)(
    "sets the %s in Times New Roman on A4 with Decree 30's margins, tables as tables, page numbers from page 2",
    async (kind) => {
      const docx = await read(await renderDocx(DOCUMENTS[kind](templates)), `${kind}-layout`);
      // The document's defaults: Times New Roman for every script, 14 pt, Vietnamese.
      const defaults = /<w:rPrDefault><w:rPr>(.*?)<\/w:rPr><\/w:rPrDefault>/u.exec(docx.styles)?.[1] ?? "";
      for (const script of ["ascii", "hAnsi", "eastAsia", "cs"])
        expect(defaults).toContain(`w:${script}="Times New Roman"`);
      expect(defaults).toContain('<w:sz w:val="28"/>');
      expect(defaults).toContain('<w:lang w:val="vi-VN"/>');
      // No other font anywhere: every font named in the document, its styles and headers is Times New Roman.
      const named = [docx.document, docx.styles, ...docx.headers].flatMap((xml) =>
        [...xml.matchAll(/w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"/gu)].map((m) => m[1]),
      );
      expect(new Set(named)).toEqual(new Set(["Times New Roman"]));
      // A4 portrait; top and bottom 20 mm, left 30 mm, right 15 mm; every section.
      const sections = [...docx.document.matchAll(/<w:sectPr>(.*?)<\/w:sectPr>/gu)].map((m) => m[1] ?? "");
      expect(sections.length).toBeGreaterThanOrEqual(1);
      for (const s of sections) {
        expect(s).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/u);
        expect(s).toMatch(/<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"/u);
        // A different first page, with no number; the others numbered in the header.
        expect(s).toContain("<w:titlePg/>");
        expect(s).toMatch(/<w:headerReference w:type="first"/u);
        expect(s).toMatch(/<w:headerReference w:type="default"/u);
      }
      expect(docx.headers.some((h) => /PAGE/u.test(h))).toBe(true);
      // The header block is a borderless table; the document's own tables have borders and a header row.
      const tables = [...docx.document.matchAll(/<w:tbl>(.*?)<\/w:tbl>/gu)].map((m) => m[1] ?? "");
      expect(tables[0]).toContain('<w:top w:val="none"');
      expect(textOf(tables[0] ?? "")).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
      const grids = tables.filter((t) => t.includes("<w:tblHeader/>"));
      if (kind !== "thong-bao") expect(grids.length).toBeGreaterThanOrEqual(1);
      for (const grid of grids) expect(grid).toMatch(/<w:insideH w:val="single" w:color="000000" w:sz="6"/u);
    },
  );

  it("prints each part in its size and weight (DOMAIN.md; the header's 12.5 pt as the PDF's): title, motto, kind, subject, place and date, recipients, signer", async () => {
    const doc = DOCUMENTS["ket-qua"](templates);
    const { document } = await read(await renderDocx(doc), "ket-qua-sizes");
    const sized = (text: string) => runProps(document, text) ?? "";
    expect(sized("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")).toMatch(/<w:b\/>.*<w:sz w:val="25"\/>/u);
    expect(sized("Độc lập - Tự do - Hạnh phúc")).toMatch(
      /<w:b\/>.*<w:sz w:val="28"\/>.*<w:u w:val="single"\/>/u,
    );
    // A parent body too long for its column is split in two lines of a length, as the PDF does.
    expect(doc.header.parentBody).toBe("ỦY BAN NHÂN DÂN HUYỆN NHÀ BÈ");
    expect(sized("ỦY BAN NHÂN DÂN")).toMatch(/^<w:sz w:val="25"\/>/u);
    expect(document).toMatch(/<w:br\/><w:t xml:space="preserve">HUYỆN NHÀ BÈ<\/w:t>/u);
    expect(sized(doc.header.issuingBody)).toMatch(/<w:b\/>.*<w:sz w:val="25"\/>/u);
    expect(sized(doc.header.number)).toMatch(/^<w:sz w:val="26"\/>/u);
    expect(sized(doc.header.placeDate)).toMatch(/<w:i\/>.*<w:sz w:val="28"\/>/u);
    expect(sized("THÔNG BÁO")).toMatch(/<w:b\/>.*<w:sz w:val="28"\/>/u);
    expect(sized(doc.subject)).toMatch(/<w:b\/>.*<w:sz w:val="28"\/>/u);
    expect(sized("Nơi nhận:")).toMatch(/<w:b\/>.*<w:i\/>.*<w:sz w:val="24"\/>/u);
    expect(sized(`- ${doc.recipients[0]}`)).toMatch(/<w:sz w:val="22"\/>/u);
    expect(sized(doc.signature.authority)).toMatch(/<w:b\/>.*<w:sz w:val="28"\/>/u);
    expect(sized(doc.signature.name)).toMatch(/<w:b\/>.*<w:sz w:val="28"\/>/u);
    // The body: justified, first line indented 1.27 cm, 6 pt after (its style).
    expect(paragraphProps(document, "Kết quả theo từng tiêu chí, chỉ tiêu như sau:")).toContain(
      '<w:pStyle w:val="VanBan"/>',
    );
    const { styles } = await read(await renderDocx(doc), "ket-qua-styles");
    expect(styles).toMatch(
      /<w:style w:type="paragraph" w:styleId="VanBan">.*?<w:spacing w:after="120"\/><w:ind w:firstLine="720"\/><w:jc w:val="both"\/>/u,
    );
  });

  it("lays out the result's criteria table: criteria rows, each indicator, the total; a school's code never breaks", async () => {
    const doc = DOCUMENTS["ket-qua"](templates);
    if (doc.kind !== "ket-qua") throw new Error("not a result");
    const { document, text } = await read(await renderDocx(doc), "ket-qua-table");
    const grid =
      [...document.matchAll(/<w:tbl>(.*?)<\/w:tbl>/gu)]
        .map((m) => m[1] ?? "")
        .find((t) => t.includes("<w:tblHeader/>")) ?? "";
    const rows = grid.split("</w:tr>").filter((r) => r.includes("<w:tc>"));
    const indicators = doc.criteria.reduce((n, c) => n + c.indicators.length, 0);
    // The header, a row per criterion and per indicator, the total.
    expect(rows).toHaveLength(1 + doc.criteria.length + indicators + 1);
    expect(textOf(rows[0] ?? "")).toBe("TT Tiêu chí, chỉ tiêu Kết quả của trường Yêu cầu Đánh giá Điểm");
    expect(rows[1]).toContain('w:fill="E6E6E6"');
    expect(rows[1]).toContain('<w:gridSpan w:val="3"/>');
    expect(textOf(rows.at(-1) ?? "")).toBe(`Tổng điểm ${doc.points}/${doc.maxPoints}`);
    for (const row of rows.slice(1)) expect(row).toContain("<w:cantSplit/>");
    expect(document).toContain(`${CS1.code.split("-")[0]}</w:t><w:noBreakHyphen/>`);
    expect(text).toContain(`(mã trường ${CS1.code})`);
    expect(text).toContain(`Kết quả chung: ${doc.status}`);
    expect(text).not.toContain("Kết quả kiểm tra thực tế:");
    // What the team did not confirm: a bold line, then each, numbered.
    const rejected = { ...doc, rejected: ["Chỉ tiêu 1.2 (Kế hoạch): chưa ký ban hành."] };
    const withRejected = await read(await renderDocx(rejected), "ket-qua-rejected");
    expect(withRejected.text).toContain(
      "Kết quả kiểm tra thực tế: 1. Chỉ tiêu 1.2 (Kế hoạch): chưa ký ban hành.",
    );
    expect(runProps(withRejected.document, "Kết quả kiểm tra thực tế:")).toContain("<w:b/>");
  });

  it("marks the draft decision DỰ THẢO in a box, and lists its schools in an appendix numbered on its own", async () => {
    const doc = DOCUMENTS["quyet-dinh"](templates);
    const { document, text } = await read(await renderDocx(doc), "quyet-dinh-du-thao");
    expect(paragraphProps(document, "DỰ THẢO")).toMatch(
      /<w:pBdr><w:top w:val="single".*<w:left w:val="single".*<w:bottom w:val="single".*<w:right w:val="single"/u,
    );
    expect(text).toContain("QUYẾT ĐỊNH:");
    expect(text).toMatch(/Điều 1\. Công nhận 3 trường/u);
    expect(runProps(document, doc.kind === "quyet-dinh" ? (doc.bases[0] ?? "") : "")).toContain("<w:i/>");
    // The appendix: a section of its own from a new page, its pages numbered from 1.
    const sections = [...document.matchAll(/<w:sectPr>(.*?)<\/w:sectPr>/gu)].map((m) => m[1] ?? "");
    expect(sections).toHaveLength(2);
    expect(sections[1]).toContain('<w:type w:val="nextPage"/>');
    expect(sections[1]).toContain('<w:pgNumType w:start="1"/>');
    expect(text).toContain("Phụ lục");
    for (const r of listed) expect(text).toContain(r.school.name);
    // An issued one has no box.
    const issued = decisionDocument(ctx(), listed, SET.legalBasis, AUTHORITY, {
      number: "123",
      date: new Date("2026-12-02T02:00:00Z"),
    });
    const issuedText = (await read(await renderDocx(issued), "quyet-dinh")).text;
    expect(issuedText).not.toContain("DỰ THẢO");
    expect(issuedText).toContain("Số: 123/QĐ-UBND");
  });

  it("gives the proposal's two appendices a section each, and the minutes both signatures without recipients", async () => {
    const proposal = await read(await renderDocx(DOCUMENTS["to-trinh"](templates)), "to-trinh-appendices");
    expect([...proposal.document.matchAll(/<w:sectPr>/gu)]).toHaveLength(3);
    expect(proposal.text).toContain("Phụ lục I");
    expect(proposal.text).toContain("Phụ lục II");
    expect(proposal.text).toContain("DANH SÁCH TRƯỜNG ĐỀ NGHỊ KHEN THƯỞNG");
    // "Kính gửi:" centred, without the body's first-line indent.
    expect(paragraphProps(proposal.document, "Kính gửi: Ủy ban nhân dân xã Nhà Bè")).toMatch(
      /<w:ind w:firstLine="0"\/><w:jc w:val="center"\/>/u,
    );
    const minutes = await read(await renderDocx(DOCUMENTS["bien-ban"](templates)), "bien-ban-signatures");
    for (const part of [
      "Kết quả: KHÔNG ĐẠT",
      "ĐẠI DIỆN NHÀ TRƯỜNG",
      "HIỆU TRƯỞNG",
      "TRƯỞNG ĐOÀN KIỂM TRA",
      "III. Ý KIẾN CỦA NHÀ TRƯỜNG",
    ])
      expect(minutes.text).toContain(part);
    expect(minutes.text).not.toContain("Nơi nhận:");
    expect(minutes.document).toContain('<w:bottom w:val="dotted"');
    const report = await read(await renderDocx(DOCUMENTS["bao-cao"](templates)), "bao-cao-tallies");
    // Three tallies and the appendix, each a table with its header row.
    expect([...report.document.matchAll(/<w:tblHeader\/>/gu)]).toHaveLength(4);
    for (const r of results) expect(report.text).toContain(r.school.name);
  });

  it("gives the Kế hoạch triển khai its criteria and calendar as two tables, its forms and its tasks, as the PDF", async () => {
    const doc = DOCUMENTS["ke-hoach"](templates);
    if (doc.kind !== "ke-hoach") throw new Error("not a plan");
    const plan = await read(await renderDocx(doc), "ke-hoach-tables");
    expect([...plan.document.matchAll(/<w:tblHeader\/>/gu)]).toHaveLength(2);
    for (const part of [
      "I. MỤC ĐÍCH, YÊU CẦU",
      "II. NỘI DUNG THỰC HIỆN",
      "III. TỔ CHỨC THỰC HIỆN",
      ...doc.bases,
      ...doc.criteria.flatMap((c) => [c.title, ...c.indicators.map((i) => i.requirement)]),
      ...doc.timeline.flatMap((t) => [t.label, t.when]),
      `- ${doc.forms[0]?.name}: ${doc.forms[0]?.url}`,
      `- ${doc.forms[1]?.name}: đường dẫn sẽ được gửi đến địa chỉ thư điện tử của trường.`,
      ...doc.tasks.map((t, i) => `${i + 1}. ${t}`),
      doc.closing,
    ])
      expect(plan.text, part).toContain(part.replace(/"([^"]*)"/gu, "“$1”"));
  });
});

describe("ensureRendered stores the Word copy beside the PDF", () => {
  const NOW = new Date("2026-11-25T03:00:00Z");
  const fakePdf = { render: async () => Buffer.from("%PDF-1.7 fake") };
  const planned = (name: string): PlannedDocument => ({
    kind: "ket-qua",
    name,
    hash: `hash-${name}`,
    build: (date) => schoolResultDocument(ctx({ date }), byCode(TH1.code), SET),
  });
  const deps = (files: ReportDeps["files"]): ReportDeps => ({
    ...testDeps({ clock: () => NOW }),
    renderer: fakePdf,
    templates,
    files,
    timeZone: "Asia/Ho_Chi_Minh",
  });
  const campaignId = `docx-${Date.now()}`;

  it("writes both files under reports/, records the Word copy's link, and gives an older record its copy", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dienhinh-docx-store-"));
    const files = localReportStore(join(dir, "reports"));
    const doc = await ensureRendered(deps(files), campaignId, planned("ket-qua-T-TH1-aaaa"), TH1.code);
    expect(doc.docxUrl).toBe(join(dir, "reports", "ket-qua-T-TH1-aaaa.docx"));
    expect((await readdir(join(dir, "reports"))).sort()).toEqual([
      "ket-qua-T-TH1-aaaa.docx",
      "ket-qua-T-TH1-aaaa.pdf",
    ]);
    const docx = await read(await readFile(doc.docxUrl ?? ""), "stored");
    expect(docx.text).toContain(TH1.name);
    expect((await testStore().reports.get(campaignId, doc.name))?.docxUrl).toBe(doc.docxUrl);
    // A record made before Word copies: its copy is made for the date its PDF printed, once.
    const older = planned("ket-qua-T-TH1-bbbb");
    const printed = new Date("2026-11-20T03:00:00Z");
    await testStore().reports.put(campaignId, {
      name: older.name,
      kind: "ket-qua",
      schoolCode: TH1.code,
      hash: older.hash,
      url: join(dir, "reports", `${older.name}.pdf`),
      date: printed,
      renderedAt: printed,
    });
    const again = await ensureRendered(deps(files), campaignId, older, TH1.code);
    expect(again).toMatchObject({ rendered: false, docxUrl: join(dir, "reports", `${older.name}.docx`) });
    expect((await read(await readFile(again.docxUrl ?? ""), "older")).text).toContain(
      "ngày 20 tháng 11 năm 2026",
    );
    expect((await testStore().reports.get(campaignId, older.name))?.docxUrl).toBe(again.docxUrl);
  });

  describe("in Drive", () => {
    let google: MailDriveServer;
    beforeAll(async () => {
      google = await startMailDriveServer();
    });
    afterAll(() => google.close());

    it("uploads the .docx asking Drive to convert it to a Google Doc, and links the Doc", async () => {
      const folder = google.addFolder("Báo cáo điển hình");
      const files = driveReportStore(folder, { rootUrl: google.url, auth: localAuth() });
      const doc = await ensureRendered(deps(files), campaignId, planned("ket-qua-T-TH1-drive"), TH1.code);
      const stored = [...google.files.values()].filter((f) => f.parents.includes(folder));
      expect(stored.map((f) => [f.name, f.mimeType]).sort()).toEqual([
        ["ket-qua-T-TH1-drive.docx", GOOGLE_DOC_MIME],
        ["ket-qua-T-TH1-drive.pdf", "application/pdf"],
      ]);
      const googleDoc = stored.find((f) => f.mimeType === GOOGLE_DOC_MIME);
      expect(googleDoc?.importedFrom).toBe(DOCX_TYPE);
      expect(doc.docxUrl).toBe(`${google.url}/document/d/${googleDoc?.id}/edit`);
      expect(doc.url).toMatch(new RegExp(`^${google.url}/file/d/`, "u"));
      // The upload itself: the metadata names the Google type, the media is the Word file.
      const upload = google.requests.find(
        (r) => r.path === "/upload/drive/v3/files" && JSON.stringify(r.body).includes(GOOGLE_DOC_MIME),
      );
      expect(upload?.query.get("uploadType")).toBe("multipart");
      expect((await read(googleDoc?.content ?? Buffer.alloc(0), "drive")).text).toContain(TH1.name);
      // Stored once: the same document again finds both files.
      await ensureRendered(deps(files), `${campaignId}-again`, planned("ket-qua-T-TH1-drive"), TH1.code);
      expect([...google.files.values()].filter((f) => f.parents.includes(folder))).toHaveLength(2);
    });
  });
});
