/** Where a command writes; injected so tests run commands in-process and read what they print. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Where progress bars go, when it is a terminal (stderr); absent in tests and pipes. */
  progress?: NodeJS.WriteStream;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  progress: process.stderr,
};
