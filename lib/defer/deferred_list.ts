/**
 * {@linkcode DeferredList} and {@linkcode gatherResults}: one Deferred for
 * the results of many, as in Twisted's `defer.py`.
 *
 * @module
 */

import { Deferred } from "./deferred.ts";
import { FirstError } from "./error.ts";
import { Failure } from "./failure.ts";

/** Options of {@linkcode DeferredList}, Twisted's keyword arguments. */
export interface DeferredListOptions {
  /**
   * Fire as soon as one Deferred succeeds, with `[result, index]`, without
   * waiting for the others (and never, if none succeeds).
   */
  fireOnOneCallback?: boolean;
  /**
   * Fail as soon as one Deferred fails, with a {@linkcode FirstError}
   * wrapping its Failure.
   */
  fireOnOneErrback?: boolean;
  /**
   * Handle each Deferred's Failure once the list has recorded it: the
   * Deferred's own result becomes `undefined`, so callbacks added to it
   * later see that, and no "Unhandled error in Deferred" is reported.
   */
  consumeErrors?: boolean;
}

/** The `[success, result]` pairs a {@linkcode DeferredList} fires with, in input order. */
export type DeferredListResult<T> = Array<[true, T] | [false, Failure]>;

/**
 * A Deferred that fires once all the Deferreds of a list have fired, with
 * a `[success, result]` pair for each, in the order of the list (not the
 * order they fired in): `[true, value]` or `[false, failure]`.
 *
 * It adds a callback and errback pair to each Deferred, so it sees each
 * one's result at that point of its chain and passes it on unchanged
 * (unless `consumeErrors`). With `fireOnOneCallback` it fires with the
 * first success as `[result, index]`; TypeScript cannot tie the result type
 * to an option, so write that case as
 * `new DeferredList<T, [T, number]>(deferreds, { fireOnOneCallback: true })`.
 *
 * @typeParam T the result of each Deferred in the list
 * @typeParam R what the list fires with
 */
export class DeferredList<T = unknown, R = DeferredListResult<T>> extends Deferred<R> {
  /** See {@linkcode DeferredListOptions.fireOnOneCallback}. */
  readonly fireOnOneCallback: boolean;
  /** See {@linkcode DeferredListOptions.fireOnOneErrback}. */
  readonly fireOnOneErrback: boolean;
  /** See {@linkcode DeferredListOptions.consumeErrors}. */
  readonly consumeErrors: boolean;
  /** How many of the Deferreds have fired so far. */
  finishedCount = 0;
  readonly #deferreds: Deferred<T>[];
  readonly #results: DeferredListResult<T>;

  /**
   * Watches `deferreds`. An empty list fires at once with `[]` (unless
   * `fireOnOneCallback`, when it never fires).
   */
  constructor(deferreds: Iterable<Deferred<T>>, options: DeferredListOptions = {}) {
    super();
    this.#deferreds = [...deferreds];
    this.#results = new Array(this.#deferreds.length);
    // Set before adding callbacks: already fired Deferreds run them right away.
    this.fireOnOneCallback = options.fireOnOneCallback ?? false;
    this.fireOnOneErrback = options.fireOnOneErrback ?? false;
    this.consumeErrors = options.consumeErrors ?? false;
    if (this.#deferreds.length === 0 && !this.fireOnOneCallback) {
      this.callback(this.#results as R);
    }
    this.#deferreds.forEach((deferred, index) => {
      deferred.addCallbacks(
        (result: T) => this.#oneFired(true, result, index),
        (failure: Failure) => this.#oneFired(false, failure, index),
      );
    });
  }

  /**
   * If the list has not fired, cancels each of its Deferreds; an error
   * thrown by one's canceller is reported on stderr and the others are
   * still cancelled. Once the list has fired, does nothing.
   */
  override cancel(): void {
    if (this.called) return;
    for (const deferred of this.#deferreds) {
      try {
        deferred.cancel();
      } catch (error) {
        console.error(
          `Exception raised from user supplied canceller:\n${new Failure(error).getTraceback()}`,
        );
      }
    }
  }

  #oneFired(succeeded: boolean, result: T | Failure, index: number): T | Failure | undefined {
    this.#results[index] = [succeeded, result] as [true, T] | [false, Failure];
    this.finishedCount++;
    if (!this.called) {
      if (succeeded && this.fireOnOneCallback) {
        this.callback([result, index] as R);
      } else if (!succeeded && this.fireOnOneErrback) {
        this.errback(new Failure(new FirstError(result as Failure, index)));
      } else if (this.finishedCount === this.#results.length) {
        this.callback(this.#results as R);
      }
    }
    return !succeeded && this.consumeErrors ? undefined : result;
  }
}

/** Options of {@linkcode gatherResults}. */
export interface GatherResultsOptions {
  /** See {@linkcode DeferredListOptions.consumeErrors}. */
  consumeErrors?: boolean;
}

/**
 * A Deferred of the results of `deferreds`, in order, once all have
 * succeeded; or, as soon as one fails, a Failure of {@linkcode FirstError}
 * (whose `subFailure` is that Deferred's Failure), as Twisted does.
 * Cancelling it cancels them all.
 */
export function gatherResults<const D extends readonly Deferred<unknown>[]>(
  deferreds: D,
  options: GatherResultsOptions = {},
): Deferred<{ -readonly [K in keyof D]: Awaited<D[K]> }> {
  const list = new DeferredList<unknown>(deferreds, {
    fireOnOneErrback: true,
    consumeErrors: options.consumeErrors,
  });
  return list.addCallback((pairs) =>
    pairs.map(([, result]) => result) as { -readonly [K in keyof D]: Awaited<D[K]> }
  );
}
