/**
 * Python's two I/O multiplexers over the descriptors of lib/socket/socket.ts:
 * {@linkcode select}, which checks every descriptor it is given on every
 * call, and {@linkcode EPoll}, which keeps a ready list that sockets push
 * themselves onto.
 *
 * Both answer the one question an asynchronous program keeps asking: "which
 * of these sockets can I read from or write to without blocking?" Both wait,
 * without using the CPU, until at least one can or the timeout passes. They
 * differ in what a call costs: `select` looks at all n descriptors each
 * time (O(n), which is why it scales badly), `epoll` only at the ones that
 * became ready (O(ready)), as on Linux.
 *
 * Python blocks its thread inside `select()`; JavaScript cannot block the
 * thread that must deliver the readiness, so both return a Promise.
 *
 * @example Wait until a socket has something to read
 * ```ts ignore
 * const [readable] = await select([sock], [], 5);
 * if (readable.length > 0) console.log(sock.recv(1024));
 * ```
 *
 * @module
 */

import {
  EPOLLERR,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  type FileDescriptorLike,
  lookupFile,
  type OpenFile,
  type Watcher,
} from "./_fd_table.ts";
import { noteWaiting, yieldToEventLoop } from "./yield.ts";
import { checkSeconds } from "../time/seconds.ts";

export { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT, EPOLLPRI } from "./_fd_table.ts";
export type { FileDescriptorLike } from "./_fd_table.ts";

/** Events that make a descriptor readable for `select` (Linux's POLLIN_SET). */
const READ_SET = EPOLLIN | EPOLLHUP | EPOLLERR;
/** Events that make a descriptor writable for `select` (Linux's POLLOUT_SET). */
const WRITE_SET = EPOLLOUT | EPOLLERR;
/** setTimeout's longest delay: waiting "forever" re-arms a timer this long. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Throws as {@linkcode select} would if `descriptor` is not an open
 * descriptor, without waiting: how a reactor whose `select` failed finds
 * the descriptors that went away, one by one, as Twisted's
 * `_preenDescriptors` calls `select` on each alone.
 *
 * @throws {Deno.errors.BadResource} if no open file has that number (EBADF)
 * @throws {TypeError} if it is neither an integer nor has `fileno()`
 */
export function checkSelectable(descriptor: FileDescriptorLike): void {
  lookupFile(descriptor, "select on");
}

/**
 * Waits until some of `readers` can be read or some of `writers` written
 * without blocking, like Python's `select.select(readers, writers, [],
 * timeout)`.
 *
 * Every call looks up and checks each descriptor, and while it waits it
 * watches each of them: its cost grows with the number of descriptors.
 *
 * Readable means data is buffered, the peer closed (a `recv` returns the
 * empty array), an error is pending, or (listening socket) a connection is
 * waiting. Writable means there is room in the send buffer, or a
 * non-blocking connect has finished.
 *
 * @param readers descriptors to check for reading (sockets or integers)
 * @param writers descriptors to check for writing
 * @param timeoutSeconds 0 checks once and returns; `null` or `undefined`
 *   waits as long as it takes; with no descriptors at all, the call just
 *   waits out the timeout
 * @param signal aborting it ends the wait early with two empty lists (a
 *   reactor does this when a new timer is scheduled)
 * @returns the ready readers and the ready writers, each in the order given
 * @throws {Deno.errors.BadResource} if a descriptor is not open (EBADF),
 *   including one closed while the call waits
 * @throws {RangeError} if the timeout is negative or not a number
 */
export async function select<R extends FileDescriptorLike, W extends FileDescriptorLike>(
  readers: readonly R[],
  writers: readonly W[],
  timeoutSeconds?: number | null,
  signal?: AbortSignal,
): Promise<[R[], W[]]> {
  const deadline = deadlineOf(timeoutSeconds, "select");
  await yieldToEventLoop();
  for (;;) {
    const readFiles = readers.map((fd) => lookupFile(fd, "select on"));
    const writeFiles = writers.map((fd) => lookupFile(fd, "select on"));
    const readyReaders = readers.filter((_, i) => (readFiles[i].poll() & READ_SET) !== 0);
    const readyWriters = writers.filter((_, i) => (writeFiles[i].poll() & WRITE_SET) !== 0);
    const remaining = deadline - performance.now();
    if (readyReaders.length + readyWriters.length > 0 || remaining <= 0 || signal?.aborted) {
      return [readyReaders, readyWriters];
    }
    await waitForChange([...readFiles, ...writeFiles], remaining, signal);
  }
}

