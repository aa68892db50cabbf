/**
 * {@linkcode sleep}: Python's `time.sleep`, a wait that blocks the calling
 * thread.
 *
 * @module
 */

import { checkSeconds } from "./seconds.ts";

const parked = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks the calling thread for `seconds` without using the CPU: nothing
 * else runs in this thread meanwhile, timers and promise callbacks
 * included. It sleeps in `Atomics.wait` on a word nobody ever changes, so
 * only the timeout ends it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sleep } from "./sleep.ts";
 *
 * let timerRan = false;
 * setTimeout(() => timerRan = true, 0);
 * const start = performance.now();
 * sleep(0.02); // the whole thread stops for 20 ms: not even the timer runs
 * assert.ok(performance.now() - start >= 20);
 * assert.equal(timerRan, false);
 * ```
 *
 * @throws {RangeError} if `seconds` is negative or not a finite number
 */
export function sleep(seconds: number): void {
  checkSeconds(seconds, "sleep");
  const deadline = performance.now() + seconds * 1000;
  for (let left = seconds * 1000; left > 0; left = deadline - performance.now()) {
    Atomics.wait(parked, 0, 0, left);
  }
}
