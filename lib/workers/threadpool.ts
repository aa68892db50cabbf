/**
 * {@linkcode ThreadPool}: a pool of Workers to which calls are dispatched,
 * after Twisted's `twisted.python.threadpool`.
 *
 * A Worker shares no objects with the main thread, so what a pool runs is
 * not a function but a module and the name of a function it exports; the
 * arguments and the result are copied across: through shared memory when
 * they are plain numbers and strings (the pool's ring, `_ring.ts`), by
 * structured clone otherwise.
 *
 * @module
 */

import { CancelledError } from "../defer/error.ts";
import { Failure, formatError } from "../defer/failure.ts";
import type { Call, Reply } from "./_in_thread.ts";
import { isPlain, type SlotResult } from "./_ring.ts";
import { RingCalls } from "./_ring_calls.ts";
import { checkReadable, startWorker, stopWorker } from "./worker.ts";
import { absoluteUrl, checkCloneable, cloneError, errorFromThread } from "./calls.ts";
import { Queue } from "./_queue.ts";

/**
 * Called on the main thread when a call made with
 * {@linkcode ThreadPool.callInThreadWithCallback} is over: `(true, result)`
 * or `(false, failure)`.
 */
export type OnResult = (success: boolean, result: unknown) => void;

interface Job {
  call: Call;
  onResult: OnResult | null;
  /** Its slot in the pool's ring, or -1 if it went as a message. */
  slot: number;
}

/** One Worker of the pool, and the call it runs (null while idle). */
interface PoolThread {
  worker: Worker;
  job: Job | null;
  /** Its seat at the pool's ring, or -1 if it takes every call as a message. */
  seat: number;
}

const threadModule = new URL("./_in_thread.ts", import.meta.url);

/**
 * A pool of Workers, each running one call at a time. Workers start when
 * calls need them, up to `max`; a call that finds none idle and the pool
 * full waits in a queue; a Worker that finishes takes the next call. A
 * Worker that crashes (an error escapes it, outside the call's own
 * try/catch: a throw in a timer, an unhandled rejection) is terminated, the
 * call it was running fails, and a new one replaces it if calls are waiting.
 *
 * Nothing runs before {@linkcode ThreadPool.start}; calls made before wait
 * in the queue. {@linkcode ThreadPool.stop} terminates every Worker.
 * Twisted's `stop()` lets the threads finish their work and joins them; a
 * JavaScript caller cannot wait for that without blocking its own loop, so
 * here the calls not finished fail at once with a {@linkcode CancelledError}.
 *
 * @example Run an export of a module in a Worker
 * ```ts
 * import { ThreadPool } from "./threadpool.ts";
 *
 * const module = new URL("./_testdata/work.ts", import.meta.url);
 * const pool = new ThreadPool(0, 2);
 * pool.start();
 * const answer = await new Promise((resolve, reject) =>
 *   pool.callInThreadWithCallback(
 *     (ok, result) => ok ? resolve(result) : reject(result),
 *     module,
 *     "add",
 *     40,
 *     2,
 *   )
 * );
 * pool.stop();
 * if (answer !== 42) throw new Error("the Worker cannot add");
 * ```
 */
export class ThreadPool {
  /** The pool's name, which its Workers' names start with. */
  readonly name: string;
  #min: number;
  #max: number;
  #started = false;
  #joined = false;
  readonly #threads = new Set<PoolThread>();
  readonly #idle: PoolThread[] = [];
  #busy = 0;
  readonly #queue = new Queue<Job>();
  #serial = 0;
  /**
   * Modules the script may read (with the Workers' own), checked at the
   * first call that needs each: a permission query costs a call into Deno.
   */
  readonly #readable = new Set<string>();
  readonly #log: (text: string) => void;
  readonly #ring = new RingCalls((slot, result, next) => this.#ringFinished(slot, result, next));
  /** The call in each slot of the ring, and the Worker running it (none while in the backlog). */
  readonly #slots: ({ job: Job; thread: PoolThread | null } | undefined)[] = [];

  /**
   * Creates a pool that is not started yet.
   *
   * @param minthreads Workers started by `start()` and kept (Twisted's default, 5)
   * @param maxthreads at most this many Workers at once (Twisted's default, 20)
   * @param name the name of the pool, for its Workers' names
   * @param log where the failures of fire-and-forget calls are reported (stderr by default)
   * @throws {RangeError} if the sizes are not whole numbers with 0 ≤ min ≤ max and max ≥ 1
   */
  constructor(
    minthreads = 5,
    maxthreads = 20,
    name = "ThreadPool",
    log: (text: string) => void = (text) => console.error(text),
  ) {
    checkSizes(minthreads, maxthreads);
    this.#min = minthreads;
    this.#max = maxthreads;
    this.name = name;
    this.#log = log;
  }

