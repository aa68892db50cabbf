/**
 * Non-blocking sockets owned by the main thread: a `Deno.Conn` or
 * `Deno.Listener` with, like a kernel socket, bounded buffers in front of
 * it. Each stream keeps one read pending at a time and stops reading while
 * its receive buffer is full (backpressure); writes drain in the background.
 * No Worker and no timer per socket, so ten thousand of them are cheap.
 *
 * @module
 */

import { type Address, BUFFER_SIZE, type ListenerBackend, type StreamBackend } from "./_backend.ts";
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT } from "./_fd_table.ts";
import { WouldBlockError } from "./socket_error.ts";

/** Bytes asked for per read: small, since every open socket holds one such buffer. */
const READ_SIZE = 8 * 1024;
/**
 * Bytes asked for by a stream's first reads: most connections of a busy
 * server receive little or nothing, yet each keeps a read pending, so the
 * buffer grows to READ_SIZE only once a read has filled it.
 */
const FIRST_READ_SIZE = 512;
/**
 * The kernel's listen queue we ask for. Deno binds and listens in one call,
 * before `listen(backlog)` says how long the queue should be, and its
 * default is 511; a longer one keeps a burst of connections from
 * overflowing it while the loop is busy (Linux caps it at
 * `net.core.somaxconn`, 4096 by default). `backlog` then bounds the
 * connections taken from the kernel but not yet accepted.
 */
const KERNEL_BACKLOG = 65535;

/** The `[host, port]` of a Deno address. */
export function addressOf(addr: Deno.Addr): Address {
  const { hostname, port } = addr as Deno.NetAddr;
  return [hostname, port];
}

/** A connection owned by the main thread. See {@linkcode StreamBackend}. */
export class MainStream implements StreamBackend {
  readonly canBlock = false;
  readonly local: Address;
  readonly remote: Address;
  readonly #conn: Deno.Conn;
  readonly #notify: () => void;
  readonly #incoming: Uint8Array[] = [];
  #received = 0;
  #reading = false;
  #readBuffer: Uint8Array | undefined;
  #readSize = FIRST_READ_SIZE;
  #eof = false;
  readonly #outgoing: Uint8Array[] = [];
  #unsent = 0;
  #writing = false;
  #error: Error | undefined;
  #errorTaken = false;
  #closed = false;

  /**
   * Starts pumping `conn` into the receive buffer.
   *
   * @param notify called whenever the readiness may have changed
   */
  constructor(conn: Deno.Conn, notify: () => void) {
    this.#conn = conn;
    this.#notify = notify;
    this.local = addressOf(conn.localAddr);
    this.remote = addressOf(conn.remoteAddr);
    this.#pumpReads();
  }

