/**
 * Time and tasks, as Twisted's `twisted.internet.task`: a fake
 * {@linkcode Clock} for deterministic tests, {@linkcode deferLater} (a
 * Deferred that fires after a delay) and {@linkcode LoopingCall} (a
 * function called every few seconds).
 *
 * @module
 */

import { Deferred, maybeDeferred } from "../defer/deferred.ts";
import { Failure } from "../defer/failure.ts";
import type { Callable, IDelayedCall, IReactorCore, IReactorTime } from "../interfaces.ts";
import type { DelayedCall } from "./delayed_call.ts";
import { reactor } from "./reactor.ts";
import { checkSeconds } from "../time/seconds.ts";
import { TimerQueue } from "./timer_queue.ts";

/**
 * A fake {@linkcode IReactorTime} whose time moves only when told to
 * ({@linkcode Clock.advance}), so code that schedules calls can be tested
 * without waiting and without flakiness. It keeps its calls in the same
 * {@linkcode TimerQueue} as the reactors, so it orders them the same way:
 * by time, then in the order they were scheduled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Clock } from "./task.ts";
 *
 * const clock = new Clock();
 * const said: string[] = [];
 * clock.callLater(2, () => said.push("two seconds later"));
 * clock.advance(1);
 * assert.deepEqual(said, []);
 * clock.advance(1);
 * assert.deepEqual(said, ["two seconds later"]);
 * ```
 */
export class Clock implements IReactorTime {
  /** The current time, in seconds; it starts at 0. */
  rightNow = 0;
  readonly #calls = new TimerQueue(() => this.rightNow);

  /** See {@linkcode IReactorTime.seconds}. */
  seconds(): number {
    return this.rightNow;
  }

  /** See {@linkcode IReactorTime.callLater}. */
  callLater<A extends unknown[]>(delay: number, callable: Callable<A>, ...args: A): DelayedCall {
    return this.#calls.callLater(delay, callable as Callable, args);
  }

  /** See {@linkcode IReactorTime.getDelayedCalls}. */
  getDelayedCalls(): DelayedCall[] {
    return this.#calls.getDelayedCalls();
  }

  /**
   * Moves time forward by `amount` seconds, then runs every call that is
   * due at the new time, soonest first, including calls scheduled meanwhile
   * that are already due. An error thrown by a call propagates out of
   * `advance()`, as in Twisted; the calls after it stay pending.
   *
   * @throws {RangeError} if `amount` is negative or not finite
   */
  advance(amount: number): void {
    checkSeconds(amount, "advance clock");
    this.rightNow += amount;
    for (;;) {
      const call = this.#calls.popDue(this.rightNow);
      if (call === undefined) break;
      call.run();
    }
  }

  /** Advances by each of `timings` in turn (see {@linkcode Clock.advance}). */
  pump(timings: Iterable<number>): void {
    for (const amount of timings) this.advance(amount);
  }
}

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
 * import assert from "node:assert/strict";
 * import { Clock, deferLater } from "./task.ts";
 *
 * const clock = new Clock();
 * const d = deferLater(clock, 3, (name: string) => `Hello, ${name}`, "world");
 * clock.advance(3);
 * assert.equal(await d, "Hello, world");
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

/**
 * Calls a function repeatedly, every `interval` seconds, as Twisted's
 * `LoopingCall`.
 *
 * If the function returns a Deferred (or a Promise), the next call is not
 * scheduled until it has fired; its result is ignored. Calls keep to the
 * grid of the start time: if a call runs late, or the clock jumps past
 * several intervals, the function runs once and the missed intervals are
 * skipped, not replayed. If the function throws or its Deferred fails, the
 * loop stops and the Deferred returned by {@linkcode LoopingCall.start}
 * fails with that error.
 *
 * The clock is the global reactor unless you set {@linkcode LoopingCall.clock}
 * (tests set a {@linkcode Clock}) before starting.
 *
 * @typeParam A the arguments of the function
 *
 * @example Count down from 3, once a second, on a fake clock
 * ```ts
 * import assert from "node:assert/strict";
 * import { Clock, LoopingCall } from "./task.ts";
 *
 * const clock = new Clock();
 * const said: number[] = [];
 * let count = 3;
 * const countdown = new LoopingCall(() => {
 *   said.push(count);
 *   count -= 1;
 *   if (count === 0) countdown.stop();
 * });
 * countdown.clock = clock; // leave this out to run on the reactor
 * const done = countdown.start(1); // calls it at once
 * assert.deepEqual(said, [3]);
 * clock.pump([1, 1]);
 * assert.deepEqual(said, [3, 2, 1]);
 * assert.equal(await done, countdown); // stop() fired it
 * ```
 */
