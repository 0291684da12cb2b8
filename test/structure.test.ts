import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { STAGE_LABELS, STAGES } from "../functions/src/domain/criteria.js";
import { DOCUMENT_KINDS } from "../functions/src/domain/documents.js";
import { FINDING_LABELS, FINDINGS } from "../functions/src/domain/inspection.js";
import { LEVEL_LABELS, SCHOOL_LEVELS } from "../functions/src/domain/levels.js";
import { MAIL_STATES } from "../functions/src/domain/mail.js";
import { OWNERSHIP_LABELS, OWNERSHIPS } from "../functions/src/domain/school.js";
import { TAB_KEYS } from "../functions/src/domain/sheet-layout.js";
import {
  INDICATOR_STATUS_LABELS,
  INDICATOR_STATUSES,
  SCHOOL_STATUS_LABELS,
  SCHOOL_STATUSES,
} from "../functions/src/domain/status.js";

/**
 * The rules of the layout (README, "Layout"), checked on the sources. Biome enforces some of them
 * as lint rules too (file and function length, process.env, what app/ and domain/ import); these
 * are the ones a lint rule cannot say.
 */
const SRC = resolve("functions/src");
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
const sources = files(SRC).map((file) => ({ file: relative(SRC, file), text: readFileSync(file, "utf8") }));
const under = (dir: string) => sources.filter((s) => s.file.startsWith(`${dir}/`));
/** Lines that are code, not comments. */
const code = (text: string) => text.split("\n").filter((l) => !/^\s*(\/\/|\*|\/\*\*)/u.test(l));

describe("the layout of functions/src", () => {
  it("keeps Firestore behind the store: app/ and domain/ never import it, nor check a gRPC code", () => {
    for (const { file, text } of [...under("app"), ...under("domain")]) {
      expect(text, file).not.toMatch(/from "@google-cloud\/firestore"/u);
      expect(code(text).join("\n"), file).not.toMatch(/\.code\s*[!=]==?\s*\d/u);
    }
  });

  it("reads the environment in config.ts alone", () => {
    const readers = sources
      .filter((s) => code(s.text).some((l) => l.includes("process.env")))
      .map((s) => s.file);
    expect(readers).toEqual(["config.ts"]);
  });

  it("takes time from the injected clock in app/ and domain/", () => {
    for (const { file, text } of [...under("app"), ...under("domain")])
      expect(code(text).join("\n"), file).not.toMatch(/Date\.now\(\)|new Date\(\)|setTimeout\(/u);
  });

  it("builds adapters in one place (deps.ts)", () => {
    const builders =
      /new PdfRenderer\(|googleFormsGateway\(|googleSheetsGateway\(|firestoreStore\(|smtpTransport\(|gmailTransport\(|driveReportStore\(/u;
    const building = sources
      .filter((s) => !s.file.startsWith("infra/") && code(s.text).some((l) => builders.test(l)))
      .map((s) => s.file);
    expect(building).toEqual(["deps.ts"]);
  });

  it("points dependencies down: infra/, data/ and domain/ never import app/; domain/ imports only domain/", () => {
    for (const { file, text } of [...under("infra"), ...under("data"), ...under("domain")])
      expect(text, file).not.toMatch(/from "(\.\.\/)+app\//u);
    for (const { file, text } of under("domain"))
      expect(
        text.match(/from "\.\.?\/[^"]*"/gu)?.filter((i) => i.startsWith('from "../')) ?? [],
        file,
      ).toEqual([]);
  });

  it("has no import cycles", () => {
    const graph = new Map(
      sources.map(({ file, text }) => [
        file,
        [...text.matchAll(/^import[^"]*"(\.[^"]+)\.js";$/gmu)].map((m) =>
          relative(SRC, resolve(SRC, dirname(file), `${m[1]}.ts`)),
        ),
      ]),
    );
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") return void cycles.push([...path, file].join(" → "));
      state.set(file, "visiting");
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, "done");
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it("keeps functions short: none over 80 lines but declarative tables (factories included)", () => {
    const long: string[] = [];
    for (const { file, text } of sources) {
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const linesOf = (node: ts.Node) =>
        text
          .slice(node.getStart(source), node.getEnd())
          .split("\n")
          .filter((l) => l.trim() !== "" && !/^\s*(\/\/|\*|\/\*)/u.test(l)).length;
      const visit = (node: ts.Node, name: string) => {
        if (ts.isFunctionLike(node) && linesOf(node) > 80) long.push(`${file}: ${name} (${linesOf(node)})`);
        ts.forEachChild(node, (child) =>
          visit(
            child,
            ts.isVariableDeclaration(child) || ts.isMethodDeclaration(child)
              ? child.name.getText(source)
              : name,
          ),
        );
      };
      visit(source, "(top)");
    }
    expect(long).toEqual([]);
  });

  it("keeps files short: none over 400 lines", () => {
    const long = sources.filter((s) => s.text.split("\n").length > 400).map((s) => s.file);
    expect(long).toEqual([]);
  });
});

describe("the naming rule (docs/glossary.md)", () => {
  it("writes every enum key in lower-case ASCII kebab-case, and labels every key users see", () => {
    const keys = [
      ...SCHOOL_STATUSES,
      ...FINDINGS,
      ...SCHOOL_LEVELS,
      ...OWNERSHIPS,
      ...DOCUMENT_KINDS,
      ...STAGES,
      ...INDICATOR_STATUSES,
      ...MAIL_STATES,
      ...TAB_KEYS,
    ];
    expect(keys.filter((k) => !/^[a-z0-9]+(-[a-z0-9]+)*$/u.test(k))).toEqual([]);
    for (const [values, labels] of [
      [SCHOOL_STATUSES, SCHOOL_STATUS_LABELS],
      [FINDINGS, FINDING_LABELS],
      [SCHOOL_LEVELS, LEVEL_LABELS],
      [OWNERSHIPS, OWNERSHIP_LABELS],
      [STAGES, STAGE_LABELS],
      [INDICATOR_STATUSES, INDICATOR_STATUS_LABELS],
    ] as const)
      expect(Object.keys(labels).sort()).toEqual([...values].sort());
  });
});
