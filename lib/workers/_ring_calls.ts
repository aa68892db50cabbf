/**
 * {@linkcode RingCalls}: the main thread's side of a pool's {@linkcode Ring}:
 * which slots and seats are free, the numbers that stand for (module,
 * export) pairs, and the one wait for the doorbell while calls are out.
 *
 * @module
 */

import { setImmediate } from "node:timers";
import type { Call } from "./_in_thread.ts";
import { Ring, type RingSeat, type SlotResult, SLOTS, WatchBackoff } from "./_ring.ts";

/**
 * How long the main thread watches the doorbell for a result, in a turn of
 * its event loop of its own, unless its last watches missed
 * ({@linkcode WatchBackoff}). `Atomics.waitAsync` wakes the main thread
 * through its event loop, 18-27 µs after the Worker rang here: more than
 * the call itself took (a Worker that is watching its mailbox picks up a
 * call 1-4 µs after it is mailed, and runs a trivial one in 1). Watching,
 * the main thread sees the result within microseconds: 20,000 awaited
 * round trips took 10-15 µs each instead of 27-33.
 */
const WATCH_MS = 0.05;

/**
 * Writes calls of plain values into slots and hands each result to
 * `finished(slot, result, next)` on the main thread, from the doorbell's
 * Promise or a turn that watched for it (not from a reactor's turn, like a
 * Worker's message event); `next` is the slot its Worker took from the
 * backlog, or -1.
 */
export class RingCalls {
  #ring: Ring | null = null;
  readonly #freeSlots = Array.from({ length: SLOTS }, (_, i) => SLOTS - 1 - i);
  readonly #freeSeats = Array.from({ length: SLOTS }, (_, i) => SLOTS - 1 - i);
  /** The number of each function in the ring's table, by module URL and export name. */
  readonly #fnIds = new Map<string, Map<string, number>>();
  readonly #finished: (slot: number, result: SlotResult, next: number) => void;
  /** Slots holding a call whose result has not been handed on. */
  #out = 0;
  #listening = false;
  /** Counts the waits, so that a wait already answered ignores its second answer. */
  #listens = 0;
  /** Whether the next wait also watches the doorbell. */
  readonly #doorbellWatch = new WatchBackoff();
  /**
   * Ref'd while calls are out, unref'd when none are: a pending
   * `Atomics.waitAsync` does not keep Deno's event loop alive, and an idle
   * pool must not keep a script from ending.
   */
  #keepAlive: ReturnType<typeof setInterval> | null = null;

  /** Creates the bookkeeping; the shared memory is allocated when the first seat is taken. */
  constructor(finished: (slot: number, result: SlotResult, next: number) => void) {
    this.#finished = finished;
  }

  /** Calls in the backlog, not taken by a Worker yet. */
  get backlog(): number {
    return this.#ring?.backlog() ?? 0;
  }

  /** A seat for a new Worker and the message that gives it to it; null when every seat is taken. */
  seat(): RingSeat | null {
    const seat = this.#freeSeats.pop();
    if (seat === undefined) return null;
    this.#ring ??= new Ring();
    return { ring: this.#ring.buffer, seat };
  }

  /** Frees the seat of a stopped Worker. */
  unseat(seat: number): void {
    this.#ring?.clearMail(seat);
    this.#freeSeats.push(seat);
  }

  /**
   * Writes `call` into a free slot if its arguments are plain values that
   * fit: the slot, or -1 if the call must go as a message. Nobody runs it
   * before {@linkcode RingCalls.mail} or {@linkcode RingCalls.enqueue}.
   */
  write(call: Call): number {
    const ring = this.#ring;
    if (ring === null || this.#freeSlots.length === 0) return -1;
    let exports = this.#fnIds.get(call.url);
    if (exports === undefined) this.#fnIds.set(call.url, exports = new Map());
    let fnId = exports.get(call.exportName);
    if (fnId === undefined) {
      exports.set(call.exportName, fnId = ring.addFunction(call.url, call.exportName));
    }
    const slot = this.#freeSlots[this.#freeSlots.length - 1];
    if (fnId === -1 || !ring.writeCall(slot, fnId, call.args)) return -1;
    this.#freeSlots.pop();
    if (this.#out++ === 0) this.#hold(true);
    if (!this.#listening) this.#listen(ring.doorbell());
    return slot;
  }

  /** Hands the call in `slot` to the Worker at `seat`. */
  mail(seat: number, slot: number): void {
    (this.#ring as Ring).mail(seat, slot);
  }

  /** Wakes the Worker at `seat` from a wait on its own thread: a message is coming, or it stops. */
  nudge(seat: number): void {
    this.#ring?.nudge(seat);
  }

  /** Puts the call in `slot` in the backlog, for the first Worker that finishes. */
  enqueue(slot: number): void {
    (this.#ring as Ring).enqueue(slot);
  }

  /** Takes the oldest call of the backlog: its slot, or -1. */
  take(): number {
    return this.#ring?.take() ?? -1;
  }

  /**
   * The call in `slot` is over (its result read, or sent as a message, or
   * cancelled): its slot is free again unless `reuse` is false (a Worker
   * that crashed mid-call might still write to it).
   */
  settle(slot: number, reuse = true): void {
    if (reuse) this.#freeSlots.push(slot);
    if (--this.#out === 0) this.#hold(false);
  }

  /** Hands on the results already in the ring, without waiting. */
  drain(): void {
    const ring = this.#ring;
    ring?.drain((slot, next) => this.#finished(slot, ring.readResult(slot), next));
  }

  /** Forgets every call out and drops the handle, for a pool that stopped. */
  close(): void {
    this.#out = 0;
    if (this.#keepAlive !== null) clearInterval(this.#keepAlive);
    this.#keepAlive = null;
  }

  /**
   * Waits for the doorbell to ring past `seen`, then drains, and waits again
   * while calls are out. Unless its last watches missed, it also watches
   * the doorbell for `WATCH_MS` in the event loop's next turn; the first of
   * the two to see it ring drains.
   */
  #listen(seen: number): void {
    this.#listening = true;
    const ring = this.#ring as Ring;
    const listen = ++this.#listens;
    const rang = (): void => {
      if (listen !== this.#listens || !this.#listening) return;
      this.#listening = false;
      // Read the count before draining: a result published after the drain rings past it.
      const now = ring.doorbell();
      this.drain();
      if (this.#out > 0 && !this.#listening) this.#listen(now);
    };
    const wait = ring.waitForResults(seen);
    if (wait === null) return queueMicrotask(rang);
    wait.then(rang);
    if (this.#doorbellWatch.shouldWatch()) {
      // Not at once: the caller's code, which may be about to mail more, runs first.
      setImmediate(() => {
        if (listen !== this.#listens || !this.#listening) return;
        const caught = ring.watchDoorbell(seen, WATCH_MS);
        this.#doorbellWatch.watched(caught);
        if (caught) rang();
      });
    }
  }

  #hold(on: boolean): void {
    const handle = this.#keepAlive ??= setInterval(() => {}, 2 ** 30);
    if (on) Deno.refTimer(handle);
    else Deno.unrefTimer(handle);
  }
}
