/**
 * The machinery of the tutorial, Twisted's core in Deno: the reactor and
 * its delayed calls, Deferreds and Failures, time and tasks, Python-style
 * sockets and `select`, protocols, factories and TCP transports, and
 * timelines. The contracts are in
 * `interfaces.ts`; `README.md` beside this file is the map of the folders.
 *
 * @example Count down on the reactor
 * ```ts
 * import assert from "node:assert/strict";
 * import { EPollReactor } from "./mod.ts";
 *
 * const reactor = new EPollReactor({ installSignalHandlers: false });
 * const seen: number[] = [];
 * for (const n of [3, 2, 1]) reactor.callLater((3 - n) * 0.01, () => seen.push(n));
 * reactor.callLater(0.05, () => reactor.stop());
 * await reactor.run();
 * assert.deepEqual(seen, [3, 2, 1]);
 * ```
 *
 * @module
 */

export type * from "./interfaces.ts";
export * from "./error.ts";
export { getReactor, reactor } from "./reactor/reactor.ts";
export { installReactor } from "./reactor/install.ts";
export type { ReactorBase, ReactorOptions } from "./reactor/base.ts";
export type { PosixReactorBase, Readiness, Selectable } from "./reactor/posix_base.ts";
export { EPollReactor, install as installEPollReactor } from "./reactor/epoll_reactor.ts";
export { install as installPollReactor, PollReactor } from "./reactor/poll_reactor.ts";
export { DelayedCall } from "./reactor/delayed_call.ts";
export {
  Clock,
  deferLater,
  LoopingCall,
  react,
  type ReactOptions,
  SIGNAL_STATUS,
  SystemExit,
} from "./reactor/task.ts";
export {
  coiterate,
  cooperate,
  CooperativeTask,
  Cooperator,
  type CooperatorOptions,
} from "./reactor/cooperator.ts";
export * from "./reactor/scheduler_error.ts";
export * from "./reactor/trace.ts";
export * from "./reactor/trace_events.ts";
export * from "./reactor/trace_labels.ts";
export * from "./reactor/trace_reader.ts";
export { Deferred, fail, maybeDeferred, succeed, type TimeoutClock } from "./defer/deferred.ts";
export { AlreadyCalledError, CancelledError, FirstError, TimeoutError } from "./defer/error.ts";
export { type ErrorClass, Failure, NoCurrentExceptionError } from "./defer/failure.ts";
export {
  DeferredList,
  type DeferredListOptions,
  type DeferredListResult,
  gatherResults,
  type GatherResultsOptions,
} from "./defer/deferred_list.ts";
export { ensureDeferred, inlineCallbacks } from "./defer/inline_callbacks.ts";
export {
  type Address,
  IPPROTO_TCP,
  SO_ERROR,
  SO_RCVBUF,
  SO_SNDBUF,
  Socket,
  SOL_SOCKET,
  TCP_NODELAY,
} from "./socket/socket.ts";
export {
  EPoll,
  EPOLLERR,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  EPOLLPRI,
  type FileDescriptorLike,
  select,
} from "./socket/select.ts";
export {
  BlockingIOError,
  describeError,
  errno,
  errnoOf,
  InProgressError,
  SocketError,
  WouldBlockError,
} from "./socket/socket_error.ts";
export * from "./timeline/reactor_timeline.ts";
export { sleep } from "./time/sleep.ts";
export { type StackedChart, stackSvg, Timeline, wallClock } from "./timeline/timeline.ts";
export type { ChartOptions, Span, SpanKind } from "./timeline/span.ts";
export {
  BaseProtocol,
  ClientFactory,
  Factory,
  Protocol,
  type ProtocolClass,
  ServerFactory,
} from "./tcp/protocol.ts";
export { IPv4Address, IPv6Address } from "./tcp/address.ts";
export type { FileDescriptor, TCPReactor } from "./tcp/abstract.ts";
export type { Connection, Port, Server } from "./tcp/tcp.ts";
export type { Client, Connector } from "./tcp/client.ts";
export { type OnResult, ThreadPool } from "./workers/threadpool.ts";
export { deferToThread, deferToThreadPool } from "./threads/threads.ts";
export {
  getProcessOutput,
  type ProcessOutputOptions,
  UnexpectedErrorOutput,
} from "./threads/utils.ts";
