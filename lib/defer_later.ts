/**
 * {@linkcode deferLater}: a Deferred that fires after a delay, as
 * Twisted's `twisted.internet.task.deferLater`. Also exported by
 * `lib/task.ts`.
 *
 * @module
 */

import { Deferred } from "./_deferred.ts";
import { maybeDeferred } from "./deferred.ts";
import type { Failure } from "./failure.ts";
import type { IReactorTime } from "./interfaces.ts";

/**
 * A Deferred that fires `delay` seconds from now on `clock` with the
 * outcome of `callable(...args)` (or with `undefined` if there is no
 * callable). What the callable returns is treated as by
 * {@linkcode maybeDeferred}: a Deferred or Promise is waited for, an error
 * fails the Deferred. Cancelling it before then cancels the call and fails
 * it with {@linkcode CancelledError}.
 *
 * @example
 * ```ts
 * import { Clock, deferLater } from "./task.ts";
 *
 * const clock = new Clock();
 * const d = deferLater(clock, 3, (name: string) => `Hello, ${name}`, "world");
 * clock.advance(3);
 * console.log(await d); // "Hello, world"
 * ```
 */
export function deferLater<A extends unknown[] = [], R = undefined>(
  clock: IReactorTime,
  delay: number,
  callable?: (...args: A) => R,
  ...args: A
): Deferred<Exclude<Awaited<R>, Failure>> {
  const deferred = new Deferred<undefined>(() => delayedCall.cancel());
  const delayedCall = clock.callLater(delay, () => deferred.callback(undefined));
  return deferred.addCallback(() =>
    callable === undefined ? undefined : maybeDeferred(callable, ...args)
  ) as Deferred<Exclude<Awaited<R>, Failure>>;
}
