/**
 * TCP on the reactor, as Twisted's `twisted.internet.tcp`: a
 * {@linkcode Connection} is the transport of one connection (a
 * {@linkcode Server} when a {@linkcode Port} accepted it, a `Client` when a
 * `Connector` made it: see `client.ts`), over a non-blocking
 * {@linkcode Socket} from `lib/socket/`.
 *
 * All of them are descriptors on the reactor's own API (`addReader`,
 * `addWriter`): the loop that chapter 3 built and the `doRead` that
 * chapter 4 wrote by hand are what carry the protocols. The reactor calls
 * `doRead`, the transport reads the socket and calls the protocol's
 * `dataReceived`; the protocol never sees the socket.
 *
 * Nothing here imports the global reactor: each object is given the
 * reactor that made it (`reactor.listenTCP` and `reactor.connectTCP` are
 * short hand-offs).
 *
 * @module
 */

import { CannotListenError, ConnectionAborted, ConnectionDone, ConnectionLost } from "../error.ts";
import { Deferred } from "../defer/deferred.ts";
import { Failure } from "../defer/failure.ts";
import type {
  IDelayedCall,
  IListeningPort,
  IProtocol,
  IProtocolFactory,
  IReadDescriptor,
  ITCPTransport,
} from "../interfaces.ts";
import {
  type Address,
  DISCARD,
  IPPROTO_TCP,
  SO_RCVBUF,
  SO_SNDBUF,
  Socket,
  SOL_SOCKET,
  TCP_NODELAY,
} from "../socket/socket.ts";
import {
  describeError,
  errno,
  errnoOf,
  isShortage,
  WouldBlockError,
} from "../socket/socket_error.ts";
import { FileDescriptor, type TCPReactor } from "./abstract.ts";
import { type IPv4Address, type IPv6Address, tcpAddress } from "./address.ts";
import { Protocol } from "./protocol.ts";

/**
 * Bytes asked of the socket per read. Twisted asks 64 KiB, and the kernel
 * behind it has buffers of megabytes; here the socket's own buffers are
 * what a read drains, and reading them in large pieces is what makes a
 * bulk transfer fast (lib/tcp/tcp_bench.ts).
 */
const READ_SIZE = 1024 * 1024;
/** How many reads one doRead may do: each hands over a chunk the socket read, without a copy. */
const READS_PER_TURN = 4;
/**
 * The size a connection's socket buffers (SO_SNDBUF, SO_RCVBUF) may grow
 * to, from the socket's 64 KiB, when the connection keeps filling them,
 * and shrink back to when its traffic falls.
 */
const MAX_SOCKET_BUFFER = 1024 * 1024;
const MIN_SOCKET_BUFFER = 64 * 1024;
/** Accept errors that cost only the connection that was being accepted. */
const ROUTINE_ACCEPT_ERRORS = new Set<number>([
  errno.ECONNABORTED,
  errno.ECONNRESET,
  errno.ENOTCONN,
  errno.EPERM,
]);
/** The first and the longest wait before a port short of descriptors asks again, in seconds. */
const MIN_BACKOFF = 0.05;
const MAX_BACKOFF = 1;

/**
 * The transport of one TCP connection: reads the socket when the reactor
 * says it is readable and hands the bytes to the protocol; buffers writes
 * and sends them when it is writable. See {@linkcode ITCPTransport}.
 */
export abstract class Connection extends FileDescriptor implements ITCPTransport {
  /** The socket; the protocol never sees it. */
  readonly socket: Socket;
  /** The protocol this transport delivers to. */
  protocol: IProtocol;
  #aborting = false;

  /**
   * Wraps a socket; subclasses register it with the reactor.
   *
   * @param socket a connected (or connecting), non-blocking socket
   * @param protocol the protocol, or a placeholder until one is built
   */
  constructor(socket: Socket, protocol: IProtocol, reactor: TCPReactor) {
    super(reactor);
    this.socket = socket;
    this.protocol = protocol;
  }

  /** See {@linkcode IFileDescriptor.fileno}. */
  fileno(): number {
    return this.socket.fileno();
  }

