/**
 * Functions for the thread pool's tests to run in Workers.
 *
 * @module
 */

/** Adds two numbers. */
export function add(a: number, b: number): number {
  return a + b;
}

/** Returns its argument, after `ms` milliseconds when given (an async function). */
export async function echoLater(value: unknown, ms = 0): Promise<unknown> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return value;
}

/** Throws a RangeError, which must come back with its name, message and stack. */
export function failWith(message: string): never {
  throw new RangeError(message);
}

/** Throws an error of a class of its own, whose name must come back. */
export function failCustom(): never {
  class PoemNotFound extends Error {
    override name = "PoemNotFound";
  }
  throw new PoemNotFound("No poem here");
}

/** Returns a value that cannot be cloned back to the main thread. */
export function returnFunction(): () => void {
  return () => {};
}

/** Waits on an Int32Array's word 0 until the main thread stores a non-zero value, then returns it. */
export function waitFor(buffer: SharedArrayBuffer): number {
  const word = new Int32Array(buffer);
  Atomics.wait(word, 0, 0);
  return Atomics.load(word, 0);
}

/** Counts the calls running at once in word 1, records the highest in word 2, then waits as waitFor. */
export function countAndWait(buffer: SharedArrayBuffer): number {
  const words = new Int32Array(buffer);
  const running = Atomics.add(words, 1, 1) + 1;
  let highest = Atomics.load(words, 2);
  while (running > highest) {
    highest = Atomics.compareExchange(words, 2, highest, running) === highest
      ? running
      : Atomics.load(words, 2);
  }
  Atomics.wait(words, 0, 0);
  Atomics.sub(words, 1, 1);
  return running;
}

/** Crashes its Worker: the error escapes the call, from a timer. */
export function crash(): Promise<never> {
  setTimeout(() => {
    throw new Error("Worker crashed on purpose");
  }, 0);
  return new Promise(() => {});
}

/** Returns the name of the Worker it runs in. */
export function workerName(): string {
  return (globalThis as unknown as { name: string }).name;
}

/** CPU-bound work: `rounds` rounds of arithmetic, returning a checksum so nothing is optimised away. */
export function burn(rounds: number): number {
  let x = 0;
  for (let i = 0; i < rounds; i++) x = (x * 31 + i) % 1_000_003;
  return x;
}

/** Returns its argument at once: plain values come back through the ring, others by message. */
export function echo(value: unknown): unknown {
  return value;
}
