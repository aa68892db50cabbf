/**
 * How a result that arrives from outside the reactor (a Worker's result,
 * a process's exit) reaches a Deferred: on a turn of the reactor, through
 * `callFromThread`; at once when the reactor is not running, since no turn
 * may come to do it.
 *
 * @module
 */

import type { IReactorCore, IReactorFromThreads } from "../interfaces.ts";

/** What {@linkcode fireFromThread} needs of a reactor. */
export type FromThreadsReactor = IReactorFromThreads & Pick<IReactorCore, "running">;

/** Calls `fire` on the reactor's next turn, or now if it is not running. */
export function fireFromThread(reactor: FromThreadsReactor, fire: () => void): void {
  if (reactor.running) reactor.callFromThread(fire);
  else fire();
}
