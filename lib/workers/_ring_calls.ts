/**
 * {@linkcode RingCalls}: the main thread's side of a pool's {@linkcode Ring}:
 * which Worker owns which slot, the numbers that stand for (module, export)
 * pairs, and the one wait for the doorbell while calls are out.
 *
 * @module
 */

import type { Call, RingSlot } from "./_in_thread.ts";
import { Ring, type SlotResult, SLOTS } from "./_ring.ts";

/**
 * Posts calls of plain values to Workers' slots and hands each result to
 * `finished` on the main thread, from the doorbell's Promise (not from a
 * reactor's turn, like a Worker's message event). `finished` calls
 * {@linkcode RingCalls.settled} for each result it takes.
 */
export class RingCalls {
  #ring: Ring | null = null;
  readonly #free = Array.from({ length: SLOTS }, (_, i) => SLOTS - 1 - i);
  readonly #fnIds = new Map<string, number>();
  readonly #finished: (slot: number, result: SlotResult) => void;
  /** Calls posted and not settled yet. */
  #out = 0;
  #listening = false;
  /**
   * Ref'd while calls are out, unref'd when none are: a pending
   * `Atomics.waitAsync` does not keep Deno's event loop alive, and an idle
   * pool must not keep a script from ending.
   */
  #keepAlive: ReturnType<typeof setInterval> | null = null;

  /** Creates the bookkeeping; the shared memory is allocated when the first slot is taken. */
  constructor(finished: (slot: number, result: SlotResult) => void) {
    this.#finished = finished;
  }

  /** Calls posted to slots whose results have not been handed on. */
  get out(): number {
    return this.#out;
  }

  /** A slot for a new Worker and the message that gives it to it; null when every slot is owned. */
  take(): RingSlot | null {
    const slot = this.#free.pop();
    if (slot === undefined) return null;
    this.#ring ??= new Ring();
    return { ring: this.#ring.buffer, slot };
  }

  /** Takes back the slot of a Worker stopped between two calls. */
  release(slot: number): void {
    this.#free.push(slot);
  }

  /**
   * Posts `call` to the Worker owning `slot`, if its arguments are plain
   * values that fit; `known` holds the function numbers that Worker has
   * been told, and learns the new one.
   *
   * @returns false, with nothing posted, if the call must go as a message
   */
  post(slot: number, known: Set<number>, call: Call): boolean {
    const ring = this.#ring as Ring;
    const key = `${call.exportName} ${call.url}`;
    let fnId = this.#fnIds.get(key);
    if (fnId === undefined) this.#fnIds.set(key, fnId = this.#fnIds.size);
    const fresh = known.has(fnId) ? null : [call.url, call.exportName] as [string, string];
    if (!ring.writeCall(slot, fnId, fresh, call.args)) return false;
    known.add(fnId);
    if (this.#out++ === 0) this.#hold(true);
    if (!this.#listening) this.#listen(ring.doorbell());
    ring.post(slot);
    return true;
  }

  /** A posted call ended without a result in its slot: by a message, a crash, or the pool's stop. */
  settled(): void {
    if (--this.#out === 0) this.#hold(false);
  }

  /** Forgets every call out and drops the handle, for a pool that stopped. */
  close(): void {
    this.#out = 0;
    if (this.#keepAlive !== null) clearInterval(this.#keepAlive);
    this.#keepAlive = null;
  }

  /** Waits for the doorbell to ring past `seen`, then drains, and waits again while calls are out. */
  #listen(seen: number): void {
    this.#listening = true;
    const ring = this.#ring as Ring;
    const rang = (): void => {
      this.#listening = false;
      // Read the count before draining: a result published after the drain rings past it.
      const now = ring.doorbell();
      ring.drain((slot) => this.#finished(slot, ring.readResult(slot)));
      if (this.#out > 0 && !this.#listening) this.#listen(now);
    };
    const wait = ring.waitForResults(seen);
    if (wait === null) queueMicrotask(rang);
    else wait.then(rang);
  }

  #hold(on: boolean): void {
    const handle = this.#keepAlive ??= setInterval(() => {}, 2 ** 30);
    if (on) Deno.refTimer(handle);
    else Deno.unrefTimer(handle);
  }
}
