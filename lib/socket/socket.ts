/**
 * Python-style TCP sockets over `Deno.connect` and `Deno.listen`, so the
 * tutorial's socket code ports line for line: `connect`, `bind`, `listen`,
 * `accept`, `recv`, `send`, `sendall`, `setblocking`, `fileno`, `close`.
 *
 * A socket starts in blocking mode, and blocking really blocks: the
 * connection lives in a Worker and the calling thread waits in
 * `Atomics.wait` until the Worker answers, so nothing else runs in that
 * thread meanwhile, timers included. After `setblocking(false)` the same
 * calls return at once or throw {@linkcode WouldBlockError}; `select` and
 * `epoll` (lib/socket/select.ts) say when to try again.
 *
 * The mode at `connect` or `bind` decides where the connection lives: in
 * the Worker (blocking; it can switch to non-blocking later) or on the main
 * thread (non-blocking for good, since a `Deno.Conn` cannot move to a
 * Worker; no Worker and no timer, so ten thousand of them are cheap).
 * Every open socket holds a small integer descriptor (`fileno()`), the
 * lowest free in a process-wide table, as in a kernel.
 *
 * @example The blocking client of the tutorial, in brief
 * ```ts ignore
 * const sock = new Socket();
 * sock.connect(["127.0.0.1", 10000]);
 * for (let bytes = sock.recv(1024); bytes.length > 0; bytes = sock.recv(1024)) chunks.push(bytes);
 * sock.close();
 * ```
 *
 * @module
 */

import { type Address, BUFFER_SIZE, type ListenerBackend, type StreamBackend } from "./_backend.ts";
import { Connection } from "./_client_socket.ts";
import { EPOLLHUP, EPOLLOUT, OpenFile, READINESS } from "./_fd_table.ts";
import { MainListener } from "./_main_thread.ts";
import { bindInWorker } from "./_worker_proxy.ts";
import { errno, errnoOf, SocketError, wouldBlock, WouldBlockError } from "./socket_error.ts";

export type { Address } from "./_backend.ts";
export { abortLingering, DISCARD } from "./_main_thread.ts";

/** `getsockopt` level for socket options, as in Python. */
export const SOL_SOCKET = 1;
/** `getsockopt` option: the pending error's errno, cleared by reading it. */
export const SO_ERROR = 4;
/** Socket option: the send buffer's size in bytes (64 KiB until set). */
export const SO_SNDBUF = 7;
/** Socket option: the receive buffer's size in bytes (64 KiB until set). */
export const SO_RCVBUF = 8;
/** `setsockopt` level for TCP options, as in Python. */
export const IPPROTO_TCP = 6;
/** TCP option: 1 turns Nagle's algorithm off, so small writes go out at once. */
export const TCP_NODELAY = 1;

/** A TCP socket, like Python's `socket.socket(AF_INET, SOCK_STREAM)`. */
export class Socket {
  readonly #file: OpenFile;
  #blocking = true;
  #closed = false;
  #connection = new Connection();
  #listener: ListenerBackend | undefined;
  #listening = false;
  #noDelay = false;

  /** Creates an unconnected socket in blocking mode and gives it a descriptor. */
  constructor() {
    this.#file = new OpenFile(this);
  }

  /** The descriptor number, or -1 once closed (as in Python). */
  fileno(): number {
    return this.#closed ? -1 : this.#file.fd;
  }

  /** True in blocking mode (the default). */
  getblocking(): boolean {
    return this.#blocking;
  }

