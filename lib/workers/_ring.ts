/**
 * {@linkcode Ring}: the shared memory through which the thread pool hands
 * calls to its Workers and gets their results back, without `postMessage`.
 *
 * One `SharedArrayBuffer` per pool holds {@linkcode SLOTS} slots and a ring
 * of completions. A Worker of the pool owns one slot for its life (it runs
 * one call at a time, as a thread of Twisted's pool does):
 *
 * ```text
 *   main thread                          Worker (waits with Atomics.waitAsync on its MAIL word)
 *   writeCall(slot) ; MAIL = 1 ; notify ───> readCall(slot), runs it
 *                                            writeResult(slot) ; MAIL = 0
 *   waitAsync(DOORBELL) resolves <────────── done[n % SLOTS] = slot + 1 ; DOORBELL++ ; notify
 *   drain(): each finished slot's result
 * ```
 *
 * Neither side's event loop is parked: `Atomics.waitAsync` resolves a
 * Promise, so a Worker running an async function still runs its timers, and
 * the main thread goes on with the reactor until the doorbell rings. Only
 * plain values cross this way (numbers, strings that fit in a slot,
 * booleans, null, undefined) and the errors calls throw (three strings);
 * anything else goes by structured clone, with `postMessage`, as before.
 *
 * @module
 */

/** Slots per pool: Workers beyond this many take every call by message. */
export const SLOTS = 32;
/**
 * Bytes per slot: about 8,000 UTF-16 code units of string. Longer strings
 * go by message, which costs about the same by then (see threads_bench.ts).
 */
export const SLOT_BYTES = 16_384;

// Control words.
const DOORBELL = 0;
const DONE_HEAD = 1;
const CONTROL_WORDS = 16;
// The completions: SLOTS words, slot + 1 when written, 0 once read.
const DONE = CONTROL_WORDS;
const SLOTS_AT = (DONE + SLOTS) * 4;
// A slot's header words, then its values from byte DATA.
const MAIL = 0;
const FN_ID = 1;
const FRESH = 2;
const STATUS = 3;
const COUNT = 4;
const DATA = 32;

/** STATUS of a result: the value the call returned, or the error it threw. */
const OK = 1;
const FAILED = 2;

// How a value is tagged in a slot; each record starts on an 8-byte boundary.
const NUMBER = 1;
const STRING = 2;
const TRUE = 3;
const FALSE = 4;
const NULL = 5;
const UNDEFINED = 6;

/** A call as the Worker reads it from its slot. */
export interface SlotCall {
  /** The pool's number for the (module, export) pair. */
  fnId: number;
  /** The module and export name, on the first call of `fnId` to this Worker. */
  fresh?: [url: string, exportName: string];
  /** The arguments. */
  args: unknown[];
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

/** A view of one pool's shared memory, usable from either thread. */
export class Ring {
  /** The memory itself, posted to each Worker once. */
  readonly buffer: SharedArrayBuffer;
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  readonly #u16: Uint16Array;
  #doneTail = 0;

  /** Wraps a pool's memory, or allocates it. */
  constructor(buffer = new SharedArrayBuffer(SLOTS_AT + SLOTS * SLOT_BYTES)) {
    this.buffer = buffer;
    this.#i32 = new Int32Array(buffer);
    this.#f64 = new Float64Array(buffer);
    this.#u16 = new Uint16Array(buffer);
  }

  // --- the main thread's side ---

