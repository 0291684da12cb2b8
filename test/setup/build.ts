import { execFileSync } from "node:child_process";

/** The built package (functions/lib), once per run, for the tests that run it as deployed (serve). */
export default function setup() {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    stdio: "inherit",
  });
}
