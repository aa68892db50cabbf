/**
 * The {@linkcode Deferred}, Twisted's result that is not there yet, and the
 * helpers that make one from a value or a function: {@linkcode succeed},
 * {@linkcode fail}, {@linkcode maybeDeferred}. The ones that combine several
 * live beside it (`deferred_list.ts`), and so does generator-based
 * sequential code (`inline_callbacks.ts`).
 *
 * @module
 */

import { AlreadyCalledError, CancelledError, TimeoutError } from "./error.ts";
import { Failure } from "./failure.ts";
import { type Unhandled, watchUnhandled } from "./_unhandled.ts";
import { isPromiseLike } from "./_promise_like.ts";

/**
 * What {@linkcode Deferred.addTimeout} needs of a clock: the `callLater` of
 * `IReactorTime`, which every reactor and the fake `Clock` provide. Stated
 * here rather than imported, because `interfaces.ts` refers to the
 * Deferred, and the two modules must not import each other.
 */
export interface TimeoutClock {
  /** Calls `callable` in `delay` seconds; the handle can cancel it. */
  callLater(delay: number, callable: () => void): { active(): boolean; cancel(): void };
}

/**
 * A callback or errback as the chain calls it: the current result first,
 * then the extra arguments given when it was added.
 */
// deno-lint-ignore no-explicit-any
type Step = ((result: any, ...args: any[]) => unknown) | null;

/** Extra arguments of a step; one shared empty list for the common case. */
const NO_ARGS: readonly unknown[] = Object.freeze([]);

/**
 * One pair of the chain: a callback and an errback with their arguments.
 *
 * Two other kinds of link are stored without a wrapper. The commonest, a
 * callback without extra arguments, is the bare function, so a long chain
 * allocates nothing per callback. The continuation that chaining adds is
 * the waiting Deferred itself: reaching it hands this Deferred's result to
 * the waiting one instead of calling anything (Twisted's `_CONTINUE`).
 */
class Link {
  constructor(
    readonly callback: Step,
    readonly callbackArgs: readonly unknown[],
    readonly errback: Step,
    readonly errbackArgs: readonly unknown[],
  ) {}
}

// deno-lint-ignore no-explicit-any
type AnyLink = Link | NonNullable<Step> | Deferred<any> | undefined;

/** The links of a Deferred that has none: shared, replaced on the first push. */
const NO_LINKS: AnyLink[] = [];

/**
 * The Deferreds whose chains are being run, innermost last: Twisted's
 * `chain` list. One array for all, so firing a Deferred allocates none; a
 * run that starts while another is in progress works above it and leaves
 * it as it found it.
 */
const running: Deferred<unknown>[] = [];

/**
 * This is a callback which will be put off until later: a result that is
 * not there yet, and the chain of functions that will process it.
 *
 * Why? A function that would block until it has a result (a poem from a
 * server, a line from a file) returns a Deferred instead, right away, and
 * the caller adds callbacks to it. When the result arrives, whoever holds
 * the Deferred calls {@linkcode Deferred.callback} (or
 * {@linkcode Deferred.errback} with an error) and the callbacks run, each
 * receiving what the previous one returned.
 *
 * These are Twisted's semantics, not a Promise's: callbacks run
 * synchronously, inside `callback()`, or inside `addCallback()` when the
 * Deferred has already fired, never on a later microtask. A callback that
 * throws (or returns a {@linkcode Failure}) sends the chain down the
 * errback path; an errback that returns a value sends it back. A callback
 * that returns another Deferred pauses the chain until that one fires.
 * Running a chain is a loop, not recursion: a million callbacks or a
 * hundred thousand nested Deferreds cost linear time and no stack.
 *
 * A Deferred is also awaitable (`then`): `await d` gives its result, or
 * throws the error of its Failure. Awaiting consumes the result, as
 * Twisted's `inlineCallbacks` does: afterwards the Deferred's result is
 * `undefined`, and a Failure delivered that way counts as handled. A
 * Deferred that is garbage collected while its chain ends in an unhandled
 * Failure reports it on stderr ("Unhandled error in Deferred:").
 *
 * Differences from Twisted: keyword arguments do not exist, so extra
 * arguments are positional only; a callback that returns the very Deferred
 * it was added to fails the chain with a TypeError (Twisted warns and
 * hangs). As in Twisted, only a returned Deferred pauses the chain: a
 * returned Promise is just the next result (return
 * `Deferred.fromPromise(p)` to wait for it).
 *
 * @typeParam T the result the Deferred fires with
 *
 * @example Fire a Deferred, run its callbacks
 * ```ts
 * import assert from "node:assert/strict";
 * import { Deferred } from "./deferred.ts";
 *
 * function getPoem(): Deferred<string> {
 *   const d = new Deferred<string>();
 *   setTimeout(() => d.callback("Roses are red"), 10);
 *   return d;
 * }
 *
 * const poem = getPoem()
 *   .addCallback((text) => text.toUpperCase())
 *   .addErrback((failure) => `Poem failed: ${failure.getErrorMessage()}`);
 * assert.equal(await poem, "ROSES ARE RED");
 * ```
 */
