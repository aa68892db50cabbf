/**
 * The contracts of the machinery, stated once, the way Twisted states them
 * with `zope.interface` in `twisted/internet/interfaces.py`.
 *
 * Implementations say which interfaces they provide (`implements`) and point
 * back here instead of repeating the documentation.
 *
 * @module
 */

import type { Deferred } from "./defer/deferred.ts";
import type { Failure } from "./defer/failure.ts";
import type { ThreadPool } from "./workers/threadpool.ts";

/** A function the reactor calls later, with the arguments it was given. */
// deno-lint-ignore no-explicit-any
export type Callable<A extends unknown[] = any[]> = (...args: A) => unknown;

/**
 * A call scheduled by {@linkcode IReactorTime.callLater}: a handle to cancel
 * it, move it, or ask whether it is still pending.
 */
export interface IDelayedCall {
  /**
   * The time at which the call will run, in the clock's
   * {@linkcode IReactorTime.seconds} units.
   */
  getTime(): number;
  /**
   * Cancels the call: it will not run.
   *
   * @throws {AlreadyCancelled} if it was already cancelled
   * @throws {AlreadyCalled} if it has already run
   */
  cancel(): void;
  /**
   * Reschedules the call to run `secondsFromNow` seconds from now.
   *
   * @throws {AlreadyCancelled} if it was already cancelled
   * @throws {AlreadyCalled} if it has already run
   */
  reset(secondsFromNow: number): void;
  /**
   * Pushes the call `secondsLater` seconds further into the future
   * (a negative value brings it closer).
   *
   * @throws {AlreadyCancelled} if it was already cancelled
   * @throws {AlreadyCalled} if it has already run
   */
  delay(secondsLater: number): void;
  /** True while the call has neither run nor been cancelled. */
  active(): boolean;
}

/**
 * Time-based scheduling: what a reactor and the fake
 * {@linkcode Clock} both provide, so time logic can be tested without
 * waiting.
 */
export interface IReactorTime {
  /**
   * The current time in seconds, as a floating point number. Only
   * differences between two readings are meaningful.
   */
  seconds(): number;
  /**
   * Calls `callable(...args)` once, `delay` seconds from now.
   *
   * The call never runs synchronously inside `callLater`, even with a
   * delay of 0: it runs on a later turn of the loop. Calls due at the same
   * time run in the order they were scheduled.
   *
   * @param delay seconds from now, a finite number, 0 or more; fractions allowed
   * @param callable the function to call
   * @param args the arguments to call it with
   * @returns a handle to cancel or move the call
   * @throws {RangeError} if `delay` is negative or not a finite number
   */
  callLater<A extends unknown[]>(delay: number, callable: Callable<A>, ...args: A): IDelayedCall;
  /** The calls that are still pending (neither run nor cancelled), soonest first. */
  getDelayedCalls(): IDelayedCall[];
}

/**
 * The core of a reactor: starting, stopping, and the first calls.
 *
 * In Twisted `reactor.run()` blocks until the reactor stops. JavaScript
 * cannot block its only thread without stopping the very loop that must
 * run, so here `run()` returns a Promise that resolves when the reactor has
 * stopped: `await reactor.run()` reads, and behaves, like Twisted's call.
 */
export interface IReactorCore {
  /** True between `run()` and the end of the loop that `stop()` ends. */
  readonly running: boolean;
  /**
   * Runs the event loop until {@linkcode IReactorCore.stop} is called.
   * While it runs, the process stays alive without using CPU when there is
   * nothing to do, and Ctrl-C (SIGINT) stops it cleanly.
   *
   * @returns a Promise that resolves once the loop has ended
   * @throws {ReactorNotRestartable} if the reactor has already run
   * @throws {ReactorAlreadyRunning} if it is running now
   */
  run(): Promise<void>;
  /**
   * Asks the loop to stop: calls already due in this turn still run, then
   * the loop ends and the Promise returned by `run()` resolves.
   *
   * @throws {ReactorNotRunning} if the reactor is not running (or is already stopping)
   */
  stop(): void;
  /**
   * Calls `callable(...args)` once the reactor runs: at the start of
   * `run()` (in registration order, after the script's synchronous code),
   * or at once if it is already running, as in Twisted.
   */
  callWhenRunning<A extends unknown[]>(callable: Callable<A>, ...args: A): void;
}

/**
 * Something with a file descriptor that the reactor can watch: the
 * `fileno()` of a socket from `lib/socket/socket.ts`, whose readiness the
 * reactor's `select` or `epoll` reports.
 */
