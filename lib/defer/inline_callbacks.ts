/**
 * {@linkcode inlineCallbacks} and {@linkcode ensureDeferred}: Deferred-using
 * code written as a sequential generator function, as in Twisted.
 *
 * @module
 */

import { Deferred } from "./deferred.ts";
import { Failure } from "./failure.ts";
import { isPromiseLike } from "./_promise_like.ts";

/**
 * Turns a generator function into a function that returns a Deferred, so
 * that asynchronous code reads top to bottom: `const x = yield d` suspends
 * the generator until `d` fires and resumes it with the result.
 *
 * A yielded Deferred or Promise suspends the generator until it settles; a
 * failure is thrown into the generator at the `yield`, where `try`/`catch`
 * can handle it. Any other yielded value is sent straight back. The
 * generator's return value is the result of the returned Deferred (a
 * returned Deferred or Promise is waited for first); an error escaping the
 * generator fails it. Waiting on a Deferred consumes its result, which
 * becomes `undefined`, and a failure thrown in counts as handled.
 *
 * The generator starts at once, synchronously, and runs until it yields
 * something that has not fired yet. Already fired Deferreds are resumed in
 * a loop, not by recursion, so any number of them costs no stack.
 * Cancelling the returned Deferred cancels the Deferred the generator is
 * waiting on; the generator then sees the {@linkcode CancelledError} and
 * decides, as in Twisted.
 *
 * Differences from Twisted: `return value` replaces `returnValue(value)`.
 * TypeScript types every `yield` expression of a generator alike (`any`
 * here), so annotate what you receive (`const poem: string = yield
 * getPoem()`); the generator's own type is `Generator<unknown, R>`, where
 * `R` is what it returns.
 *
 * @example Wait for two things in turn; then the same with async/await
 * ```ts
 * import assert from "node:assert/strict";
 * import { Clock, deferLater } from "../reactor/task.ts";
 * import { ensureDeferred, inlineCallbacks } from "./inline_callbacks.ts";
 *
 * const clock = new Clock();
 * const fetchBoth = inlineCallbacks(function* (host: string): Generator<unknown, string> {
 *   const first: string = yield deferLater(clock, 1, () => `poem from ${host}`);
 *   try {
 *     yield deferLater(clock, 1, () => {
 *       throw new Error("Cannot connect: refused");
 *     });
 *   } catch (error) {
 *     assert.equal((error as Error).message, "Cannot connect: refused");
 *   }
 *   return first;
 * });
 *
 * const d = fetchBoth("127.0.0.1");
 * clock.advance(1);
 * clock.advance(1);
 * assert.equal(await d, "poem from 127.0.0.1");
 *
 * // An async function awaits Deferreds too; ensureDeferred turns its Promise into a Deferred.
 * async function fetchOne(host: string): Promise<string> {
 *   return await deferLater(clock, 1, () => `poem from ${host}`);
 * }
 * const e = ensureDeferred(fetchOne("127.0.0.2"));
 * clock.advance(1);
 * assert.equal(await e, "poem from 127.0.0.2");
 * ```
 */
export function inlineCallbacks<A extends unknown[], R, This = unknown>(
  // deno-lint-ignore no-explicit-any
  generatorFunction: (this: This, ...args: A) => Generator<unknown, R, any>,
): (this: This, ...args: A) => Deferred<Awaited<R>> {
  return function (this: This, ...args: A): Deferred<Awaited<R>> {
    const generator = generatorFunction.apply(this, args);
    if (!isGenerator(generator)) {
      throw new TypeError(
        `Cannot run ${
          generatorFunction.name || "function"
        } with inlineCallbacks: it returned ${typeof generator}, not a generator`,
      );
    }
    return runGenerator(generator) as Deferred<Awaited<R>>;
  };
}

/**
 * A Deferred for `value`: a Deferred as it is, a Promise (the result of an
 * `async` function: Twisted's coroutine) through
 * {@linkcode Deferred.fromPromise}, a generator run as by
 * {@linkcode inlineCallbacks}.
 *
 * @throws {TypeError} if `value` is none of these
 */