export class Deferred<T = unknown> implements PromiseLike<T> {
  // The chain is consumed by index, not shift(), so running it is linear.
  #links: AnyLink[] = NO_LINKS;
  #next = 0;
  #called = false;
  #paused = 0;
  #result: unknown = undefined;
  // Typed loosely so that Deferred<T> stays covariant in T, like a Promise.
  // deno-lint-ignore no-explicit-any
  #canceller: ((deferred: Deferred<any>) => void) | undefined;
  #suppressAlreadyCalled = false;
  #runningCallbacks = false;
  #unhandled: Unhandled | undefined;

  /**
   * Creates a Deferred that has not fired.
   *
   * @param canceller called by {@linkcode Deferred.cancel} with this
   *   Deferred, to stop the operation that would fire it. If it does not
   *   fire the Deferred itself (or there is none), `cancel()` errbacks it
   *   with {@linkcode CancelledError}; without a canceller, the one
   *   `callback()` or `errback()` that may still come is then ignored.
   */
  constructor(canceller?: (deferred: Deferred<T>) => void) {
    this.#canceller = canceller;
  }

  /** True once `callback()` or `errback()` has been called. */
  get called(): boolean {
    return this.#called;
  }

  /**
   * How many {@linkcode Deferred.pause} calls are unmatched, counting the
   * pause of waiting on a chained Deferred.
   */
  get paused(): number {
    return this.#paused;
  }

  /**
   * The current result: `undefined` before the Deferred fires, then the
   * value the last callback returned, a {@linkcode Failure}, or the
   * Deferred this one is waiting on.
   */
  get result(): unknown {
    return this.#result;
  }

  /**
   * Adds a callback and an errback at the same level of the chain: the
   * callback runs if the result at that point is a success, the errback if
   * it is a {@linkcode Failure}. If the Deferred has already fired, the
   * chain runs now.
   *
   * @param callback called with the result and `callbackArgs`
   * @param errback called with the Failure and `errbackArgs`; when omitted,
   *   a Failure passes on down the chain unchanged
   * @returns this Deferred, typed with its new result
   */
  addCallbacks<R1, R2 = never, A1 extends unknown[] = [], A2 extends unknown[] = []>(
    callback: (result: T, ...args: A1) => R1 | Deferred<R1> | Failure,
    errback?: ((failure: Failure, ...args: A2) => R2 | Deferred<R2> | Failure) | null,
    callbackArgs?: A1,
    errbackArgs?: A2,
  ): Deferred<R1 | R2> {
    return this.#add(callback, callbackArgs ?? NO_ARGS, errback ?? null, errbackArgs ?? NO_ARGS);
  }