export interface IFileDescriptor {
  /**
   * The descriptor number to watch, or -1 if there is none any more (the
   * socket was closed). The number must not change while the descriptor is
   * registered with a reactor.
   */
  fileno(): number;
  /**
   * Called by the reactor when the connection is lost, after it stopped
   * watching this descriptor (for reading and for writing): `doRead` or
   * `doWrite` returned a reason or threw, the descriptor went away, or the
   * reactor is shutting down.
   *
   * @param reason why: a {@linkcode Failure} wrapping `ConnectionDone` for a
   *   clean end of stream, `ConnectionLost` otherwise, or the error thrown
   */
  connectionLost(reason: Failure): void;
  /** A short name for this descriptor in error reports, as in Twisted's ILoggingContext. */
  logPrefix(): string;
}

/** A descriptor the reactor calls when there is something to read. */
export interface IReadDescriptor extends IFileDescriptor {
  /**
   * Some data is available for reading on this descriptor (or the end of
   * the stream, or an error). Read what is there without blocking: the
   * whole program waits while this runs.
   *
   * @returns nothing to carry on; a reason (an Error or a Failure) when the
   *   connection is over, and the reactor then calls `connectionLost` with it
   */
  doRead(): Error | Failure | void;
}

/** A descriptor the reactor calls when it can write without blocking. */
export interface IWriteDescriptor extends IFileDescriptor {
  /**
   * Some data can be written to this descriptor without blocking.
   *
   * @returns nothing to carry on; a reason (an Error or a Failure) when the
   *   connection is over, and the reactor then calls `connectionLost` with it
   */
  doWrite(): Error | Failure | void;
}

/**
 * The reactor's low-level I/O API: watch descriptors for reading and
 * writing, as Twisted's `IReactorFDSet`. Adding a descriptor twice is
 * harmless, and so is removing one that is not there.
 */
export interface IReactorFDSet {
  /** Calls `reader.doRead()` whenever it is readable, until removed. */
  addReader(reader: IReadDescriptor): void;
  /** Calls `writer.doWrite()` whenever it is writable, until removed. */
  addWriter(writer: IWriteDescriptor): void;
  /** Stops watching `reader` for reading. */
  removeReader(reader: IReadDescriptor): void;
  /** Stops watching `writer` for writing. */
  removeWriter(writer: IWriteDescriptor): void;
  /**
   * Stops watching every descriptor.
   *
   * @returns the readers and writers that were removed, each once
   */
  removeAll(): (IReadDescriptor | IWriteDescriptor)[];
  /** The descriptors watched for reading. */
  getReaders(): IReadDescriptor[];
  /** The descriptors watched for writing. */
  getWriters(): IWriteDescriptor[];
}

/**
 * An endpoint's address, as `getPeer()` and `getHost()` return it. The
 * kinds here are {@linkcode IPv4Address} and {@linkcode IPv6Address}
 * (`lib/tcp/address.ts`).
 */
export interface IAddress {
  /** The transport: "TCP". */
  readonly type: string;
  /** The IP address, such as "127.0.0.1". */
  readonly host: string;
  /** The port number. */
  readonly port: number;
}

/**
 * Something that produces data for a consumer (a transport) when asked:
 * a pull producer, asked for one more piece at a time.
 */
export interface IProducer {
  /**
   * Stops producing for good: the consumer is going away (the connection
   * was lost). Do not write to the consumer after this.
   */
  stopProducing(): void;
}

/**
 * A producer that writes on its own until paused: the consumer calls
 * `pauseProducing()` when its buffer is full and `resumeProducing()` once
 * it has drained, so a fast producer cannot fill memory.
 */
export interface IPushProducer extends IProducer {
  /** Stops writing until `resumeProducing()`. */
  pauseProducing(): void;
  /** Starts writing again after `pauseProducing()`. */
  resumeProducing(): void;
}

/**
 * A producer that writes only when asked: the consumer calls
 * `resumeProducing()` each time it wants more.
 */
export interface IPullProducer extends IProducer {
  /** Writes one more piece to the consumer. */
  resumeProducing(): void;
}

/** Something that data can be written to, and that a producer can feed. */
export interface IConsumer {
  /**
   * Feeds this consumer from `producer` until `unregisterProducer()`.
   *
   * @param streaming true for an {@linkcode IPushProducer} (paused when the
   *   consumer's buffer is full, resumed when it drains), false for an
   *   {@linkcode IPullProducer} (asked with `resumeProducing()` whenever
   *   the buffer has drained, and once at once)
   * @throws {Error} if a producer is already registered
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void;
  /** Forgets the producer; a pending `loseConnection()` may then complete. */
  unregisterProducer(): void;
  /** Takes `data` for writing; see {@linkcode ITransport.write}. */
  write(data: Uint8Array): void;
}

/**
 * One end of a connection, as a protocol sees it: the protocol writes to
 * it and closes it, and never sees the socket behind it.
 */
