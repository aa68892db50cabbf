/**
 * What the tasks of chapter 1 are made of: steps of real CPU work, waits
 * that really block the thread, and the plan that says how many of each.
 *
 * @module
 */

/** How many tasks to run, and what each one does. */
export interface Plan {
  /** How many tasks. */
  tasks: number;
  /** How many steps of CPU work each task does. */
  steps: number;
  /** Seconds of CPU work per step (on an idle core). */
  step: number;
  /** Seconds each task waits between two steps (blocking.ts only). */
  wait: number;
}

/** The task names, "Task 1" to "Task n", which are also the chart's rows. */
export function taskNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `Task ${i + 1}`);
}

/**
 * Seconds on the clock of `wallClock` in lib/timeline/timeline.ts, the same in every
 * thread. Computed here rather than imported so that the Workers of
 * threaded.ts need to read nothing outside part01.
 */
export function now(): number {
  return (performance.timeOrigin + performance.now()) / 1000;
}

/**
 * Real computation: `iterations` rounds of a xorshift random number
 * generator. The result is returned so the loop cannot be optimised away.
 */
export function compute(iterations: number): number {
  let x = 2463534242;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x >>> 0;
}

let rate: number | undefined;

/**
 * How many {@linkcode compute} iterations this machine does in a second,
 * measured once. A step is a fixed amount of computation rather than "spin
 * until the clock says so": when threads share too few cores, each one's
 * steps take longer, as real work does.
 */
export function iterationsPerSecond(): number {
  if (rate === undefined) {
    compute(1e6); // Let the JIT compile the loop before timing it.
    let best = 0;
    for (let round = 0; round < 3; round++) {
      const start = now();
      compute(5e6);
      best = Math.max(best, 5e6 / (now() - start));
    }
    rate = best;
  }
  return rate;
}

/** The iterations of {@linkcode compute} that take about `seconds` on an idle core. */
export function iterationsFor(seconds: number): number {
  return Math.round(seconds * iterationsPerSecond());
}

/** What a plan runs, in words: "3 tasks of 4 steps", "1 task of 1 step". */
export function planInWords(plan: Plan): string {
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${count(plan.tasks, "task")} of ${count(plan.steps, "step")}`;
}