  /**
   * Adds a callback, run with the result and `args` when the result at that
   * point of the chain is a success; a Failure passes it by.
   *
   * @returns this Deferred, typed with its new result
   */
  addCallback<R, A extends unknown[] = []>(
    callback: (result: T, ...args: A) => R | Deferred<R> | Failure,
    ...args: A
  ): Deferred<R> {
    if (args.length > 0) return this.#add(callback, args, null, NO_ARGS);
    this.#push(callback);
    if (this.#called) this.#runCallbacks();
    return this as unknown as Deferred<R>;
  }

  /**
   * Adds an errback, run with the {@linkcode Failure} and `args` when the
   * result at that point of the chain is a Failure; a success passes it by.
   * Returning a value switches the chain back to callbacks; throwing (or
   * `failure.trap()` not matching) keeps it on errbacks.
   *
   * @returns this Deferred, typed with its new result
   */
  addErrback<R = never, A extends unknown[] = []>(
    errback: (failure: Failure, ...args: A) => R | Deferred<R> | Failure,
    ...args: A
  ): Deferred<T | R> {
    return this.#add(null, NO_ARGS, errback, args);
  }

  /**
   * Adds one function as both callback and errback: it runs whatever the
   * result is (like `finally`, but it sees and replaces the result).
   *
   * @returns this Deferred, typed with its new result
   */
  addBoth<R, A extends unknown[] = []>(
    callback: (result: T | Failure, ...args: A) => R | Deferred<R> | Failure,
    ...args: A
  ): Deferred<R> {
    return this.#add(callback, args, callback, args);
  }

  /**
   * Makes `other` fire with this Deferred's result at this point of the
   * chain: shorthand for `addCallbacks(other.callback, other.errback)`.
   * This Deferred's result is `undefined` after that link.
   *
   * @returns this Deferred
   */
  chainDeferred(other: Deferred<T>): Deferred<undefined> {
    return this.#add(
      (result: T) => other.callback(result),
      NO_ARGS,
      (failure: Failure) => other.errback(failure),
      NO_ARGS,
    );
  }

  /**
   * Fires the Deferred with a success: runs the callback chain with
   * `result` now, before returning.
   *
   * @throws {AlreadyCalledError} if the Deferred has already fired
   * @throws {TypeError} if `result` is a Deferred: return it from a callback to chain instead
   */
  callback(result: T): void {
    if (result instanceof Deferred) {
      throw new TypeError(
        "Cannot callback Deferred with a Deferred: return it from a callback to chain them",
      );
    }
    this.#start(result, "callback");
  }

  /**
   * Fires the Deferred with a failure: runs the errback chain now, before
   * returning.
   *
   * @param error a {@linkcode Failure}, or anything else to wrap in one
   *   (a value that is not an Error is wrapped in an Error). Without it,
   *   the error being handled is used, as Twisted does inside `except`; in
   *   JavaScript that is only the Failure of a running errback or the error
   *   given to {@linkcode Failure.handling}, since a `catch` block does not
   *   publish its error: there, pass it (`catch (e) { d.errback(e) }`).
   * @throws {AlreadyCalledError} if the Deferred has already fired
   * @throws {NoCurrentExceptionError} if `error` is omitted and no error is being handled
   */
  errback(error?: unknown): void {
    const failure = error === undefined
      ? Failure.current()
      : error instanceof Failure
      ? error
      : new Failure(error);
    this.#start(failure, "errback");
  }

  /** Stops running callbacks until a matching {@linkcode Deferred.unpause}. */
  pause(): void {
    this.#paused++;
  }

