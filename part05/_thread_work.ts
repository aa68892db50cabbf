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
 * writes in one indivisible step.
 */
export function addMany(
  buffer: SharedArrayBuffer,
  workers: number,
  times: number,
  atomic: boolean,
): void {
  const words = new Int32Array(buffer);
  // The barrier: the last to arrive wakes the others. Each waits on the
  // value it has just seen, so an arrival in between cannot be missed.
  let arrived = Atomics.add(words, WAITING, 1) + 1;
  if (arrived === workers) Atomics.notify(words, WAITING);
  while (arrived < workers) {
    Atomics.wait(words, WAITING, arrived);
    arrived = Atomics.load(words, WAITING);
  }
  if (atomic) {
    for (let i = 0; i < times; i++) Atomics.add(words, COUNTER, 1);
  } else {
    // Read, then write: each step alone is atomic, the pair is not. (A plain
    // `words[COUNTER]++` is worse: the compiler may keep the counter in a
    // register for the whole loop, as shared memory does not forbid it.)
    for (let i = 0; i < times; i++) Atomics.store(words, COUNTER, Atomics.load(words, COUNTER) + 1);
  }
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
