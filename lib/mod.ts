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
export { DelayedCall } from "./reactor/delayed_call.ts";
export { TimerQueue } from "./reactor/timer_queue.ts";
export { ReactorBase, type ReactorOptions } from "./reactor/base.ts";
export { PosixReactorBase, type Readiness, type Selectable } from "./reactor/posix_base.ts";
export { EPollReactor } from "./reactor/epoll_reactor.ts";
export { PollReactor } from "./reactor/poll_reactor.ts";
export { getReactor, installReactor, reactor } from "./reactor/reactor.ts";
export { AlreadyCalledError, CancelledError, FirstError, TimeoutError } from "./defer/error.ts";
export { Deferred, fail, maybeDeferred, succeed } from "./defer/deferred.ts";
export {
  DeferredList,
  type DeferredListOptions,
  type DeferredListResult,
  gatherResults,
  type GatherResultsOptions,
} from "./defer/deferred_list.ts";
export { ensureDeferred, inlineCallbacks } from "./defer/inline_callbacks.ts";
export { type ErrorClass, Failure, NoCurrentExceptionError } from "./defer/failure.ts";
export { Clock, deferLater, LoopingCall } from "./reactor/task.ts";
export { stackSvg, Timeline, wallClock } from "./timeline/timeline.ts";
export type { ChartOptions, Span, SpanKind, StackedChart } from "./timeline/timeline.ts";
export * from "./socket/socket.ts";
export * from "./socket/select.ts";
export * from "./socket/socket_error.ts";
export { sleep } from "./socket/sleep.ts";
export { type OnResult, ThreadPool } from "./threads/threadpool.ts";
export { deferToThread, deferToThreadPool } from "./threads/threads.ts";
export {
  getProcessOutput,
  type ProcessOutputOptions,
  UnexpectedErrorOutput,
} from "./threads/utils.ts";
export * from "./cli.ts";
export { IPv4Address } from "./tcp/address.ts";
export {
  BaseProtocol,
  ClientFactory,
  Factory,
  Protocol,
  type ProtocolClass,
  ServerFactory,
} from "./tcp/protocol.ts";
export { FileDescriptor, type TCPReactor } from "./tcp/abstract.ts";
export { Connection, Port, Server } from "./tcp/tcp.ts";
export { Client, Connector } from "./tcp/client.ts";
