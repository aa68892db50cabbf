/**
 * Time in seconds, the unit of every Twisted API: the one epoch clock the
 * reactors and timelines read, and the one check of a duration given in
 * seconds.
 *
 * @module
 */

/**
 * Seconds since the Unix epoch, from the monotonic `performance` clock so
 * that a change of the system time cannot reorder timers, and so that
 * readings taken in different Workers line up.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { epochSeconds } from "./seconds.ts";
 *
 * const before = epochSeconds();
 * assert.ok(epochSeconds() >= before);
 * assert.ok(Math.abs(before - Date.now() / 1000) < 60);
 * ```
 */
export function epochSeconds(): number {
  return (performance.timeOrigin + performance.now()) / 1000;
}

/**
 * Checks a duration in seconds given to a public API.
 *
 * @param seconds the value given
 * @param action what was attempted, for the message ("sleep", "start LoopingCall")
 * @param what the parameter's name, for the message
 * @param allowInfinity whether `Infinity` (wait forever) is accepted
 * @throws {RangeError} if `seconds` is not a number, is NaN, negative, or
 *   infinite when that is not allowed
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSeconds } from "./seconds.ts";
 *
 * checkSeconds(0.5, "sleep");
 * assert.throws(() => checkSeconds(-1, "sleep"), {
 *   name: "RangeError",
 *   message: "Cannot sleep: seconds must be a finite number, 0 or more, got -1",
 * });
 * ```
 */
export function checkSeconds(
  seconds: number,
  action: string,
  what = "seconds",
  allowInfinity = false,
): void {
  const finite = allowInfinity ? !Number.isNaN(seconds) : Number.isFinite(seconds);
  if (typeof seconds !== "number" || !finite || seconds < 0) {
    const kind = allowInfinity ? "a number" : "a finite number";
    throw new RangeError(`Cannot ${action}: ${what} must be ${kind}, 0 or more, got ${seconds}`);
  }
}
