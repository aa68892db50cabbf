/**
 * The functions the section 4 scripts run in Workers (a Worker is handed a
 * module and the name of one of its exports, never a function).
 *
 * @module
 */

/** Whether `n` (2 or more) is prime, by trial division: slow on purpose. */
export function isPrime(n: number): boolean {
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** CPU-heavy work: how many primes there are below `limit`. */
export function countPrimes(limit: number): number {
  let count = 0;
  for (let n = 2; n < limit; n++) if (isPrime(n)) count++;
  return count;
}

/** The words of the race's shared buffer: Workers at the barrier, then the counter. */
export const WAITING = 0;
/** The word that {@linkcode addMany} adds to. */
export const COUNTER = 1;

/**
 * Adds 1 to the shared counter `times` times, once all `workers` Workers
 * have reached the barrier (so they really run at the same time). Without
 * `atomic` each add is a read, then a write, and another Worker's write can
 * land in between: the lost-update race. With it, `Atomics.add` reads and
 * writes in one indivisible step. `work` steps of arithmetic between the
 * read and the write widen the window another Worker can land in.
 *
 * @returns a number computed by the work, so the compiler cannot drop it
 */
export function addMany(
  buffer: SharedArrayBuffer,
  workers: number,
  times: number,
  atomic: boolean,
  work = 0,
): number {
  const words = new Int32Array(buffer);
  // The barrier: the last to arrive wakes the others. Each waits on the
  // value it has just seen, so an arrival in between cannot be missed.
  let arrived = Atomics.add(words, WAITING, 1) + 1;
  if (arrived === workers) Atomics.notify(words, WAITING);
  while (arrived < workers) {
    Atomics.wait(words, WAITING, arrived);
    arrived = Atomics.load(words, WAITING);
  }
  let sink = 0;
  if (atomic) {
    for (let i = 0; i < times; i++) Atomics.add(words, COUNTER, 1);
  } else {
    // Read, then write: each step alone is atomic, the pair is not. (A plain
    // `words[COUNTER]++` is worse: the compiler may keep the counter in a
    // register for the whole loop, as shared memory does not forbid it.)
    for (let i = 0; i < times; i++) {
      const value = Atomics.load(words, COUNTER);
      for (let k = 0; k < work; k++) sink = (sink * 31 + k) | 0;
      Atomics.store(words, COUNTER, value + 1);
    }
  }
  return sink;
}

/** Changes the working directory: of the whole process, not of this Worker alone. */
export function changeDirectory(path: string): string {
  Deno.chdir(path);
  return Deno.cwd();
}

/** Sets an environment variable: of the whole process, not of this Worker alone. */
export function setEnvironment(name: string, value: string): void {
  Deno.env.set(name, value);
}

/** Returns at once: a call that measures nothing but the cost of getting there and back. */
export function nothing(): void {}

/** A module variable: each thread that imports this module has its own. */
export let mood = "cheerful";

/** Sets this thread's `mood`, and returns it. */
export function setMood(value: string): string {
  mood = value;
  return mood;
}

/** What {@linkcode readUntilStopped} saw: how many whole reads, and how many torn. */
export interface Reads {
  /** Reads of the whole file. */
  reads: number;
  /** Reads that were short or mixed two versions of the file. */
  torn: number;
}

/**
 * Reads the file at `path` whole, over and over, until the main thread sets
 * the word in `stop`; counts the reads that were torn: shorter than `size`
 * bytes, or not one byte value from end to end (every version of the file
 * is one byte repeated). Sets the word in `started` after its first read.
 */
export function readUntilStopped(
  path: string,
  size: number,
  started: SharedArrayBuffer,
  stop: SharedArrayBuffer,
): Reads {
  const go = new Int32Array(started);
  const stopped = new Int32Array(stop);
  const seen: Reads = { reads: 0, torn: 0 };
  while (Atomics.load(stopped, 0) === 0) {
    const bytes = Deno.readFileSync(path);
    seen.reads++;
    if (bytes.length !== size || bytes[0] !== bytes[size - 1] || bytes[0] !== bytes[size >> 1]) {
      seen.torn++;
    }
    if (seen.reads === 1) {
      Atomics.store(go, 0, 1);
      Atomics.notify(go, 0);
    }
  }
  return seen;
}

/** Revokes a permission: for the whole process, not this Worker alone. */
export async function revokePermission(name: "env" | "write"): Promise<string> {
  return (await Deno.permissions.revoke({ name })).state;
}
