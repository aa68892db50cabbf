/**
 * {@linkcode deferToThread}: run blocking work in a Worker and get its
 * result as a Deferred, after Twisted's `twisted.internet.threads`.
 *
 * Twisted hands a thread a function; a Worker shares no objects with the
 * main thread, so here it gets a module URL and the name of a function that
 * module exports, and imports it itself. The arguments go over as copies
 * (structured clone), and so does the result.
 *
 * @module
 */

import { Deferred, fail } from "../defer/deferred.ts";
import { getReactor } from "../reactor/reactor.ts";
import type { IReactorCore, IReactorFromThreads } from "../interfaces.ts";
import { fireFromThread } from "./_from_thread.ts";
import type { ThreadPool } from "../workers/threadpool.ts";

/**
 * Runs `exportName(...args)` from the module at `moduleUrl` in a Worker of
 * `threadpool`, and returns a Deferred that `reactor` fires on one of its
 * turns (through {@linkcode IReactorFromThreads.callFromThread}) with the
 * function's result, awaited if it is a Promise; or errbacks with a
 * {@linkcode Failure} carrying the error the function threw (its name,
 * message and the Worker's stack; an instance of the built-in or
 * `Deno.errors` class of that name when there is one).
 *
 * This function never throws: a module URL that is not absolute, arguments
 * that cannot be cloned (a function, a symbol), a module the script may not
 * read, or a stopped pool give a Deferred that has already failed (a
 * `TypeError`, `PermissionDenied` or `Error`). Some values clone without
 * complaint into something else: a class instance arrives as a plain object
 * without its methods, a `Deno.Conn` as `{}`. A result that comes back once `reactor` has stopped fires the
 * Deferred at once, since no turn of the loop will come to do it.
 *
 * Permissions: the Worker runs with the script's permissions and imports
 * the module itself, so the script needs read access to the module, to what
 * it imports, and to `lib/` (the Worker's own code): `--allow-read=lib,part05`
 * for a module in `part05/`.
 *
 * @example On a reactor of our own
 * ```ts
 * import { EPollReactor } from "../reactor/epoll_reactor.ts";
 * import { deferToThreadPool } from "./threads.ts";
 *
 * const reactor = new EPollReactor({ installSignalHandlers: false });
 * const module = new URL("../workers/_testdata/work.ts", import.meta.url);
 * let answer = 0;
 * deferToThreadPool<number>(reactor, reactor.getThreadPool(), module, "add", 40, 2)
 *   .addCallback((sum) => {
 *     answer = sum;
 *   })
 *   .addBoth(() => reactor.stop());
 * await reactor.run(); // the pool's Workers are terminated as it stops
 * if (answer !== 42) throw new Error(`40 + 2 came back as ${answer}`);
 * ```
 *
 * @param reactor the reactor whose loop fires the Deferred
 * @param threadpool the pool that runs the call
 * @param moduleUrl an absolute URL: `new URL("./work.ts", import.meta.url)`
 * @param exportName the name of a function the module exports
 * @param args its arguments, copied to the Worker
 * @returns a Deferred of the result
 */
export function deferToThreadPool<T = unknown>(
  reactor: IReactorFromThreads & Pick<IReactorCore, "running">,
  threadpool: ThreadPool,
  moduleUrl: string | URL,
  exportName: string,
  ...args: unknown[]
): Deferred<T> {
  const deferred = new Deferred<T>();
  const onResult = (success: boolean, result: unknown): void => {
    fireFromThread(
      reactor,
      success ? () => deferred.callback(result as T) : () => deferred.errback(result),
    );
  };
  try {
    threadpool.callInThreadWithCallback(onResult, moduleUrl, exportName, ...args);
  } catch (error) {
    return fail(error);
  }
  return deferred;
}

/**
 * Runs `exportName(...args)` from the module at `moduleUrl` in the global
 * reactor's thread pool and returns a Deferred of its result. The pool
 * starts when the reactor runs (calls made before wait), and is stopped
 * when it stops. Everything else is as {@linkcode deferToThreadPool} says.
 *
 * @example Compute in a thread while the reactor stays free
 * ```ts
 * import assert from "node:assert/strict";
 * import { deferToThread } from "./threads.ts";
 * import { reactor } from "../reactor/reactor.ts";
 *
 * // A module the Worker imports, and the name of one of its exports: never a function.
 * const work = new URL("../workers/_testdata/work.ts", import.meta.url);
 * let answer = 0;
 * deferToThread<number>(work, "add", 20, 22)
 *   .addCallback((sum) => {
 *     answer = sum;
 *   })
 *   .addBoth(() => reactor.stop());
 * await reactor.run();
 * assert.equal(answer, 42);
 * ```
 */
export function deferToThread<T = unknown>(
  moduleUrl: string | URL,
  exportName: string,
  ...args: unknown[]
): Deferred<T> {
  // The reactor itself, not the global proxy, which binds a method at each use.
  const reactor = getReactor();
  return deferToThreadPool<T>(reactor, reactor.getThreadPool(), moduleUrl, exportName, ...args);
}
