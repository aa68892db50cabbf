/**
 * The shared memory between a blocking socket on the main thread and the
 * Worker that owns its Deno connection: one `SharedArrayBuffer` per socket.
 *
 * Layout: 16 control words (Int32), a reply area and an error area (JSON
 * text), then two byte rings of `capacity` bytes each: `recv` (the Worker
 * writes what arrives, the main thread reads) and `send` (the main thread
 * writes, the Worker sends). Each ring has one producer and one consumer, and
 * two ever-growing counters (head: bytes written, tail: bytes consumed), so
 * neither side ever needs a lock.
 *
 * Waking: the Worker bumps {@linkcode SEQ} after every change and the main
 * thread sleeps on it with `Atomics.wait` (that is what blocks the caller);
 * the main thread bumps {@linkcode MAIN_SEQ} after it consumes or produces,
 * and the Worker's pumps wait on it with `Atomics.waitAsync`, which does not
 * block the Worker's own event loop.
 *
 * @module
 */

/** Bumped by the Worker on every change; the main thread waits on it. */
export const SEQ = 0;
/** Bumped by the main thread after it reads or writes a ring; the Worker waits on it. */
export const MAIN_SEQ = 1;
/** Flags set by the Worker: {@linkcode EOF}, {@linkcode FAILED}. */
const FLAGS = 2;
const RECV_HEAD = 3;
const RECV_TAIL = 4;
const SEND_HEAD = 5;
const SEND_TAIL = 6;
/** How many accepted connections wait in the Worker to be taken by `accept()`. */
export const ACCEPTS = 7;
/** 1 while a readiness message from the Worker is on its way to the main thread. */
export const NOTIFY = 8;
/** The token of the last command the Worker has answered. */
export const REPLY = 9;
const REPLY_LENGTH = 10;
const ERROR_LENGTH = 11;
const CONTROL_WORDS = 16;

/** Flag: the peer closed its side; nothing more will arrive. */
export const EOF = 1;
/** Flag: the connection failed; the error is in the error area. */
export const FAILED = 2;

const TEXT_SIZE = 1024;
const REPLY_AREA = CONTROL_WORDS * 4;
const ERROR_AREA = REPLY_AREA + TEXT_SIZE;
const RINGS = ERROR_AREA + TEXT_SIZE;

/** Which ring: what arrives from the peer, or what goes to it. */
export type Ring = "recv" | "send";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A view of one socket's shared memory, usable from either thread. */
export class Channel {
  /** The shared memory itself, posted to the Worker once. */
  readonly buffer: SharedArrayBuffer;
  /** The control words. */
  readonly control: Int32Array;
  /** Bytes in each ring (a power of two, or 0 for a listening socket). */
  readonly capacity: number;
  readonly #bytes: Uint8Array;

  /**
   * Wraps existing shared memory, or allocates it for `capacity` bytes per ring.
   *
   * @param memory a buffer made by another Channel, or a ring capacity
   */
  constructor(memory: SharedArrayBuffer | number) {
    if (typeof memory === "number" && memory !== 0 && (memory & (memory - 1)) !== 0) {
      throw new RangeError(`Cannot create channel: capacity must be a power of two, got ${memory}`);
    }
    this.buffer = typeof memory === "number" ? new SharedArrayBuffer(RINGS + 2 * memory) : memory;
    this.control = new Int32Array(this.buffer, 0, CONTROL_WORDS);
    this.#bytes = new Uint8Array(this.buffer);
    this.capacity = (this.buffer.byteLength - RINGS) / 2;
  }

  /** The Worker's flags. */
  flags(): number {
    return Atomics.load(this.control, FLAGS);
  }

  /** Sets a flag (Worker side). */
  setFlag(flag: number): void {
    Atomics.or(this.control, FLAGS, flag);
  }

  /** Bytes waiting in a ring. */
  buffered(ring: Ring): number {
    const [head, tail] = ring === "recv" ? [RECV_HEAD, RECV_TAIL] : [SEND_HEAD, SEND_TAIL];
    return (Atomics.load(this.control, head) - Atomics.load(this.control, tail)) | 0;
  }

