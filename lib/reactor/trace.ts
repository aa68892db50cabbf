/**
 * {@linkcode ReactorTrace}: the reactor's loop narrating itself, one line
 * per turn, so the reader can watch the loop of chapter 3 turn instead of
 * taking a drawing's word for it.
 *
 * Turn it on with `REACTOR_TRACE=1` in the environment (the chapters' tasks
 * allow reading that one variable, `--allow-env=REACTOR_TRACE`), or with the
 * `trace` option of a reactor made by hand. Each line says when the turn
 * began (seconds since `run()`), how long the loop waited, what ended the
 * wait, then every call the loop made, with its duration:
 *
 * ```text
 * reactor turn 1 at 0.000 s | waited 0.000 ms | start | () => countdown.count() 0.183 ms
 * reactor turn 2 at 0.001 s | waited 1.001 s | timer due | () => this.count() 0.094 ms
 * reactor turn 9 at 0.402 s | waited 98.7 ms | descriptors ready | doRead poetry fd 12 0.215 ms
 * ```
 *
 * What can end a wait: `timer due` (the timeout ran out: a delayed call is
 * due), `descriptors ready` (the wait found a descriptor to read or write),
 * or `wake-up` (something changed while the loop slept: `stop()`, a sooner
 * call, a new descriptor), with the reason when the loop knows it. Delayed
 * calls are named by their function (an anonymous one by its source),
 * descriptors by `doRead`/`doWrite`, `logPrefix()` and fileno, and a call
 * reached through one (a protocol's `dataReceived`) follows its caller
 * after an arrow. A wait is one line however long it lasts, and a turn
 * lists its first {@linkcode MAX_LISTED} calls, then how many more.
 *
 * `REACTOR_TRACE=json` writes the same turns as JSON, one object a line,
 * with what a picture of the loop needs besides: delayed calls scheduled,
 * moved, cancelled and run, descriptors registered and unregistered, bytes
 * per descriptor, the thread pool's Workers (see `trace_events.ts`).
 * `part3:watch` draws them live.
 *
 * When the trace is off the reactor holds `null`, and each place that
 * would call it costs one null check.
 *
 * @module
 */

import type { Callable } from "../interfaces.ts";
import { callableName, formatMs } from "./trace_labels.ts";
import {
  type TraceCallRecord,
  type TracedDescriptor,
  type TracedPool,
  TraceEvents,
  type TraceShutdownRecord,
  type TraceStartRecord,
  type TraceTurnRecord,
  type TraceWokeRecord,
} from "./trace_events.ts";

/**
 * The environment variable that turns the trace on: `1` for text, `json`
 * for JSON lines; unset, empty or `0` is off.
 */
export const TRACE_ENV = "REACTOR_TRACE";

/** The trace's two forms: a line of text per turn, or a JSON object per line. */
export type TraceFormat = "text" | "json";

/** Calls listed per turn (and per caller) before the rest are summed up in one entry. */
export const MAX_LISTED = 10;

/** Where a trace goes and the clock it reads; both replaceable for tests. */
export interface ReactorTraceOptions {
  /** Receives each line, without its newline; defaults to `console.error` (stderr). */
  write?: (line: string) => void;
  /** Milliseconds on any monotonic clock; defaults to `performance.now`. */
  now?: () => number;
  /** `text` (the default) or `json`; see {@linkcode TraceFormat}. */
  format?: TraceFormat;
}

/** One call the loop made, and those reached through it. */
interface Frame {
  start: number;
  label: string;
  ms: number;
  calls: Frame[];
  /** Calls beyond MAX_LISTED: how many, and their time. */
  more: number;
  moreMs: number;
}

/**
 * The trace of one reactor. The loop tells it when a wait begins and ends
 * and when each of its calls begins ({@linkcode ReactorTrace.callStarted})
 * and ends ({@linkcode ReactorTrace.callEnded}); code the loop called can
 * show the calls it makes in turn ({@linkcode ReactorTrace.enter},
 * {@linkcode ReactorTrace.leave}), as a transport shows `dataReceived`. A
 * turn's line is written when the next wait begins, or when the loop ends.
 * The JSON form also hears of timers, descriptors, bytes and Workers; the
 * text form ignores those.
 *
 * @example A transport shows the protocol callback it makes
 * ```ts ignore
 * const trace = this.reactor.trace;
 * trace?.enter(`dataReceived ${this.protocol.constructor.name} ${data.length} bytes`);
 * this.protocol.dataReceived(data);
 * trace?.leave();
 * ```
 */
export class ReactorTrace {
  readonly #write: (line: string) => void;
  readonly #now: () => number;
  /** What the JSON form adds; null for text. */
  readonly #events: TraceEvents | null;
  #origin = 0;
  #turn = 0;
  /** When the turn's wait began (ms), and whether it is still going on. */
  #waitStart = 0;
  #waiting = false;
  #waited = 0;
  #woke = "start";
  #top: Frame = newFrame(0);
  readonly #stack: Frame[] = [];
  /** Where the events of the loop's current call begin. */
  #callMark = 0;

