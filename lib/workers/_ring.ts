/**
 * {@linkcode Ring}: the shared memory through which the thread pool hands
 * calls to its Workers and gets their results back, without `postMessage`.
 *
 * One `SharedArrayBuffer` per pool holds {@linkcode SLOTS} slots, each
 * carrying one call and then its result, and three rings of slot numbers:
 *
 * ```text
 *   main thread                               Workers (each waits on its MAILBOX word
 *                                                      with Atomics.waitAsync)
 *   an idle Worker: MAILBOX[seat] = slot ────> runs the call in `slot`, writes the result
 *   no idle Worker: BACKLOG ← slot       ────> a Worker that just finished takes it itself
 *   drain() ← DONE ← (slot, next slot taken) ← and rings DOORBELL (Atomics.notify)
 *   (waits with Atomics.waitAsync on DOORBELL while calls are out,
 *    and watches it for 0.05 ms while watching pays)
 * ```
 *
 * The BACKLOG is Twisted's queue, shared: a Worker that finishes a call
 * takes the next waiting one without a round trip to the main thread, and
 * says which one in its DONE entry, so the pool always knows what each
 * Worker runs. The main thread's event loop is never parked:
 * `Atomics.waitAsync` resolves a Promise; it also watches the doorbell for
 * at most 0.05 ms in a turn of its own ({@linkcode Ring.watchDoorbell}),
 * since a wake through its event loop takes 20 µs. A Worker's is parked,
 * briefly: having just finished a call, it waits for the next one on its
 * own thread (watching its mailbox for 0.1 ms, then `Atomics.wait`, a
 * millisecond in all) before it waits with `Atomics.waitAsync`, since a
 * caller that awaits each result sends the next within microseconds. Both
 * watch only while watching catches what they wait for
 * ({@linkcode WatchBackoff}). Only plain values cross
 * this way (numbers, strings that fit in a slot, booleans, null, undefined)
 * and the errors calls throw (three strings); anything else goes by
 * structured clone, with `postMessage`.
 *
 * @module
 */

/** Slots per pool, and seats: Workers beyond this many take every call by message. */
export const SLOTS = 64;
/**
 * Bytes per slot: a string of about 8,000 bytes of UTF-8. Longer values
 * go by message (structured clone).
 */
export const SLOT_BYTES = 8192;
/** Functions (module and export) a pool can name in its ring; more go by message. */
const MAX_FUNCTIONS = 1024;
const TABLE_BYTES = 65_536;

// Control words.
const DOORBELL = 0;
const DONE_HEAD = 1;
const BACK_HEAD = 2;
const BACK_TAIL = 3;
/**
 * The seat + 1 of the Worker watching its mailbox, 0 if none: one at a
 * time, so that watching Workers leave the main thread a core. A seat, not
 * a flag, so that the pool can free it for a Worker it terminated
 * mid-watch ({@linkcode Ring.clearMail}).
 */
const WATCHER = 4;
const CONTROL_WORDS = 16;
// Word offsets of the rings, the function index; byte offsets of the table and the slots.
const DONE = CONTROL_WORDS;
const BACKLOG = DONE + 2 * SLOTS;
const MAILBOX = BACKLOG + SLOTS;
const FN_INDEX = MAILBOX + SLOTS;
const TABLE_AT = (FN_INDEX + MAX_FUNCTIONS) * 4;
const SLOTS_AT = TABLE_AT + TABLE_BYTES;
// A slot's header words, then its values from byte DATA.
const FN_ID = 0;
const STATUS = 1;
const COUNT = 2;
const DATA = 16;

/**
 * A mailbox holds the slot of the call mailed + 1; 0 when empty; these
 * three when empty and its Worker waits on its own thread, watching the
 * mailbox or asleep in `Atomics.wait`, or was nudged out of either.
 */
const WATCHING = -3;
const WAITING_HERE = -1;
const NUDGED = -2;
/**
 * How long a Worker watches its mailbox before it sleeps in `Atomics.wait`:
 * long enough for a caller that awaits each result to send the next call
 * (20-30 µs through a reactor's turn), so that the main thread need not
 * wake it with `Atomics.notify`, a system call that took it 15-20 µs.
 */
const WATCH_MS = 0.1;
/**
 * The most waits a thread goes without watching after its watches missed:
 * see {@linkcode WatchBackoff}.
 */