/** One descriptor registered with an {@linkcode EPoll}, which it tells of the file's changes. */
class Interest implements Watcher {
  /** True while on the ready list. */
  listed = false;

  constructor(
    readonly file: OpenFile,
    public mask: number,
    readonly onChange: (interest: Interest, file: OpenFile) => void,
  ) {}

  changed(file: OpenFile): void {
    this.onChange(this, file);
  }
}

/**
 * Python's `select.epoll`: a set of registered descriptors and a ready list.
 *
 * When a registered socket's state changes it puts itself on the ready list
 * (the kernel's `ep_poll_callback`), so {@linkcode EPoll.poll} only looks at
 * the descriptors that may be ready: O(ready), not O(registered).
 * Level-triggered, like Linux's default: a descriptor that is still ready
 * after a `poll` stays on the list and is reported again next time. A
 * descriptor that is closed leaves the set by itself.
 *
 * @example
 * ```ts ignore
 * const ep = new EPoll();
 * ep.register(sock, EPOLLIN);
 * for (const [fd, events] of await ep.poll(1)) console.log(fd, events & EPOLLIN);
 * ep.close();
 * ```
 */
export class EPoll {
  readonly #interests = new Map<number, Interest>();
  /**
   * The ready list: an array kept from poll to poll, not a Set, since ten
   * thousand sockets joining and leaving a Set each turn made it grow and
   * shrink its table (about 40 MB of garbage over chapter 5's 10,000 clients).
   * A dropped interest stays until the next poll passes it by.
   */
  readonly #ready: Interest[] = [];
  readonly #waiters = new Set<() => void>();
  /** What every interest of this epoll calls on a change: one function, not one per interest. */
  readonly #changed = (interest: Interest, file: OpenFile): void => this.#onChange(interest, file);
  #closed = false;