  /** Creates a trace; see {@linkcode ReactorTraceOptions}. */
  constructor(options: ReactorTraceOptions = {}) {
    this.#write = options.write ?? ((line) => console.error(line));
    this.#now = options.now ?? (() => performance.now());
    this.#events = options.format === "json" ? new TraceEvents() : null;
  }

  /** The form this trace writes. */
  get format(): TraceFormat {
    return this.#events === null ? "text" : "json";
  }

  /**
   * The loop has started: turn 1 begins, with the calls made before the first wait.
   *
   * @param reactor the reactor's class name, which the JSON form's first line gives
   */
  loopStarted(reactor = "reactor"): void {
    this.#origin = this.#now();
    this.#begin(this.#origin);
    this.#waiting = false;
    if (this.#events === null) return;
    this.#events.start(this.#origin);
    const record: TraceStartRecord = { reactor, started: Date.now() };
    this.#write(JSON.stringify(record));
  }

  /** A wait begins: the turn before it is over and written, and a new turn starts. */
  waiting(): void {
    this.#flush();
    this.#begin(this.#now());
  }

  /**
   * The wait is over; if no descriptor was dispatched, what ended it was the
   * wake-up signal (its reason, when a string, is reported) or the timeout.
   */
  woke(wakeUp: AbortSignal): void {
    if (!this.#waiting) return;
    const reason = typeof wakeUp.reason === "string" ? `wake-up (${wakeUp.reason})` : "wake-up";
    this.#endWait(wakeUp.aborted ? reason : "timer due");
  }

  /**
   * The loop makes a call. The first one made during a wait is a descriptor
   * the wait found ready, and ends the wait.
   *
   * @param label what is called, if known now (see {@linkcode ReactorTrace.callEnded})
   */
  callStarted(label = ""): void {
    if (this.#waiting) this.#endWait("descriptors ready");
    this.#callMark = this.#events?.mark() ?? 0;
    this.#stack.length = 0;
    this.enter(label);
  }

  /**
   * The loop's call is over. Calls made through it that were entered and
   * never left (they threw) end here too, marked `(threw)`.
   *
   * @param what its name, or the function called (named by its name or,
   *   if anonymous, its source); omitted, the label given to `callStarted` stays
   * @param delayedCall the delayed call that ran, if it was one
   */
  callEnded(what?: string | Callable, delayedCall?: object): void {
    while (this.#stack.length > 1) {
      (this.#stack.at(-1) as Frame).label += " (threw)";
      this.leave();
    }
    const frame = this.#stack.at(-1);
    if (frame !== undefined && what !== undefined) {
      frame.label = typeof what === "string" ? what : callableName(what);
    }
    this.leave();
    if (delayedCall !== undefined) this.#events?.ended(delayedCall, "ran", this.#callMark);
  }

  /**
   * A call made through the loop's current call begins, such as the
   * protocol callback a transport's `doRead` makes; it follows its caller
   * in the turn's line, after an arrow. Pair it with {@linkcode ReactorTrace.leave}.
   *
   * @param label what is called, with what: `dataReceived PoetryProtocol 30 bytes`
   */
  enter(label: string): void {
    const frame = newFrame(this.#now());
    frame.label = label;
    this.#stack.push(frame);
  }

  /** The call begun by the last {@linkcode ReactorTrace.enter} is over. */
  leave(): void {
    const frame = this.#stack.pop();
    if (frame === undefined) return;
    frame.ms = this.#now() - frame.start;
    const caller = this.#stack.at(-1) ?? this.#top;
    if (caller.calls.length < MAX_LISTED) {
      caller.calls.push(frame);
    } else {
      caller.more++;
      caller.moreMs += frame.ms;
    }
  }

  /** The loop has ended: the last turn is written. */
  loopEnded(): void {
    if (this.#waiting) this.#endWait("wake-up", false);
    this.#flush();
  }

  /** The reactor has shut down (descriptors disconnected, Workers stopped): JSON's last line. */
  shutDown(): void {
    if (this.#events === null) return;
    this.#events.samplePool();
    const record: TraceShutdownRecord = {
      shutdown: this.#seconds(this.#now()),
      events: this.#events.take(),
    };
    this.#write(JSON.stringify(record));
  }

  /** A delayed call was scheduled, `delay` seconds from now. */
  scheduled(call: { readonly func: Callable }, delay: number): void {
    this.#events?.scheduled(call, callableName(call.func), this.#now(), delay);
  }

  /** A delayed call was moved: it is now due `delay` seconds from now. */
  moved(call: object, delay: number): void {
    this.#events?.moved(call, this.#now(), delay);
  }

  /** A delayed call was cancelled. */
  cancelled(call: object): void {
    this.#events?.ended(call, "cancelled");
  }

  /** A descriptor was registered for reading or writing. */
  added(selectable: TracedDescriptor, kind: "reader" | "writer"): void {
    this.#events?.added(selectable, kind);
  }

  /** A descriptor was unregistered for reading or writing. */
  removed(selectable: TracedDescriptor, kind: "reader" | "writer"): void {
    this.#events?.removed(selectable, kind);
  }

  /** A transport on descriptor `fd` read or wrote bytes. */
  bytes(fd: number, read: number, written: number): void {
    this.#events?.bytes(fd, read, written);
  }

  /** The reactor's thread pool: its Workers are followed, busy or idle, turn by turn. */
  watchPool(pool: TracedPool): void {
    this.#events?.watchPool(pool);
  }

  #begin(now: number): void {
    this.#turn++;
    this.#waitStart = now;
    this.#waiting = true;
    this.#waited = 0;
    this.#woke = "start";
    this.#top = newFrame(now);
  }

  #endWait(woke: string, announce = true): void {
    this.#waiting = false;
    const now = this.#now();
    this.#waited = now - this.#waitStart;
    this.#woke = woke;
    if (this.#events === null || !announce) return;
    this.#events.samplePool();
    // Said at once, so that a call that blocks the loop shows as running while it runs.
    const record: TraceWokeRecord = { woke, turn: this.#turn, at: this.#seconds(now) };
    this.#write(JSON.stringify(record));
  }

  #flush(): void {
    if (this.#events !== null) {
      this.#events.samplePool();
      const record: TraceTurnRecord = {
        turn: this.#turn,
        at: this.#seconds(this.#waitStart),
        waited: Math.round(this.#waited * 1000) / 1e6,
        woke: this.#woke,
        calls: callRecords(this.#top),
        end: this.#seconds(this.#now()),
        events: this.#events.take(),
      };
      this.#write(JSON.stringify(record));
      return;
    }
    const at = ((this.#waitStart - this.#origin) / 1000).toFixed(3);
    const fields = [
      `reactor turn ${this.#turn} at ${at} s`,
      `waited ${formatMs(this.#waited)}`,
      this.#woke,
      ...listCalls(this.#top).map((call) => call.join(" → ")),
    ];
    this.#write(fields.join(" | "));
  }

  /** A clock reading (ms) as seconds since the loop started, to the microsecond. */
  #seconds(ms: number): number {
    return Math.round((ms - this.#origin) * 1000) / 1e6;
  }
}

/**
 * The trace a reactor should keep: `option` if given (`true` writes text to
 * stderr), otherwise the one {@linkcode TRACE_ENV} asks for, on stderr, if
 * it is set and readable, or none. Never asks for a permission, never throws.
 */
export function createTrace(option?: boolean | ReactorTraceOptions): ReactorTrace | null {
  if (option === false) return null;
  if (typeof option === "object") return new ReactorTrace(option);
  const format = option === true ? "text" : traceRequested();
  return format === null ? null : new ReactorTrace({ format });
}

/**
 * The form of trace the environment asks for (`REACTOR_TRACE=json`: JSON;
 * any other value but empty or `0`: text), or null. Without permission to
 * read {@linkcode TRACE_ENV} the answer is none: a script run without
 * `--allow-env=REACTOR_TRACE` is neither prompted nor stopped.
 */
function traceRequested(): TraceFormat | null {
  try {
    const { state } = Deno.permissions.querySync({ name: "env", variable: TRACE_ENV });
    if (state !== "granted") return null;
    const value = Deno.env.get(TRACE_ENV);
    if (value === undefined || value === "" || value === "0") return null;
    return value === "json" ? "json" : "text";
  } catch {
    return null;
  }
}

function newFrame(start: number): Frame {
  return { start, label: "", ms: 0, calls: [], more: 0, moreMs: 0 };
}

/** A frame's calls as the JSON form lists them, with the text form's `… N more calls`. */
function callRecords(frame: Frame): TraceCallRecord[] {
  const records = frame.calls.map((call) => ({
    label: call.label,
    seconds: Math.round(call.ms * 1000) / 1e6,
    through: callRecords(call),
  }));
  if (frame.more > 0) {
    const seconds = Math.round(frame.moreMs * 1000) / 1e6;
    records.push({ label: `… ${frame.more} more calls`, seconds, through: [] });
  }
  return records;
}

/** A frame's calls, each as its own entry followed by those reached through it. */
function listCalls(frame: Frame): string[][] {
  const entries = frame.calls.map((call) => [
    `${call.label} ${formatMs(call.ms)}`,
    ...listCalls(call).flat(),
  ]);
  if (frame.more > 0) entries.push([`… ${frame.more} more calls ${formatMs(frame.moreMs)}`]);
  return entries;
}
