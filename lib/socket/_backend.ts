/**
 * What a {@linkcode Socket} delegates to once it has a connection or a
 * listener: a connection owned by the main thread (`_main_thread.ts`,
 * non-blocking only) or by a Worker (`_worker_proxy.ts`, which can also
 * block the calling thread).
 *
 * @module
 */

/** An IPv4 or IPv6 address and a port, as Python writes it: `["127.0.0.1", 10000]`. */
export type Address = [host: string, port: number];

/** What a backend tells when its readiness may have changed. */
export interface Notifiable {
  /** The readiness may have changed. */
  notify(): void;
}

/** The `[host, port]` of a Deno address. */
export function addressOf(addr: Deno.Addr): Address {
  const { hostname, port } = addr as Deno.NetAddr;
  return [hostname, port];
}

/** A connected stream. */
export interface StreamBackend {
  /** True if `recv` and `send` can block the calling thread. */
  readonly canBlock: boolean;
  /** This end's address. */
  readonly local: Address;
  /** The peer's address. */
  readonly remote: Address;
  /** The `EPOLL*` events the stream is ready for now. */
  events(): number;
  /** Takes up to `size` buffered bytes; see `Socket.recv`. */
  recv(size: number, block: boolean): Uint8Array;
  /**
   * Main-thread streams only: copies buffered bytes into `target` and
   * returns how many; see `Socket.recv_into`.
   */
  recvInto?(target: Uint8Array): number;
  /** Buffers as much of `data` as fits; see `Socket.send`. */
  send(data: Uint8Array, block: boolean): number;
  /** Returns the pending error, if any, and forgets it (SO_ERROR). */
  takeError(): Error | undefined;
  /** Closes the stream; unsent bytes are still delivered. */
  close(): void;
  /** Main-thread streams only: closes the stream at once, dropping unsent bytes. */
  abort?(): void;
  /**
   * Main-thread streams only: buffers as much of `buffers` as fits without
   * copying it; see `Socket.sendmsg`.
   */
  sendmsg?(buffers: readonly Uint8Array[]): number;
  /** The send buffer's size (SO_SNDBUF). */
  readonly sendBufferSize?: number;
  /** The receive buffer's size (SO_RCVBUF). */
  readonly recvBufferSize?: number;
  /** Main-thread streams only: resizes a buffer (SO_SNDBUF, SO_RCVBUF). */
  setBufferSize?(kind: "send" | "recv", bytes: number): void;
  /** Main-thread streams only: turns Nagle's algorithm off (TCP_NODELAY). */
  setNoDelay?(enabled: boolean): void;
}

/** A listening socket. */
export interface ListenerBackend {
  /** True if `accept` can block the calling thread. */
  readonly canBlock: boolean;
  /** The bound address. */
  readonly local: Address;
  /** Starts queueing incoming connections, up to `backlog` of them. */
  listen(backlog: number): void;
  /** The `EPOLL*` events the listener is ready for now. */
  events(): number;
  /**
   * Takes the next queued connection.
   *
   * @param target told when the new stream's readiness may change: the new
   *   socket's descriptor-table entry (an object, so that ten thousand
   *   streams hold no closure each)
   * @throws the error of a failed accept (EMFILE...), once, in its place in
   *   the queue; the listener goes on accepting
   */
  accept(block: boolean, target: Notifiable): StreamBackend;
  /** Stops listening and closes the connections nobody accepted. */
  close(): void;
  /**
   * Settles once the operating system's socket is really closed, which
   * may be a little after `close()`: see `Socket.released`.
   */
  released(): Promise<void>;
}

/** Bytes each socket buffers in each direction, like a kernel's socket buffers. */
export const BUFFER_SIZE = 64 * 1024;
