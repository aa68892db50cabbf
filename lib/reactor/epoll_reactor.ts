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
  /**
   * What each descriptor is watched for, by number: EPOLLIN, EPOLLOUT, both
   * or 0. Not two Sets, as Twisted keeps: a transport becomes a writer for
   * each write and stops once its buffer is sent, and ten thousand numbers
   * joining and leaving a Set every turn made it grow and shrink its table
   * over and over (about 100 MB of garbage over chapter 5's 10,000 clients).
   */
  #wanted = new Uint8Array(256);

  /** Creates a reactor that is not running yet. See {@linkcode ReactorOptions}. */
  constructor(options: ReactorOptions = {}) {
    super(options);
  }

  /** See {@linkcode IReactorFDSet.addReader}. */
  addReader(reader: IReadDescriptor): void {
    this.#add(reader, EPOLLIN);
    this.trace?.added(reader, "reader");
  }

  /** See {@linkcode IReactorFDSet.addWriter}. */
  addWriter(writer: IWriteDescriptor): void {
    this.#add(writer, EPOLLOUT);
    this.trace?.added(writer, "writer");
  }

  /** See {@linkcode IReactorFDSet.removeReader}. */
  removeReader(reader: IReadDescriptor): void {
    this.trace?.removed(reader, "reader");
    this.#remove(reader, EPOLLIN);
  }

  /** See {@linkcode IReactorFDSet.removeWriter}. */
  removeWriter(writer: IWriteDescriptor): void {
    this.trace?.removed(writer, "writer");
    this.#remove(writer, EPOLLOUT);
  }

  /** See {@linkcode IReactorFDSet.getReaders}. */
  getReaders(): IReadDescriptor[] {
    return this.#watchedFor(EPOLLIN) as IReadDescriptor[];
  }

  /** See {@linkcode IReactorFDSet.getWriters}. */
  getWriters(): IWriteDescriptor[] {
    return this.#watchedFor(EPOLLOUT) as IWriteDescriptor[];
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
      const wanted = this.#wanted[fd];
      const isReader = (wanted & EPOLLIN) !== 0;
      this.doReadOrWrite(selectable, {
        readable: isReader && (event & EPOLLIN) !== 0,
        writable: (wanted & EPOLLOUT) !== 0 && (event & EPOLLOUT) !== 0,
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

  #add(xer: Selectable, event: number): void {
    const fd = xer.fileno();
    const previous = this.#selectables.get(fd);
    if (previous !== undefined && previous !== xer) {
      // The number was reused: its old owner closed its socket without
      // removing it (and the epoll forgot the closed descriptor by itself).
      this.#forget(previous);
    }
    if (fd >= this.#wanted.length) {
      const grown = new Uint8Array(Math.max(2 * this.#wanted.length, fd + 1));
      grown.set(this.#wanted);
      this.#wanted = grown;
    }
    const wanted = this.#wanted[fd] ?? 0;
    if ((wanted & event) !== 0) return;
    if (wanted !== 0) this.#poller.modify(fd, wanted | event);
    else this.#poller.register(fd, event);
    this.#wanted[fd] = wanted | event;
    this.#selectables.set(fd, xer);
    this.#fds.set(xer, fd);
  }

  #remove(xer: Selectable, event: number): void {
    const fd = this.#fds.get(xer);
    if (fd === undefined || (this.#wanted[fd] & event) === 0) return;
    const left = this.#wanted[fd] & ~event;
    this.#wanted[fd] = left;
    if (left !== 0) {
      this.#change(fd, left);
    } else {
      this.#selectables.delete(fd);
      this.#fds.delete(xer);
      this.#change(fd, null);
    }
  }

  /** The descriptors watched for `event`. */
  #watchedFor(event: number): Selectable[] {
    const found: Selectable[] = [];
    for (const [fd, xer] of this.#selectables) {
      if ((this.#wanted[fd] & event) !== 0) found.push(xer);
    }
    return found;
  }

  /** Drops every registration of `xer`. */
  #forget(xer: Selectable): void {
    const fd = this.#fds.get(xer) as number;
    this.#wanted[fd] = 0;
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