const MAX_WATCH_SKIPS = 64;

/** STATUS of a result: the value the call returned, or the error it threw. */
const OK = 1;
const FAILED = 2;

// How a value is tagged; each record starts on an 8-byte boundary.
const NUMBER = 1;
const STRING = 2;
const TRUE = 3;
const FALSE = 4;
const NULL = 5;
const UNDEFINED = 6;
const UTF8 = 7;

/**
 * Strings up to this long go as UTF-16 code units, copied one by one;
 * longer ones as UTF-8, by `TextEncoder.encodeInto` and `TextDecoder`,
 * native copies that win from about this length on.
 */
const SHORT_STRING = 64;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The first message a Worker of the pool gets: its pool's ring, and its seat there. */
export interface RingSeat {
  /** The pool's {@linkcode Ring} memory. */
  ring: SharedArrayBuffer;
  /** The seat whose mailbox this Worker waits on. */
  seat: number;
}

/** A result as it crosses back: what the call returned, or what it threw. */
export type SlotResult =
  | { ok: true; result: unknown }
  | { ok: false; error: { name: string; message: string; stack?: string } };

/**
 * True for the values that cross through a slot (a string only if it fits)
 * and that need no structured clone check: numbers, strings, booleans,
 * null and undefined.
 */
export function isPlain(value: unknown): boolean {
  const type = typeof value;
  return type === "number" || type === "string" || type === "boolean" || value === null ||
    value === undefined;
}

/**
 * When a thread should watch (spin on) a word rather than sleep: after a
 * watch that missed, the next `n` waits do not watch, `n` doubling with
 * each miss up to {@linkcode MAX_WATCH_SKIPS}, and back to 0 once a watch
 * sees the word change. Watching pays only while the other thread runs on
 * another core. After both have slept a while (half a second idle is
 * enough), Linux wakes each onto the core of the thread that woke it, and
 * both end up on one core: the other thread's answer then waits, ready to
 * run, until the watch gives up (`perf sched timehist`: a scheduling delay
 * of 0.109 ms against a Worker's watch of 0.1, the other core idle), and
 * a round trip took 120-180 µs where it takes 10. Without watching it
 * takes 25-35 µs on one core, and a watch that catches its word again
 * shows the threads on two cores again. It also keeps a caller whose calls
 * are long from paying for a watch on each.
 */
export class WatchBackoff {
  #skips = 0;
  #backoff = 0;

  /** Whether this wait should watch; a wait that does must report with {@linkcode WatchBackoff.watched}. */
  shouldWatch(): boolean {
    if (this.#skips === 0) return true;
    this.#skips--;
    return false;
  }

  /** Reports how a watch ended: `caught` if it saw its word change. */
  watched(caught: boolean): void {
    if (caught) this.#backoff = 0;
    else this.#skips = this.#backoff = Math.min(2 * this.#backoff || 1, MAX_WATCH_SKIPS);
  }
}

/** A view of one pool's shared memory, usable from either thread. */
export class Ring {
  /** The memory itself, posted to each Worker once. */
  readonly buffer: SharedArrayBuffer;
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  readonly #u16: Uint16Array;
  readonly #u8: Uint8Array;
  #doneTail = 0;
  /** Whether this Worker's next quick wait watches its mailbox. */
  readonly #mailWatch = new WatchBackoff();
  #tableUsed = 0;
  #functions = 0;

  /** Wraps a pool's memory, or allocates it. */
  constructor(buffer = new SharedArrayBuffer(SLOTS_AT + SLOTS * SLOT_BYTES)) {
    this.buffer = buffer;
    this.#i32 = new Int32Array(buffer);
    this.#f64 = new Float64Array(buffer);
    this.#u16 = new Uint16Array(buffer);
    this.#u8 = new Uint8Array(buffer);
  }

  // --- the main thread's side ---

  /**
   * Writes `url` and `exportName` into the function table under the next
   * number, which it returns; -1 if the table is full.
   */
  addFunction(url: string, exportName: string): number {
    const at = TABLE_AT + this.#tableUsed;
    const next = this.#functions < MAX_FUNCTIONS
      ? this.#writeValues(at, SLOTS_AT, [url, exportName])
      : -1;
    if (next === -1) return -1;
    this.#tableUsed = next - TABLE_AT;
    this.#i32[FN_INDEX + this.#functions] = at;
    return this.#functions++;
  }

