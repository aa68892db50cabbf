/**
 * {@linkcode EPollReactor}, the default reactor: it registers descriptors
 * with an {@linkcode EPoll}, whose ready list the sockets put themselves on,
 * so a turn costs what is ready, not what is registered.
 *
 * @module
 */

import type { ReactorOptions } from "./base.ts";
import type { IReadDescriptor, IWriteDescriptor } from "../interfaces.ts";
import { installReactor } from "./install.ts";
import { PosixReactorBase, type Selectable } from "./posix_base.ts";
import { EPoll, EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT } from "../socket/select.ts";

/** The default reactor, named after Twisted's `epollreactor`. */
export class EPollReactor extends PosixReactorBase {
  readonly #poller = new EPoll();
  /** Registered descriptors by number, as Twisted keeps them. */
  readonly #selectables = new Map<number, Selectable>();
  /**
   * And numbers by descriptor: a closed socket's fileno() is -1, yet it must
   * still be found, in O(1), when it is removed.
   */
  readonly #fds = new Map<Selectable, number>();
  readonly #reads = new Set<number>();
  readonly #writes = new Set<number>();

  /** Creates a reactor that is not running yet. See {@linkcode ReactorOptions}. */
  constructor(options: ReactorOptions = {}) {
    super(options);
  }

  /** See {@linkcode IReactorFDSet.addReader}. */
  addReader(reader: IReadDescriptor): void {
    this.#add(reader, this.#reads, this.#writes, EPOLLIN, EPOLLOUT);
    this.trace?.added(reader, "reader");
  }

  /** See {@linkcode IReactorFDSet.addWriter}. */
  addWriter(writer: IWriteDescriptor): void {
    this.#add(writer, this.#writes, this.#reads, EPOLLOUT, EPOLLIN);
    this.trace?.added(writer, "writer");
  }

  /** See {@linkcode IReactorFDSet.removeReader}. */
  removeReader(reader: IReadDescriptor): void {
    this.trace?.removed(reader, "reader");
    this.#remove(reader, this.#reads, this.#writes, EPOLLOUT);
  }

  /** See {@linkcode IReactorFDSet.removeWriter}. */
  removeWriter(writer: IWriteDescriptor): void {
    this.trace?.removed(writer, "writer");
    this.#remove(writer, this.#writes, this.#reads, EPOLLIN);
  }

  /** See {@linkcode IReactorFDSet.getReaders}. */
  getReaders(): IReadDescriptor[] {
    return [...this.#reads].map((fd) => this.#selectables.get(fd) as IReadDescriptor);
  }

  /** See {@linkcode IReactorFDSet.getWriters}. */
  getWriters(): IWriteDescriptor[] {
    return [...this.#writes].map((fd) => this.#selectables.get(fd) as IWriteDescriptor);
  }

  /**
   * The wait: ask the epoll for its ready list (O(ready) per turn), then
   * dispatch each ready descriptor.
   */
  protected override async doIteration(timeout: number | null, wakeUp: AbortSignal): Promise<void> {
    const events = await this.#poller.poll(timeout, wakeUp);
    for (const [fd, event] of events) {
      // A descriptor dispatched earlier in this turn may have removed another.
      const selectable = this.#selectables.get(fd);
      if (selectable === undefined) continue;
      const isReader = this.#reads.has(fd);
      this.doReadOrWrite(selectable, {
        readable: isReader && (event & EPOLLIN) !== 0,
        writable: this.#writes.has(fd) && (event & EPOLLOUT) !== 0,
        hangup: (event & (EPOLLHUP | EPOLLERR)) !== 0,
        isReader,
      });
    }
  }

  /** Closes the epoll once the descriptors are disconnected. */
  protected override shutdown(): void {
    super.shutdown();
    this.#poller.close();
  }

  #add(
    xer: Selectable,
    primary: Set<number>,
    other: Set<number>,
    event: number,
    anti: number,
  ): void {
    const fd = xer.fileno();
    const previous = this.#selectables.get(fd);
    if (previous !== undefined && previous !== xer) {
      // The number was reused: its old owner closed its socket without
      // removing it (and the epoll forgot the closed descriptor by itself).
      this.#forget(previous);
    }
    if (primary.has(fd)) return;
    if (other.has(fd)) this.#poller.modify(fd, event | anti);
    else this.#poller.register(fd, event);
    primary.add(fd);
    this.#selectables.set(fd, xer);
    this.#fds.set(xer, fd);
  }

  #remove(xer: Selectable, primary: Set<number>, other: Set<number>, anti: number): void {
    const fd = this.#fds.get(xer);
    if (fd === undefined || !primary.has(fd)) return;
    primary.delete(fd);
    if (other.has(fd)) {
      this.#change(fd, anti);
    } else {
      this.#selectables.delete(fd);
      this.#fds.delete(xer);
      this.#change(fd, null);
    }
  }

  /** Drops every registration of `xer`. */
  #forget(xer: Selectable): void {
    const fd = this.#fds.get(xer) as number;
    this.#reads.delete(fd);
    this.#writes.delete(fd);
    this.#selectables.delete(fd);
    this.#fds.delete(xer);
    this.#change(fd, null);
  }

  /**
   * Watches `fd` for `events` only, or no more (null). A closed socket has
   * left the epoll by itself already, as on Linux: that change is done.
   */
  #change(fd: number, events: number | null): void {
    try {
      if (events === null) this.#poller.unregister(fd);
      else this.#poller.modify(fd, events);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
}

/**
 * Makes an {@linkcode EPollReactor} the global reactor, as Twisted's
 * `epollreactor.install()`. It is the default, so this is needed only to
 * say so explicitly. Call it before anything uses the reactor.
 *
 * @throws {ReactorAlreadyInstalledError} if a reactor was already installed or used
 */
export function install(): EPollReactor {
  const reactor = new EPollReactor();
  installReactor(reactor);
  return reactor;
}
