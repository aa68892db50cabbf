/**
 * {@linkcode ReactorBase}: the reactor's loop, shared by both
 * implementations, which differ only in how they wait
 * ({@linkcode ReactorBase.doIteration}).
 *
 * One turn of the loop:
 *
 * ```text
 *   ┌─> run the calls that are due (runUntilCurrent)
 *   │   work out how long we may sleep: until the next timer, or forever
 *   │   wait for that long, or until a descriptor is ready (doIteration)
 *   └── dispatch what is ready, and go round again
 * ```
 *
 * @module
 */

import { ReactorAlreadyRunning, ReactorNotRestartable, ReactorNotRunning } from "../error.ts";
import type { DelayedCall } from "./delayed_call.ts";
import { epochSeconds } from "../time/seconds.ts";
import type { Callable, IReactorCore, IReactorThreads, IReactorTime } from "../interfaces.ts";
import { TimerQueue } from "./timer_queue.ts";
import { formatError } from "../defer/failure.ts";
import { yieldToEventLoop } from "../socket/yield.ts";
import { ThreadPool } from "../workers/threadpool.ts";
import { createTrace, type ReactorTrace, type ReactorTraceOptions } from "./trace.ts";

/** Options for a reactor. */
export interface ReactorOptions {
  /**
   * Where unhandled errors in callbacks are reported; defaults to
   * `console.error`, which writes to stderr.
   */
  log?: (text: string) => void;
  /**
   * Stop cleanly on Ctrl-C (SIGINT), and on SIGTERM and a closed standard
   * output (SIGPIPE) where they exist. Default true.
   */
  installSignalHandlers?: boolean;
  /**
   * Narrate the loop, a line per turn ({@linkcode ReactorTrace}): `true`
   * to stderr, options to write elsewhere, `false` never. By default the
   * trace is on when `REACTOR_TRACE=1` is set and readable.
   */
  trace?: boolean | ReactorTraceOptions;
}

type State = "new" | "starting" | "running" | "stopping" | "stopped";

/**
 * The loop of a reactor: timers, starting and stopping, error reporting.
 * Subclasses provide {@linkcode ReactorBase.doIteration}, the wait.
 */
