import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Tinos (Times New Roman's metrics, with Vietnamese) from @fontsource/tinos, as @font-face rules
 * with the fonts inlined as data: URLs: the documents are self-contained (the renderer blocks
 * every request) and do not depend on the machine's fonts. Only the subsets Vietnamese text needs.
 */
const SUBSETS = ["latin", "vietnamese"];
const FACES = ["400", "700", "400-italic", "700-italic"];

let cached: Promise<string> | undefined;

export const tinosFontFaces = (): Promise<string> => {
  cached ??= (async () => {
    const root = dirname(createRequire(import.meta.url).resolve("@fontsource/tinos/400.css"));
    const rules: string[] = [];
    for (const face of FACES) {
      const css = await readFile(join(root, `${face}.css`), "utf8");
      for (const block of css.split("/* ").slice(1)) {
        const subset = /^tinos-([a-z-]+)-\d{3}-(?:normal|italic) \*\//u.exec(block)?.[1];
        if (!subset || !SUBSETS.includes(subset)) continue;
        const file = /url\(\.\/files\/([^)]+\.woff2)\)/u.exec(block)?.[1];
        if (!file) continue;
        const data = (await readFile(join(root, "files", file))).toString("base64");
        const rule = block
          .slice(block.indexOf("@font-face"))
          .replace(/src:[^;]+;/u, `src: url(data:font/woff2;base64,${data}) format('woff2');`)
          .replace("font-display: swap;", "font-display: block;");
        rules.push(rule.trim());
      }
    }
    return rules.join("\n");
  })();
  return cached;
};