  /** Undoes one {@linkcode Deferred.pause}; the last one runs the callbacks added meanwhile. */
  unpause(): void {
    this.#paused--;
    if (this.#paused === 0 && this.#called) this.#runCallbacks();
  }

  /**
   * Cancels the Deferred. If it has not fired, calls its canceller; if that
   * did not fire it (or there is none), errbacks it with
   * {@linkcode CancelledError}. If it has fired but waits on a Deferred
   * returned by a callback, cancels that one instead. Otherwise does
   * nothing.
   */
  cancel(): void {
    if (!this.#called) {
      const canceller = this.#canceller;
      if (canceller !== undefined) {
        canceller(this);
      } else {
        // No canceller: whoever fires us later will find us fired; eat that one call.
        this.#suppressAlreadyCalled = true;
      }
      if (!this.#called) this.errback(new Failure(new CancelledError()));
    } else if (this.#result instanceof Deferred) {
      this.#result.cancel();
    }
  }

  /**
   * Cancels the Deferred if it has not fired within `timeout` seconds of
   * `clock`. The timeout covers the callbacks added before this call, not
   * those added after.
   *
   * @param timeout seconds to wait
   * @param clock what schedules the timeout: the reactor, or a fake {@linkcode Clock} in tests
   * @param onTimeoutCancel called (with the result, a CancelledError
   *   Failure unless the canceller fired the Deferred, and `timeout`) when
   *   the timeout cancelled it; its return value replaces the result. The
   *   default turns the CancelledError into a {@linkcode TimeoutError}.
   * @returns this Deferred
   */
  addTimeout(
    timeout: number,
    clock: TimeoutClock,
    onTimeoutCancel?: (result: unknown, timeout: number) => unknown,
  ): Deferred<T> {
    let timedOut = false;
    const call = clock.callLater(timeout, () => {
      timedOut = true;
      this.cancel();
    });
    this.#add(convertCancelled, NO_ARGS, convertCancelled, NO_ARGS);
    function convertCancelled(result: unknown): unknown {
      if (!timedOut) return result;
      return (onTimeoutCancel ?? cancelledToTimedOut)(result, timeout);
    }
    return this.#add(cancelTimeout, NO_ARGS, cancelTimeout, NO_ARGS);
    function cancelTimeout(result: unknown): unknown {
      if (call.active()) call.cancel();
      return result;
    }
  }

  /**
   * A Promise of the result: resolves with it, or rejects with the error
   * of its Failure. This consumes the result: the Deferred's result is
   * `undefined` afterwards and a Failure counts as handled.
   */
  asPromise(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#add(resolve, NO_ARGS, (failure: Failure) => reject(failure.value), NO_ARGS);
    });
  }

  /**
   * Makes `await d` work: see {@linkcode Deferred.asPromise}, which this
   * calls, consuming the result.
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    // deno-lint-ignore no-explicit-any
    onRejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.asPromise().then(onFulfilled, onRejected);
  }

  /**
   * A Deferred that fires when `promise` settles: with its value, or with
   * a Failure of its rejection reason. Cancelling it errbacks it with
   * {@linkcode CancelledError} (a Promise cannot be stopped) and the
   * Promise's outcome is then ignored.
   */
  static fromPromise<T>(promise: PromiseLike<T>): Deferred<T> {
    const deferred = new Deferred<T>();
    promise.then(
      (value) => deferred.callback(value),
      (reason) => deferred.errback(new Failure(reason)),
    );
    return deferred;
  }

  /** A description for debugging: its state and result. */
  toString(): string {
    if (!this.#called) return "<Deferred>";
    const result = this.#result;
    if (result instanceof Deferred) return "<Deferred waiting on another Deferred>";
    return `<Deferred current result: ${
      typeof result === "string" ? JSON.stringify(result) : String(result)
    }>`;
  }

  /** Appends a link; returns this Deferred, retyped with the result the link leads to. */
  #add<R>(
    callback: Step,
    callbackArgs: readonly unknown[],
    errback: Step,
    errbackArgs: readonly unknown[],
  ): Deferred<R> {
    this.#push(new Link(callback, callbackArgs, errback, errbackArgs));
    if (this.#called) this.#runCallbacks();
    return this as unknown as Deferred<R>;
  }

  #start(result: unknown, action: string): void {
    if (this.#called) {
      if (this.#suppressAlreadyCalled) {
        this.#suppressAlreadyCalled = false;
        return;
      }
      throw new AlreadyCalledError(`Cannot ${action} Deferred: it has already fired`);
    }
    this.#called = true;
    // It will not be needed again; dropping it breaks a cycle through closures.
    this.#canceller = undefined;
    this.#result = result;
    this.#runCallbacks();
  }

  /**
   * Runs the chain, as Twisted's `_runCallbacks`: a loop over the links
   * with an explicit stack of Deferreds instead of recursion. When a
   * callback returns a Deferred that has no result yet, the current
   * Deferred pauses and leaves a continuation link on the other one; when
   * that one fires and reaches the link, it pushes the waiting Deferred
   * onto the stack and the loop carries on with it.
   */
  #runCallbacks(): void {
    // A callback that adds a callback to its own Deferred: the loop below picks it up.
    if (this.#runningCallbacks) return;
    const base = running.length;
    running.push(this as Deferred<unknown>);
    try {
      this.#runStack(base);
    } finally {
      running.length = base;
    }
  }

