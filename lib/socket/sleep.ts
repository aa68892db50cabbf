/**
 * {@linkcode sleep}: Python's `time.sleep`, a wait that blocks the calling
 * thread.
 *
 * @module
 */

const parked = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks the calling thread for `seconds` without using the CPU: nothing
 * else runs in this thread meanwhile, timers and promise callbacks
 * included. It sleeps in `Atomics.wait` on a word nobody ever changes, so
 * only the timeout ends it.
 *
 * @example
 * ```ts
 * import { sleep } from "./sleep.ts";
 *
 * sleep(0.01); // the whole thread stops for 10 ms
 * ```
 *
 * @throws {RangeError} if `seconds` is negative or not a finite number
 */
export function sleep(seconds: number): void {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(
      `Cannot sleep: seconds must be a finite number, 0 or more, got ${seconds}`,
    );
  }
  const deadline = performance.now() + seconds * 1000;
  for (let left = seconds * 1000; left > 0; left = deadline - performance.now()) {
    Atomics.wait(parked, 0, 0, left);
  }
}
