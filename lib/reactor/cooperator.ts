/**
 * Long work cut into slices, as Twisted's `twisted.internet.task.cooperate`:
 * a {@linkcode Cooperator} runs iterators a few steps at a time, for at most
 * about 10 ms per reactor turn, so that I/O and timers get their turns in
 * between. Each `next()` of an iterator is one unit of work; an iterator
 * that yields a Deferred is paused until that Deferred fires.
 *
 * It lives beside `task.ts` (Twisted keeps both in `task.py`) to keep each
 * file short.
 *
 * @module
 */

import { Deferred } from "../defer/deferred.ts";
import { Failure } from "../defer/failure.ts";
import type { IDelayedCall } from "../interfaces.ts";
import { reactor } from "./reactor.ts";
import {
  NotPaused,
  type SchedulerError,
  SchedulerStopped,
  TaskDone,
  TaskFailed,
  TaskStopped,
} from "./scheduler_error.ts";

/** How a {@linkcode Cooperator} slices its work and when it runs a slice. */
export interface CooperatorOptions {
  /**
   * Called at the start of each slice; returns a function that says when the
   * slice has run long enough. The default allows 10 ms, as Twisted's.
   */
  terminationPredicateFactory?: () => () => boolean;
  /**
   * Runs a slice later, and returns the call so it can be cancelled. The
   * default is `reactor.callLater(0, slice)`: the next turn of the global
   * reactor, after the I/O and timers that are ready.
   */
  scheduler?: (slice: () => void) => IDelayedCall;
  /** False to queue tasks until {@linkcode Cooperator.start}; true by default. */
  started?: boolean;
}

/** Twisted's `_Timer`: a slice ends once 10 ms have passed. */
function tenMilliseconds(): () => boolean {
  const end = performance.now() + 10;
  return () => performance.now() >= end;
}

// The two classes' private methods, reachable from this module only (Twisted's `_addTask`,
// `_removeTask` and `_oneWorkUnit`): set by each class's static block.
let addTask: (cooperator: Cooperator, task: CooperativeTask) => void;
let removeTask: (cooperator: Cooperator, task: CooperativeTask) => void;
let oneWorkUnit: (task: CooperativeTask) => void;
let stopped: (task: CooperativeTask) => void;

/**
 * An iterator being run by a {@linkcode Cooperator}: it can be paused,
 * resumed, stopped, and waited for. Made by {@linkcode Cooperator.cooperate}.
 */
export class CooperativeTask<T = unknown> {
  readonly #iterator: Iterator<T>;
  readonly #cooperator: Cooperator;
  #deferreds: Deferred<Iterator<T>>[] = [];
  #pauseCount = 0;
  #finished: SchedulerError | null = null;
  #result: Iterator<T> | Failure | null = null;

  static {
    oneWorkUnit = (task) => task.#oneWorkUnit();
    stopped = (task) =>
      task.#completeWith(new SchedulerStopped(), new Failure(new SchedulerStopped()));
  }

  /** Adds `iterator` to `cooperator`'s tasks; use {@linkcode Cooperator.cooperate} instead. */
  constructor(iterator: Iterator<T>, cooperator: Cooperator) {
    this.#iterator = iterator;
    this.#cooperator = cooperator;
    addTask(cooperator, this as CooperativeTask);
  }

