/**
 * {@linkcode yieldToEventLoop}: let the event loop turn, cheaply, and let
 * Deno's runtime poll the operating system often enough.
 *
 * The sockets' pending reads and writes complete on this thread's event
 * loop, which plays the kernel's part here. `select` and `epoll` yield once
 * per call, as a system call lets the kernel work, even when a descriptor
 * is ready at once; otherwise a loop that always finds something ready
 * would starve the very I/O it waits for.
 *
 * `setImmediate` is the cheapest turn (a few microseconds): `setTimeout(0)`
 * costs a millisecond or two, and a `MessageChannel` message runs without
 * ever letting Deno's runtime poll the operating system for I/O. But an
 * immediate lets it poll only now and then: a loop that stays busy (a
 * protocol that works 2 ms every turn) and yields only with immediates
 * kept the poetry server's first write to each of 1,100 new connections
 * waiting 7.3 s, since a new socket cannot be written before the runtime
 * has polled it. So once the loop has gone `BUSY_MS` without waiting
 * ({@linkcode noteWaiting}) or a timer, the next turn is a timer's: the
 * same server's first writes then waited 0.1-0.3 s. The price is a timer's
 * least wait, about 2 ms here, every `BUSY_MS` of a loop that never waits:
 * 10,000 turns that each schedule the next take 26-28 ms instead of 20-21
 * (`lib/reactor/reactor_bench.ts`). A longer `BUSY_MS` costs less and
 * lets the writes wait much longer: at 20 ms, 1,000 greetings took 238
 * busy turns instead of 108.
 *
 * @module
 */

import { setImmediate } from "node:timers";

/** How long the loop may turn by immediates alone before a turn waits for a timer. */
const BUSY_MS = 10;
/** When the loop last waited, or last turned by a timer (`performance.now()`). */
let lastWait = performance.now();

/** Resolves on a later turn of the event loop. */
export function yieldToEventLoop(): Promise<void> {
  if (performance.now() - lastWait < BUSY_MS) {
    return new Promise((resolve) => setImmediate(resolve));
  }
  return new Promise((resolve) =>
    setTimeout(() => {
      lastWait = performance.now();
      resolve();
    }, 0)
  );
}

/**
 * Says the loop is about to wait (nothing is ready): Deno's runtime polls
 * the operating system meanwhile, so the turns after it need no timer yet.
 */
export function noteWaiting(): void {
  lastWait = performance.now();
}
