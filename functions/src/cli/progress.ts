import { SingleBar } from "cli-progress";
import type { CliIo } from "./io.js";

/**
 * A long command's progress: `step(label)` starts or advances a step; `done` of `total` when
 * counted, and how many `failed` (a step with failures ends with ✗, not ✓).
 */
export type StepProgress = (step: string, done?: number, total?: number, failed?: number) => void;

const seconds = (ms: number) => `${(ms / 1000).toLocaleString("vi-VN", { maximumFractionDigits: 1 })} giây`;

/**
 * Progress for the terminal. On a terminal (io.progress is a TTY) a counted step is a bar
 * (cli-progress) that is cleared when the step ends; elsewhere (a pipe, CI, a log file) a step
 * prints one line when it starts. Either way each step ends with one line: what, how many, how long.
 */
export const stepProgress = (io: CliIo): { step: StepProgress; end: (ok?: boolean) => void } => {
  const stream = io.progress;
  const tty = Boolean(stream?.isTTY);
  let current:
    | { label: string; started: number; done?: number; total?: number; failed?: number; bar?: SingleBar }
    | undefined;
  const finish = (ok = true) => {
    if (!current) return;
    current.bar?.stop();
    const count = current.total === undefined ? "" : `: ${current.done ?? 0}/${current.total}`;
    const failed = current.failed ? ` · ${current.failed} lỗi` : "";
    const mark = ok && !current.failed ? "✓" : "✗";
    io.out(`${mark} ${current.label}${count}${failed} · ${seconds(Date.now() - current.started)}`);
    current = undefined;
  };
  const step: StepProgress = (label, done, total, failed) => {
    if (current?.label !== label) {
      finish();
      current = { label, started: Date.now() };
      if (!tty) io.out(`… ${label}`);
    }
    if (done === undefined || total === undefined) return;
    Object.assign(current, { done, total, ...(failed === undefined ? {} : { failed }) });
    if (tty && stream && total > 0) {
      if (!current.bar) {
        current.bar = new SingleBar({
          format: `  ${label} [{bar}] {value}/{total}`,
          stream,
          clearOnComplete: true,
          // Left visible: a hidden cursor would stay hidden after Ctrl-C.
          hideCursor: false,
          barsize: 30,
        });
        current.bar.start(total, done);
      } else current.bar.update(done);
    }
  };
  return { step, end: finish };
};