  /**
   * A new Deferred that fires with the iterator once it is exhausted, or
   * fails with what it threw, {@linkcode TaskStopped} or
   * {@linkcode SchedulerStopped}. Each call gives a Deferred of its own.
   */
  whenDone(): Deferred<Iterator<T>> {
    const d = new Deferred<Iterator<T>>();
    if (this.#finished === null) this.#deferreds.push(d);
    else fire(d, this.#result as Iterator<T> | Failure);
    return d;
  }

  /**
   * Stops running the iterator until {@linkcode CooperativeTask.resume};
   * paused twice, it needs two resumes.
   *
   * @throws {TaskFinished} if the task has finished
   */
  pause(): void {
    this.#checkFinish();
    this.#pauseCount++;
    if (this.#pauseCount === 1) removeTask(this.#cooperator, this as CooperativeTask);
  }

  /**
   * Undoes one {@linkcode CooperativeTask.pause}; the last one puts the
   * task back into its Cooperator (a finished task stays out).
   *
   * @throws {NotPaused} if the task is not paused
   */
  resume(): void {
    if (this.#pauseCount === 0) throw new NotPaused();
    this.#pauseCount--;
    if (this.#pauseCount === 0 && this.#finished === null) {
      addTask(this.#cooperator, this as CooperativeTask);
    }
  }

  /**
   * Stops the task for good: `whenDone()` fails with {@linkcode TaskStopped}.
   *
   * @throws {TaskFinished} if the task has already finished (as {@linkcode TaskDone},
   *   {@linkcode TaskStopped} or {@linkcode TaskFailed})
   */
  stop(): void {
    this.#checkFinish();
    this.#completeWith(new TaskStopped(), new Failure(new TaskStopped()));
  }

  /** Ends the task: out of the Cooperator first, then the `whenDone()` Deferreds fire. */
  #completeWith(state: SchedulerError, result: Iterator<T> | Failure): void {
    this.#finished = state;
    this.#result = result;
    if (this.#pauseCount === 0) removeTask(this.#cooperator, this as CooperativeTask);
    // Fired last: a callback may stop the Cooperator, and must find this task already gone.
    for (const d of this.#deferreds) fire(d, result);
    this.#deferreds = [];
  }

  #checkFinish(): void {
    if (this.#finished !== null) throw this.#finished;
  }

  /** One step of the iterator; a Deferred (or Promise) it yields pauses the task until it fires. */
  #oneWorkUnit(): void {
    let step: IteratorResult<T>;
    try {
      step = this.#iterator.next();
    } catch (error) {
      this.#completeWith(new TaskFailed(), new Failure(error));
      return;
    }
    if (step.done) {
      this.#completeWith(new TaskDone(), this.#iterator);
      return;
    }
    const value: unknown = step.value;
    if (!(value instanceof Deferred) && !(value instanceof Promise)) return;
    this.pause();
    const d = value instanceof Deferred ? value : Deferred.fromPromise(value);
    d.addCallbacks(
      () => this.resume(),
      (failure) => {
        if (this.#finished === null) this.#completeWith(new TaskFailed(), failure);
      },
    );
  }
}

function fire<T>(d: Deferred<T>, result: T | Failure): void {
  if (result instanceof Failure) d.errback(result);
  else d.callback(result);
}

/**
 * Runs iterators cooperatively, as Twisted's `Cooperator`: each slice takes
 * one step of each task in turn, round and round, until the slice has run
 * long enough (10 ms by default), then schedules the next slice and lets the
 * reactor go on. Several Cooperators do not share their slices: most code
 * wants the global one, through {@linkcode cooperate} and
 * {@linkcode coiterate}.
 *
 * Where Twisted pauses only for a Deferred, a yielded Promise pauses the
 * task too.
 *
 * @example Two tasks take turns, one step per slice, on a fake clock
 * ```ts
 * import assert from "node:assert/strict";
 * import { Clock } from "./task.ts";
 * import { Cooperator } from "./cooperator.ts";
 *
 * const clock = new Clock();
 * const cooperator = new Cooperator({
 *   scheduler: (slice) => clock.callLater(0, slice),
 *   terminationPredicateFactory: () => () => true, // one step per slice
 * });
 * const seen: string[] = [];
 * function* letters(word: string): Generator<void> {
 *   for (const letter of word) yield void seen.push(letter);
 * }
 * const done = cooperator.coiterate(letters("abc"));
 * cooperator.cooperate(letters("xyz"));
 * assert.deepEqual(seen, []); // nothing runs until the first slice
 * clock.advance(0); // runs every slice that comes due, one after the other
 * assert.deepEqual(seen, ["a", "x", "b", "y", "c", "z"]);
 * assert.equal(typeof (await done).next, "function"); // fired with the iterator
 * ```
 */
export class Cooperator {
  #tasks: CooperativeTask[] = [];
  #cursor = 0;
  readonly #terminationPredicateFactory: () => () => boolean;
  readonly #scheduler: (slice: () => void) => IDelayedCall;
  #delayedCall: IDelayedCall | null = null;
  #stopped = false;
  #started: boolean;
  #mustScheduleOnStart = false;

  static {
    addTask = (cooperator, task) => cooperator.#addTask(task);
    removeTask = (cooperator, task) => cooperator.#removeTask(task);
  }

  /**
   * Makes a Cooperator, started unless `options.started` is false.
   *
   * @param options how to slice the work and schedule the slices
   */
  constructor(options: CooperatorOptions = {}) {
    this.#terminationPredicateFactory = options.terminationPredicateFactory ?? tenMilliseconds;
    this.#scheduler = options.scheduler ?? ((slice) => reactor.callLater(0, slice));
    this.#started = options.started ?? true;
  }

  /**
   * Runs `iterator` as a task of this Cooperator.
   *
   * @returns the task, to pause, resume, stop or wait for
   */
  cooperate<T>(iterator: Iterator<T>): CooperativeTask<T> {
    return new CooperativeTask(iterator, this);
  }

  /**
   * {@linkcode Cooperator.cooperate}, for when only the end matters.
   *
   * @returns a Deferred that fires with the iterator when it is exhausted (see
   *   {@linkcode CooperativeTask.whenDone})
   */
  coiterate<T>(iterator: Iterator<T>): Deferred<Iterator<T>> {
    return this.cooperate(iterator).whenDone();
  }

  /** True once started and until stopped. */
  get running(): boolean {
    return this.#started && !this.#stopped;
  }

  /** Starts running slices (for a Cooperator made with `started: false`, or stopped). */
  start(): void {
    this.#stopped = false;
    this.#started = true;
    if (this.#mustScheduleOnStart) {
      this.#mustScheduleOnStart = false;
      this.#reschedule();
    }
  }

  /**
   * Stops running slices and fails every task's `whenDone()` with
   * {@linkcode SchedulerStopped}; tasks added later fail the same way at once.
   */
  stop(): void {
    this.#stopped = true;
    const tasks = this.#tasks;
    this.#tasks = [];
    for (const task of tasks) stopped(task);
    this.#delayedCall?.cancel();
    this.#delayedCall = null;
  }

  #addTask(task: CooperativeTask): void {
    if (this.#stopped) {
      stopped(task);
      return;
    }
    this.#tasks.push(task);
    this.#reschedule();
  }

  #removeTask(task: CooperativeTask): void {
    const at = this.#tasks.indexOf(task);
    if (at < 0) return;
    this.#tasks.splice(at, 1);
    if (at < this.#cursor) this.#cursor--;
    // No work left: no slice to run either.
    if (this.#tasks.length === 0 && this.#delayedCall !== null) {
      this.#delayedCall.cancel();
      this.#delayedCall = null;
    }
  }

  /** One slice: a step of each task in turn until the slice has run long enough. */
  #tick(): void {
    this.#delayedCall = null;
    const enough = this.#terminationPredicateFactory();
    while (this.#tasks.length > 0) {
      if (this.#cursor >= this.#tasks.length) this.#cursor = 0;
      oneWorkUnit(this.#tasks[this.#cursor++]);
      if (enough()) break;
    }
    this.#reschedule();
  }

  #reschedule(): void {
    if (!this.#started) {
      this.#mustScheduleOnStart = true;
      return;
    }
    if (this.#delayedCall === null && this.#tasks.length > 0) {
      this.#delayedCall = this.#scheduler(() => this.#tick());
    }
  }
}

const theCooperator = new Cooperator();

/**
 * Runs `iterator` on the global Cooperator, in slices between the global
 * reactor's other work: Twisted's `task.cooperate`. Cut long work into
 * steps, yield after each, and the reactor never waits longer than one
 * slice (about 10 ms) for it.
 *
 * @example Sum a range a step at a time, with the reactor free in between
 * ```ts
 * import assert from "node:assert/strict";
 * import { cooperate } from "./cooperator.ts";
 * import { reactor } from "./reactor.ts";
 *
 * let sum = 0;
 * function* add(upTo: number): Generator<void> {
 *   for (let n = 1; n <= upTo; n++) yield void (sum += n);
 * }
 * const task = cooperate(add(1000));
 * task.whenDone().addCallback(() => reactor.stop());
 * await reactor.run();
 * assert.equal(sum, 500500);
 * ```
 *
 * @returns the task, to pause, resume, stop or wait for
 */
export function cooperate<T>(iterator: Iterator<T>): CooperativeTask<T> {
  return theCooperator.cooperate(iterator);
}

/**
 * {@linkcode cooperate}, for when only the end matters: Twisted's
 * `task.coiterate`.
 *
 * @returns a Deferred that fires with the iterator once it is exhausted
 */
export function coiterate<T>(iterator: Iterator<T>): Deferred<Iterator<T>> {
  return theCooperator.coiterate(iterator);
}
