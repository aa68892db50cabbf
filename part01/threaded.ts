/**
 * The threaded model (chapter 1, figure 2): the same tasks as
 * synchronous.ts, each in its own Worker, a real thread that the operating
 * system schedules. On a machine with two cores or more, two tasks really
 * compute at the same time and the chart shows them overlapping; with more
 * tasks than cores, the system shares the cores out and each step takes
 * longer.
 *
 * Run it (nothing else needs to be running; it reads its Worker module from part01):
 *
 *     deno task part1:threaded
 *     deno task part1:threaded --tasks 2 --steps 6
 *
 * @module
 */

import { Timeline } from "../lib/timeline/timeline.ts";
import type { CommandSpec } from "../lib/cli/mod.ts";
import { CPU_OPTIONS, modelReport, readModelOptions, writeSvg } from "./_models.ts";
import type { Job, StepSpan } from "./_threaded_worker.ts";
import { iterationsFor, type Plan, planInWords, taskNames } from "./_work.ts";

/**
 * Runs each task of the plan in its own Worker and returns what happened
 * when. The Workers start together once all of them are ready, so thread
 * start-up is not charted; they are terminated whatever happens.
 */
export async function runThreaded(plan: Plan): Promise<Timeline> {
  const timeline = new Timeline();
  const names = taskNames(plan.tasks);
  timeline.addTask(...names);
  const job: Job = { steps: plan.steps, iterations: iterationsFor(plan.step) };
  const workers = names.map(() =>
    new Worker(new URL("./_threaded_worker.ts", import.meta.url), { type: "module" })
  );
  try {
    const ready = workers.map((worker) => nextMessage(worker, () => {}));
    workers.forEach((worker) => worker.postMessage(job));
    await Promise.all(ready);
    const done = workers.map((worker, i) =>
      nextMessage(worker, (span) => timeline.record(names[i], "work", span.start, span.end))
    );
    workers.forEach((worker) => worker.postMessage("go"));
    await Promise.all(done);
  } finally {
    workers.forEach((worker) => worker.terminate());
  }
  return timeline;
}

/** Resolves on the Worker's next "ready" or "done", passing on the spans before it. */
function nextMessage(worker: Worker, onSpan: (span: StepSpan) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<StepSpan | "ready" | "done">) => {
      if (typeof data === "string") resolve();
      else onSpan(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`Worker failed: ${event.message}`));
    };
  });
}

/** The line above the chart. */
export function describe(plan: Plan): string {
  return `Threaded: ${planInWords(plan)} of ${plan.step} s (CPU work), ` +
    `each in its own Worker (${navigator.hardwareConcurrency} cores here)`;
}

const spec: CommandSpec = {
  task: "part1:threaded",
  args: "",
  description:
    "Runs tasks made of steps of CPU work, each in its own Worker thread, and draws when\neach ran.",
  options: CPU_OPTIONS,
};

if (import.meta.main) {
  const { numbers, svg } = await readModelOptions(spec);
  const plan: Plan = { tasks: numbers.tasks, steps: numbers.steps, step: numbers.step, wait: 0 };
  const timeline = await runThreaded(plan).catch((error) => {
    console.error(`error: ${error.message}`);
    Deno.exit(1);
  });
  console.log(modelReport(describe(plan), timeline, { columns: numbers.columns }));
  if (svg !== undefined) await writeSvg(svg, timeline.toSvg({ title: describe(plan) }));
}
