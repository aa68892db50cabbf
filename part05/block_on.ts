/**
 * Chapter 5, section 2: why no function can turn a Deferred back into its
 * result. `blockOn(d)` waits for `d` to fire and returns its result, or
 * gives up after a while. It never sees the result: the reactor that would
 * fire `d` runs in this very thread, and the thread is busy waiting. A
 * probe prints when the reactor really fires `d`: always after the wait
 * has given up. We try twice, spinning and then sleeping; then with
 * `await`, which does get the result, but only by making blockOn itself
 * asynchronous: it returns a Promise, and its caller has the same problem.
 *
 * The one honest way to block on something asynchronous is to let another
 * thread do it: chapter 2's blocking socket runs the connection in a
 * Worker while the calling thread sleeps in `Atomics.wait`.
 *
 *     deno task part5:block-on
 *
 * Nothing else needs to run.
 *
 * @module
 */

import { Deferred } from "../lib/defer/deferred.ts";
import { parseCommandLine } from "../lib/cli/mod.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { react } from "../lib/reactor/task.ts";
import { sleep } from "../lib/time/sleep.ts";

/** What a blocking wait saw. */
export interface Wait<T> {
  /** Whether the Deferred fired while we waited (it never does). */
  fired: boolean;
  /** Its result, if it fired. */
  result: T | undefined;
  /** How many times the wait looked at the Deferred. */
  looks: number;
}

/** Waits up to `seconds` for `d` to fire, looking at `d.called` as fast as it can. */
export function blockOnSpinning<T>(d: Deferred<T>, seconds: number): Wait<T> {
  const deadline = performance.now() + seconds * 1000;
  let looks = 0;
  while (performance.now() < deadline) {
    looks++;
    if (d.called) return { fired: true, result: d.result as T, looks };
  }
  return { fired: false, result: undefined, looks };
}

/** The same, politely: it sleeps 10 ms between two looks, leaving the CPU to others. */
export function blockOnSleeping<T>(d: Deferred<T>, seconds: number): Wait<T> {
  const deadline = performance.now() + seconds * 1000;
  let looks = 0;
  while (performance.now() < deadline) {
    looks++;
    if (d.called) return { fired: true, result: d.result as T, looks };
    sleep(0.01);
  }
  return { fired: false, result: undefined, looks };
}

/** With `await` the result does come, but blockOn is then async: it returns a Promise. */
export async function blockOnAwaiting<T>(d: Deferred<T>): Promise<T> {
  return await d;
}

const POEM_DUE = 0.2;
const WAIT = 1;
const started = performance.now();
const at = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;

/**
 * A poem that the reactor delivers `POEM_DUE` seconds from now, as
 * getPoetry's would; the probe prints when that really happens.
 */
function poemLater(): Deferred<string> {
  const d = new Deferred<string>();
  const due = performance.now() + POEM_DUE * 1000;
  reactor.callLater(POEM_DUE, () => {
    const late = (performance.now() - due) / 1000;
    console.log(`${at()}: probe: the reactor fires d now, ${late.toFixed(1)} s late`);
    d.callback("a poem");
  });
  return d;
}

/** One attempt: ask for a poem, block on it, say what the wait saw; fires when d does. */
function attempt(
  how: string,
  blockOn: (d: Deferred<string>, seconds: number) => Wait<string>,
): Deferred<string> {
  const d = poemLater();
  console.log(`${at()}: blockOn(d) ${how} for up to ${WAIT} s; the poem is due in ${POEM_DUE} s`);
  const { fired, looks } = blockOn(d, WAIT);
  console.log(
    `${at()}: blockOn gave up after ${looks} looks: d ${fired ? "fired" : "has not fired"}`,
  );
  return d;
}

if (import.meta.main) {
  parseCommandLine({
    task: "part5:block-on",
    args: "",
    description:
      "Tries to wait for a Deferred in the reactor's own thread, and shows why it cannot.",
    options: {},
  });
  await react(() =>
    attempt("spins", blockOnSpinning)
      .addCallback(() => attempt("sleeps between looks", blockOnSleeping))
      .addCallback(() => {
        const promise = blockOnAwaiting(poemLater());
        const what = promise instanceof Promise ? "a Promise, not the poem" : "the poem";
        console.log(`${at()}: blockOn(d) with await returned at once, with ${what}`);
        return Deferred.fromPromise(promise);
      })
      .addCallback((poem) => {
        console.log(`${at()}: its Promise resolved with "${poem}", on a later turn of the reactor`);
      })
  );
}
