/**
 * Time and tasks, as Twisted's `twisted.internet.task`: a fake
 * {@linkcode Clock} for deterministic tests, {@linkcode deferLater} and
 * {@linkcode LoopingCall}, each in its own module and exported here
 * together, with the errors of delayed calls.
 *
 * @module
 */

export { Clock } from "./clock.ts";
export { deferLater } from "./defer_later.ts";
export { LoopingCall } from "./looping_call.ts";
export { AlreadyCalled, AlreadyCancelled } from "./error.ts";
export type { DelayedCall } from "./delayed_call.ts";
export type { Callable, IDelayedCall, IReactorTime } from "./interfaces.ts";