export class LoopingCall<A extends unknown[] = []> {
  /** What schedules the calls; the global reactor by default, like Twisted. */
  clock: IReactorTime = reactor;
  /** The function to call. */
  readonly f: (...args: A) => unknown;
  /** The arguments to call it with. */
  readonly args: A;
  /** True from `start()` until `stop()` or an error. */
  running = false;
  /** Seconds between calls, once started. */
  interval: number | undefined;
  /** The clock time `start()` was called at. */
  starttime: number | undefined;
  /** The next scheduled call, or null while the function runs or is awaited. */
  call: IDelayedCall | null = null;
  #deferred: Deferred<LoopingCall<A>> | null = null;

  /** Prepares to call `f(...args)` repeatedly; {@linkcode LoopingCall.start} starts it. */
  constructor(f: (...args: A) => unknown, ...args: A) {
    this.f = f;
    this.args = args;
  }

  /**
   * Starts calling the function every `interval` seconds: now and then
   * every interval, or, with `now` false, first after one interval.
   *
   * @param interval seconds between calls, 0 or more; 0 means as often as the clock allows
   * @returns a Deferred that fires with this LoopingCall when
   *   {@linkcode LoopingCall.stop} is called, or fails with the error
   *   that stopped it
   * @throws {Error} if it is already running
   * @throws {RangeError} if `interval` is negative or not finite
   */
  start(interval: number, now = true): Deferred<LoopingCall<A>> {
    if (this.running) throw new Error("Cannot start LoopingCall: it is already running");
    checkSeconds(interval, "start LoopingCall", "interval");
    this.running = true;
    // The loop may fail at once, inside this call, and clear #deferred.
    const deferred = this.#deferred = new Deferred<LoopingCall<A>>();
    this.starttime = this.clock.seconds();
    this.interval = interval;
    if (now) this.#run();
    else this.#scheduleFrom(this.starttime);
    return deferred;
  }

  /**
   * Stops the loop: no more calls. The Deferred returned by `start()`
   * fires now, or, if the function's Deferred is still pending, when it
   * fires.
   *
   * @throws {Error} if it is not running
   */
  stop(): void {
    if (!this.running) throw new Error("Cannot stop LoopingCall: it is not running");
    this.running = false;
    if (this.call !== null) {
      this.call.cancel();
      this.call = null;
      this.#finish().callback(this);
    }
  }

  /**
   * Skips the next call and restarts the intervals from now.
   *
   * @throws {Error} if it is not running
   */
  reset(): void {
    if (!this.running) throw new Error("Cannot reset LoopingCall: it is not running");
    if (this.call !== null) {
      this.call.cancel();
      this.call = null;
      this.starttime = this.clock.seconds();
      this.#scheduleFrom(this.starttime);
    }
  }

  /** A description for debugging: `LoopingCall<1>(tick)`. */
  toString(): string {
    return `LoopingCall<${this.interval}>(${this.f.name || "anonymous"})`;
  }

  #run(): void {
    this.call = null;
    maybeDeferred(this.f, ...this.args)
      .addCallback(() => {
        if (this.running) this.#scheduleFrom(this.clock.seconds());
        else this.#finish().callback(this);
      })
      .addErrback((failure) => {
        this.running = false;
        this.#finish().errback(failure);
      });
  }

  #finish(): Deferred<LoopingCall<A>> {
    const deferred = this.#deferred as Deferred<LoopingCall<A>>;
    this.#deferred = null;
    return deferred;
  }

  /** Schedules the next call at the next point of the interval grid after `when`. */
  #scheduleFrom(when: number): void {
    this.call = this.clock.callLater(this.#delayFrom(when), () => this.#run());
  }

  #delayFrom(when: number): number {
    const interval = this.interval as number;
    if (interval === 0) return 0;
    const runningFor = when - (this.starttime as number);
    const untilNextInterval = interval - (runningFor % interval);
    // Too small to move the clock (floating point): the tick is now, so aim at the next one.
    if (when === when + untilNextInterval) return interval;
    return untilNextInterval;
  }
}

// ---------------------------------------------------------------------------
// react: how a script that runs the reactor to an end ends.

/**
 * Python's `SystemExit`, for {@linkcode react}: a `main` whose Deferred
 * fails with one ends the script with `code` as its exit status, quietly
 * (its poems were missing, say, and it has said so already).
 */
export class SystemExit extends Error {
  /** Creates the error that ends the script with exit status `code`. */
  constructor(readonly code: number) {
    super(`Exit with status ${code}`);
    this.name = "SystemExit";
  }
}

/** The exit statuses of a script that a signal stopped, as a shell reports a process it killed. */
export const SIGNAL_STATUS: Readonly<Record<"SIGINT" | "SIGTERM" | "SIGPIPE", number>> = {
  SIGINT: 130,
  SIGTERM: 143,
  SIGPIPE: 141,
};

