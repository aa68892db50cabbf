/**
 * The errors of Deferreds, named as in Twisted's `twisted.internet.defer`.
 *
 * @module
 */

import type { Failure } from "./failure.ts";

/** Raised by `callback()` or `errback()` on a Deferred that has already fired. */
export class AlreadyCalledError extends Error {
  /** Creates the error with a message that says what was attempted. */
  constructor(message = "Cannot fire Deferred: it has already fired") {
    super(message);
    this.name = "AlreadyCalledError";
  }
}

/** Raised (as the Failure of the errback chain) when a Deferred is cancelled. */
export class CancelledError extends Error {
  /** Creates the error with a message that says what happened. */
  constructor(message = "Deferred was cancelled") {
    super(message);
    this.name = "CancelledError";
  }
}

/** Raised (as the Failure of the errback chain) when a Deferred's `addTimeout()` runs out. */
export class TimeoutError extends Error {
  /** Creates the error with a message that says what happened. */
  constructor(message = "Deferred timed out") {
    super(message);
    this.name = "TimeoutError";
  }
}

/**
 * Raised (as the Failure of a `DeferredList` with `fireOnOneErrback`, or
 * of `gatherResults()`) when one of the
 * Deferreds failed: `subFailure` is its Failure, `index` its place in the list.
 */
export class FirstError extends Error {
  /** The Failure of the Deferred that failed first. */
  readonly subFailure: Failure;
  /** Its index in the list. */
  readonly index: number;

  /** Creates the error for the Deferred at `index`, which failed with `subFailure`. */
  constructor(subFailure: Failure, index: number) {
    super(`Deferred #${index} of the list failed: ${subFailure}`, { cause: subFailure.value });
    this.name = "FirstError";
    this.subFailure = subFailure;
    this.index = index;
  }
}
