import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { dirname } from "node:path";
import Table from "cli-table3";

/**
 * The benchmark harness: each benchmark returns figures, each compared with a baseline or a limit
 * measured in the same run. The table goes to the terminal, the figures to out/bench.json.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** What the figure is compared with, measured in the same run (or a fixed target). */
  compareWith?: { name: string; value: number; unit: string };
  /** The goal, as a human reads it ("≥ 1000", "≤ 2× raw"). */
  target?: string;
  met?: boolean;
}

export interface Benchmark {
  name: string;
  run: () => Promise<Figure[]>;
}

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

export type MeasuredFigure = Figure & { benchmark: string };

/** Runs the benchmarks one after the other in this process, and returns their figures. */
export const measure = async (benchmarks: readonly Benchmark[]): Promise<MeasuredFigure[]> => {
  const figures: MeasuredFigure[] = [];
  for (const benchmark of benchmarks) {
    process.stdout.write(`… ${benchmark.name}\n`);
    for (const figure of await benchmark.run()) figures.push({ benchmark: benchmark.name, ...figure });
  }
  return figures;
};

/** Prints the figures as a table, writes them to `outFile`, and says whether every target is met. */
export const report = async (figures: readonly MeasuredFigure[], outFile: string): Promise<boolean> => {
  const table = new Table({
    head: ["benchmark", "figure", "value", "compared with", "target", "met"],
    style: { head: [], border: [] },
  });
  for (const f of figures) {
    table.push([
      f.benchmark,
      f.name,
      `${round(f.value)} ${f.unit}`,
      f.compareWith ? `${f.compareWith.name}: ${round(f.compareWith.value)} ${f.compareWith.unit}` : "",
      f.target ?? "",
      f.met === undefined ? "" : f.met ? "yes" : "NO",
    ]);
  }
  process.stdout.write(`${table.toString()}\n`);
  await mkdir(dirname(outFile), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? "", node: process.version },
    figures: figures.map((f) => ({
      ...f,
      value: round(f.value),
      ...(f.compareWith ? { compareWith: { ...f.compareWith, value: round(f.compareWith.value) } } : {}),
    })),
  };
  await writeFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`Figures written to ${outFile}\n`);
  return figures.every((f) => f.met !== false);
};
