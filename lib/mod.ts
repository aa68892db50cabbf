/**
 * The machinery of the tutorial, Twisted's core in Deno: reactors, delayed
 * calls, Deferreds, sockets, protocols and factories.
 *
 * @example Count to three on the reactor
 * ```ts ignore
 * import { reactor } from "./mod.ts";
 *
 * reactor.callLater(1, () => reactor.stop());
 * await reactor.run();
 * ```
 *
 * @module
 */

export * from "./error.ts";
export type * from "./interfaces.ts";
export { DelayedCall } from "./delayed_call.ts";
export { TimerQueue } from "./timer_queue.ts";
export { ReactorBase, type ReactorOptions } from "./base_reactor.ts";
export { PosixReactorBase, type Readiness, type Selectable } from "./posix_base.ts";
export { EPollReactor } from "./epoll_reactor.ts";
export { PollReactor } from "./poll_reactor.ts";
export { getReactor, installReactor, reactor } from "./reactor.ts";
export {
  AlreadyCalledError,
  CancelledError,
  Deferred,
  DeferredList,
  type DeferredListOptions,
  type DeferredListResult,
  ensureDeferred,
  type ErrorClass,
  fail,
  Failure,
  FirstError,
  gatherResults,
  type GatherResultsOptions,
  inlineCallbacks,
  maybeDeferred,
  NoCurrentExceptionError,
  succeed,
  TimeoutError,
} from "./deferred.ts";
export { Clock, deferLater, LoopingCall } from "./task.ts";
export { stackSvg, Timeline, wallClock } from "./timeline.ts";
export type { ChartOptions, Span, SpanKind, StackedChart } from "./timeline.ts";
export * from "./socket.ts";
export * from "./select.ts";
export * from "./socket_error.ts";
export { sleep } from "./sleep.ts";
export * from "./cli.ts";
