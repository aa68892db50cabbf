/**
 * The body of one thread of threaded.ts (chapter 1): runs one task's steps
 * of CPU work and posts each step's span back to the main thread. Not run
 * on its own: threaded.ts starts one Worker per task with this module.
 *
 * Messages in: a {@linkcode Job}, then "go". Messages out: "ready" (warmed
 * up), a {@linkcode StepSpan} per step, then "done".
 *
 * @module
 */

import { compute, now } from "./_work.ts";

/** What the main thread asks a Worker to do. */
export interface Job {
  /** How many steps. */
  steps: number;
  /** Iterations of {@linkcode compute} per step. */
  iterations: number;
}

/** When one step ran, on the clock all threads share. */
export interface StepSpan {
  /** When the step began, in seconds. */
  start: number;
  /** When it ended. */
  end: number;
}

// A module typed for the main thread sees `self` as a window; this is what a Worker's scope offers.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<Job | "go">) => void) | null;
  postMessage(message: StepSpan | "ready" | "done"): void;
};

let job: Job | undefined;

scope.onmessage = ({ data }) => {
  if (data !== "go") {
    job = data;
    compute(job.iterations / 10); // Let the JIT compile the loop before the clock starts.
    scope.postMessage("ready");
    return;
  }
  for (let step = 0; step < (job?.steps ?? 0); step++) {
    const start = now();
    compute(job?.iterations ?? 0);
    scope.postMessage({ start, end: now() });
  }
  scope.postMessage("done");
};
