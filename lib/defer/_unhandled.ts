/**
 * The report of unhandled failures: a Deferred that is garbage collected
 * while its chain ends in a Failure prints "Unhandled error in Deferred:"
 * and the error's stack on stderr, as Twisted logs it.
 *
 * @module
 */

import type { Failure } from "./failure.ts";

/**
 * What the watch holds for one Deferred: the Failure its chain ends with
 * for now, or undefined once a callback has handled it. It must not
 * reference the Deferred, or the Deferred could never be collected.
 */
export interface Unhandled {
  /** The unhandled Failure, if there is one. */
  failure: Failure | undefined;
}

const registry = new FinalizationRegistry<Unhandled>((unhandled) => {
  if (unhandled.failure !== undefined) {
    console.error(`Unhandled error in Deferred:\n${unhandled.failure.getTraceback()}`);
  }
});

/**
 * Starts watching `deferred`: when it is collected, the returned record's
 * `failure`, if any, is reported. Call once per Deferred, the first time
 * its chain ends in a Failure; then keep the record up to date.
 */
export function watchUnhandled(deferred: object): Unhandled {
  const unhandled: Unhandled = { failure: undefined };
  registry.register(deferred, unhandled);
  return unhandled;
}