  /**
   * Sizes a socket buffer by the `bytes` one read or send moved, as
   * Linux's autotuning sizes a busy socket's buffers: doubled, up to
   * `MAX_SOCKET_BUFFER`, when they filled half of it or more; halved, down
   * to `MIN_SOCKET_BUFFER`, when they used less than an eighth. A
   * connection that moves little keeps the small default (ten thousand of
   * them stay cheap), one that moves a lot gets the large reads and writes
   * that make a bulk transfer fast, and gives them back when its burst is
   * over.
   */
  #tune(option: typeof SO_SNDBUF | typeof SO_RCVBUF, bytes: number): void {
    const size = this.socket.getsockopt(SOL_SOCKET, option);
    if (bytes * 2 >= size && size < MAX_SOCKET_BUFFER) {
      this.socket.setsockopt(SOL_SOCKET, option, Math.min(MAX_SOCKET_BUFFER, size * 2));
    } else if (bytes * 8 < size && size > MIN_SOCKET_BUFFER) {
      this.socket.setsockopt(SOL_SOCKET, option, Math.max(MIN_SOCKET_BUFFER, size / 2));
    }
  }

  /**
   * Reads what the socket holds and gives it to the protocol, chunk by
   * chunk as the socket read them (up to 1 MiB each, a few per call), while
   * the transport is still reading (`pauseProducing()` or `loseConnection()`
   * in `dataReceived` stop it). A clean end of stream gives `ConnectionDone`, a failed read
   * `ConnectionLost`. As Deno's `Conn.read()` reports a peer's reset as
   * an end of stream, a reset seen while only reading is `ConnectionDone`;
   * it shows as `ConnectionLost` only when a write fails.
   * See {@linkcode IReadDescriptor.doRead}.
   */
  doRead(): Error | void {
    // Twisted reads once per doRead; the socket here hands over each chunk
    // it read as it is (no copy), so read a few, while still reading.
    for (let read = 0; read < READS_PER_TURN && this.reading && !this.#aborting; read++) {
      // Protocol's own dataReceived (the poetry server's) keeps nothing, so
      // its bytes are read into DISCARD: a client that floods it costs no
      // memory. (CPython frees the bytes Twisted's recv makes at once; V8
      // would free ours only at its next collection, after a thousand such
      // clients had made many.) It is handed a view of DISCARD, which it
      // ignores, as Twisted's would ignore its bytes.
      const drops = this.protocol.dataReceived === Protocol.prototype.dataReceived;
      let data: Uint8Array;
      try {
        data = drops
          ? DISCARD.subarray(0, this.socket.recv_into(DISCARD))
          : this.socket.recv(READ_SIZE);
      } catch (error) {
        if (error instanceof WouldBlockError) return;
        return new ConnectionLost(`Connection lost: ${describeError(error)}`);
      }
      if (data.length === 0) return new ConnectionDone();
      this.#tune(SO_RCVBUF, data.length);
      this.reactor.trace?.bytes(this.fileno(), data.length, 0);
      this.reactor.trace?.enter(
        `dataReceived ${this.protocol.constructor.name} ${data.length} bytes`,
      );
      this.protocol.dataReceived(data);
      this.reactor.trace?.leave();
    }
  }

  /** See {@linkcode IWriteDescriptor.doWrite}. */
  override doWrite(): Error | Failure | void {
    if (this.#aborting) return;
    return super.doWrite();
  }

  /** Hands `chunks` to the socket's send buffer, which writes in the background. */
  protected writeSomeData(chunks: readonly Uint8Array[]): number | Error {
    try {
      const sent = this.socket.sendmsg(chunks);
      this.reactor.trace?.bytes(this.fileno(), 0, sent);
      // What did not fit says the buffer was full: grow it. (A send buffer
      // is only a limit, it holds no memory of its own: it is not shrunk.)
      if (sent < this.bufferedAmount) this.#tune(SO_SNDBUF, Infinity);
      return sent;
    } catch (error) {
      if (error instanceof WouldBlockError) return 0;
      return new ConnectionLost(`Connection lost: ${describeError(error)}`);
    }
  }

  /**
   * See {@linkcode ITCPTransport.abortConnection}. As in Twisted, the
   * protocol hears of it on the next turn of the reactor. Deno has no
   * `SO_LINGER`, so the peer sees a clean close after the bytes the socket
   * had already taken, not a reset.
   */
  abortConnection(): void {
    if (this.disconnected || this.#aborting) return;
    this.#aborting = true;
    this.stopReading();
    this.stopWriting();
    this.reactor.callLater(0, () => this.connectionLost(new Failure(new ConnectionAborted())));
  }

  /**
   * Closes the socket and tells the protocol, once. After a
   * `loseConnection()` or a peer's clean close (`ConnectionDone`) the socket
   * still delivers what it had taken, as a kernel does after close(2);
   * otherwise (an abort, a failure, the reactor shutting down) that is
   * dropped, as Twisted drops its buffer: a peer that does not read must
   * not keep the process alive.
   * See {@linkcode IFileDescriptor.connectionLost}.
   */
  override connectionLost(reason: Failure): void {
    if (this.disconnected) return;
    super.connectionLost(reason);
    if (reason.check(ConnectionDone) && !this.#aborting) this.socket.close();
    else this.socket.abort();
    this.protocol.connectionLost(reason);
  }

  /** See {@linkcode ITCPTransport.getTcpNoDelay}. */
  getTcpNoDelay(): boolean {
    return this.socket.getsockopt(IPPROTO_TCP, TCP_NODELAY) !== 0;
  }

  /** See {@linkcode ITCPTransport.setTcpNoDelay}. */
  setTcpNoDelay(enabled: boolean): void {
    this.socket.setsockopt(IPPROTO_TCP, TCP_NODELAY, enabled ? 1 : 0);
  }

  /** See {@linkcode ITransport.getPeer}. */
  abstract getPeer(): IPv4Address | IPv6Address;
  /** See {@linkcode ITransport.getHost}. */
  abstract getHost(): IPv4Address | IPv6Address;
}

/** The transport of a connection a {@linkcode Port} accepted. */
export class Server extends Connection {
  /** The peer's address as accept gave it; an address object is made when asked for, as Twisted's. */
  readonly #client: Address;
  #peer: IPv4Address | IPv6Address | undefined;
  #host: IPv4Address | IPv6Address | undefined;
  readonly #protocolName: string;
  readonly #sessionno: number;
  readonly #closed: (() => void) | undefined;

  /**
   * Starts reading at once, as Twisted's `tcp.Server` does; the port then
   * calls the protocol's `makeConnection`.
   *
   * @param client the peer's address
   * @param sessionno the connection's number on its port, for logs
   * @param closed called once the connection's socket is closed (its
   *   descriptor free): a port short of descriptors accepts again then
   */
  constructor(
    socket: Socket,
    protocol: IProtocol,
    client: Address,
    sessionno: number,
    reactor: TCPReactor,
    closed?: () => void,
  ) {
    super(socket, protocol, reactor);
    this.#closed = closed;
    this.#client = client;
    // The addresses and the log prefix are made when asked for: few of ten
    // thousand connections are ever asked, and each address is an object.
    this.#protocolName = protocol.constructor.name;
    this.#sessionno = sessionno;
    this.startReading();
    this.connected = true;
  }

  /** See {@linkcode ITransport.getPeer}. */
  getPeer(): IPv4Address | IPv6Address {
    return this.#peer ??= tcpAddress(...this.#client);
  }

  /**
   * See {@linkcode ITransport.getHost}. Asked from the socket the first
   * time, as Twisted asks `getsockname()`, and kept; like Twisted's, it
   * throws if first asked once the socket is closed.
   */
  getHost(): IPv4Address | IPv6Address {
    return this.#host ??= tcpAddress(...this.socket.getsockname());
  }

  /** See {@linkcode IFileDescriptor.logPrefix}. */
  logPrefix(): string {
    return `${this.#protocolName},${this.#sessionno},${this.#client[0]}`;
  }

  /** See {@linkcode Connection.connectionLost}; then tells the port a descriptor is free. */
  override connectionLost(reason: Failure): void {
    if (this.disconnected) return;
    try {
      super.connectionLost(reason);
    } finally {
      this.#closed?.();
    }
  }
}

/**
 * A listening port: a reader on the reactor whose `doRead` accepts the
 * waiting connections and gives each a protocol from the factory.
 * See {@linkcode IListeningPort}.
 */
export class Port implements IListeningPort, IReadDescriptor {
  /** True while listening. */
  connected = false;
  /** True while `stopListening()` is under way. */
  disconnecting = false;
  readonly #reactor: TCPReactor;
  readonly #factory: IProtocolFactory;
  readonly #port: number;
  readonly #backlog: number;
  readonly #interface: string;
  #socket: Socket | null = null;
  #host: IPv4Address | IPv6Address | null = null;
  #sessionno = 0;
  #stopped: Deferred<void> | null = null;
  /** When accepting last failed for want of a resource (EMFILE...), in `seconds()`; null if never. */
  #lastShortage: number | null = null;
  /** A connection was accepted since `#lastShortage`. */
  #acceptedSince = false;
  /** Seconds to wait before asking again, doubled by each failure in a row. */
  #backoff = MIN_BACKOFF;
  /** The retry while backing off, if one is scheduled. */
  #retry: IDelayedCall | null = null;
  /** Given to every connection, one function for all of them rather than one each. */
  readonly #onConnectionClosed = (): void => this.#connectionClosed();

  /** Does nothing until {@linkcode Port.startListening}. */
  constructor(
    port: number,
    factory: IProtocolFactory,
    backlog: number,
    iface: string,
    reactor: TCPReactor,
  ) {
    this.#port = port;
    this.#factory = factory;
    this.#backlog = backlog;
    this.#interface = iface;
    this.#reactor = reactor;
  }

  /**
   * Binds, listens, starts the factory, and registers as a reader.
   *
   * @throws {CannotListenError} if the address is taken or not allowed
   */
  startListening(): void {
    const socket = new Socket();
    socket.setblocking(false);
    try {
      socket.bind([this.#interface, this.#port]);
      socket.listen(this.#backlog);
    } catch (error) {
      socket.close();
      throw new CannotListenError(this.#interface, this.#port, error);
    }
    this.#socket = socket;
    this.#host = tcpAddress(...socket.getsockname());
    this.#factory.doStart();
    this.connected = true;
    this.#reactor.addReader(this);
  }

  /** See {@linkcode IFileDescriptor.fileno}. */
  fileno(): number {
    return this.#socket?.fileno() ?? -1;
  }

  /**
   * Accepts the waiting connections (up to 100 a turn, so that a flood
   * cannot starve the rest), each with a protocol from the factory; a null
   * protocol refuses that one. An error thrown by `buildProtocol` or by the
   * protocol's `connectionMade` is reported and closes that connection
   * (Twisted leaves the connection open after a `connectionMade` error;
   * we close it, with the error as the reason).
   *
   * Accept's own failures, as in Twisted's `tcp.Port.doRead`: a connection
   * that was reset or aborted before it was taken (ECONNABORTED,
   * ECONNRESET, ENOTCONN, EPERM) is routine, skipped without a word. Out
   * of a resource (EMFILE, ENFILE, ENOBUFS, ENOMEM) the port stops asking
   * until one of its connections closes (its descriptor is free), or after
   * a back-off of 0.05 s doubling to 1 s, and says so once per episode; the
   * connections already made go on. Twisted instead keeps a descriptor in
   * reserve and, at EMFILE, frees it to accept the waiting connections and
   * close them at once. Here they wait in the kernel's listen queue and are
   * served when descriptors free up; reserving one would take a permission
   * the port may not have.
   */
  doRead(): void {
    const socket = this.#socket as Socket;
    for (let i = 0; i < 100 && this.connected; i++) {
      let accepted: [Socket, Address];
      try {
        accepted = socket.accept();
      } catch (error) {
        if (error instanceof WouldBlockError) return;
        const code = errnoOf(error);
        if (ROUTINE_ACCEPT_ERRORS.has(code)) continue;
        if (isShortage(error)) return this.#backOff(error);
        this.#reactor.reportError(error, this.logPrefix());
        return;
      }
      this.#acceptedSince = true;
      this.#backoff = MIN_BACKOFF;
      const [skt, addr] = accepted;
      this.#serve(skt, addr);
    }
  }

  /**
   * Stops accepting for a while: one line on the reactor's log when an
   * episode starts (the first failure, or one after a second of accepts
   * that did not fail), none for the failures that follow it.
   */
  #backOff(error: unknown): void {
    const now = this.#reactor.seconds();
    const last = this.#lastShortage;
    if (last === null || (this.#acceptedSince && now - last > 1)) {
      const code = Object.entries(errno).find(([, n]) => n === errnoOf(error))?.[0] ?? "?";
      this.#reactor.msg?.(
        `${this.logPrefix()}: cannot accept connections (${code}: ${describeError(error)}); ` +
          `accepting again when a connection closes`,
      );
    }
    this.#lastShortage = now;
    this.#acceptedSince = false;
    this.#reactor.removeReader(this);
    this.#retry?.cancel();
    this.#retry = this.#reactor.callLater(this.#backoff, () => this.#resume());
    this.#backoff = Math.min(MAX_BACKOFF, this.#backoff * 2);
  }

  /** A descriptor may be free: accept again, if the port was backing off. */
  #resume(): void {
    if (this.#retry?.active()) this.#retry.cancel();
    this.#retry = null;
    if (this.connected && !this.disconnecting) this.#reactor.addReader(this);
  }

  /** One of this port's connections closed: a port short of descriptors tries again. */
  #connectionClosed(): void {
    if (this.#retry !== null && this.#retry.active()) this.#retry.reset(0);
  }

  /** See {@linkcode IFileDescriptor.connectionLost}: closes the socket, stops the factory. */
  connectionLost(_reason: Failure): void {
    if (!this.connected) return;
    this.connected = false;
    this.#reactor.removeReader(this);
    if (this.#retry?.active()) this.#retry.cancel();
    this.#retry = null;
    this.#socket?.close();
    try {
      this.#factory.doStop();
    } finally {
      this.disconnecting = false;
    }
  }

  /** See {@linkcode IListeningPort.stopListening}. */
  stopListening(): Deferred<void> {
    if (this.#stopped !== null) return this.#stopped;
    const stopped = new Deferred<void>();
    this.#stopped = stopped;
    this.disconnecting = true;
    this.#reactor.removeReader(this);
    // As in Twisted, close on the next turn: a doRead under way finishes first.
    this.#reactor.callLater(0, () => {
      const socket = this.#socket as Socket;
      try {
        this.connectionLost(new Failure(new ConnectionDone()));
      } catch (error) {
        stopped.errback(error);
        return;
      }
      // Deno closes the OS socket a little after close(): fire once it has.
      socket.released().then(() => this.#reactor.callLater(0, () => stopped.callback(undefined)));
    });
    return stopped;
  }

  /** See {@linkcode IListeningPort.getHost}. */
  getHost(): IPv4Address | IPv6Address {
    if (this.#host === null) throw new Error("Cannot get host: the port is not listening");
    return this.#host;
  }

  /** See {@linkcode IFileDescriptor.logPrefix}. */
  logPrefix(): string {
    return `${this.#factory.constructor.name} (TCP)`;
  }

  /** Twisted's repr: `<EchoFactory on 10000>`. */
  toString(): string {
    return `<${this.#factory.constructor.name} on ${this.#host?.port ?? this.#port}>`;
  }

  #serve(skt: Socket, addr: Address): void {
    let protocol: IProtocol | null;
    try {
      protocol = this.#factory.buildProtocol(tcpAddress(...addr));
    } catch (error) {
      skt.close();
      this.#reactor.reportError(error, this.logPrefix());
      return;
    }
    if (protocol === null) {
      skt.close();
      return;
    }
    const transport = new Server(
      skt,
      protocol,
      addr,
      this.#sessionno++,
      this.#reactor,
      this.#onConnectionClosed,
    );
    try {
      protocol.makeConnection(transport);
    } catch (error) {
      this.#reactor.reportError(error, transport.logPrefix());
      transport.connectionLost(new Failure(error));
    }
  }
}
