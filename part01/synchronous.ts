/**
 * The synchronous model (chapter 1, figure 1): three tasks, each a series
 * of steps of CPU work, run one after another in one thread. A task starts
 * only when the one before it has finished, so the chart is a staircase and
 * the total is the sum of all the work.
 *
 * Run it (nothing else needs to be running):
 *
 *     deno task part1:synchronous
 *     deno task part1:synchronous --tasks 4 --steps 2 --step 0.2
 *
 * @module
 */

import { Timeline } from "../lib/timeline/timeline.ts";
import type { CommandSpec } from "../lib/cli/mod.ts";
import { CPU_OPTIONS, modelReport, readModelOptions, writeSvg } from "./_models.ts";
import { compute, iterationsFor, now, type Plan, planInWords, taskNames } from "./_work.ts";

/** Runs the plan's tasks one after another and returns what happened when. */
export function runSynchronous(plan: Plan): Timeline {
  const timeline = new Timeline();
  const iterations = iterationsFor(plan.step);
  for (const task of taskNames(plan.tasks)) {
    for (let step = 0; step < plan.steps; step++) {
      const start = now();
      compute(iterations);
      timeline.record(task, "work", start, now());
    }
  }
  return timeline;
}

/** The line above the chart. */
export function describe(plan: Plan): string {
  return `Synchronous: ${planInWords(plan)} of ${plan.step} s (CPU work), ` +
    `one after another in one thread`;
}

const spec: CommandSpec = {
  task: "part1:synchronous",
  args: "",
  description: "Runs tasks made of steps of CPU work one after another, and draws when each ran.",
  options: CPU_OPTIONS,
};

if (import.meta.main) {
  const { numbers, svg } = await readModelOptions(spec);
  const plan: Plan = { tasks: numbers.tasks, steps: numbers.steps, step: numbers.step, wait: 0 };
  const timeline = runSynchronous(plan);
  console.log(modelReport(describe(plan), timeline, { columns: numbers.columns }));
  if (svg !== undefined) await writeSvg(svg, timeline.toSvg({ title: describe(plan) }));
}
