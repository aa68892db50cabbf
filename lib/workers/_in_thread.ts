/**
 * The Worker side of the thread pool: a thread that waits for calls, runs
 * each (one at a time, as a thread of Twisted's pool does) and hands back
 * its result or its error. Calls and results of plain values cross through
 * the pool's shared {@linkcode Ring}, where the Worker waits for mail with
 * `Atomics.waitAsync` and, after each call, takes the next one waiting in
 * the backlog itself; anything else comes and goes as a message
 * (structured clone). Either way the function runs on this thread's copies
 * of the arguments, and the main thread gets a copy of the result.
 *
 * @module
 */

import { Ring, type RingSeat, type SlotResult } from "./_ring.ts";

/** A call, as the pool posts it. */
export interface Call {
  /** The module to import (an absolute URL). */
  url: string;
  /** The name of the function it exports. */
  exportName: string;
  /** The arguments, already cloned. */
  args: unknown[];
}

/** An error, as it crosses back: enough to rebuild it with its stack. */
export interface ErrorData {
  /** The error's name, such as "TypeError". */
  name: string;
  /** Its message. */
  message: string;
  /** Its stack, as this thread saw it. */
  stack?: string;
}

/**
 * What the Worker posts back for each call it got as a message, and for a
 * ring call whose result is not a plain value; `crashed` when an error escaped
 * every call (a throw in a timer, a rejection nobody handled): the Worker
 * then closes itself, and the pool replaces it.
 */
export type Reply =
  | { ok: true; result: unknown }
  | { ok: false; error: ErrorData; crashed?: true };

const scope = globalThis as unknown as {
  onmessage: (event: MessageEvent<Call | RingSeat>) => void;
  postMessage(message: Reply): void;
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
};
/** Modules already imported, so a call costs no `import()` after the first. */
const modules = new Map<string, Record<string, unknown>>();
/** What the pool's function numbers stand for, read once from its ring's table. */
const functions = new Map<number, [url: string, exportName: string]>();

// Reported here rather than left to escape, which would print it on the
// script's stderr as an uncaught error of the Worker.
scope.addEventListener("error", (event) => {
  event.preventDefault();
  crashed((event as ErrorEvent).error ?? (event as ErrorEvent).message);
});
scope.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  crashed((event as PromiseRejectionEvent).reason);
});

scope.onmessage = ({ data }) => {
  if ("ring" in data) return void serveSeat(new Ring(data.ring), data.seat);
  let result: unknown;
  try {
    result = run(data);
  } catch (error) {
    return fail(error);
  }
  // Only a function that returned a Promise (or a first import) pays for an await.
  if (result instanceof Promise) {
    result.then((value) => succeed(data, value), fail);
  } else {
    succeed(data, result);
  }
};

/**
 * How long a Worker that has just finished a call waits for the next one
 * on its own thread ({@linkcode Ring.waitForMailHere}) before it waits
 * with its event loop. Messages and `terminate()` wait as long at most;
 * the pool nudges the Worker out of the wait before either.
 */
const QUICK_WAIT_MS = 1;
/**
 * Quick waits stop this long after the event loop last turned: the next
 * wait is then with the event loop, so that a caller making call after call
 * does not keep a timer that a call set (or anything else the loop runs)
 * waiting much longer.
 */
const TURN_EVERY_MS = 10;

/**
 * Runs the ring's calls for the Worker's life: one mailed to our seat, then
 * those waiting in the backlog, one at a time, until none is left.
 */
async function serveSeat(ring: Ring, seat: number): Promise<void> {
  for (;;) {
    let slot = await ring.waitForMail(seat);
    const turned = performance.now();
    while (slot !== -1) {
      const [fnId, args] = ring.readCall(slot);
      let fn = functions.get(fnId);
      if (fn === undefined) functions.set(fnId, fn = ring.readFunction(fnId));
      const call = { url: fn[0], exportName: fn[1], args };
      let outcome: SlotResult;
      try {
        let result = run(call);
        if (result instanceof Promise) result = await result;
        outcome = { ok: true, result };
      } catch (error) {
        outcome = { ok: false, error: errorData(error) };
      }
      if (!ring.writeResult(slot, outcome)) {
        // Not a plain value: the result goes as a message, and we wait for mail.
        if (outcome.ok) succeed(call, outcome.result);
        else scope.postMessage(outcome);
        break;
      }
      const next = ring.take();
      ring.complete(slot, next);
      slot = next;
      if (slot === -1 && performance.now() - turned < TURN_EVERY_MS) {
        slot = ring.waitForMailHere(seat, QUICK_WAIT_MS);
      }
    }
  }
}

function run({ url, exportName, args }: Call): unknown {
  const module = modules.get(url);
  if (module === undefined) {
    return import(url).then((loaded) => {
      modules.set(url, loaded);
      return run({ url, exportName, args });
    });
  }
  const fn = module[exportName];
  if (typeof fn !== "function") {
    throw new TypeError(
      `Cannot run ${exportName} in a thread: ${url} exports no function of that name`,
    );
  }
  return fn(...args);
}

function succeed(call: Call, result: unknown): void {
  try {
    scope.postMessage({ ok: true, result });
  } catch (cloneError) {
    const message = cloneError instanceof Error ? cloneError.message : String(cloneError);
    fail(
      new TypeError(
        `Cannot return the result of ${call.exportName} from its thread: it cannot be cloned (${message})`,
      ),
    );
  }
}

function fail(error: unknown): void {
  scope.postMessage({ ok: false, error: errorData(error) });
}

function crashed(error: unknown): void {
  scope.postMessage({ ok: false, error: errorData(error), crashed: true });
  scope.close();
}

function errorData(error: unknown): ErrorData {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack };
  }
  return { name: "Error", message: `Non-Error value thrown: ${String(error)}` };
}