  /**
   * Writes a call of function `fnId` into `slot`; false if an argument is
   * not a plain value or they do not fit. No Worker sees it before
   * {@linkcode Ring.mail} or {@linkcode Ring.enqueue}.
   */
  writeCall(slot: number, fnId: number, args: unknown[]): boolean {
    const base = slotBase(slot);
    const end = this.#writeValues(base + DATA, base + SLOT_BYTES, args);
    if (end === -1) return false;
    this.#i32[(base >> 2) + FN_ID] = fnId;
    this.#i32[(base >> 2) + COUNT] = args.length;
    return true;
  }

  /** Hands the call in `slot` to the Worker at `seat`, and wakes it unless it is watching. */
  mail(seat: number, slot: number): void {
    if (Atomics.exchange(this.#i32, MAILBOX + seat, slot + 1) !== WATCHING) {
      Atomics.notify(this.#i32, MAILBOX + seat);
    }
  }

  /**
   * Cuts short the Worker at `seat`'s wait on its own thread
   * ({@linkcode Ring.waitForMailHere}), if it is in one, so that its event
   * loop runs: a message is coming, or the Worker is being stopped.
   */
  nudge(seat: number): void {
    const at = MAILBOX + seat;
    if (Atomics.compareExchange(this.#i32, at, WAITING_HERE, NUDGED) === WAITING_HERE) {
      Atomics.notify(this.#i32, at);
    } else {
      Atomics.compareExchange(this.#i32, at, WATCHING, NUDGED);
    }
  }

  /**
   * Clears the mailbox of `seat`, for the next Worker to sit there, and lets
   * another Worker watch if the one stopped there was watching when it was
   * terminated (termination can stop it between its last look and its
   * letting go).
   */
  clearMail(seat: number): void {
    Atomics.store(this.#i32, MAILBOX + seat, 0);
    Atomics.compareExchange(this.#i32, WATCHER, seat + 1, 0);
  }

  /** The seat of the Worker watching its mailbox, or -1: for tests and traces. */
  watcher(): number {
    return Atomics.load(this.#i32, WATCHER) - 1;
  }

  /**
   * Puts the call in `slot` at the back of the backlog. The backlog holds
   * as many entries as there are slots, so it cannot overflow.
   */
  enqueue(slot: number): void {
    const head = Atomics.load(this.#i32, BACK_HEAD);
    Atomics.store(this.#i32, BACKLOG + (head & (SLOTS - 1)), slot);
    Atomics.store(this.#i32, BACK_HEAD, head + 1);
  }

  /** Calls in the backlog, not taken yet. */
  backlog(): number {
    return Atomics.load(this.#i32, BACK_HEAD) - Atomics.load(this.#i32, BACK_TAIL);
  }

  /** The doorbell's count now: pass it to {@linkcode Ring.waitForResults} after draining. */
  doorbell(): number {
    return Atomics.load(this.#i32, DOORBELL);
  }

  /**
   * Resolves once the doorbell has rung since it read `seen`: at once (null)
   * if it already has. Does not keep Deno's event loop alive by itself.
   */
  waitForResults(seen: number): Promise<unknown> | null {
    const wait = Atomics.waitAsync(this.#i32, DOORBELL, seen);
    return wait.async ? wait.value : null;
  }

  /**
   * Watches the doorbell for at most `ms` milliseconds, using the CPU:
   * true as soon as it rings past `seen`, false if it does not.
   */
  watchDoorbell(seen: number, ms: number): boolean {
    return this.#watch(DOORBELL, seen, ms);
  }

  /**
   * Calls `finished(slot, next)` for each slot whose result is ready, in the
   * order they finished; `next` is the slot of the call its Worker took from
   * the backlog then, or -1 if it went idle.
   */
  drain(finished: (slot: number, next: number) => void): void {
    for (;;) {
      const at = DONE + 2 * (this.#doneTail & (SLOTS - 1));
      const entry = Atomics.load(this.#i32, at);
      if (entry === 0) return;
      const next = this.#i32[at + 1];
      Atomics.store(this.#i32, at, 0);
      this.#doneTail++;
      finished(entry - 1, next);
    }
  }

  /** The result the Worker wrote into `slot`. */
  readResult(slot: number): SlotResult {
    const base = slotBase(slot);
    const values = this.#readValues(base + DATA, this.#i32[(base >> 2) + COUNT]);
    if (this.#i32[(base >> 2) + STATUS] === OK) return { ok: true, result: values[0] };
    const [name, message, stack] = values as [string, string, string | undefined];
    return { ok: false, error: { name, message, stack } };
  }

  // --- both sides ---

  /** Takes the oldest call of the backlog: its slot, or -1 if there is none. */
  take(): number {
    for (;;) {
      const tail = Atomics.load(this.#i32, BACK_TAIL);
      if (tail === Atomics.load(this.#i32, BACK_HEAD)) return -1;
      const slot = Atomics.load(this.#i32, BACKLOG + (tail & (SLOTS - 1)));
      if (Atomics.compareExchange(this.#i32, BACK_TAIL, tail, tail + 1) === tail) return slot;
    }
  }

  // --- the Worker's side ---

  /** Resolves with the slot of the call mailed to `seat`, once there is one. */
  async waitForMail(seat: number): Promise<number> {
    for (;;) {
      const mail = Atomics.exchange(this.#i32, MAILBOX + seat, 0);
      if (mail > 0) return mail - 1;
      const wait = Atomics.waitAsync(this.#i32, MAILBOX + seat, 0);
      if (wait.async) await wait.value;
    }
  }

  /**
   * The slot of the call mailed to `seat`, waiting at most `ms` milliseconds
   * for it with `Atomics.wait`; -1 if none came or the pool nudged us
   * ({@linkcode Ring.nudge}). This parks the thread (without using the CPU)
   * and its event loop: the notifying thread wakes it directly, where
   * `Atomics.waitAsync` goes through this thread's event loop. A bare
   * ping-pong took 9–30 µs a round trip this way against 26–35 µs with
   * `Atomics.waitAsync` on both sides, and `Atomics.notify` itself took
   * the main thread 7 µs instead of 9–18. For its first `WATCH_MS` it only
   * watches the mailbox (using the CPU), and a call mailed meanwhile costs
   * the main thread no `Atomics.notify` at all; not after a watch that
   * missed, though ({@linkcode WatchBackoff}).
   */
  waitForMailHere(seat: number, ms: number): number {
    const at = MAILBOX + seat;
    const i32 = this.#i32;
    // Say how we wait, so that mail() and nudge() know whether they must wake us.
    let state = 0;
    let watched = 0;
    if (this.#mailWatch.shouldWatch() && Atomics.compareExchange(i32, WATCHER, 0, seat + 1) === 0) {
      if (Atomics.compareExchange(i32, at, 0, WATCHING) === 0) {
        state = WATCHING;
        this.#mailWatch.watched(this.#watch(at, WATCHING, watched = Math.min(ms, WATCH_MS)));
      }
      Atomics.compareExchange(i32, WATCHER, seat + 1, 0);
    }
    // From watching straight to asleep: a call or a nudge in between is not missed.
    if (ms > watched && Atomics.compareExchange(i32, at, state, WAITING_HERE) === state) {
      Atomics.wait(i32, at, WAITING_HERE, ms - watched);
    }
    const mail = Atomics.exchange(i32, at, 0);
    return mail > 0 ? mail - 1 : -1;
  }

  /** The module URL and export name that function `fnId` stands for. */
  readFunction(fnId: number): [url: string, exportName: string] {
    return this.#readValues(this.#i32[FN_INDEX + fnId], 2) as [string, string];
  }

  /** The call in `slot`: its function's number and its arguments. */
  readCall(slot: number): [fnId: number, args: unknown[]] {
    const base = slotBase(slot);
    const args = this.#readValues(base + DATA, this.#i32[(base >> 2) + COUNT]);
    return [this.#i32[(base >> 2) + FN_ID], args];
  }

  /**
   * Writes the call's result into `slot`; false if it is not a plain value
   * or does not fit (the caller then posts it as a message).
   */
  writeResult(slot: number, result: SlotResult): boolean {
    const base = slotBase(slot);
    const values = result.ok
      ? [result.result]
      : [result.error.name, result.error.message, result.error.stack];
    if (this.#writeValues(base + DATA, base + SLOT_BYTES, values) === -1) return false;
    this.#i32[(base >> 2) + STATUS] = result.ok ? OK : FAILED;
    this.#i32[(base >> 2) + COUNT] = values.length;
    return true;
  }

  /** Tells the main thread that `slot` is finished and this Worker took `next` (or -1). */
  complete(slot: number, next: number): void {
    const at = DONE + 2 * (Atomics.add(this.#i32, DONE_HEAD, 1) & (SLOTS - 1));
    this.#i32[at + 1] = next;
    Atomics.store(this.#i32, at, slot + 1);
    Atomics.add(this.#i32, DOORBELL, 1);
    Atomics.notify(this.#i32, DOORBELL);
  }

  /**
   * Watches word `at` for at most `ms` milliseconds, using the CPU: true as
   * soon as it no longer holds `value`, false if it still does.
   */
  #watch(at: number, value: number, ms: number): boolean {
    const until = performance.now() + ms;
    while (Atomics.load(this.#i32, at) === value) {
      if (performance.now() >= until) return false;
    }
    return true;
  }

  // --- values ---

  /** Writes `values` from byte `at`; the byte after them, or -1 if one is not plain or past `end`. */
  #writeValues(at: number, end: number, values: unknown[]): number {
    for (const value of values) {
      if (at + 8 > end) return -1;
      const word = at >> 2;
      switch (typeof value) {
        case "number":
          if (at + 16 > end) return -1;
          this.#i32[word] = NUMBER;
          this.#f64[(at >> 3) + 1] = value;
          at += 16;
          break;
        case "string": {
          const length = value.length;
          // A lone surrogate has no UTF-8 form: such a string goes unit by unit.
          if (length > SHORT_STRING && value.isWellFormed()) {
            const { read, written } = encoder.encodeInto(value, this.#u8.subarray(at + 8, end));
            if (read < length) return -1;
            this.#i32[word] = UTF8;
            this.#i32[word + 1] = written;
            at = align8(at + 8 + written);
            break;
          }
          const next = align8(at + 8 + 2 * length);
          if (next > end) return -1;
          this.#i32[word] = STRING;
          this.#i32[word + 1] = length;
          const u16 = this.#u16;
          const from = (at + 8) >> 1;
          for (let i = 0; i < length; i++) u16[from + i] = value.charCodeAt(i);
          at = next;
          break;
        }
        case "boolean":
          this.#i32[word] = value ? TRUE : FALSE;
          at += 8;
          break;
        case "undefined":
          this.#i32[word] = UNDEFINED;
          at += 8;
          break;
        default:
          if (value !== null) return -1;
          this.#i32[word] = NULL;
          at += 8;
      }
    }
    return at;
  }

  #readValues(at: number, count: number): unknown[] {
    const values = new Array<unknown>(count);
    for (let n = 0; n < count; n++) {
      const tag = this.#i32[at >> 2];
      if (tag === NUMBER) {
        values[n] = this.#f64[(at >> 3) + 1];
        at += 16;
      } else if (tag === STRING) {
        const length = this.#i32[(at >> 2) + 1];
        values[n] = stringAt(this.#u16, (at + 8) >> 1, length);
        at = align8(at + 8 + 2 * length);
      } else if (tag === UTF8) {
        const bytes = this.#i32[(at >> 2) + 1];
        values[n] = decoder.decode(this.#u8.subarray(at + 8, at + 8 + bytes));
        at = align8(at + 8 + bytes);
      } else {
        values[n] = tag === TRUE ? true : tag === FALSE ? false : tag === NULL ? null : undefined;
        at += 8;
      }
    }
    return values;
  }
}

function slotBase(slot: number): number {
  return SLOTS_AT + slot * SLOT_BYTES;
}

function align8(byte: number): number {
  return (byte + 7) & ~7;
}

/** The string of `length` UTF-16 units at `from`, in chunks that `apply` takes as arguments. */
function stringAt(u16: Uint16Array, from: number, length: number): string {
  let text = "";
  for (let at = from; at < from + length; at += 1024) {
    const chunk = u16.subarray(at, Math.min(at + 1024, from + length));
    text += String.fromCharCode.apply(null, chunk as unknown as number[]);
  }
  return text;
}
