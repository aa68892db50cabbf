/**
 * The asynchronous model (chapter 1, figure 3): the same tasks as
 * synchronous.ts, interleaved in one thread. Each task is a generator that
 * gives up control after every step (`yield`), and a small scheduler takes
 * turns between them. Only one task runs at any moment, so with nothing but
 * CPU work the total is no better than the synchronous one: the gain comes
 * with waiting (see blocking.ts).
 *
 * Run it (nothing else needs to be running):
 *
 *     deno task part1:asynchronous
 *     deno task part1:asynchronous --tasks 5 --steps 6 --step 0.05
 *
 * @module
 */

import { Timeline } from "../lib/timeline/timeline.ts";
import type { CommandSpec } from "../lib/cli/mod.ts";
import { CPU_OPTIONS, modelReport, readModelOptions, writeSvg } from "./_models.ts";
import { compute, iterationsFor, now, type Plan, planInWords, taskNames } from "./_work.ts";

/** One task: a step of work, then control goes back to the scheduler. */
function* task(name: string, plan: Plan, timeline: Timeline): Generator<void, void, void> {
  const iterations = iterationsFor(plan.step);
  for (let step = 0; step < plan.steps; step++) {
    const start = now();
    compute(iterations);
    timeline.record(name, "work", start, now());
    yield; // Give up control: the scheduler decides who runs next.
  }
}

/**
 * The whole scheduler: run one step of the first task in line, put it back
 * at the end of the line unless it has finished, repeat until no task is left.
 */
export function runInTurns(tasks: Iterator<void>[]): void {
  const line = [...tasks];
  for (let next = line.shift(); next !== undefined; next = line.shift()) {
    if (!next.next().done) line.push(next);
  }
}

/** Runs the plan's tasks interleaved in one thread and returns what happened when. */
export function runAsynchronous(plan: Plan): Timeline {
  const timeline = new Timeline();
  iterationsFor(plan.step); // Measure the machine before the clock starts, not inside task 1.
  runInTurns(taskNames(plan.tasks).map((name) => task(name, plan, timeline)));
  return timeline;
}

/** The line above the chart. */
export function describe(plan: Plan): string {
  return `Asynchronous: ${planInWords(plan)} of ${plan.step} s (CPU work), ` +
    `taking turns in one thread`;
}

const spec: CommandSpec = {
  task: "part1:asynchronous",
  args: "",
  description:
    "Runs tasks made of steps of CPU work in turns in one thread (each task yields after\nevery step), and draws when each ran.",
  options: CPU_OPTIONS,
};

if (import.meta.main) {
  const { numbers, svg } = await readModelOptions(spec);
  const plan: Plan = { tasks: numbers.tasks, steps: numbers.steps, step: numbers.step, wait: 0 };
  const timeline = runAsynchronous(plan);
  console.log(modelReport(describe(plan), timeline, { columns: numbers.columns }));
  if (svg !== undefined) await writeSvg(svg, timeline.toSvg({ title: describe(plan) }));
}