  /** Workers kept once started. */
  get min(): number {
    return this.#min;
  }

  /** At most this many Workers at once. */
  get max(): number {
    return this.#max;
  }

  /** True between `start()` and `stop()`. */
  get started(): boolean {
    return this.#started;
  }

  /** Workers started and alive, idle or busy. */
  get workers(): number {
    return this.#threads.size;
  }

  /** Workers running a call now. */
  get busy(): number {
    return this.#busy;
  }

  /** Calls waiting for a Worker. */
  get queued(): number {
    return this.#ring.backlog + this.#queue.length;
  }

  /** Starts `min` Workers and the calls that were waiting. */
  start(): void {
    if (this.#joined) throw new Error("Cannot start the thread pool: it was stopped");
    this.#started = true;
    this.#fill();
  }

  /**
   * Terminates every Worker. The calls running or waiting fail with a
   * {@linkcode CancelledError}; calls made afterwards are refused.
   */
  stop(): void {
    this.#joined = true;
    this.#started = false;
    const unfinished = new Set<Job>();
    for (const thread of this.#threads) {
      if (thread.job !== null) unfinished.add(thread.job);
      // terminate() takes effect when the Worker's event loop next runs.
      if (thread.seat !== -1) this.#ring.nudge(thread.seat);
      stopWorker(thread.worker);
    }
    for (const inSlot of this.#slots) if (inSlot !== undefined) unfinished.add(inSlot.job);
    this.#threads.clear();
    this.#idle.length = 0;
    this.#busy = 0;
    this.#ring.close();
    this.#slots.length = 0;
    for (let job = this.#queue.shift(); job !== undefined; job = this.#queue.shift()) {
      unfinished.add(job);
    }
    for (const job of unfinished) {
      const error = new CancelledError(
        `Cannot finish ${job.call.exportName} in a thread: the thread pool was stopped`,
      );
      this.#deliver(job, false, new Failure(error));
    }
  }

  /**
   * Sets new sizes. Busy Workers above the new maximum are stopped when
   * they find no call waiting; more Workers start at once if calls are waiting.
   *
   * @throws {RangeError} if the sizes are not whole numbers with 0 ≤ min ≤ max and max ≥ 1
   */
  adjustPoolsize(minthreads: number = this.#min, maxthreads: number = this.#max): void {
    checkSizes(minthreads, maxthreads);
    this.#min = minthreads;
    this.#max = maxthreads;
    if (!this.#started) return;
    while (this.#threads.size > this.#max && this.#idle.length > 0) {
      this.#stopThread(this.#idle.pop() as PoolThread);
    }
    this.#fill();
  }

  /**
   * Runs `exportName(...args)` from the module at `moduleUrl` in a Worker,
   * and reports a failure on the pool's log. See
   * {@linkcode ThreadPool.callInThreadWithCallback}.
   */
  callInThread(moduleUrl: string | URL, exportName: string, ...args: unknown[]): void {
    this.callInThreadWithCallback(null, moduleUrl, exportName, ...args);
  }

  /**
   * Runs `exportName(...args)` from the module at `moduleUrl` in a Worker
   * of the pool, and calls `onResult(true, result)` with what it returned
   * (awaited, if a Promise), or `onResult(false, failure)` with a
   * {@linkcode Failure} rebuilt from what it threw (its name, message and
   * stack). `onResult` runs on the main thread, from the Worker's message
   * event or the ring's doorbell: not from a reactor's loop (a reactor user
   * passes the result on with `reactor.callFromThread`, as
   * `deferToThreadPool` does).
   *
   * Arguments and results that are numbers, strings of up to about 8 KB,
   * booleans, null or undefined cross through the pool's shared memory;
   * others by structured clone (`postMessage`). Either way the Worker gets
   * copies, and so does the caller.
   *
   * The Worker runs with the script's permissions and imports the module
   * itself, so the script needs read access to the module's file and to
   * what it imports (`--allow-read=lib,part05` for a module in part05), and
   * to `lib/workers/` for the Worker's own code.
   *
   * @param onResult called once with the outcome; null to only report a failure
   * @param moduleUrl an absolute URL, such as `new URL("./work.ts", import.meta.url)`
   * @param exportName the name of an exported function
   * @param args its arguments: values the structured clone algorithm copies
   * @throws {TypeError} if `moduleUrl` is not an absolute URL or an argument cannot be cloned
   * @throws {Deno.errors.PermissionDenied} if the script may not read the module
   * @throws {Error} if the pool was stopped
   */
  callInThreadWithCallback(
    onResult: OnResult | null,
    moduleUrl: string | URL,
    exportName: string,
    ...args: unknown[]
  ): void {
    const what = `run ${exportName} in a thread`;
    if (this.#joined) throw new Error(`Cannot ${what}: the thread pool was stopped`);
    const url = absoluteUrl(moduleUrl, what);
    const href = url.href;
    if (!this.#readable.has(href)) {
      checkReadable(threadModule, what, "lib");
      checkReadable(url, what);
      this.#readable.add(href);
    }
    const job: Job = { call: { url: href, exportName, args }, onResult, slot: -1 };
    const thread = this.#started ? this.#idle.pop() ?? this.#startThread() : undefined;
    if (thread === undefined) {
      if (this.#started && this.#queue.length === 0 && this.#toBacklog(job)) return;
      if (!args.every(isPlain)) checkCloneable(args, what);
      this.#queue.push(job);
    } else if (!this.#post(thread, job)) {
      this.#recycle(thread);
      checkCloneable(args, what);
      throw cloneError(what, "postMessage refused them");
    }
  }

  /**
   * The Worker `thread` becomes busy with `job`: through the ring if the
   * arguments are plain values, as a message otherwise; false if they could
   * not be cloned.
   */
  #post(thread: PoolThread, job: Job): boolean {
    if (thread.seat === -1) {
      // A Worker without a seat at the ring takes even a call from the backlog as a message.
      this.#settle(job);
    } else {
      if (job.slot === -1) this.#write(job);
      if (job.slot !== -1) {
        (this.#slots[job.slot] as { thread: PoolThread | null }).thread = thread;
        this.#ring.mail(thread.seat, job.slot);
      }
    }
    if (job.slot === -1) {
      // A Worker with a seat may be waiting for ring mail on its own thread, deaf to messages.
      if (thread.seat !== -1) this.#ring.nudge(thread.seat);
      try {
        thread.worker.postMessage(job.call);
      } catch {
        return false;
      }
    }
    this.#busy++;
    thread.job = job;
    return true;
  }

  /** Writes `job` into a slot of the ring, if it can go that way. */
  #write(job: Job): void {
    job.slot = this.#ring.write(job.call);
    if (job.slot !== -1) this.#slots[job.slot] = { job, thread: null };
  }

  /**
   * Puts `job` in the ring's backlog, where the first Worker to finish a
   * call takes it; false if it cannot go by the ring or the backlog is full.
   */
  #toBacklog(job: Job): boolean {
    this.#write(job);
    if (job.slot === -1) return false;
    this.#ring.enqueue(job.slot);
    return true;
  }

  /** `job`'s slot is free again (unless a crashed Worker may still write to it). */
  #settle(job: Job, reuse = true): void {
    if (job.slot === -1) return;
    this.#slots[job.slot] = undefined;
    this.#ring.settle(job.slot, reuse);
    job.slot = -1;
  }

  #startThread(): PoolThread | undefined {
    if (this.#threads.size >= this.#max) return undefined;
    const worker = startWorker(threadModule, {
      name: `${this.name}-${++this.#serial}`,
      purpose: "start a thread",
      readHint: "lib",
    });
    const seat = this.#ring.seat();
    const thread: PoolThread = { worker, job: null, seat: seat?.seat ?? -1 };
    if (seat !== null) worker.postMessage(seat);
    this.#threads.add(thread);
    worker.onmessage = ({ data }: MessageEvent<Reply>) => {
      if (!data.ok && data.crashed) this.#crashed(thread, errorFromThread(data.error));
      else this.#finished(thread, data);
    };
    worker.onmessageerror = () => {
      const error = new TypeError("Cannot receive the result of a call in a thread");
      this.#finished(thread, { ok: false, error: { name: error.name, message: error.message } });
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.#crashed(thread, new Error(event.message));
    };
    return thread;
  }

  /**
   * A call's result came back through the ring, and its Worker took the
   * call in slot `next` from the backlog (so it stays busy), or none (-1).
   */
  #ringFinished(slot: number, result: SlotResult, next: number): void {
    const inSlot = this.#slots[slot];
    const thread = inSlot?.thread;
    // A Worker that crashed mid-call may still have finished it: nobody waits.
    if (inSlot === undefined || thread === null || thread === undefined) return;
    this.#settle(inSlot.job);
    if (next === -1) return this.#finished(thread, result);
    const taken = this.#slots[next] as { job: Job; thread: PoolThread | null };
    taken.thread = thread;
    thread.job = taken.job;
    this.#refill();
    this.#reply(inSlot.job, result);
  }

  /**
   * A call is over: the Worker becomes idle and takes the next one, then the
   * caller hears of it.
   */
  #finished(thread: PoolThread, reply: Reply): void {
    const job = thread.job;
    if (job === null) return;
    // A ring call whose result was not a plain value came back as a message.
    this.#settle(job);
    thread.job = null;
    this.#busy--;
    this.#recycle(thread);
    this.#reply(job, reply);
  }

