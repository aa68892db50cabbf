/**
 * {@linkcode DelayedCall}: the handle that `callLater` returns, shared by the
 * reactors and the fake {@linkcode Clock}.
 *
 * @module
 */

import { AlreadyCalled, AlreadyCancelled } from "../error.ts";
import type { Callable, IDelayedCall } from "../interfaces.ts";
import { checkSeconds } from "../time/seconds.ts";

/**
 * A call scheduled for later. See {@linkcode IDelayedCall}.
 *
 * As in Twisted, the scheduler that creates it passes a `canceller` and a
 * `resetter` so the call can tell its scheduler when it is cancelled or
 * moved; the scheduler marks it called with {@linkcode DelayedCall.run}.
 */
export class DelayedCall implements IDelayedCall {
  #time: number;
  #called = false;
  #cancelled = false;
  readonly #func: Callable;
  readonly #args: unknown[];
  readonly #canceller: (call: DelayedCall) => void;
  readonly #resetter: (call: DelayedCall) => void;
  readonly #seconds: () => number;

  /**
   * Creates a pending call; schedulers do this, scripts call `callLater`.
   *
   * @param time when to run, in the scheduler's `seconds()` units
   * @param func what to call
   * @param args its arguments
   * @param canceller told when the call is cancelled
   * @param resetter told when the call's time changes
   * @param seconds the scheduler's clock, used by `reset`
   */
  constructor(
    time: number,
    func: Callable,
    args: unknown[],
    canceller: (call: DelayedCall) => void,
    resetter: (call: DelayedCall) => void,
    seconds: () => number,
  ) {
    this.#time = time;
    this.#func = func;
    this.#args = args;
    this.#canceller = canceller;
    this.#resetter = resetter;
    this.#seconds = seconds;
  }

  /** The function this call will run, for reports such as `getDelayedCalls()` listings. */
  get func(): Callable {
    return this.#func;
  }

  /** The arguments the function will be called with. */
  get args(): readonly unknown[] {
    return this.#args;
  }

  /** True once the call has run. */
  get called(): boolean {
    return this.#called;
  }

  /** True once the call has been cancelled. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** See {@linkcode IDelayedCall.getTime}. */
  getTime(): number {
    return this.#time;
  }

  /** See {@linkcode IDelayedCall.cancel}. */
  cancel(): void {
    this.#checkPending("cancel");
    this.#cancelled = true;
    this.#canceller(this);
  }

  /** See {@linkcode IDelayedCall.reset}. */
  reset(secondsFromNow: number): void {
    this.#checkPending("reset");
    checkDelay(secondsFromNow, "reset");
    this.#time = this.#seconds() + secondsFromNow;
    this.#resetter(this);
  }

  /** See {@linkcode IDelayedCall.delay}. */
  delay(secondsLater: number): void {
    this.#checkPending("delay");
    if (!Number.isFinite(secondsLater)) {
      throw new RangeError(
        `Cannot delay call: seconds must be a finite number, got ${secondsLater}`,
      );
    }
    this.#time += secondsLater;
    this.#resetter(this);
  }

  /** See {@linkcode IDelayedCall.active}. */
  active(): boolean {
    return !(this.#called || this.#cancelled);
  }

  /**
   * Marks the call as called and runs it. Only its scheduler calls this;
   * whatever the function throws propagates to the scheduler.
   *
   * @returns what the function returned
   */
  run(): unknown {
    this.#called = true;
    const func = this.#func;
    return func(...this.#args);
  }

  /** A readable description for listings, like Twisted's `repr`. */
  toString(): string {
    const name = this.#func.name || "anonymous";
    const state = this.#called ? " called" : this.#cancelled ? " cancelled" : "";
    return `<DelayedCall ${name}(${this.#args.map(String).join(", ")}) at ${
      this.#time.toFixed(3)
    }${state}>`;
  }

  #checkPending(action: string): void {
    if (this.#cancelled) {
      throw new AlreadyCancelled(`Cannot ${action} delayed call: it was already cancelled`);
    }
    if (this.#called) {
      throw new AlreadyCalled(`Cannot ${action} delayed call: it was already called`);
    }
  }
}

/**
 * Checks a delay given to `callLater` or `reset`.
 *
 * @param delay seconds, expected finite and not negative
 * @param action what was attempted, for the error message
 * @throws {RangeError} if the delay is negative or not finite
 */
export function checkDelay(delay: number, action: string): void {
  checkSeconds(delay, `${action} call`, "delay");
}