export interface ITransport {
  /**
   * Writes `data`, some time later, in order, without blocking: the bytes
   * are buffered and sent when the socket can take them. Empty data does
   * nothing; writes after the connection is lost are ignored. The
   * transport keeps `data` until it is sent: do not change it afterwards.
   *
   * @throws {TypeError} if `data` is not a `Uint8Array` (a string, say):
   *   encode text first, as Python 3's Twisted requires bytes
   */
  write(data: Uint8Array): void;
  /** Writes each of `data` in turn, as `write` does. */
  writeSequence(data: Iterable<Uint8Array>): void;
  /**
   * Closes the connection once everything written so far has been sent.
   * The protocol's `connectionLost` then gets `ConnectionDone`.
   */
  loseConnection(): void;
  /** The address of the other end. */
  getPeer(): IAddress;
  /** The address of this end. */
  getHost(): IAddress;
}

/**
 * A TCP connection's transport: an {@linkcode ITransport} that is also a
 * consumer (a producer can feed it) and a push producer (the protocol can
 * pause the reading).
 */
export interface ITCPTransport extends ITransport, IConsumer, IPushProducer {
  /** True while connected: false before, and after the connection is lost. */
  readonly connected: boolean;
  /** True once `loseConnection()` has been called, while the buffer drains. */
  readonly disconnecting: boolean;
  /**
   * Closes the connection now, dropping whatever is still buffered. The
   * protocol's `connectionLost` then gets `ConnectionAborted`.
   */
  abortConnection(): void;
  /** Whether Nagle's algorithm is off (data sent at once, not coalesced). */
  getTcpNoDelay(): boolean;
  /** Turns Nagle's algorithm off (true) or on (false). */
  setTcpNoDelay(enabled: boolean): void;
}

/**
 * The protocol of one connection: the object whose methods the transport
 * calls as events happen. Create one per connection (a factory does).
 */
export interface IProtocol {
  /**
   * Called once, when the connection is made: `transport` is the other
   * end's handle. Calls `connectionMade()`.
   */
  makeConnection(transport: ITCPTransport): void;
  /**
   * The connection is up: `transport` may be written to. A good place to
   * send a greeting or start a timer.
   */
  connectionMade(): void;
  /**
   * Some bytes arrived: any number of them, never zero, cut wherever the
   * network cut them. A message may come in several calls and several
   * messages in one; a multi-byte character may be split between calls,
   * so join bytes before decoding.
   */
  dataReceived(data: Uint8Array): void;
  /**
   * The connection is closed; called once, last.
   *
   * @param reason `ConnectionDone` for a clean close by either side,
   *   `ConnectionLost` (or `ConnectionAborted`) otherwise, or the error a
   *   callback of this protocol threw
   */
  connectionLost(reason: Failure): void;
}

/**
 * Makes a protocol for each connection, and is told when it starts and
 * stops being used by ports and connectors.
 */
export interface IProtocolFactory {
  /**
   * Makes the protocol of a new connection.
   *
   * @param addr the other end's address
   * @returns the protocol, or null to refuse the connection (it is closed)
   */
  buildProtocol(addr: IAddress): IProtocol | null;
  /** Called by each port or connector that starts using this factory. */
  doStart(): void;
  /** Called by each port or connector that stops using this factory. */
  doStop(): void;
}

/**
 * A factory for client connections: also told how each attempt goes.
 * `connectTCP` calls, in order: `doStart`, `startedConnecting`, then either
 * `buildProtocol` and the protocol's `connectionMade`, or
 * `clientConnectionFailed`; at the end `connectionLost` (the protocol's),
 * `clientConnectionLost`, then `doStop`.
 */
export interface IClientFactory extends IProtocolFactory {
  /** A connection attempt has started. */
  startedConnecting(connector: IConnector): void;
  /**
   * The connection could not be made: `reason` wraps a `ConnectError`
   * (`ConnectionRefusedError`, `DNSLookupError`, `ConnectTimeoutError`...).
   * Call `connector.connect()` to try again.
   */
  clientConnectionFailed(connector: IConnector, reason: Failure): void;
  /**
   * A connection that was made is now lost. Call `connector.connect()` to
   * reconnect.
   */
  clientConnectionLost(connector: IConnector, reason: Failure): void;
}

/** A listening TCP port, as `listenTCP` returns it. */
export interface IListeningPort {
  /**
   * Stops listening: later connection attempts are refused; connections
   * already made go on.
   *
   * @returns a Deferred fired once the listening socket is closed
   */
  stopListening(): Deferred<void>;
  /** The address listened on; its `port` is the real one when port 0 was asked. */
  getHost(): IAddress;
}

