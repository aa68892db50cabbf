/**
 * Regenerates the figures of chapter 1 (part01/README.md) from real runs of
 * the models: synchronous, threaded, asynchronous (on one time scale, so
 * they compare at a glance), and blocking (the synchronous and asynchronous
 * runs of tasks that wait, stacked on one time scale).
 *
 * Run it (nothing else needs to be running; it writes only the figure files):
 *
 *     deno task part1:figures
 *
 * @module
 */

import { stackSvg } from "../lib/timeline/timeline.ts";
import { modelReport } from "./_models.ts";
import { type CommandSpec, parseCommandLine } from "../lib/cli/mod.ts";
import * as asynchronous from "./asynchronous.ts";
import * as blocking from "./blocking.ts";
import * as synchronous from "./synchronous.ts";
import * as threaded from "./threaded.ts";
import type { Plan } from "./_work.ts";

/** The plans the chapter's figures use: the scripts' defaults. */
export const PLANS: { cpu: Plan; io: Plan } = {
  cpu: { tasks: 3, steps: 4, step: 0.1, wait: 0 },
  io: { tasks: 3, steps: 3, step: 0.05, wait: 0.15 },
};

/** One figure: its file, its SVG, and what the model's script prints for the same run. */
export interface Figure {
  /** The file name in part01/. */
  file: string;
  /** The figure. */
  svg: string;
  /** The text the model's script prints for this run (charts at the figure's time scale). */
  text: string;
}

/** Runs every model and returns each figure, drawn from the same run as its text. */
export async function renderFigures(plans = PLANS): Promise<Figure[]> {
  const models = [
    { file: "figure1_synchronous.svg", title: synchronous.describe(plans.cpu) },
    { file: "figure2_threaded.svg", title: threaded.describe(plans.cpu) },
    { file: "figure3_asynchronous.svg", title: asynchronous.describe(plans.cpu) },
  ];
  const timelines = [
    synchronous.runSynchronous(plans.cpu),
    await threaded.runThreaded(plans.cpu),
    asynchronous.runAsynchronous(plans.cpu),
  ];
  const duration = Math.max(...timelines.map((timeline) => timeline.total));
  const figures = models.map(({ file, title }, i) => ({
    file,
    svg: timelines[i].toSvg({ title, duration }),
    text: modelReport(title, timelines[i], { duration }),
  }));

  const runs = blocking.runBlocking(plans.io);
  const both = Math.max(runs.synchronous.total, runs.asynchronous.total);
  figures.push({
    file: "figure4_blocking.svg",
    svg: stackSvg([
      { timeline: runs.synchronous, title: blocking.TITLES.synchronous, duration: both },
      { timeline: runs.asynchronous, title: blocking.TITLES.asynchronous, duration: both },
    ]),
    text: blocking.report(plans.io, runs),
  });
  return figures;
}

/** What part1:figures prints for `figures`: each model's text, then the file it wrote. */
export function figuresReport(figures: Figure[]): string {
  return figures.map(({ file, text }) => `${text}\nWrote part01/${file}\n`).join("\n");
}

const spec: CommandSpec = {
  task: "part1:figures",
  args: "",
  description:
    "Runs the models of chapter 1 with their default options and writes the chapter's\n" +
    "figures (part01/figure1_synchronous.svg to part01/figure4_blocking.svg).",
  options: {},
};

if (import.meta.main) {
  parseCommandLine(spec);
  const figures = await renderFigures();
  for (const { file, svg } of figures) {
    await Deno.writeTextFile(new URL(file, import.meta.url), svg);
  }
  console.log(figuresReport(figures));
}
