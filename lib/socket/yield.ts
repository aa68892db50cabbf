/**
 * {@linkcode yieldToEventLoop}: let the event loop turn, cheaply.
 *
 * The sockets' pending reads and writes complete on this thread's event
 * loop, which plays the kernel's part here. `select` and `epoll` yield once
 * per call, as a system call lets the kernel work, even when a descriptor
 * is ready at once; otherwise a loop that always finds something ready
 * would starve the very I/O it waits for.
 *
 * `setImmediate` is the cheapest turn (a few microseconds): `setTimeout(0)`
 * costs a millisecond or two, and a `MessageChannel` message runs without
 * ever letting Deno's runtime poll the operating system for I/O. An
 * immediate does not poll for I/O on every turn either, but the runtime
 * does so at least every 61 turns (tokio's event interval), so pending I/O
 * is delayed by a fraction of a millisecond, never starved. When nothing is
 * ready, `select` and `epoll` wait, and then I/O completes at once.
 *
 * @module
 */

import { setImmediate } from "node:timers";

/** Resolves on a later turn of the event loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
