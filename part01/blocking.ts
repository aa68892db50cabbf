/**
 * Blocking (chapter 1, figure 4 and after): tasks that alternate CPU work
 * with waiting, where the wait stands for I/O (a reply from a server, bytes
 * from a disk). The same tasks run twice, under two schedulers:
 *
 * - synchronously: the thread really blocks for each wait and sits idle;
 * - asynchronously: while one task waits, another one works, and the
 *   thread sleeps only when every task is waiting.
 *
 * It prints both charts on the same time scale, and both totals.
 *
 * Run it (nothing else needs to be running):
 *
 *     deno task part1:blocking
 *     deno task part1:blocking --tasks 6 --wait 0.3
 *
 * @module
 */

import { stackSvg, Timeline } from "../lib/timeline/timeline.ts";
import type { CommandSpec } from "../lib/cli/mod.ts";
import { CPU_OPTIONS, readModelOptions, workLine, writeSvg } from "./_models.ts";
import { sleep } from "../lib/time/sleep.ts";
import { compute, iterationsFor, now, type Plan, planInWords, taskNames } from "./_work.ts";

/**
 * A task that needs to wait yields the time its wait is over; a real
 * program would yield the socket it waits on, and learn from the system
 * when data arrives.
 */
type WaitingTask = Generator<number, void, void>;

/** One task: steps of work, with a wait between two steps. */
function* task(name: string, plan: Plan, timeline: Timeline): WaitingTask {
  const iterations = iterationsFor(plan.step);
  for (let step = 0; step < plan.steps; step++) {
    if (step > 0) {
      const until = now() + plan.wait;
      yield until; // Start the "I/O" and give up control until it is done.
      timeline.record(name, "wait", until - plan.wait, until);
    }
    const start = now();
    compute(iterations);
    timeline.record(name, "work", start, now());
  }
}

/** The synchronous scheduler: each task to its end, blocking the thread whenever it waits. */
export function runSynchronously(tasks: WaitingTask[]): void {
  for (const task of tasks) {
    for (let result = task.next(); !result.done; result = task.next()) {
      sleep(Math.max(0, result.value - now()));
    }
  }
}

/**
 * The asynchronous scheduler: run a task that is ready; when none is,
 * block until the first wait is over (as `select()` does), never longer.
 */
export function runAsynchronously(tasks: WaitingTask[]): void {
  const ready = [...tasks];
  const waiting: { task: WaitingTask; until: number }[] = [];
  while (ready.length > 0 || waiting.length > 0) {
    waiting.sort((a, b) => a.until - b.until);
    while (waiting.length > 0 && waiting[0].until <= now()) {
      ready.push((waiting.shift() as { task: WaitingTask }).task);
    }
    const next = ready.shift();
    if (next === undefined) {
      sleep(Math.max(0, waiting[0].until - now()));
      continue;
    }
    const result = next.next();
    if (!result.done) waiting.push({ task: next, until: result.value });
  }
}

/** Runs the plan's tasks under both schedulers: the synchronous run, then the asynchronous one. */
export function runBlocking(plan: Plan): { synchronous: Timeline; asynchronous: Timeline } {
  iterationsFor(plan.step); // Measure the machine before the clock starts.
  const run = (scheduler: (tasks: WaitingTask[]) => void): Timeline => {
    const timeline = new Timeline();
    scheduler(taskNames(plan.tasks).map((name) => task(name, plan, timeline)));
    return timeline;
  };
  return { synchronous: run(runSynchronously), asynchronous: run(runAsynchronously) };
}

/** The line above both charts. */
export function describe(plan: Plan): string {
  return `Blocking: ${planInWords(plan)} of ${plan.step} s (CPU work), ` +
    `with a ${plan.wait} s wait (I/O) between steps`;
}

/**
 * What the script prints: the line that describes the run, both charts on
 * one time scale with their work lines, and both totals.
 */
export function report(
  plan: Plan,
  { synchronous, asynchronous }: { synchronous: Timeline; asynchronous: Timeline },
  columns = 60,
): string {
  const duration = Math.max(synchronous.total, asynchronous.total);
  const lines = [`${describe(plan)}\n`];
  for (const [name, timeline] of Object.entries({ synchronous, asynchronous })) {
    const title = TITLES[name as keyof typeof TITLES];
    lines.push(`${timeline.toText({ title, duration, columns })}\n`, `${workLine(timeline)}\n`);
  }
  const times = (synchronous.total / asynchronous.total).toFixed(2);
  lines.push(
    `Synchronous total: ${synchronous.total.toFixed(3)} s`,
    `Asynchronous total: ${asynchronous.total.toFixed(3)} s (${times} times as fast)`,
  );
  return lines.join("\n");
}

/** The titles of the two charts. */
export const TITLES = {
  synchronous: "Synchronous: one task after another; the thread sits idle while a task waits",
  asynchronous: "Asynchronous: one thread; while one task waits, another one works",
};

const spec: CommandSpec = {
  task: "part1:blocking",
  args: "",
  description: "Runs tasks that alternate CPU work with waiting, first synchronously, then\n" +
    "asynchronously, and draws both runs on the same time scale.",
  options: {
    tasks: CPU_OPTIONS.tasks,
    steps: { ...CPU_OPTIONS.steps, range: { integer: true, min: 1, max: 50, default: 3 } },
    step: { ...CPU_OPTIONS.step, range: { integer: false, min: 0.001, max: 1, default: 0.05 } },
    wait: {
      type: "string",
      value: "SECONDS",
      help: "wait between two steps",
      range: { integer: false, min: 0, max: 5, default: 0.15 },
    },
    columns: CPU_OPTIONS.columns,
    svg: {
      ...CPU_OPTIONS.svg,
      help: "also draw both charts as SVG into FILE (Deno asks for write permission)",
    },
  },
};

if (import.meta.main) {
  const { numbers, svg } = await readModelOptions(spec);
  const plan: Plan = {
    tasks: numbers.tasks,
    steps: numbers.steps,
    step: numbers.step,
    wait: numbers.wait,
  };
  const runs = runBlocking(plan);
  console.log(report(plan, runs, numbers.columns));
  const { synchronous, asynchronous } = runs;
  const duration = Math.max(synchronous.total, asynchronous.total);
  if (svg !== undefined) {
    const chart = stackSvg([
      { timeline: synchronous, title: TITLES.synchronous, duration },
      { timeline: asynchronous, title: TITLES.asynchronous, duration },
    ]);
    await writeSvg(svg, chart);
  }
}