  /**
   * Writes a call into `slot`; false, with nothing published, if an
   * argument is not a plain value or they do not fit. The Worker sees it
   * only after {@linkcode Ring.post}.
   */
  writeCall(slot: number, fnId: number, fresh: [string, string] | null, args: unknown[]): boolean {
    const base = slotBase(slot);
    const values = fresh === null ? args : [...fresh, ...args];
    if (!this.#writeValues(base, values)) return false;
    this.#i32[(base >> 2) + FN_ID] = fnId;
    this.#i32[(base >> 2) + FRESH] = fresh === null ? 0 : 1;
    return true;
  }

  /** Hands the call written in `slot` to the Worker that owns it, and wakes it. */
  post(slot: number): void {
    const mail = (slotBase(slot) >> 2) + MAIL;
    Atomics.store(this.#i32, mail, 1);
    Atomics.notify(this.#i32, mail);
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

  /** Calls `finished(slot)` for each slot whose result is ready, in the order they finished. */
  drain(finished: (slot: number) => void): void {
    for (;;) {
      const at = DONE + (this.#doneTail & (SLOTS - 1));
      const entry = Atomics.load(this.#i32, at);
      if (entry === 0) return;
      Atomics.store(this.#i32, at, 0);
      this.#doneTail++;
      finished(entry - 1);
    }
  }

  /** The result the Worker wrote into `slot`. */
  readResult(slot: number): SlotResult {
    const base = slotBase(slot);
    const values = this.#readValues(base);
    if (this.#i32[(base >> 2) + STATUS] === OK) return { ok: true, result: values[0] };
    const [name, message, stack] = values as [string, string, string | undefined];
    return { ok: false, error: { name, message, stack } };
  }

  // --- the Worker's side ---

  /** Resolves once a call has been posted to `slot` (at once if one is there). */
  async waitForCall(slot: number): Promise<void> {
    const mail = (slotBase(slot) >> 2) + MAIL;
    while (Atomics.load(this.#i32, mail) === 0) {
      const wait = Atomics.waitAsync(this.#i32, mail, 0);
      if (wait.async) await wait.value;
    }
  }

  /** The call posted to `slot`. */
  readCall(slot: number): SlotCall {
    const base = slotBase(slot);
    const values = this.#readValues(base);
    const fnId = this.#i32[(base >> 2) + FN_ID];
    if (this.#i32[(base >> 2) + FRESH] === 0) return { fnId, args: values };
    return { fnId, fresh: [values[0] as string, values[1] as string], args: values.slice(2) };
  }

  /**
   * Writes the call's result into `slot` and tells the main thread; false,
   * with the slot released but nothing told, if the result is not a plain
   * value or does not fit (the caller then posts it as a message).
   */
  finish(slot: number, result: SlotResult): boolean {
    const base = slotBase(slot);
    const values = result.ok
      ? [result.result]
      : [result.error.name, result.error.message, result.error.stack];
    const written = this.#writeValues(base, values);
    this.#i32[(base >> 2) + STATUS] = result.ok ? OK : FAILED;
    Atomics.store(this.#i32, (base >> 2) + MAIL, 0);
    if (!written) return false;
    const at = DONE + (Atomics.add(this.#i32, DONE_HEAD, 1) & (SLOTS - 1));
    Atomics.store(this.#i32, at, slot + 1);
    Atomics.add(this.#i32, DOORBELL, 1);
    Atomics.notify(this.#i32, DOORBELL);
    return true;
  }

  // --- values ---

  #writeValues(base: number, values: unknown[]): boolean {
    const end = base + SLOT_BYTES;
    let at = base + DATA;
    for (const value of values) {
      if (at + 8 > end) return false;
      const word = at >> 2;
      switch (typeof value) {
        case "number":
          if (at + 16 > end) return false;
          this.#i32[word] = NUMBER;
          this.#f64[(at >> 3) + 1] = value;
          at += 16;
          break;
        case "string": {
          const length = value.length;
          const next = align8(at + 8 + 2 * length);
          if (next > end) return false;
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
          if (value !== null) return false;
          this.#i32[word] = NULL;
          at += 8;
      }
    }
    this.#i32[(base >> 2) + COUNT] = values.length;
    return true;
  }

  #readValues(base: number): unknown[] {
    const count = this.#i32[(base >> 2) + COUNT];
    const values = new Array<unknown>(count);
    let at = base + DATA;
    for (let n = 0; n < count; n++) {
      const tag = this.#i32[at >> 2];
      if (tag === NUMBER) {
        values[n] = this.#f64[(at >> 3) + 1];
        at += 16;
      } else if (tag === STRING) {
        const length = this.#i32[(at >> 2) + 1];
        values[n] = stringAt(this.#u16, (at + 8) >> 1, length);
        at = align8(at + 8 + 2 * length);
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

/** The string of `length` UTF-16 units at `from`, in chunks that `apply` can take as arguments. */
function stringAt(u16: Uint16Array, from: number, length: number): string {
  if (length <= 1024) {
    return String.fromCharCode.apply(
      null,
      u16.subarray(from, from + length) as unknown as number[],
    );
  }
  let text = "";
  for (let at = from; at < from + length; at += 1024) {
    const chunk = u16.subarray(at, Math.min(at + 1024, from + length));
    text += String.fromCharCode.apply(null, chunk as unknown as number[]);
  }
  return text;
}
