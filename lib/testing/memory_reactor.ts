/**
 * {@linkcode MemoryReactor}: a reactor that records what it is asked to do
 * and does none of it, after Twisted's
 * `twisted.internet.testing.MemoryReactor`: `listenTCP` and `connectTCP`
 * are noted in `tcpServers` and `tcpClients` (no socket is opened, no
 * connection ever succeeds), and descriptors go into plain sets. With
 * {@linkcode MemoryReactorClock}, time is a fake {@linkcode Clock} too.
 *
 * @example Check what a client asked for
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { ClientFactory } from "../tcp/protocol.ts";
 * import { MemoryReactor } from "./memory_reactor.ts";
 *
 * const reactor = new MemoryReactor();
 * const factory = new ClientFactory();
 * reactor.connectTCP("127.0.0.1", 10000, factory);
 * deepStrictEqual(reactor.tcpClients.map(([host, port]) => [host, port]), [["127.0.0.1", 10000]]);
 * ```
 *
 * @module
 */

import type { Deferred } from "../defer/deferred.ts";
import { succeed } from "../defer/deferred.ts";
import type { DelayedCall } from "../reactor/delayed_call.ts";
import { Clock } from "../reactor/task.ts";
import type {
  Callable,
  IClientFactory,
  IConnector,
  IListeningPort,
  IProtocolFactory,
  IReactorCore,
  IReactorFDSet,
  IReactorTCP,
  IReactorTime,
  IReadDescriptor,
  IWriteDescriptor,
  ListenTCPOptions,
} from "../interfaces.ts";
import { type IPv4Address, type IPv6Address, tcpAddress } from "../tcp/address.ts";

/** A `listenTCP` call: port, factory, backlog, interface. */
export type TCPServerCall = [
  port: number,
  factory: IProtocolFactory,
  backlog: number,
  iface: string,
];
/** A `connectTCP` call: host, port, factory, timeout. */
export type TCPClientCall = [
  host: string,
  port: number,
  factory: IClientFactory,
  timeout: number | null,
];

/** A port that listens on nothing. */
export class FakePort implements IListeningPort {
  /** True once `stopListening()` was called. */
  stopped = false;

  /** Pretends to listen on `address`. */
  constructor(readonly address: IPv4Address | IPv6Address) {}

  /** Records the call; the Deferred has already fired. */
  stopListening(): Deferred<void> {
    this.stopped = true;
    return succeed(undefined);
  }

  /** The address given. */
  getHost(): IPv4Address | IPv6Address {
    return this.address;
  }
}

/** A connector that connects nowhere, and records what it is told. */
export class FakeConnector implements IConnector {
  /** Stays "connecting": nothing ever answers. */
  state: "disconnected" | "connecting" | "connected" = "connecting";
  /** True once `stopConnecting()` was called. */
  stoppedConnecting = false;
  /** True once `disconnect()` was called. */
  disconnected = false;

  /** Pretends to connect to `address`. */
  constructor(readonly address: IPv4Address | IPv6Address) {}

  /** Records the call. */
  stopConnecting(): void {
    this.stoppedConnecting = true;
  }

  /** Records the call. */
  disconnect(): void {
    this.disconnected = true;
  }

  /** Does nothing. */
  connect(): void {}

  /** The address given. */
  getDestination(): IPv4Address | IPv6Address {
    return this.address;
  }
}

/** A fake reactor for protocol and factory tests. See the module's documentation. */
export class MemoryReactor implements IReactorCore, IReactorTCP, IReactorFDSet {
  /** True between `run()` and `stop()`. */
  running = false;
  /** True once `stop()` was called. */
  hasStopped = false;
  /** The calls given to `callWhenRunning`, not yet run. */
  readonly whenRunningHooks: [Callable, unknown[]][] = [];
  /** Every `listenTCP` call, in order. */
  readonly tcpServers: TCPServerCall[] = [];
  /** Every `connectTCP` call, in order. */
  readonly tcpClients: TCPClientCall[] = [];
  /** The connectors `connectTCP` returned. */
  readonly connectors: FakeConnector[] = [];
  /** The registered readers. */
  readonly readers = new Set<IReadDescriptor>();
  /** The registered writers. */
  readonly writers = new Set<IWriteDescriptor>();

