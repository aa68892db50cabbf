/**
 * The contracts of the machinery, stated once, the way Twisted states them
 * with `zope.interface` in `twisted/internet/interfaces.py`.
 *
 * Implementations say which interfaces they provide (`implements`) and point
 * back here instead of repeating the documentation.
 *
 * @module
 */

import type { Failure } from "./defer/failure.ts";
import type { ThreadPool } from "./threads/threadpool.ts";

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
 * The one reactor method that is safe to call from code the reactor did not
 * call, as Twisted's `IReactorFromThreads`.
 *
 * In Twisted "another thread" is a real thread sharing the reactor's
 * objects. A Worker shares none, so it cannot call the reactor at all: what
 * it sends arrives on the main thread as a message event, which Deno's
 * event loop runs between two turns of the reactor, like a Promise
 * callback or a `setTimeout`. Such code must not fire Deferreds or call
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
