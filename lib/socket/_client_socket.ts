/**
 * {@linkcode Connection}: the client side of a socket, from `connect` to
 * the connected stream, with the errno answers Python's `connect_ex` gives.
 *
 * Blocking mode connects in the Worker and returns once connected. Non-
 * blocking mode starts a {@linkcode ConnectAttempt} on the main thread and
 * answers `EINPROGRESS`; the socket becomes writable when the attempt ends,
 * and the next `connect_ex` says how it went, as Twisted's `tcp.Client`
 * expects.
 *
 * @module
 */

import type { StreamBackend } from "./_backend.ts";
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT } from "./_fd_table.ts";
import { CONNECTED_READ_SIZE, MainStream } from "./_main_thread.ts";
import { connectInWorker } from "./_worker_proxy.ts";
import { errno, errnoOf, InProgressError, SocketError, wouldBlock } from "./socket_error.ts";

/** A non-blocking connect under way on the main thread. */
class ConnectAttempt {
  readonly target: string;
  stream: MainStream | undefined;
  error: Error | undefined;
  abandoned = false;

  constructor(hostname: string, port: number, notify: () => void) {
    this.target = `${hostname}:${port}`;
    Deno.connect({ hostname, port }).then(
      (conn) => {
        if (this.abandoned) return conn.close();
        this.stream = new MainStream(conn, { notify }, CONNECTED_READ_SIZE);
        notify();
      },
      (error) => {
        if (this.abandoned) return;
        this.error = error;
        notify();
      },
    );
  }
}

/** A socket's connection: none yet, under way, or established. */
export class Connection {
  #stream: StreamBackend | undefined;
  #attempt: ConnectAttempt | undefined;
  /** A non-blocking connect that succeeded: connect_ex answers 0 once, then EISCONN, as on Linux. */
  #unreported = false;

  /** @param stream an established stream, for an accepted socket */
  constructor(stream?: StreamBackend) {
    this.#stream = stream;
  }

  /** True before any connect, and again after a failed non-blocking one was reported. */
  get idle(): boolean {
    return this.#stream === undefined && this.#attempt === undefined;
  }

  /** False if the connection lives on the main thread, so it can never block. */
  get canBlock(): boolean {
    this.#settle();
    return this.#attempt === undefined && (this.#stream?.canBlock ?? true);
  }

  /** The established stream, if there is one. */
  get established(): StreamBackend | undefined {
    this.#settle();
    return this.#stream;
  }

  /**
   * One `connect_ex` step: starts connecting (idle), or reports how the
   * attempt stands. Returns the errno and the error `connect` would throw,
   * or how to make it: `connect_ex` needs only the errno, and an error made
   * for nothing costs its stack trace, 1.5-6 µs here.
   */
  connect(
    hostname: string,
    port: number,
    blocking: boolean,
    notify: () => void,
  ): [number, Error | (() => Error) | undefined] {
    this.#settle();
    if (this.#attempt) {
      const { stream, error, target } = this.#attempt;
      if (stream === undefined && error === undefined) {
        return [errno.EALREADY, () => new InProgressError(target, "EALREADY")];
      }
      this.#attempt = undefined;
      return [errnoOf(error), error];
    }
    if (this.#stream) {
      if (!this.#unreported) {
        return [
          errno.EISCONN,
          () => new SocketError("EISCONN", "Cannot connect: already connected (EISCONN)"),
        ];
      }
      this.#unreported = false;
      return [0, undefined];
    }
    if (!blocking) {
      const attempt = this.#attempt = new ConnectAttempt(hostname, port, notify);
      return [errno.EINPROGRESS, () => new InProgressError(attempt.target)];
    }
    try {
      this.#stream = connectInWorker(hostname, port, notify);
    } catch (error) {
      return [errnoOf(error), error as Error];
    }
    return [0, undefined];
  }

  /**
   * The stream, for `recv`, `send` and `getpeername`.
   *
   * @throws {WouldBlockError} while a non-blocking connect is under way
   * @throws the connect's error (once) if it failed
   * @throws {Deno.errors.NotConnected} if there was no connect
   */
  stream(action: string): StreamBackend {
    this.#settle();
    if (this.#attempt?.error) {
      const error = this.#attempt.error;
      this.#attempt = undefined;
      throw error;
    }
    if (this.#attempt) throw wouldBlock(action);
    if (this.#stream === undefined) {
      throw new Deno.errors.NotConnected(
        `Cannot ${action}: the socket is not connected (ENOTCONN)`,
      );
    }
    return this.#stream;
  }

  /** Readiness: nothing while connecting, everything (with an error) if it failed. */
  events(): number {
    if (this.#attempt?.error) return EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP;
    return (this.#attempt ? this.#attempt.stream : this.#stream)?.events() ?? 0;
  }

  /** The pending error (SO_ERROR), cleared by taking it. */
  takeError(): Error | undefined {
    this.#settle();
    const error = this.#attempt?.error;
    if (error) this.#attempt = undefined;
    return error ?? this.#stream?.takeError();
  }

  /**
   * Closes the stream, or abandons the attempt (a late connection is closed
   * at once). With `drop`, unsent bytes are dropped (see `Socket.abort`).
   */
  close(drop = false): void {
    this.#settle();
    if (this.#attempt) this.#attempt.abandoned = true;
    if (drop && this.#stream?.abort) this.#stream.abort();
    else this.#stream?.close();
  }

  /** Turns a non-blocking connect that has succeeded into the stream. */
  #settle(): void {
    const stream = this.#attempt?.stream;
    if (stream === undefined) return;
    this.#stream = stream;
    this.#attempt = undefined;
    this.#unreported = true;
  }
}
