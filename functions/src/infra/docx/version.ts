import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * What shapes a Word copy besides its view model: this builder's own code (the compiled .js in a
 * deployment, the .ts under tsx) and the docx library's version. Part of every document's content
 * hash, so a change to how the .docx is built renders the stored copies again.
 */
export const docxBuilderHash = async (dir = dirname(fileURLToPath(import.meta.url))): Promise<string> => {
  const hash = createHash("sha256");
  const files = (await readdir(dir)).filter((f) => /\.(?:js|ts)$/u.test(f) && !f.endsWith(".d.ts")).sort();
  for (const file of files) hash.update(file).update(await readFile(join(dir, file)));
  hash.update(`docx@${await libraryVersion()}`);
  return hash.digest("hex");
};

/** The installed docx's version, from its package.json (found above its entry point). */
const libraryVersion = async (): Promise<string> => {
  let at = dirname(createRequire(import.meta.url).resolve("docx"));
  for (let up = 0; up < 4; up++, at = dirname(at)) {
    const text = await readFile(join(at, "package.json"), "utf8").catch(() => undefined);
    if (text) return String((JSON.parse(text) as { version?: unknown }).version);
  }
  return "unknown";
};