  /**
   * Switches between blocking and non-blocking mode.
   *
   * @throws {Error} when asked to block a socket connected or bound in
   *   non-blocking mode: its connection belongs to the main thread, and a
   *   `Deno.Conn` cannot move into the Worker that blocking needs
   */
  setblocking(flag: boolean): void {
    this.#checkOpen("setblocking");
    if (flag && (!this.#connection.canBlock || this.#listener?.canBlock === false)) {
      throw new Error(
        "Cannot make socket blocking: it was connected or bound in non-blocking mode, so its " +
          "connection belongs to the main thread and cannot move to a Worker; connect in " +
          "blocking mode and call setblocking(false) afterwards instead",
      );
    }
    this.#blocking = flag;
  }

  /**
   * Connects to `address`. Blocking mode: returns once connected.
   * Non-blocking mode: starts connecting and throws
   * {@linkcode InProgressError} (EINPROGRESS); the socket becomes writable
   * when the attempt has succeeded or failed, and `connect_ex` then says
   * which (Twisted's `tcp.Client` does exactly this).
   *
   * @throws {Deno.errors.ConnectionRefused} and Deno's other connect errors
   */
  connect(address: Address): void {
    const [code, error] = this.#connect(address);
    if (code !== 0) throw typeof error === "function" ? error() : error;
  }

  /**
   * {@linkcode Socket.connect}, returning an errno instead of throwing: 0
   * when connected, `EINPROGRESS` when started, `EALREADY` while under way,
   * 0 once a non-blocking connect has succeeded and `EISCONN` after that, or
   * the failure's errno (`ECONNREFUSED`), after which the socket can try again.
   */
  connect_ex(address: Address): number {
    return this.#connect(address)[0];
  }

  /**
   * Binds to `address` (port 0: a free port; read it with `getsockname`).
   * Deno binds and listens in one call, so connections already queue in the
   * kernel after `bind`; `listen` starts taking them.
   *
   * @throws {Deno.errors.AddrInUse} if the address is taken
   */
  bind(address: Address): void {
    this.#checkOpen("bind");
    if (this.#listener || !this.#connection.idle) {
      throw new SocketError(
        "EINVAL",
        "Cannot bind: the socket is already bound or connected (EINVAL)",
      );
    }
    const [host, port] = checkAddress(address, "bind to");
    const notify = (): void => this.#file.notify();
    const hostname = host === "" ? "0.0.0.0" : host;
    this.#listener = this.#blocking
      ? bindInWorker(hostname, port, notify)
      : new MainListener(hostname, port, notify);
  }

  /** Starts accepting connections, queueing up to `backlog` of them. */
  listen(backlog = 128): void {
    if (this.#listener === undefined) this.bind(["", 0]);
    if (this.#listening) return;
    (this.#listener as ListenerBackend).listen(Math.max(1, Math.trunc(backlog)));
    this.#listening = true;
  }

  /**
   * Takes the next incoming connection; blocks for one in blocking mode. The
   * new socket is blocking if this one's connections live in a Worker, and
   * non-blocking for good if they live on the main thread.
   *
   * @returns the new socket and the peer's address
   * @throws {WouldBlockError} in non-blocking mode when none is waiting
   * @throws {Error} when taking a connection failed, as Linux's accept(2)
   *   does: "Too many open files (os error 24)" (EMFILE) when the process
   *   has no descriptor left. The socket keeps listening; call `accept`
   *   again (once a descriptor is free).
   */
  accept(): [Socket, Address] {
    this.#checkOpen("accept");
    if (!this.#listening) {
      throw new SocketError("EINVAL", "Cannot accept: the socket is not listening (EINVAL)");
    }
    const listener = this.#listener as ListenerBackend;
    // The new socket first, so that the stream can tell its descriptor of
    // changes; it gives its number back if there is no connection to take.
    const accepted = new Socket();
    let stream: StreamBackend;
    try {
      stream = listener.accept(this.#blocking, accepted.#file);
    } catch (error) {
      accepted.#file.release();
      throw error;
    }
    accepted.#connection = new Connection(stream);
    accepted.#blocking = stream.canBlock;
    return [accepted, stream.remote];
  }

  /**
   * Receives up to `bufsize` bytes: what is buffered now, or (blocking mode)
   * waits until something is. An empty array means the peer has closed.
   *
   * @throws {WouldBlockError} in non-blocking mode when nothing is buffered
   * @throws {Deno.errors.ConnectionReset} and the like, once, if the connection failed
   */
  recv(bufsize: number): Uint8Array {
    if (!Number.isInteger(bufsize) || bufsize < 0) {
      throw new RangeError(`Cannot recv: bufsize must be an integer, 0 or more, got ${bufsize}`);
    }
    return this.#stream("recv").recv(bufsize, this.#blocking);
  }

  /**
   * Receives up to `nbytes` bytes (all of `buffer` if 0) into `buffer`, as
   * Python's `recv_into`, and returns how many: 0 means the peer has
   * closed. A main-thread socket makes no array for them; a Worker's
   * (blocking mode) copies what `recv` returns. Into {@linkcode DISCARD}, the bytes are dropped,
   * and a main-thread socket reads straight into it from then on (not
   * Python's: a way to ignore a peer's input at no cost in memory).
   *
   * @throws {WouldBlockError} in non-blocking mode when nothing is buffered
   * @throws {Deno.errors.ConnectionReset} and the like, once, if the connection failed
   *
   * @example Receiving into a buffer the caller keeps
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { Socket } from "./socket.ts";
   *
   * const listener = new Socket();
   * listener.bind(["127.0.0.1", 0]);
   * listener.listen(1);
   * const client = new Socket();
   * client.connect(listener.getsockname());
   * const [server] = listener.accept();
   * client.sendall(new TextEncoder().encode("junk"));
   * const scratch = new Uint8Array(1024);
   * let count = 0;
   * while (count < 4) count += server.recv_into(scratch.subarray(count));
   * equal(new TextDecoder().decode(scratch.subarray(0, count)), "junk");
   * for (const sock of [client, server, listener]) sock.close();
   * ```
   */
  recv_into(buffer: Uint8Array, nbytes = 0): number {
    if (!Number.isInteger(nbytes) || nbytes < 0 || nbytes > buffer.length) {
      throw new RangeError(
        `Cannot recv_into: nbytes must be an integer from 0 to the buffer's ${buffer.length}, got ${nbytes}`,
      );
    }
    const target = nbytes === 0 ? buffer : buffer.subarray(0, nbytes);
    const stream = this.#stream("recv_into");
    if (stream.recvInto) return stream.recvInto(target);
    const data = stream.recv(target.length, this.#blocking);
    target.set(data);
    return data.length;
  }

  /**
   * Puts as much of `data` as fits into the send buffer (64 KiB unless
   * `SO_SNDBUF` says otherwise) and returns
   * how many bytes that was; they are sent in the background. In blocking
   * mode it first waits until at least one byte fits.
   *
   * @throws {WouldBlockError} in non-blocking mode when the buffer is full
   * @throws {Deno.errors.BrokenPipe} if earlier bytes found the peer gone
   */
  send(data: Uint8Array): number {
    return this.#stream("send").send(data, this.#blocking);
  }

  /**
   * Puts as much of `buffers`, in order, as fits into the send buffer, as
   * Python's `sendmsg(buffers)` (without ancillary data), and returns how
   * many bytes that was: one call for many chunks, like `writev(2)`.
   * Unlike Python, a main-thread socket does not copy the bytes: the
   * caller must not change them until they are sent (a transport, which
   * owns what was written to it, uses this to avoid a copy per chunk).
   *
   * @throws {WouldBlockError} when the buffer is full
   */
  sendmsg(buffers: readonly Uint8Array[]): number {
    const stream = this.#stream("sendmsg");
    if (stream.sendmsg) return stream.sendmsg(buffers);
    let sent = 0;
    for (const buffer of buffers) {
      let count: number;
      try {
        count = stream.send(buffer, this.#blocking && sent === 0);
      } catch (error) {
        if (sent > 0 && error instanceof WouldBlockError) break;
        throw error;
      }
      sent += count;
      if (count < buffer.length) break;
    }
    return sent;
  }

  /**
   * Sends all of `data`, blocking until it is all in the send buffer.
   *
   * @throws {WouldBlockError} in non-blocking mode if it did not all fit
   *   (as in Python, part of it may have been buffered)
   */
  sendall(data: Uint8Array): void {
    const stream = this.#stream("sendall");
    for (let sent = 0; sent < data.length;) {
      const count = stream.send(data.subarray(sent), this.#blocking);
      if (count === 0 && !this.#blocking) throw wouldBlock("sendall");
      sent += count;
    }
  }

  /** This end's address. */
  getsockname(): Address {
    this.#checkOpen("getsockname");
    const backend = this.#connection.established ?? this.#listener;
    return backend ? [...backend.local] : ["0.0.0.0", 0];
  }

  /**
   * The peer's address.
   *
   * @throws {Deno.errors.NotConnected} if the socket is not connected
   */
  getpeername(): Address {
    return [...this.#stream("getpeername").remote];
  }

  /**
   * Reads a socket option: `(SOL_SOCKET, SO_ERROR)`, the pending error's
   * errno or 0 (reading it clears it); `(SOL_SOCKET, SO_SNDBUF)` and
   * `(SOL_SOCKET, SO_RCVBUF)`, the buffer sizes; `(IPPROTO_TCP,
   * TCP_NODELAY)`, 1 if Nagle's algorithm is off.
   */
  getsockopt(level: number, option: number): number {
    this.#checkOpen("getsockopt");
    if (level === SOL_SOCKET && option === SO_ERROR) {
      const error = this.#connection.takeError();
      return error ? errnoOf(error) : 0;
    }
    if (level === IPPROTO_TCP && option === TCP_NODELAY) return this.#noDelay ? 1 : 0;
    if (level === SOL_SOCKET && (option === SO_SNDBUF || option === SO_RCVBUF)) {
      const stream = this.#connection.established;
      const size = option === SO_SNDBUF ? stream?.sendBufferSize : stream?.recvBufferSize;
      return size ?? BUFFER_SIZE;
    }
    throw new SocketError("EINVAL", `Cannot getsockopt(${level}, ${option}): no such option`);
  }

  /**
   * Sets a socket option on a connected socket: `(SOL_SOCKET, SO_SNDBUF,
   * bytes)` or `(SOL_SOCKET, SO_RCVBUF, bytes)` resize the buffers (at
   * least 1 KiB; a kernel tunes them by itself, and a bulk transfer wants
   * them larger than the 64 KiB default); `(IPPROTO_TCP, TCP_NODELAY, 1)`
   * turns Nagle's algorithm off. Only for main-thread (non-blocking)
   * connections: a Worker's buffers are fixed, and its option is ignored.
   *
   * @throws {SocketError} (EINVAL) for another option, or a size below 1 KiB
   */
  setsockopt(level: number, option: number, value: number): void {
    const stream = this.#stream("setsockopt");
    if (level === IPPROTO_TCP && option === TCP_NODELAY) {
      this.#noDelay = value !== 0;
      stream.setNoDelay?.(this.#noDelay);
      return;
    }
    const buffer = level !== SOL_SOCKET
      ? undefined
      : option === SO_SNDBUF
      ? "send"
      : option === SO_RCVBUF
      ? "recv"
      : undefined;
    if (buffer === undefined || !Number.isInteger(value) || value < 1024) {
      throw new SocketError(
        "EINVAL",
        `Cannot setsockopt(${level}, ${option}, ${value}): no such option, or a size below 1024`,
      );
    }
    stream.setBufferSize?.(buffer, value);
  }

  /**
   * Closes the socket and frees its descriptor; bytes already accepted by
   * `send` are still delivered. Closing twice does nothing.
   */
  close(): void {
    this.#close(false);
  }

  /**
   * Not in Python: closes the socket at once and drops the bytes `send`
   * accepted but not yet sent, as `close()` after setting `SO_LINGER` to 0
   * would. Deno has no `SO_LINGER`, so the peer sees a clean end after the
   * bytes already written, not a reset. A stream that is closed but still
   * sending (after `close()`) is not a socket any more: see
   * `abortLingering` for those.
   */
  abort(): void {
    this.#close(true);
  }

  #close(drop: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#connection.close(drop);
      this.#listener?.close();
    } finally {
      this.#file.release();
    }
  }

  /**
   * Resolves once the operating system's socket is really closed. Not in
   * Python, where `close()` is a system call that closes at once: Deno
   * lets go of a listening socket only when its pending accept has been
   * cancelled, on a later turn of the event loop, and until then the
   * kernel still queues (and then resets) incoming connections. Twisted's
   * `stopListening()` promises "refused" afterwards, so it waits for this.
   */
  released(): Promise<void> {
    return this.#closed && this.#listener ? this.#listener.released() : Promise.resolve();
  }

  #connect(address: Address): [number, Error | (() => Error) | undefined] {
    this.#checkOpen("connect");
    if (this.#listener) {
      return [
        errno.EINVAL,
        () => new SocketError("EINVAL", "Cannot connect: the socket is bound (EINVAL)"),
      ];
    }
    const [host, port] = checkAddress(address, "connect to");
    const hostname = host === "" ? "127.0.0.1" : host;
    return this.#connection.connect(hostname, port, this.#blocking, () => this.#file.notify());
  }

  #stream(action: string): StreamBackend {
    this.#checkOpen(action);
    return this.#connection.stream(action);
  }

  /** The readiness the descriptor table reports, as Linux's tcp_poll would. */
  /** For the descriptor table: the `EPOLL*` events this socket is ready for now. */
  [READINESS](): number {
    if (this.#listening) return (this.#listener as ListenerBackend).events();
    if (this.#listener || this.#connection.idle) return EPOLLOUT | EPOLLHUP;
    return this.#connection.events();
  }

  #checkOpen(action: string): void {
    if (this.#closed) {
      throw new Deno.errors.BadResource(`Cannot ${action}: the socket is closed (EBADF)`);
    }
  }
}

function checkAddress(address: Address, action: string): Address {
  const [host, port] = Array.isArray(address) ? address : [undefined, NaN];
  if (typeof host !== "string" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(
      `Cannot ${action} ${
        JSON.stringify(address)
      }: expected [host, port] with a port from 0 to 65535`,
    );
  }
  return [host, port];
}