  #reply(job: Job, reply: Reply): void {
    if (reply.ok) this.#deliver(job, true, reply.result);
    else this.#deliver(job, false, new Failure(errorFromThread(reply.error)));
  }

  /** Moves waiting calls from the pool's queue to the ring's backlog, in order, while they fit. */
  #refill(): void {
    for (let job = this.#queue.peek(); job !== undefined; job = this.#queue.peek()) {
      if (!this.#toBacklog(job)) return;
      this.#queue.shift();
    }
  }

  /** Gives an idle Worker the next call, or keeps it idle, or stops it if the pool shrank. */
  #recycle(thread: PoolThread): void {
    // A Worker that crashed finished its last call just before.
    if (!this.#threads.has(thread)) return;
    if (this.#threads.size > this.#max) return this.#stopThread(thread);
    const slot = this.#ring.take();
    if (slot !== -1) {
      const job = (this.#slots[slot] as { job: Job }).job;
      this.#post(thread, job);
      return this.#refill();
    }
    for (let job = this.#queue.shift(); job !== undefined; job = this.#queue.shift()) {
      if (this.#post(thread, job)) return;
      const what = `run ${job.call.exportName} in a thread`;
      this.#deliver(job, false, new Failure(cloneError(what, "postMessage refused them")));
    }
    this.#idle.push(thread);
  }

  #crashed(thread: PoolThread, cause: Error): void {
    this.#stopThread(thread);
    // What the Worker finished before it crashed, and which call it took then.
    this.#ring.drain();
    const job = thread.job;
    if (job !== null) {
      // A slot whose call was cut short is not given to another Worker.
      this.#settle(job, false);
      thread.job = null;
      this.#busy--;
      const error = new Error(
        `Cannot finish ${job.call.exportName} in a thread: its Worker crashed (${cause.name}: ${cause.message})`,
        { cause },
      );
      this.#deliver(job, false, new Failure(error));
    }
    if (this.#started) this.#fill();
  }

  /** Starts Workers up to `min`, and for the waiting calls up to `max`. */
  #fill(): void {
    while (this.#threads.size < this.#min) this.#recycle(this.#startThread() as PoolThread);
    while (this.queued > 0) {
      const thread = this.#startThread();
      if (thread === undefined) return this.#refill();
      this.#recycle(thread);
    }
  }

  #stopThread(thread: PoolThread): void {
    if (thread.seat !== -1) this.#ring.nudge(thread.seat);
    stopWorker(thread.worker);
    this.#threads.delete(thread);
    const at = this.#idle.indexOf(thread);
    if (at !== -1) this.#idle.splice(at, 1);
    if (thread.seat !== -1) this.#ring.unseat(thread.seat);
    thread.seat = -1;
  }

  #deliver(job: Job, success: boolean, result: unknown): void {
    try {
      if (job.onResult !== null) job.onResult(success, result);
      else if (!success) {
        this.#log(`Unhandled error in a thread:\n${(result as Failure).getTraceback()}`);
      }
    } catch (error) {
      this.#log(`Unhandled error in a thread pool callback:\n${formatError(error)}`);
    }
  }
}

function checkSizes(min: number, max: number): void {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < 1 || min > max) {
    throw new RangeError(
      `Cannot size the thread pool: ${min}..${max} is not 0 ≤ min ≤ max with max ≥ 1`,
    );
  }
}
