/**
 * What the structured trace (`REACTOR_TRACE=json`) adds to the text one:
 * the events a picture of the loop needs and a line of text leaves out.
 * {@linkcode TraceEvents} collects them during a turn; the turn's record
 * carries them (see {@linkcode TraceTurnRecord}).
 *
 * Each event is a short array whose first element says what happened:
 *
 * ```text
 * ["later", 3, "() => this.count()", 1.002, 2.003]   call 3 scheduled at 1.002 s, due at 2.003 s
 * ["moved", 3, 2.5]                                   call 3 now due at 2.5 s (reset, delay)
 * ["cancelled", 3]                                    call 3 cancelled
 * ["ran", 3]                                          call 3 ran (in this turn's calls)
 * ["reader+", 12, "poetry"]  ["reader-", 12]          a descriptor registered, or not, for reading
 * ["writer+", 12, "poetry"]  ["writer-", 12]          ... for writing
 * ["bytes", 12, 30, 0]                                fd 12 read 30 bytes, wrote 0, this turn
 * ["workers", 2, 1, 0]                                the thread pool: 2 Workers, 1 busy, 0 queued
 * ```
 *
 * Times are seconds since the loop started, on the trace's clock. Besides
 * a record per turn, the JSON form writes a short one the moment each wait
 * ends ({@linkcode TraceWokeRecord}).
 *
 * @module
 */

/** A registered descriptor as the trace names it. */
export interface TracedDescriptor {
  /** The descriptor's number (-1 once closed). */
  fileno(): number;
  /** Its short name. */
  logPrefix(): string;
}

/** What the trace reads of a thread pool, each time the loop starts or ends a turn. */
export interface TracedPool {
  /** Workers started and alive, idle or busy. */
  readonly workers: number;
  /** Workers running a call. */
  readonly busy: number;
  /** Calls waiting for a Worker. */
  readonly queued: number;
}

/** One event of a turn; see the module's documentation for each kind. */
export type TraceEvent =
  | [kind: "later", id: number, label: string, at: number, due: number]
  | [kind: "moved", id: number, due: number]
  | [kind: "cancelled" | "ran", id: number]
  | [kind: "reader+" | "writer+", fd: number, name: string]
  | [kind: "reader-" | "writer-", fd: number]
  | [kind: "bytes", fd: number, read: number, written: number]
  | [kind: "workers", workers: number, busy: number, queued: number];

/** A call as a structured turn lists it (the text form's `label 0.183 ms → …`). */
export interface TraceCallRecord {
  /** What was called. */
  label: string;
  /** How long it took, in seconds. */
  seconds: number;
  /** The calls made through it. */
  through: TraceCallRecord[];
}

/** The first line of a structured trace, written when the loop starts. */
export interface TraceStartRecord {
  /** The reactor's class: `EPollReactor`, `PollReactor`. */
  reactor: string;
  /** When the loop started: milliseconds since the Unix epoch (`Date.now()`). */
  started: number;
}

/** One line of a structured trace per turn, written when the turn is over. */
export interface TraceTurnRecord {
  /** The turn's number, from 1. */
  turn: number;
  /** When its wait began, in seconds since the loop started. */
  at: number;
  /** How long the loop waited, in seconds. */
  waited: number;
  /** What ended the wait, as in the text form. */
  woke: string;
  /** The calls the loop made, as in the text form (the first few, then `… N more calls`). */
  calls: TraceCallRecord[];
  /** When the turn ended (its last call returned), in seconds since the loop started. */
  end: number;
  /** What else happened during the turn, in order (bytes summed up at its end). */
  events: TraceEvent[];
}

/**
 * Written the moment a wait ends, before the turn's calls run: a call
 * that blocks the loop for seconds shows as running while it does.
 */
export interface TraceWokeRecord {
  /** What ended the wait, as the turn's record will say. */
  woke: string;
  /** The turn whose wait it ended. */
  turn: number;
  /** When, in seconds since the loop started. */
  at: number;
}

/** The last line: what happened after the last turn, while the reactor shut down. */
export interface TraceShutdownRecord {
  /** Seconds since the loop started. */
  shutdown: number;
  /** Descriptors removed, Workers stopped. */
  events: TraceEvent[];
}

/** Any line of a structured trace. */
export type TraceRecord =
  | TraceStartRecord
  | TraceWokeRecord
  | TraceTurnRecord
  | TraceShutdownRecord;

/** Where a descriptor is registered, as the trace last heard. */
interface Registration {
  fd: number;
  reader: boolean;
  writer: boolean;
}

/**
 * The events of the turn under way. The trace calls it from the hooks the
 * reactor, its timers and transports call; times come in as the trace's
 * clock readings (milliseconds) and go out as seconds since `origin`.
 */
