import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { DOCUMENT_KINDS, type OfficialDocument, withCurlyQuotes } from "../domain/documents.js";
import type { EmailView } from "../domain/email-view.js";
import type { IndexPage } from "../domain/index-page.js";
import type { StatusPage } from "../domain/status-page.js";
import { InputError } from "../errors.js";
import { docxBuilderHash } from "./docx/version.js";
import { tinosFontFaces } from "./fonts.js";

/**
 * The Handlebars templates of the official documents and the emails (top-level `templates/`).
 * Everything a template prints from the data is escaped ({{ }}); only the stylesheet and the
 * font faces, which are ours, are inserted raw. Plain-text emails are compiled without HTML
 * escaping (they are not HTML), everything else with it.
 */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL("../../../templates/", import.meta.url));

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface Templates extends StatusTemplates {
  /**
   * Changes whenever a template, the stylesheet or the Word builder changes: part of every
   * report's content hash.
   */
  hash: string;
  document(doc: OfficialDocument): string;
  email(view: EmailView): RenderedEmail;
  /** The local run's index.html. */
  index(view: IndexPage): string;
}

/** A school's status page (templates/truong/trang.hbs), and the page for a link refused (tu-choi.hbs). */
export interface StatusTemplates {
  statusPage(view: StatusPage): string;
  statusRefused(): string;
}

/** A template file missing or broken: fix the file (templates/), then run again. */
export class TemplateError extends InputError {}

const EMAILS: ReadonlyArray<EmailView["kind"]> = [
  "ket-qua",
  "xac-nhan",
  "bao-cao",
  "lich-kiem-tra",
  "nhac-han",
  "tong-hop",
  "vu-viec",
];

export const loadTemplates = async (dir: string = DEFAULT_TEMPLATES_DIR): Promise<Templates> => {
  const hash = createHash("sha256");
  const read = async (file: string) => {
    try {
      const text = await readFile(join(dir, file), "utf8");
      hash.update(file).update(text);
      return text;
    } catch (error) {
      throw new TemplateError(`Thiếu mẫu văn bản ${join(dir, file)}: ${(error as Error).message}`);
    }
  };
  const html = Handlebars.create();
  const text = Handlebars.create();
  for (const file of (await readdir(join(dir, "partials"))).filter((f) => f.endsWith(".hbs")).sort()) {
    html.registerPartial(basename(file, ".hbs"), await read(join("partials", file)));
  }
  const compile = (engine: typeof Handlebars, source: string, file: string, options: CompileOptions = {}) => {
    try {
      const template = engine.compile(source, { strict: false, ...options });
      template({}); // surfaces syntax errors now, with the file's name
      return template;
    } catch (error) {
      throw new TemplateError(`Mẫu ${file} có lỗi: ${(error as Error).message}`);
    }
  };
  type CompileOptions = Parameters<typeof Handlebars.compile>[1];
  const css = await read("style.css");
  const fontFaces = await tinosFontFaces();
  const documents = new Map<string, HandlebarsTemplateDelegate>();
  for (const kind of DOCUMENT_KINDS)
    documents.set(kind, compile(html, await read(`${kind}.hbs`), `${kind}.hbs`));
  const emails = new Map<string, Record<"subject" | "html" | "text", HandlebarsTemplateDelegate>>();
  for (const kind of EMAILS) {
    const base = join("email", kind);
    emails.set(kind, {
      subject: compile(text, await read(`${base}.subject.hbs`), `${base}.subject.hbs`, { noEscape: true }),
      html: compile(html, await read(`${base}.html.hbs`), `${base}.html.hbs`),
      text: compile(text, await read(`${base}.txt.hbs`), `${base}.txt.hbs`, { noEscape: true }),
    });
  }
  const index = compile(html, await read("index.hbs"), "index.hbs");
  const status = await loadStatusTemplates(dir);
  // The Word copy is rendered with the PDF and stored with it: its builder counts too.
  hash.update(await docxBuilderHash());
  return {
    hash: hash.digest("hex"),
    index: (view) => index(view),
    ...status,
    document: (doc) =>
      (documents.get(doc.kind) as HandlebarsTemplateDelegate)({ doc: withCurlyQuotes(doc), css, fontFaces }),
    email: (view) => {
      const t = emails.get(view.kind) as Record<"subject" | "html" | "text", HandlebarsTemplateDelegate>;
      return {
        subject: t.subject(view).replace(/\s+/gu, " ").trim(),
        html: t.html(view),
        text: t
          .text(view)
          .replace(/\n{3,}/gu, "\n\n")
          .trim(),
      };
    },
  };
};

/**
 * The status pages' templates, in their own engine (their stylesheet is a partial of theirs) and
 * outside the templates' hash: a change to a page re-renders no PDF. The status function loads
 * only these.
 */
export const loadStatusTemplates = async (dir: string = DEFAULT_TEMPLATES_DIR): Promise<StatusTemplates> => {
  const read = async (file: string) => {
    try {
      return await readFile(join(dir, "truong", file), "utf8");
    } catch (error) {
      throw new TemplateError(`Thiếu mẫu trang ${join(dir, "truong", file)}: ${(error as Error).message}`);
    }
  };
  const engine = Handlebars.create();
  engine.registerPartial("truong-style", await read("style.hbs"));
  const compile = (file: string, source: string) => {
    try {
      const template = engine.compile(source, { strict: false });
      template({});
      return template;
    } catch (error) {
      throw new TemplateError(`Mẫu truong/${file} có lỗi: ${(error as Error).message}`);
    }
  };
  const page = compile("trang.hbs", await read("trang.hbs"));
  const refused = compile("tu-choi.hbs", await read("tu-choi.hbs"));
  return { statusPage: (view) => page(view), statusRefused: () => refused({}) };
};
