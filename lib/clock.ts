/**
 * {@linkcode Clock}: a fake reactor clock for deterministic tests, as
 * Twisted's `twisted.internet.task.Clock`. Also exported by `lib/task.ts`.
 *
 * @module
 */

import type { DelayedCall } from "./delayed_call.ts";
import type { Callable, IReactorTime } from "./interfaces.ts";
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
 * import { Clock } from "./task.ts";
 *
 * const clock = new Clock();
 * clock.callLater(2, () => console.log("two seconds later"));
 * clock.advance(1); // nothing yet
 * clock.advance(1); // prints "two seconds later"
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
    if (typeof amount !== "number" || !Number.isFinite(amount) || amount < 0) {
      throw new RangeError(
        `Cannot advance clock: seconds must be a non-negative finite number, got ${amount}`,
      );
    }
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