  /** Room left in a ring. */
  room(ring: Ring): number {
    return this.capacity - this.buffered(ring);
  }

  /** Producer side: copies as much of `data` as fits; returns how much. */
  write(ring: Ring, data: Uint8Array): number {
    const count = Math.min(data.length, this.room(ring));
    const headIndex = ring === "recv" ? RECV_HEAD : SEND_HEAD;
    this.#copy(ring, Atomics.load(this.control, headIndex), count, (start, at, length) => {
      this.#bytes.set(data.subarray(at, at + length), start);
    });
    Atomics.add(this.control, headIndex, count);
    return count;
  }

  /** Consumer side: copies out up to `max` bytes without consuming them. */
  peek(ring: Ring, max: number): Uint8Array {
    const out = new Uint8Array(Math.min(max, this.buffered(ring)));
    const tail = Atomics.load(this.control, ring === "recv" ? RECV_TAIL : SEND_TAIL);
    this.#copy(ring, tail, out.length, (start, at, length) => {
      out.set(this.#bytes.subarray(start, start + length), at);
    });
    return out;
  }

  /** Consumer side: marks `count` bytes as consumed. */
  consume(ring: Ring, count: number): void {
    Atomics.add(this.control, ring === "recv" ? RECV_TAIL : SEND_TAIL, count);
  }

  /** Consumer side: takes up to `max` bytes out of a ring. */
  read(ring: Ring, max: number): Uint8Array {
    const out = this.peek(ring, max);
    this.consume(ring, out.length);
    return out;
  }

  /** Stores a JSON value in the reply or error area. */
  writeText(area: "reply" | "error", value: unknown): void {
    const bytes = encoder.encode(JSON.stringify(value));
    if (bytes.length > TEXT_SIZE) throw new RangeError(`Cannot store ${area}: too long`);
    this.#bytes.set(bytes, area === "reply" ? REPLY_AREA : ERROR_AREA);
    Atomics.store(this.control, area === "reply" ? REPLY_LENGTH : ERROR_LENGTH, bytes.length);
  }

  /** Reads the JSON value last stored in the reply or error area. */
  readText(area: "reply" | "error"): unknown {
    const start = area === "reply" ? REPLY_AREA : ERROR_AREA;
    const length = Atomics.load(this.control, area === "reply" ? REPLY_LENGTH : ERROR_LENGTH);
    return JSON.parse(decoder.decode(this.#bytes.slice(start, start + length)));
  }

  /** Bumps a sequence word and wakes whoever waits on it. */
  bump(word: typeof SEQ | typeof MAIN_SEQ): void {
    Atomics.add(this.control, word, 1);
    Atomics.notify(this.control, word);
  }

  /**
   * Main thread: blocks the calling thread until `ready()` is true, sleeping
   * in `Atomics.wait` between the Worker's changes.
   *
   * @param ready checked before each sleep
   * @param timeoutMs give up after this long
   * @returns false if it gave up
   */
  waitBlocking(ready: () => boolean, timeoutMs = Infinity): boolean {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.control, SEQ);
      if (ready()) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(this.control, SEQ, seen, left);
    }
  }

  /** Worker side: resolves once `ready()` is true, waiting on the main thread's changes. */
  async waitAsync(ready: () => boolean): Promise<void> {
    for (;;) {
      const seen = Atomics.load(this.control, MAIN_SEQ);
      if (ready()) return;
      const result = Atomics.waitAsync(this.control, MAIN_SEQ, seen);
      if (result.async) await result.value;
    }
  }

  #copy(
    ring: Ring,
    counter: number,
    count: number,
    move: (start: number, at: number, length: number) => void,
  ): void {
    const base = RINGS + (ring === "recv" ? 0 : this.capacity);
    const offset = (counter >>> 0) % (this.capacity || 1);
    const first = Math.min(count, this.capacity - offset);
    if (first > 0) move(base + offset, 0, first);
    if (count > first) move(base, first, count - first);
  }
}