/** Options for {@linkcode react}. */
export interface ReactOptions<R extends IReactorCore> {
  /** The reactor to run; the global one by default (Twisted's `_reactor`, for tests). */
  reactor?: R;
  /** Ends the process with the status; `Deno.exit` by default (a test records it instead). */
  exit?: (code: number) => void;
}

/**
 * Calls `main(reactor, ...argv)`, runs the reactor until the Deferred (or
 * Promise) it returns has fired, stops the reactor once, and ends the
 * process: Twisted's `task.react`, the one place where a script that runs
 * the reactor to an end ends.
 *
 * - `main` is called at once, before the reactor runs, as in Twisted; the
 *   reactor stops on the turn after its result fires (or on the first turn,
 *   if it has fired already).
 * - Exit status 0 if it succeeded; if it failed with {@linkcode SystemExit},
 *   that error's code, quietly; otherwise 1, after
 *   `main function encountered error` and the error's stack on stderr.
 * - If something else stops the reactor first (`main`'s own code calling
 *   `reactor.stop()`, as chapter 3's scripts do), the status is 0, as in
 *   Twisted.
 *
 * Where we differ from Twisted, because a learner's Ctrl-C must not look
 * like success: SIGINT, SIGTERM and a closed standard output (SIGPIPE) stop
 * the reactor and end the script with 130, 143 or 141
 * ({@linkcode SIGNAL_STATUS}), whatever `main`'s result. Stopping the
 * reactor closes its connections, so `main`'s callbacks may still report
 * what was cut short (chapter 5's clients print `Task N: interrupted`):
 * react waits for what they do before the event loop's next task, and a
 * failure that follows from the interrupt is not reported. (Twisted 22.4
 * exits 0 on Ctrl-C and dies of SIGPIPE.) Signals other than SIGINT are
 * only listened for where Deno has them (not on Windows). And `argv` is an
 * array, `_reactor` and Python's `sys.exit` are {@linkcode ReactOptions}.
 *
 * @param main called with the reactor and `argv`; returns a Deferred, a
 *   Promise, or a plain value (then the reactor stops on its first turn)
 * @returns a Promise that resolves only where `exit` returns (in tests)
 *
 * @example Run a main on a reactor of its own, and see how it ended
 * ```ts
 * import assert from "node:assert/strict";
 * import { EPollReactor } from "../reactor/epoll_reactor.ts";
 * import { deferLater, react } from "./task.ts";
 *
 * const reactor = new EPollReactor();
 * const codes: number[] = [];
 * await react(
 *   (reactor, greeting: string) => deferLater(reactor, 0.01, () => console.log(greeting)),
 *   ["Hello from main"],
 *   { reactor, exit: (code) => codes.push(code) },
 * );
 * assert.deepEqual(codes, [0]);
 * assert.equal(reactor.running, false);
 * ```
 */
export async function react<
  R extends IReactorCore & IReactorTime = typeof reactor,
  A extends unknown[] = [],
>(
  main: (reactor: R, ...argv: A) => unknown,
  argv: A = [] as unknown as A,
  options: ReactOptions<R> = {},
): Promise<void> {
  const theReactor = options.reactor ?? (reactor as unknown as R);
  const exit = options.exit ?? ((code: number) => Deno.exit(code));
  let signal: keyof typeof SIGNAL_STATUS | null = null;
  const listeners = signalsHere().map((name) => {
    const listener = (): void => {
      signal ??= name;
      if (theReactor.running) theReactor.stop();
    };
    Deno.addSignalListener(name, listener);
    return () => Deno.removeSignalListener(name, listener);
  });
  let outcome: { failure: Failure | null } | null = null;
  maybeDeferred(main, theReactor, ...argv).addBoth((result) => {
    outcome = { failure: result instanceof Failure ? result : null };
    // Queued for the first turn if the reactor has not started; never run if it is stopping.
    theReactor.callWhenRunning(() => {
      if (theReactor.running) theReactor.stop();
    });
    return null;
  });
  try {
    await theReactor.run();
    // What the connections' last callbacks started finishes before the next task.
    if (outcome === null) await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    for (const remove of listeners) remove();
  }
  exit(exitStatus(signal, outcome));
}

function signalsHere(): (keyof typeof SIGNAL_STATUS)[] {
  return Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM", "SIGPIPE"];
}

function exitStatus(
  signal: keyof typeof SIGNAL_STATUS | null,
  outcome: { failure: Failure | null } | null,
): number {
  if (signal !== null) return SIGNAL_STATUS[signal];
  const failure = outcome?.failure;
  if (failure === undefined || failure === null) return 0;
  if (failure.value instanceof SystemExit) return failure.value.code;
  console.error(`main function encountered error\n${failure.getTraceback()}`);
  return 1;
}