  events(): number {
    let events = 0;
    if (this.#received > 0 || this.#eof || this.#error) events |= EPOLLIN;
    if (this.#error) events |= EPOLLOUT | EPOLLHUP | (this.#errorTaken ? 0 : EPOLLERR);
    else if (this.#unsent < BUFFER_SIZE) events |= EPOLLOUT;
    return events;
  }

  recv(size: number): Uint8Array {
    if (this.#received === 0) {
      const error = this.takeError();
      if (error) throw error;
      if (this.#eof || this.#error) return new Uint8Array(0);
      throw new WouldBlockError("recv");
    }
    const wasFull = this.#received >= BUFFER_SIZE;
    const data = new Uint8Array(Math.min(size, this.#received));
    for (let filled = 0; filled < data.length;) {
      const chunk = this.#incoming[0];
      const take = Math.min(chunk.length, data.length - filled);
      data.set(chunk.subarray(0, take), filled);
      filled += take;
      if (take === chunk.length) this.#incoming.shift();
      else this.#incoming[0] = chunk.subarray(take);
    }
    this.#received -= data.length;
    if (wasFull) this.#pumpReads();
    return data;
  }

  send(data: Uint8Array): number {
    if (this.#error) throw this.takeError() ?? this.#error;
    const count = Math.min(data.length, BUFFER_SIZE - this.#unsent);
    if (count === 0 && data.length > 0) throw new WouldBlockError("send");
    if (count > 0) {
      this.#outgoing.push(data.slice(0, count));
      this.#unsent += count;
      this.#pumpWrites();
    }
    return count;
  }

  takeError(): Error | undefined {
    if (this.#error === undefined || this.#errorTaken) return undefined;
    this.#errorTaken = true;
    return this.#error;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#incoming.length = 0;
    // Like a kernel, deliver what was accepted by send() before really closing.
    if (this.#unsent === 0 || this.#error) this.#closeConn();
  }

  #pumpReads(): void {
    if (this.#reading || this.#eof || this.#error || this.#closed) return;
    if (this.#received >= BUFFER_SIZE) return;
    this.#reading = true;
    const buffer = this.#readBuffer ??= new Uint8Array(this.#readSize);
    const room = Math.min(buffer.length, BUFFER_SIZE - this.#received);
    this.#conn.read(buffer.subarray(0, room)).then(
      (count) => {
        this.#reading = false;
        if (this.#closed) return;
        if (count === null) {
          this.#eof = true;
        } else {
          this.#incoming.push(buffer.slice(0, count));
          this.#received += count;
          if (count === buffer.length && count < READ_SIZE) {
            // The peer sends more than a trickle: read in full-sized pieces from now on.
            this.#readSize = READ_SIZE;
            this.#readBuffer = undefined;
          }
        }
        this.#notify();
        this.#pumpReads();
      },
      (error) => {
        this.#reading = false;
        if (!this.#closed) this.#fail(error);
      },
    );
  }

  #pumpWrites(): void {
    if (this.#writing || this.#outgoing.length === 0 || this.#error) return;
    this.#writing = true;
    if (this.#outgoing.length > 1) {
      const joined = new Uint8Array(this.#unsent);
      let at = 0;
      for (const chunk of this.#outgoing.splice(0)) at += (joined.set(chunk, at), chunk.length);
      this.#outgoing.push(joined);
    }
    const chunk = this.#outgoing[0];
    this.#conn.write(chunk).then(
      (count) => {
        this.#writing = false;
        this.#unsent -= count;
        if (count < chunk.length) this.#outgoing[0] = chunk.subarray(count);
        else this.#outgoing.shift();
        if (this.#closed && this.#unsent === 0) return this.#closeConn();
        if (!this.#closed) this.#notify();
        this.#pumpWrites();
      },
      (error) => {
        this.#writing = false;
        if (this.#closed) this.#closeConn();
        else this.#fail(error);
      },
    );
  }

  #fail(error: Error): void {
    this.#error ??= error;
    this.#outgoing.length = 0;
    this.#unsent = 0;
    this.#notify();
  }

  #closeConn(): void {
    try {
      this.#conn.close();
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
  }
}

/** A listener owned by the main thread. See {@linkcode ListenerBackend}. */
export class MainListener implements ListenerBackend {
  readonly canBlock = false;
  readonly local: Address;
  readonly #listener: Deno.Listener;
  readonly #notify: () => void;
  readonly #queue: Deno.Conn[] = [];
  #backlog = 0;
  /** The accept under way, if any: until it settles, Deno holds the OS socket open. */
  #accepting: Promise<void> | null = null;
  /** A failed accept, for the next `accept()` once the connections queued before it are taken. */
  #failure: Error | undefined;
  #closed = false;

  /**
   * Binds a listener at once (Deno binds and listens in one call).
   *
   * @param listen opens the Deno listener; a test may pass a fake one
   * @throws {Deno.errors.AddrInUse} if the address is taken
   */
  constructor(
    hostname: string,
    port: number,
    notify: () => void,
    listen: (options: Deno.TcpListenOptions) => Deno.Listener = Deno.listen,
  ) {
    this.#listener = listen({ hostname, port, tcpBacklog: KERNEL_BACKLOG });
    this.#notify = notify;
    this.local = addressOf(this.#listener.addr);
  }

  listen(backlog: number): void {
    this.#backlog = backlog;
    this.#pumpAccepts();
  }

  events(): number {
    // As on Linux, a failed accept leaves the socket listening: readable, no EPOLLERR.
    return this.#queue.length > 0 || this.#failure ? EPOLLIN : 0;
  }

  accept(_block: boolean, notify: () => void): StreamBackend {
    const conn = this.#queue.shift();
    if (conn === undefined) {
      const failure = this.#failure;
      if (failure === undefined) throw new WouldBlockError("accept");
      // Reported once, like an accept(2) that fails; the next call tries again.
      this.#failure = undefined;
      this.#pumpAccepts();
      throw failure;
    }
    this.#pumpAccepts();
    return new MainStream(conn, notify);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#listener.close();
    for (const conn of this.#queue.splice(0)) conn.close();
  }

  released(): Promise<void> {
    return this.#accepting ?? Promise.resolve();
  }

  #pumpAccepts(): void {
    // After a failure, wait until accept() has reported it: retrying at once
    // would spin while the cause (no descriptor left) lasts.
    if (this.#accepting || this.#closed || this.#failure) return;
    if (this.#queue.length >= this.#backlog) return;
    this.#accepting = this.#listener.accept().then(
      (conn) => {
        this.#accepting = null;
        if (this.#closed) return conn.close();
        this.#queue.push(conn);
        this.#notify();
        this.#pumpAccepts();
      },
      (error) => {
        this.#accepting = null;
        if (this.#closed) return;
        this.#failure = error;
        this.#notify();
      },
    );
  }
}