  /** The loop of {@linkcode Deferred.#runCallbacks}, over the stack above `base`. */
  #runStack(base: number): void {
    while (running.length > base) {
      const current = running[running.length - 1];
      // It has no result to give: those down the stack, waiting on it, wait on.
      if (current.#paused > 0) return;
      let finished = true;
      const links = current.#links;
      while (current.#next < links.length) {
        const link = links[current.#next] as NonNullable<AnyLink>;
        // Let the consumed link and what its closures hold be collected.
        links[current.#next++] = undefined;
        const result = current.#result;
        const failed = result instanceof Failure;
        let step: Step;
        let args: readonly unknown[];
        if (typeof link === "function") {
          if (failed) continue;
          step = link;
          args = NO_ARGS;
        } else if (link instanceof Link) {
          step = failed ? link.errback : link.callback;
          if (step === null) continue;
          args = failed ? link.errbackArgs : link.callbackArgs;
        } else {
          link.#result = result;
          current.#result = undefined;
          link.#paused--;
          running.push(link);
          // Come back to the rest of this chain once the waiter is done.
          finished = false;
          break;
        }
        current.#runningCallbacks = true;
        let next: unknown;
        try {
          next = failed
            ? Failure.handling(result, () => call(step, result, args))
            : call(step, result, args);
        } catch (error) {
          next = error instanceof Failure ? error : new Failure(error);
        }
        current.#runningCallbacks = false;
        current.#result = next;
        if (!(next instanceof Deferred)) continue;
        if (next === current) {
          current.#result = new Failure(
            new TypeError(
              "Cannot chain Deferred: a callback returned the Deferred it was added to",
            ),
          );
          continue;
        }
        if (
          !next.#called || next.#paused > 0 || next.#runningCallbacks ||
          next.#result instanceof Deferred
        ) {
          // No result to take now: wait for it. Appending the continuation
          // directly is safe: if next is running its callbacks further up
          // the call stack, its loop will reach the continuation there.
          current.#paused++;
          next.#push(current);
          break;
        }
        // It already has a result: take it, so the failure is ours to handle now.
        current.#result = next.#result;
        next.#result = undefined;
        if (next.#unhandled !== undefined) next.#unhandled.failure = undefined;
      }
      if (finished) {
        current.#compact();
        current.#watchFailure();
        running.pop();
      }
    }
  }

  /**
   * Appends a link. Most chains are short: up to two links get an array of
   * exactly their size, instead of push() growing one to 17 slots.
   */
  #push(link: NonNullable<AnyLink>): void {
    const links = this.#links;
    if (links.length > 1) links.push(link);
    else if (links.length === 0) this.#links = [link];
    else this.#links = [links[0], link];
  }

  /** Drops consumed links once they are at least half the list (amortised O(1) per link). */
  #compact(): void {
    if (this.#next === this.#links.length) {
      this.#links = NO_LINKS;
      this.#next = 0;
    } else if (this.#next > 64 && this.#next * 2 >= this.#links.length) {
      this.#links = this.#links.slice(this.#next);
      this.#next = 0;
    }
  }

  /** Records whether the chain, for now, ends in a Failure, for the garbage-collection report. */
  #watchFailure(): void {
    const result = this.#result;
    if (result instanceof Failure) {
      this.#unhandled ??= watchUnhandled(this);
      this.#unhandled.failure = result;
    } else if (this.#unhandled !== undefined) {
      this.#unhandled.failure = undefined;
    }
  }
}

function call(step: NonNullable<Step>, result: unknown, args: readonly unknown[]): unknown {
  return args.length === 0 ? step(result) : step(result, ...args);
}

function cancelledToTimedOut(result: unknown, timeout: number): unknown {
  if (result instanceof Failure) {
    result.trap(CancelledError);
    throw new TimeoutError(`Deferred timed out after ${timeout} seconds`);
  }
  return result;
}

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
