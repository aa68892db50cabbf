/**
 * The process-wide descriptor table, like a kernel's: every open socket gets
 * a small integer, the lowest one free (from 3, after stdin, stdout and
 * stderr), and an {@linkcode OpenFile} entry that says which events it is
 * ready for and tells its watchers when that may have changed.
 *
 * `select` and `epoll` (lib/socket/select.ts) work on these entries. A socket
 * calls {@linkcode OpenFile.notify} whenever its state moves (data arrived,
 * end of stream, an error, send space freed, a connection is waiting); the
 * multiplexers decide what to do with that: `select` rescans everything it
 * was given, `epoll` puts the one descriptor on its ready list.
 *
 * @module
 */

/** Readable: data buffered, end of stream, or a connection waiting (Linux's value). */
export const EPOLLIN = 0x001;
/** Urgent data: never reported here, accepted in masks for Python compatibility. */
export const EPOLLPRI = 0x002;
/** Writable: room in the send buffer, or a non-blocking connect has finished. */
export const EPOLLOUT = 0x004;
/** An error is pending on the socket; always reported, whatever the mask. */
export const EPOLLERR = 0x008;
/** Hung up: the connection is gone both ways; always reported, whatever the mask. */
export const EPOLLHUP = 0x010;

/** A descriptor: a plain integer or an object with a `fileno()` method, as in Python. */
export type FileDescriptorLike = number | { fileno(): number };

/**
 * Told by {@linkcode OpenFile.notify} that the file's state may have
 * changed: an epoll's interest in the file, or a `select` waiting. An
 * object, not a function: each of ten thousand registrations would
 * otherwise hold a closure and its context.
 */
export interface Watcher {
  /** The file whose readiness may have changed. */
  changed(file: OpenFile): void;
}

const FIRST_FD = 3;
const slots: (OpenFile | undefined)[] = [];
let lowestFree = FIRST_FD;
let openCount = 0;

/** The method by which an open file asks its owner what it is ready for. */
export const READINESS: unique symbol = Symbol("readiness");

/**
 * What owns an open file (a socket): it reports the `EPOLL*` events it is
 * ready for right now, as the kernel's per-file `poll` method does. A
 * method, not a function handed over: ten thousand sockets would otherwise
 * each hold a closure and its context.
 */
export interface FileOwner {
  /** The events the owner is ready for now. */
  [READINESS](): number;
}

/** One entry of the descriptor table, for a {@linkcode FileOwner}. */
export class OpenFile {
  /** The descriptor number, unique while the file is open. */
  readonly fd: number;
  readonly #owner: FileOwner;
  /**
   * Who watches: usually one epoll, held as is (a Set costs about 200 bytes
   * more, for each of ten thousand sockets); a Set once there are more.
   */
  #watchers: Watcher | Set<Watcher> | undefined;
  #closed = false;

  /** Takes the lowest free descriptor number for a new file of `owner`'s. */
  constructor(owner: FileOwner) {
    this.#owner = owner;
    // The kernel's find_next_fd: scan up from the lowest slot that may be free.
    let fd = lowestFree;
    while (slots[fd] !== undefined) fd++;
    this.fd = fd;
    slots[fd] = this;
    lowestFree = fd + 1;
    openCount++;
  }

  /** True once {@linkcode OpenFile.release} has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The events the file is ready for now (0 once closed). */
  poll(): number {
    return this.#closed ? 0 : this.#owner[READINESS]();
  }

  /** Asks to be told of every state change, until {@linkcode OpenFile.unwatch}. */
  watch(watcher: Watcher): void {
    const watchers = this.#watchers;
    if (watchers === undefined || watchers === watcher) this.#watchers = watcher;
    else if (watchers instanceof Set) watchers.add(watcher);
    else this.#watchers = new Set([watchers, watcher]);
  }

  /** Stops telling `watcher` of changes. */
  unwatch(watcher: Watcher): void {
    const watchers = this.#watchers;
    if (watchers === watcher) this.#watchers = undefined;
    else if (watchers instanceof Set) watchers.delete(watcher);
  }

  /** Tells every watcher that the file's readiness may have changed. */
  notify(): void {
    const watchers = this.#watchers;
    if (watchers === undefined) return;
    if (watchers instanceof Set) { for (const watcher of watchers) watcher.changed(this); }
    else watchers.changed(this);
  }

  /**
   * Frees the descriptor number and tells the watchers a last time (they
   * see {@linkcode OpenFile.closed} true and drop the file).
   */
  release(): void {
    if (this.#closed) return;
    this.#closed = true;
    slots[this.fd] = undefined;
    if (this.fd < lowestFree) lowestFree = this.fd;
    openCount--;
    this.notify();
    this.#watchers = undefined;
  }
}

/**
 * The open file behind a descriptor.
 *
 * @param descriptor an integer or an object with `fileno()`
 * @param action what was attempted, for the error message
 * @throws {Deno.errors.BadResource} if no open file has that number (EBADF)
 */
export function lookupFile(descriptor: FileDescriptorLike, action: string): OpenFile {
  const fd = typeof descriptor === "number" ? descriptor : descriptor?.fileno?.();
  if (typeof fd !== "number" || !Number.isInteger(fd)) {
    throw new TypeError(`Cannot ${action}: expected an integer or an object with fileno()`);
  }
  const file = fd >= 0 ? slots[fd] : undefined;
  if (file === undefined) {
    throw new Deno.errors.BadResource(
      `Cannot ${action} descriptor ${fd}: bad file descriptor (EBADF)`,
    );
  }
  return file;
}

/** How many descriptors are open in this process (tests check for leaks with it). */
export function openDescriptorCount(): number {
  return openCount;
}
