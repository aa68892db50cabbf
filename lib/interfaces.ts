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
