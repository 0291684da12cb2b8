import { runCli } from "../../functions/src/cli/program.js";

/** Run the CLI in-process, as the binary would, and collect what it prints. */
export const captureCli = async (
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
) => {
  let out = "";
  let err = "";
  const io = {
    out: (text: string) => {
      out += `${text}\n`;
    },
    err: (text: string) => {
      err += `${text}\n`;
    },
  };
  const code = await runCli(argv, io, env);
  return { code, out, err };
};