  /** Sets `running`, runs the `callWhenRunning` calls, and returns: nothing else happens. */
  run(): Promise<void> {
    this.running = true;
    for (const [callable, args] of this.whenRunningHooks.splice(0)) callable(...args);
    return Promise.resolve();
  }

  /** Records the stop. */
  stop(): void {
    this.running = false;
    this.hasStopped = true;
  }

  /** Runs `callable` now if running, otherwise at `run()`. */
  callWhenRunning<A extends unknown[]>(callable: Callable<A>, ...args: A): void {
    if (this.running) callable(...args);
    else this.whenRunningHooks.push([callable as Callable, args]);
  }

  /** Records the call and returns a port that listens on nothing. */
  listenTCP(
    port: number,
    factory: IProtocolFactory,
    { backlog = 50, interface: iface = "127.0.0.1" }: ListenTCPOptions = {},
  ): FakePort {
    this.tcpServers.push([port, factory, backlog, iface]);
    return new FakePort(tcpAddress(iface, port));
  }

  /**
   * Records the call, tells the factory `startedConnecting`, and returns a
   * connector that never connects.
   */
  connectTCP(
    host: string,
    port: number,
    factory: IClientFactory,
    timeout: number | null = 30,
  ): FakeConnector {
    this.tcpClients.push([host, port, factory, timeout]);
    const connector = new FakeConnector(tcpAddress(host, port));
    factory.startedConnecting(connector);
    this.connectors.push(connector);
    return connector;
  }

  /** Adds `reader` to `readers`. */
  addReader(reader: IReadDescriptor): void {
    this.readers.add(reader);
  }

  /** Removes `reader` from `readers`. */
  removeReader(reader: IReadDescriptor): void {
    this.readers.delete(reader);
  }

  /** Adds `writer` to `writers`. */
  addWriter(writer: IWriteDescriptor): void {
    this.writers.add(writer);
  }

  /** Removes `writer` from `writers`. */
  removeWriter(writer: IWriteDescriptor): void {
    this.writers.delete(writer);
  }

  /** The readers, as a list. */
  getReaders(): IReadDescriptor[] {
    return [...this.readers];
  }

  /** The writers, as a list. */
  getWriters(): IWriteDescriptor[] {
    return [...this.writers];
  }

  /** Empties both sets and returns what was in them. */
  removeAll(): (IReadDescriptor | IWriteDescriptor)[] {
    const removed = [...new Set([...this.readers, ...this.writers])];
    this.readers.clear();
    this.writers.clear();
    return removed;
  }
}

/**
 * A {@linkcode MemoryReactor} whose time is a {@linkcode Clock}: delayed
 * calls run only when a test calls `advance`.
 */
export class MemoryReactorClock extends MemoryReactor implements IReactorTime {
  /** The fake clock behind `seconds`, `callLater` and `advance`. */
  readonly clock = new Clock();

  /** See {@linkcode Clock.seconds}. */
  seconds(): number {
    return this.clock.seconds();
  }

  /** See {@linkcode Clock.callLater}. */
  callLater<A extends unknown[]>(delay: number, callable: Callable<A>, ...args: A): DelayedCall {
    return this.clock.callLater(delay, callable, ...args);
  }

  /** See {@linkcode Clock.getDelayedCalls}. */
  getDelayedCalls(): DelayedCall[] {
    return this.clock.getDelayedCalls();
  }

  /** Moves time forward, running what is due. See {@linkcode Clock.advance}. */
  advance(seconds: number): void {
    this.clock.advance(seconds);
  }
}