export class TraceEvents {
  #events: TraceEvent[] = [];
  /** Bytes read and written per descriptor this turn. */
  #bytes = new Map<number, [number, number]>();
  readonly #ids = new WeakMap<object, number>();
  #nextId = 1;
  readonly #registered = new Map<TracedDescriptor, Registration>();
  #pool: TracedPool | null = null;
  #poolSeen = "0,0,0";
  /** Timed events recorded before the loop started wait for its origin. */
  readonly #early: { event: TraceEvent; index: number; ms: number; due: number }[] = [];
  #origin: number | null = null;

  /** The loop has started at `origin` (ms on the trace's clock). */
  start(origin: number): void {
    this.#origin = origin;
    for (const { event, index, ms, due } of this.#early.splice(0)) {
      const fields = event as unknown as number[];
      fields[index] = this.#seconds(ms);
      if (index === 3) fields[4] = this.#seconds(ms + due);
    }
  }

  /** A delayed call was scheduled at `now` (ms), due `delay` seconds later. */
  scheduled(call: object, label: string, now: number, delay: number): void {
    const id = this.#nextId++;
    this.#ids.set(call, id);
    const event: TraceEvent = ["later", id, label, 0, 0];
    if (this.#origin === null) {
      this.#early.push({ event, index: 3, ms: now, due: delay * 1000 });
    } else {
      event[3] = this.#seconds(now);
      event[4] = this.#seconds(now + delay * 1000);
    }
    this.#events.push(event);
  }

  /** A delayed call now runs `delay` seconds after `now` (ms). */
  moved(call: object, now: number, delay: number): void {
    const id = this.#ids.get(call);
    if (id === undefined) return;
    const event: TraceEvent = ["moved", id, 0];
    if (this.#origin === null) {
      this.#early.push({ event, index: 2, ms: now + delay * 1000, due: 0 });
    } else event[2] = this.#seconds(now + delay * 1000);
    this.#events.push(event);
  }

  /** How many events the turn holds so far: where a call that starts now begins. */
  mark(): number {
    return this.#events.length;
  }

  /**
   * A delayed call was cancelled, or has run; a call that ran is placed at
   * `mark`, when it started, before the events it caused.
   */
  ended(call: object, kind: "cancelled" | "ran", mark = this.#events.length): void {
    const id = this.#ids.get(call);
    if (id !== undefined) this.#events.splice(mark, 0, [kind, id]);
  }

  /** A descriptor was registered for reading or writing; repeats are not events. */
  added(selectable: TracedDescriptor, kind: "reader" | "writer"): void {
    let registration = this.#registered.get(selectable);
    if (registration === undefined) {
      registration = { fd: selectable.fileno(), reader: false, writer: false };
      this.#registered.set(selectable, registration);
    }
    if (registration[kind]) return;
    registration[kind] = true;
    this.#events.push([`${kind}+`, registration.fd, selectable.logPrefix()]);
  }

  /** A descriptor was unregistered; by then it may be closed, so it is found by itself. */
  removed(selectable: TracedDescriptor, kind: "reader" | "writer"): void {
    const registration = this.#registered.get(selectable);
    if (registration === undefined || !registration[kind]) return;
    registration[kind] = false;
    if (!registration.reader && !registration.writer) this.#registered.delete(selectable);
    this.#events.push([`${kind}-`, registration.fd]);
  }

  /** Descriptor `fd` read or wrote bytes. */
  bytes(fd: number, read: number, written: number): void {
    if (read + written === 0) return;
    const counts = this.#bytes.get(fd);
    if (counts === undefined) {
      this.#bytes.set(fd, [read, written]);
    } else {
      counts[0] += read;
      counts[1] += written;
    }
  }

  /** Follow this thread pool's Workers from now on. */
  watchPool(pool: TracedPool): void {
    this.#pool = pool;
    this.samplePool();
  }

  /** Notes the pool's state if it changed since it was last seen. */
  samplePool(): void {
    const pool = this.#pool;
    if (pool === null) return;
    const seen = `${pool.workers},${pool.busy},${pool.queued}`;
    if (seen === this.#poolSeen) return;
    this.#poolSeen = seen;
    this.#events.push(["workers", pool.workers, pool.busy, pool.queued]);
  }

  /** The turn's events, its byte counts last; the next turn starts empty. */
  take(): TraceEvent[] {
    const events = this.#events;
    for (const [fd, [read, written]] of this.#bytes) events.push(["bytes", fd, read, written]);
    this.#events = [];
    this.#bytes = new Map();
    return events;
  }

  /** Milliseconds on the trace's clock as seconds since the loop started, to the microsecond. */
  #seconds(ms: number): number {
    return Math.round((ms - (this.#origin ?? ms)) * 1000) / 1e6;
  }
}