  /** True once {@linkcode EPoll.close} has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Starts watching `fd` for the events in `eventmask` (EPOLLERR and
   * EPOLLHUP are always watched).
   *
   * @throws {Deno.errors.AlreadyExists} if `fd` is already registered (EEXIST)
   * @throws {Deno.errors.BadResource} if `fd` is not open
   */
  register(fd: FileDescriptorLike, eventmask: number = EPOLLIN | EPOLLOUT): void {
    this.#checkOpen("register");
    const file = lookupFile(fd, "register");
    if (this.#interests.has(file.fd)) {
      throw new Deno.errors.AlreadyExists(
        `Cannot register descriptor ${file.fd}: it is already registered (EEXIST)`,
      );
    }
    const interest = new Interest(file, eventmask | EPOLLERR | EPOLLHUP, this.#changed);
    this.#interests.set(file.fd, interest);
    file.watch(interest);
    this.#onChange(interest, file);
  }

  /**
   * Changes the events watched for a registered `fd`.
   *
   * @throws {Deno.errors.NotFound} if `fd` is not registered (ENOENT)
   */
  modify(fd: FileDescriptorLike, eventmask: number): void {
    const interest = this.#interest(fd, "modify");
    interest.mask = eventmask | EPOLLERR | EPOLLHUP;
    this.#onChange(interest, interest.file);
  }

  /**
   * Stops watching `fd`.
   *
   * @throws {Deno.errors.NotFound} if `fd` is not registered (ENOENT)
   */
  unregister(fd: FileDescriptorLike): void {
    this.#drop(this.#interest(fd, "unregister"));
  }

  /**
   * Waits until some registered descriptor is ready, then reports each
   * ready one with the events it is ready for.
   *
   * @param timeoutSeconds 0 checks and returns; `null`, `undefined` or a
   *   negative number (Python's -1) waits as long as it takes
   * @param signal aborting it ends the wait early with an empty list
   * @returns `[fd, events]` pairs, the events masked by what was registered
   *   (plus EPOLLERR and EPOLLHUP)
   */
  async poll(timeoutSeconds?: number | null, signal?: AbortSignal): Promise<[number, number][]> {
    this.#checkOpen("poll");
    const forever = timeoutSeconds === null || timeoutSeconds === undefined || timeoutSeconds < 0;
    const deadline = deadlineOf(forever ? null : timeoutSeconds, "poll");
    // A poll with nothing ready and no timeout is bound to wait, which lets
    // the event loop turn: only one that may return at once yields first.
    if (!forever || this.#ready.length > 0 || signal?.aborted || this.#closed) {
      await yieldToEventLoop();
    }
    for (;;) {
      const events: [number, number][] = [];
      const list = this.#ready;
      let kept = 0;
      for (let i = 0; i < list.length; i++) {
        const interest = list[i];
        if (!interest.listed) continue;
        const ready = interest.file.poll() & interest.mask;
        if (ready !== 0) {
          events.push([interest.file.fd, ready]);
          list[kept++] = interest;
        } else {
          interest.listed = false;
        }
      }
      // Popped, not cut by `length`, which would give up the array's room.
      while (list.length > kept) list.pop();
      const remaining = deadline - performance.now();
      if (events.length > 0 || remaining <= 0 || signal?.aborted || this.#closed) return events;
      await waitForWake(remaining, signal, (wake) => {
        this.#waiters.add(wake);
        return () => this.#waiters.delete(wake);
      });
    }
  }

  /** Unregisters everything; a `poll` that is waiting returns an empty list. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const interest of this.#interests.values()) interest.file.unwatch(interest);
    this.#interests.clear();
    this.#ready.length = 0;
    for (const wake of [...this.#waiters]) wake();
  }

  #onChange(interest: Interest, file: OpenFile): void {
    if (file.closed) {
      this.#drop(interest);
    } else if (!interest.listed && (file.poll() & interest.mask) !== 0) {
      interest.listed = true;
      this.#ready.push(interest);
      // Copied, since each wake removes itself; and only when someone waits:
      // this runs for every write that completes.
      if (this.#waiters.size > 0) { for (const wake of [...this.#waiters]) wake(); }
    }
  }

  #drop(interest: Interest): void {
    interest.file.unwatch(interest);
    this.#interests.delete(interest.file.fd);
    interest.listed = false;
  }

  #interest(fd: FileDescriptorLike, action: string): Interest {
    this.#checkOpen(action);
    const number = typeof fd === "number" ? fd : fd.fileno();
    const interest = this.#interests.get(number);
    if (interest === undefined) {
      throw new Deno.errors.NotFound(
        `Cannot ${action} descriptor ${number}: it is not registered (ENOENT)`,
      );
    }
    return interest;
  }

  #checkOpen(action: string): void {
    if (this.#closed) throw new Deno.errors.BadResource(`Cannot ${action}: the epoll is closed`);
  }
}

/** The `performance.now()` time a wait ends at; Infinity for "forever". */
function deadlineOf(timeoutSeconds: number | null | undefined, action: string): number {
  if (timeoutSeconds === null || timeoutSeconds === undefined) return Infinity;
  checkSeconds(timeoutSeconds, action, "timeout", true);
  return performance.now() + timeoutSeconds * 1000;
}

/**
 * Resolves when any of `files` may have changed state, after `remainingMs`,
 * or when `signal` aborts. A file closed meanwhile also wakes it; the next
 * scan then reports EBADF, as a fresh `select` call would.
 */
function waitForChange(
  files: OpenFile[],
  remainingMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  return waitForWake(remainingMs, signal, (wake) => {
    const watcher: Watcher = { changed: wake };
    for (const file of files) file.watch(watcher);
    return () => {
      for (const file of files) file.unwatch(watcher);
    };
  });
}

/**
 * The one way a wait in this module sleeps: resolves after `remainingMs`,
 * when `signal` aborts, or when the `wake` function handed to `subscribe`
 * is called, whichever comes first, and then undoes all three.
 */
function waitForWake(
  remainingMs: number,
  signal: AbortSignal | undefined,
  subscribe: (wake: () => void) => () => void,
): Promise<void> {
  noteWaiting();
  return new Promise((resolve) => {
    const wake = (): void => {
      unsubscribe();
      clearTimeout(timer);
      signal?.removeEventListener("abort", wake);
      resolve();
    };
    const unsubscribe = subscribe(wake);
    // A timer, even a very long one, also keeps the process alive while we wait.
    const timer = setTimeout(wake, Math.min(remainingMs, LONGEST_TIMER_MS));
    signal?.addEventListener("abort", wake);
  });
}