export abstract class ReactorBase implements IReactorCore, IReactorTime, IReactorThreads {
  readonly #timers: TimerQueue;
  readonly #startupCalls: [Callable, unknown[]][] = [];
  readonly #log: (text: string) => void;
  readonly #handleSignals: boolean;
  /**
   * The loop's narrator, or null when the trace is off (then each place
   * that would call it costs one null check). Descriptors' transports use it
   * to show the protocol callbacks they make.
   */
  readonly trace: ReactorTrace | null;
  #state: State = "new";
  /** When the current wait ends at the latest, in seconds(); -Infinity when not waiting. */
  #waitDeadline = -Infinity;
  #wakeUp: AbortController | null = null;
  readonly #onSignal = (): void => {
    if (this.running) this.stop();
  };
  #threadPool: ThreadPool | null = null;
  readonly #threadCalls: [Callable, unknown[]][] = [];

  /** Creates a reactor that is not running yet. */
  constructor(options: ReactorOptions = {}) {
    this.#log = options.log ?? ((text) => console.error(text));
    this.#handleSignals = options.installSignalHandlers ?? true;
    this.trace = createTrace(options.trace);
    this.#timers = new TimerQueue(() => this.seconds(), () => this.#timersChanged(), this.trace);
  }

  /** See {@linkcode IReactorCore.running}. */
  get running(): boolean {
    return this.#state === "starting" || this.#state === "running";
  }

  /**
   * Seconds since the Unix epoch, from the monotonic `performance` clock so
   * that a change of the system time cannot reorder timers.
   * See {@linkcode IReactorTime.seconds}.
   */
  seconds(): number {
    return epochSeconds();
  }

  /** See {@linkcode IReactorTime.callLater}. */
  callLater<A extends unknown[]>(delay: number, callable: Callable<A>, ...args: A): DelayedCall {
    return this.#timers.callLater(delay, callable as Callable, args);
  }

  /** See {@linkcode IReactorTime.getDelayedCalls}. */
  getDelayedCalls(): DelayedCall[] {
    return this.#timers.getDelayedCalls();
  }

  /**
   * See {@linkcode IReactorCore.callWhenRunning}. As in Twisted, once the
   * reactor has started the call happens at once.
   */
  callWhenRunning<A extends unknown[]>(callable: Callable<A>, ...args: A): void {
    if (this.#state === "running") callable(...args);
    else this.#startupCalls.push([callable as Callable, args]);
  }

  /** See {@linkcode IReactorCore.run}. */
  async run(): Promise<void> {
    if (this.#state === "stopped") throw new ReactorNotRestartable();
    if (this.#state !== "new") throw new ReactorAlreadyRunning();
    this.#state = "starting";
    this.#installSignalHandlers(true);
    try {
      // Let the script's synchronous code finish before the first callback,
      // as it would have before Twisted's blocking run() was reached.
      await yieldToEventLoop();
      if (this.#state === "starting") this.#state = "running";
      await this.#mainLoop();
    } finally {
      this.#state = "stopped";
      this.#installSignalHandlers(false);
      this.shutdown();
      this.trace?.shutDown();
    }
  }

  /** See {@linkcode IReactorCore.stop}. */
  stop(): void {
    if (!this.running) throw new ReactorNotRunning();
    this.#state = "stopping";
    this.#wakeUp?.abort("stop()");
  }

  /**
   * The loop proper. With `runUntilCurrent`, the only place where the
   * reactor calls our code.
   */
  async #mainLoop(): Promise<void> {
    this.trace?.loopStarted(this.constructor.name);
    while (this.#state === "running") {
      // Run the calls that are due.
      this.runUntilCurrent();
      if (this.#state !== "running") break;
      // Sleep until the next timer (forever if there is none) or until a
      // descriptor is ready; a sooner call, a descriptor added meanwhile, or
      // stop() ends the wait early through the wake-up signal.
      const timeout = this.#timeout();
      const wakeUp = new AbortController();
      this.#wakeUp = wakeUp;
      this.#waitDeadline = timeout === null ? Infinity : this.seconds() + timeout;
      this.trace?.waiting();
      try {
        // Wait, and dispatch the descriptors that are ready.
        await this.doIteration(timeout, wakeUp.signal);
        this.trace?.woke(wakeUp.signal);
      } finally {
        this.#wakeUp = null;
        this.#waitDeadline = -Infinity;
      }
    }
    this.trace?.loopEnded();
  }

  /**
   * Runs every delayed call that is due now, soonest first, after the
   * startup calls on the first turn. Calls scheduled
   * while these run wait for a later turn, even with a delay of 0, so a
   * callback that keeps rescheduling itself cannot starve the rest.
   */
  protected runUntilCurrent(): void {
    // On the first turn: the calls registered with callWhenRunning before run().
    for (const [callable, args] of this.#startupCalls.splice(0)) {
      this.#callSafely(callable, args);
    }
    const now = this.seconds();
    const scheduledBefore = this.#timers.nextSeq;
    let call = this.#timers.popDue(now, scheduledBefore);
    while (call !== undefined) {
      this.#callSafely(call.run, [], call);
      call = this.#timers.popDue(now, scheduledBefore);
    }
  }

  /**
   * One wait: returns after `timeout` seconds (never, if null; at once, if
   * 0), or as soon as `wakeUp` is aborted, having dispatched whatever became
   * ready meanwhile. This is where the two reactors differ. The wait must
   * give Deno's event loop at least one turn, even with a timeout of 0, so
   * that sockets progress between two turns of ours (`select` and `poll` do,
   * like system calls); must not use the CPU; and must keep the process
   * alive while it waits (a timer does, even a very long one; a pending
   * Promise alone does not).
   */
  protected abstract doIteration(timeout: number | null, wakeUp: AbortSignal): Promise<void>;

  /**
   * Reports an error that escaped a callback, with its stack, and lets the
   * loop go on: one failing callback must not take the others down.
   * Public so that transports report the errors of the protocol callbacks
   * they call, as Twisted's `log.err` does. While the process is out of
   * file descriptors the stack is left out, and the report says so: in
   * Deno, reading a stack then kills the process (see `formatError`).
   *
   * @param context who was called, such as a descriptor's `logPrefix()`
   */
  reportError(error: unknown, context?: string): void {
    const where = context === undefined ? "" : ` (${context})`;
    this.#log(`Unhandled error in a reactor callback${where}:\n${formatError(error)}`);
  }

  /**
   * Writes one line to the reactor's log (stderr unless the reactor was
   * given a `log`), as Twisted's `log.msg`: for what a server should hear
   * of but is not an error, such as a port that ran out of descriptors.
   */
  msg(text: string): void {
    this.#log(text);
  }

  /**
   * Called once the loop has ended, before `run()` resolves: stops the
   * thread pool. Reactors with descriptors close them here too.
   */
  protected shutdown(): void {
    this.#threadPool?.stop();
  }

  /**
   * See {@linkcode IReactorFromThreads.callFromThread}. Like Twisted's
   * `threadCallQueue`, the calls wait in a list that one turn empties; here
   * that turn is a delayed call at 0 s, which also wakes the loop (and which
   * `getDelayedCalls()` lists while calls wait).
   */
  callFromThread<A extends unknown[]>(callable: Callable<A>, ...args: A): void {
    this.#threadCalls.push([callable as Callable, args]);
    if (this.#threadCalls.length === 1) this.callLater(0, () => this.#runThreadCalls());
  }

  #runThreadCalls(): void {
    for (const [callable, args] of this.#threadCalls.splice(0)) this.#callSafely(callable, args);
  }

  /**
   * See {@linkcode IReactorThreads.getThreadPool}. As in Twisted, a pool of
   * 0 to 10 Workers that starts when the reactor runs; one asked for after
   * the reactor stopped is stopped already, so its calls fail at once.
   */
  getThreadPool(): ThreadPool {
    if (this.#threadPool === null) {
      const pool = new ThreadPool(0, 10, "reactor", this.#log);
      this.#threadPool = pool;
      this.trace?.watchPool(pool);
      // Once the reactor has stopped, a pool that never starts would keep its calls waiting forever.
      if (this.#state === "stopped") pool.stop();
      else this.callWhenRunning(() => pool.start());
    }
    return this.#threadPool;
  }

  /** See {@linkcode IReactorInThreads.callInThread}. */
  callInThread(moduleUrl: string | URL, exportName: string, ...args: unknown[]): void {
    this.getThreadPool().callInThread(moduleUrl, exportName, ...args);
  }

  /** See {@linkcode IReactorThreads.suggestThreadPoolSize}. */
  suggestThreadPoolSize(size: number): void {
    this.getThreadPool().adjustPoolsize(undefined, size);
  }

  /** Seconds until the next timer is due (0 if one is), or null when there is none. */
  #timeout(): number | null {
    const next = this.#timers.nextTime();
    if (next === undefined) return null;
    return Math.max(0, next - this.seconds());
  }

  /**
   * Ends the current wait early, if the loop is waiting, so the next turn
   * sees what changed (a descriptor added while a scanning wait was under
   * way). Harmless otherwise.
   */
  protected wakeUp(): void {
    this.#wakeUp?.abort("a new descriptor");
  }

  /** Wakes a wait that would sleep past a call that was just scheduled or moved sooner. */
  #timersChanged(): void {
    const next = this.#timers.nextTime();
    if (next !== undefined && next < this.#waitDeadline) this.#wakeUp?.abort("a sooner call");
  }

  #callSafely(callable: Callable, args: unknown[], self?: DelayedCall): void {
    this.trace?.callStarted();
    try {
      callable.apply(self, args);
    } catch (error) {
      this.reportError(error);
    }
    this.trace?.callEnded(self === undefined ? callable : self.func, self);
  }

  /**
   * Ctrl-C (and SIGTERM) stop the reactor cleanly while it runs, as in
   * Twisted. So does SIGPIPE, where Twisted differs: Deno drops what is
   * written to a closed standard output without a word, where Python raises
   * `BrokenPipeError`, so a script whose output went away (`| head -1`)
   * would otherwise run on unheard. (Sockets never raise it: Deno sends with
   * `MSG_NOSIGNAL`.)
   */
  #installSignalHandlers(install: boolean): void {
    if (!this.#handleSignals) return;
    for (const signal of handledSignals()) {
      if (install) Deno.addSignalListener(signal, this.#onSignal);
      else Deno.removeSignalListener(signal, this.#onSignal);
    }
  }
}

function handledSignals(): Deno.Signal[] {
  return Deno.build.os === "windows" ? ["SIGINT", "SIGBREAK"] : ["SIGINT", "SIGTERM", "SIGPIPE"];
}