export function ensureDeferred<T>(
  // deno-lint-ignore no-explicit-any
  value: PromiseLike<T> | Generator<unknown, T, any>,
): Deferred<Awaited<T>> {
  if (isGenerator(value)) return runGenerator(value) as Deferred<Awaited<T>>;
  const deferred = toDeferred(value);
  if (deferred === undefined) {
    throw new TypeError(
      `Cannot make a Deferred of ${typeof value}: expected a Deferred, a Promise or a generator`,
    );
  }
  return deferred as Deferred<Awaited<T>>;
}

/** Where a running generator is: the Deferred it will fire and what it waits on. */
interface Status {
  deferred: Deferred<unknown>;
  waitingOn: Deferred<unknown> | undefined;
}

/** Cancellation made internal: it never leaves this module. */
class InlineCallbacksCancelled extends Error {}

function runGenerator(generator: Generator<unknown, unknown, unknown>): Deferred<unknown> {
  const status = { waitingOn: undefined } as Status;
  status.deferred = cancellableDeferred(status);
  const first = status.deferred;
  resume(generator, status, undefined);
  return first;
}

/**
 * The Deferred a generator fires. Cancelling it cancels what the generator
 * waits on and chains it to a fresh Deferred, which the generator fires
 * whatever it makes of the CancelledError (Twisted's
 * `_cancellableInlineCallbacks`).
 */
function cancellableDeferred(status: Status): Deferred<unknown> {
  const deferred = new Deferred<unknown>((self) =>
    self.errback(new Failure(new InlineCallbacksCancelled()))
  );
  // Added first, so it runs before any callback of the caller.
  deferred.addErrback((failure) => {
    if (failure.check(InlineCallbacksCancelled) === null) return failure;
    status.deferred = cancellableDeferred(status);
    status.waitingOn?.cancel();
    return status.deferred;
  });
  return deferred;
}

/**
 * Sends `result` into the generator (throws it in, if a Failure) and
 * carries on while what it yields has already fired: a loop, so a long
 * run of fired Deferreds does not grow the stack.
 */
function resume(
  generator: Generator<unknown, unknown, unknown>,
  status: Status,
  result: unknown,
): void {
  for (;;) {
    let step: IteratorResult<unknown, unknown>;
    try {
      step = result instanceof Failure ? generator.throw(result.value) : generator.next(result);
    } catch (error) {
      status.deferred.errback(new Failure(error));
      return;
    }
    const awaited = toDeferred(step.value);
    if (awaited === undefined) {
      if (step.done) {
        status.deferred.callback(step.value);
        return;
      }
      result = step.value;
      continue;
    }
    // If it has fired, addBoth runs at once: take the result and loop.
    // Otherwise resume from its callback when it fires.
    const done = step.done;
    let synchronous = true;
    let fired = false;
    let early: unknown;
    status.waitingOn = awaited;
    awaited.addBoth((value) => {
      status.waitingOn = undefined;
      if (done) {
        fire(status.deferred, value);
      } else if (synchronous) {
        fired = true;
        early = value;
      } else {
        resume(generator, status, value);
      }
    });
    synchronous = false;
    if (done || !fired) return;
    result = early;
  }
}

function fire(deferred: Deferred<unknown>, value: unknown): void {
  if (value instanceof Failure) deferred.errback(value);
  else deferred.callback(value);
}

/** The Deferred for a Deferred or a Promise; undefined for anything else. */
function toDeferred(value: unknown): Deferred<unknown> | undefined {
  if (value instanceof Deferred) return value;
  if (isPromiseLike(value)) return Deferred.fromPromise(value);
  return undefined;
}

function isGenerator(value: unknown): value is Generator<unknown, unknown, unknown> {
  return typeof value === "object" && value !== null &&
    typeof (value as Generator).next === "function" &&
    typeof (value as Generator).throw === "function";
}