/** The handle of a client connection, as `connectTCP` returns it. */
export interface IConnector {
  /** Twisted's three states: "disconnected", "connecting" or "connected". */
  readonly state: "disconnected" | "connecting" | "connected";
  /** Stops the attempt under way: the factory gets `UserError`. */
  stopConnecting(): void;
  /** Stops connecting, or closes the connection (`loseConnection`). */
  disconnect(): void;
  /**
   * Tries again, after a failed attempt or a lost connection.
   *
   * @throws {Error} unless the connector is disconnected
   */
  connect(): void;
  /** The address connected to. */
  getDestination(): IAddress;
}

/** Options of {@linkcode IReactorTCP.listenTCP}. */
export interface ListenTCPOptions {
  /** How many connections may wait to be accepted. Default 50, as in Twisted. */
  backlog?: number;
  /**
   * The address to listen on. Default "127.0.0.1", the loopback interface
   * only; Twisted's default is "" (every interface), which we make a
   * choice rather than an accident. Give "0.0.0.0" to be reached from
   * other machines.
   */
  interface?: string;
}

/** A reactor that makes TCP servers and clients. */
export interface IReactorTCP {
  /**
   * Listens on `port` and serves each connection with a protocol from
   * `factory`.
   *
   * @param port the port; 0 picks a free one (see `getHost().port`)
   * @throws {CannotListenError} if the port is taken or not allowed
   */
  listenTCP(port: number, factory: IProtocolFactory, options?: ListenTCPOptions): IListeningPort;
  /**
   * Connects to `host`:`port` and, once connected, talks with a protocol
   * from `factory`. Never throws for a failed connection: every failure
   * reaches `factory.clientConnectionFailed`.
   *
   * @param timeout seconds to wait for the connection before giving up
   *   with `ConnectTimeoutError`; default 30, as in Twisted; null waits as
   *   long as the system does
   */
  connectTCP(
    host: string,
    port: number,
    factory: IClientFactory,
    timeout?: number | null,
  ): IConnector;
}

/**
 * The one reactor method that is safe to call from code the reactor did not
 * call, as Twisted's `IReactorFromThreads`.
 *
 * In Twisted "another thread" is a real thread sharing the reactor's
 * objects. A Worker shares none, so it cannot call the reactor at all: what
 * it sends arrives on the main thread as a message event, or as the
 * resolution of an `Atomics.waitAsync` on shared memory, which Deno's event
 * loop runs between two turns of the reactor, like a Promise callback or a
 * `setTimeout`. Such code must not fire Deferreds or call
 * protocols directly; it hands the work to the reactor with `callFromThread`.
 */
export interface IReactorFromThreads {
  /**
   * Runs `callable(...args)` on the reactor's next turn, and wakes the loop
   * if it is waiting. Calls run in the order they were made, each once; an
   * error they throw is reported like any callback's. Before the reactor
   * runs they wait for it. From a callback that the reactor itself is
   * running, `callLater(0, ...)` does the same job.
   */
  callFromThread<A extends unknown[]>(callable: Callable<A>, ...args: A): void;
}

/** Running functions in another thread, as Twisted's `IReactorInThreads`. */
export interface IReactorInThreads {
  /**
   * Runs `exportName(...args)` from the module at `moduleUrl` in a Worker
   * of the reactor's thread pool, and forgets it: a failure is reported on
   * stderr. `deferToThread` is the form that gives the result back.
   *
   * A Worker takes a module and a name where Twisted takes a function,
   * because no function can be handed to another thread in JavaScript. It
   * runs with the script's permissions and imports the module itself: the
   * script needs read access to the module, to what it imports, and to
   * `lib/` (`--allow-read=lib,part05` for a module in `part05/`).
   *
   * @param moduleUrl an absolute URL: `new URL("./work.ts", import.meta.url)`
   * @param exportName the name of a function the module exports
   * @param args its arguments, copied to the Worker (structured clone)
   * @throws {TypeError} if `moduleUrl` is not absolute or an argument cannot be cloned
   * @throws {Deno.errors.PermissionDenied} if the script may not read the module
   */
  callInThread(moduleUrl: string | URL, exportName: string, ...args: unknown[]): void;
}

/**
 * A reactor with a pool of Workers, as Twisted's `IReactorThreads`. The
 * pool holds 0 to 10 Workers (Twisted's sizes), starts them as calls need
 * them once the reactor runs, and terminates them when the reactor stops,
 * so a script that used threads still exits by itself.
 */
export interface IReactorThreads extends IReactorFromThreads, IReactorInThreads {
  /**
   * The pool that {@linkcode IReactorInThreads.callInThread} uses, created
   * on first use: its `min`, `max`, `workers` (started), `busy` and `queued`.
   */
  getThreadPool(): ThreadPool;
  /**
   * Sets the most Workers the pool may run at once (its `max`).
   *
   * @throws {RangeError} if `size` is not a whole number of at least 1 and the pool's `min`
   */
  suggestThreadPoolSize(size: number): void;
}
