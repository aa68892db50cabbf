/**
 * Deferreds, Twisted's results that are not there yet: the
 * {@linkcode Deferred} itself, the helpers that make one from a value or a
 * function ({@linkcode succeed}, {@linkcode fail}, {@linkcode maybeDeferred}),
 * the ones that combine several ({@linkcode DeferredList},
 * {@linkcode gatherResults}), and generator-based sequential code
 * ({@linkcode inlineCallbacks}, {@linkcode ensureDeferred}).
 *
 * @module
 */

import { Deferred } from "./_deferred.ts";
import { Failure } from "./failure.ts";
import { isPromiseLike } from "./_promise_like.ts";

export { Deferred } from "./_deferred.ts";
export {
  AlreadyCalledError,
  CancelledError,
  type ErrorClass,
  FirstError,
  NoCurrentExceptionError,
  TimeoutError,
} from "./deferred_errors.ts";
export {
  DeferredList,
  type DeferredListOptions,
  type DeferredListResult,
  gatherResults,
  type GatherResultsOptions,
} from "./deferred_list.ts";
export { ensureDeferred, inlineCallbacks } from "./inline_callbacks.ts";
export { Failure } from "./failure.ts";
export type { IReactorTime } from "./interfaces.ts";

/**
 * A Deferred that has already fired with `result`: for code that must
 * return a Deferred but has its answer now.
 */
export function succeed<T>(result: T): Deferred<T> {
  const deferred = new Deferred<T>();
  deferred.callback(result);
  return deferred;
}

/**
 * A Deferred that has already failed with `error` (see
 * {@linkcode Deferred.errback} for what `error` may be, and what omitting
 * it means).
 */
export function fail<T = never>(error?: unknown): Deferred<T> {
  const deferred = new Deferred<T>();
  deferred.errback(error);
  return deferred;
}

/**
 * Calls `f(...args)` and returns its outcome as a Deferred, whatever it
 * was: a returned Deferred as it is, a returned Promise through
 * {@linkcode Deferred.fromPromise}, a returned {@linkcode Failure} as a
 * failed Deferred, any other value as a fired one, and a thrown error as a
 * failed one. A caller can then treat synchronous and asynchronous
 * functions alike.
 */
export function maybeDeferred<A extends unknown[], R>(
  f: (...args: A) => R,
  ...args: A
): Deferred<Exclude<Awaited<R>, Failure>> {
  let result: unknown;
  try {
    result = f(...args);
  } catch (error) {
    return fail(new Failure(error));
  }
  let deferred: Deferred<unknown>;
  if (result instanceof Deferred) deferred = result;
  else if (result instanceof Failure) deferred = fail(result);
  else if (isPromiseLike(result)) deferred = Deferred.fromPromise(result);
  else deferred = succeed(result);
  return deferred as Deferred<Exclude<Awaited<R>, Failure>>;
}
