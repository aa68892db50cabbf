/**
 * What a call in a thread costs: the figures chapter 5 quotes, printed in
 * the same lines as its Twisted 22.4 twin, `threads_bench_twisted.py`, which
 * measures the same four things (run them one after the other, in the same
 * minutes, and compare ratios):
 *
 *     deno run --allow-read=lib lib/threads/threads_bench.ts [RUNS]
 *     /usr/bin/python3 lib/threads/threads_bench_twisted.py [RUNS]
 *
 * - one round trip: `deferToThread` through the global reactor, awaited
 *   before the next, pool of 1, 1,000 calls after 200 warm-up (µs per call);
 * - throughput: 20,000 trivial calls queued at once, pool of 10 (calls/s);
 * - 4 CPU-bound jobs inline, then on a pool of 2 (the speed-up);
 * - the process's CPU time over 3 s of an idle reactor, before the pool
 *   starts, then with its Workers started and idle;
 * - (ours only) where structured clone catches up with the ring: the round
 *   trip of a string of N characters, as itself (through the ring while it
 *   fits in a slot) and wrapped in an array (always by structured clone).
 *
 * Under `deno bench` the same measurements run as benchmarks, each on a
 * reactor of its own (the global one cannot be run twice).
 *
 * @module
 */

import { cpuUsage } from "node:process";
import { gatherResults } from "../defer/deferred_list.ts";
import type { Deferred } from "../defer/deferred.ts";
import { EPollReactor } from "../reactor/epoll_reactor.ts";
import { reactor } from "../reactor/reactor.ts";
import { deferLater } from "../reactor/task.ts";
import type { ThreadPool } from "../workers/threadpool.ts";
import { deferToThread, deferToThreadPool } from "./threads.ts";

const work = new URL("../workers/_testdata/work.ts", import.meta.url);
// Inline runs the very module the Workers import, loaded the way they load it.
const { burn } = await import(work.href) as { burn: (rounds: number) => number };
const ROUND_TRIPS = 1000;
const WARM_UP = 200;
const QUEUED = 20_000;
const JOBS = 4;
const ROUNDS = 40_000_000;
const IDLE_SECONDS = 3;
/**
 * How long a measurement waits after a shrink stopped Workers: each one's
 * isolate is torn down on its own thread, and the eight that going from a
 * pool of 10 to one of 2 stops kept both cores busy for 35-40 ms, which the
 * CPU-bound jobs then paid for (1.7-1.8x instead of 1.9-2.0x).
 */
const SETTLE_MS = 250;

/** A reactor with a pool, and how to call into that pool. */
interface Bench {
  pool: ThreadPool;
  call: <T>(exportName: string, ...args: unknown[]) => Deferred<T>;
}

/** Sets the pool's size for the next measurement, letting any Workers it stopped go first. */
async function resize(pool: ThreadPool, max: number): Promise<void> {
  const before = pool.workers;
  pool.adjustPoolsize(0, max);
  if (pool.workers < before) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/** µs per call of `count` round trips, each awaited before the next. */
async function roundTrip({ pool, call }: Bench, count = ROUND_TRIPS): Promise<number> {
  await resize(pool, 1);
  for (let i = 0; i < WARM_UP; i++) await call("add", i, 1);
  const start = performance.now();
  for (let i = 0; i < count; i++) await call("add", i, 1);
  return (performance.now() - start) * 1000 / count;
}

/** Calls per second with `count` trivial calls queued at once on a pool of 10. */
async function queued({ pool, call }: Bench, count = QUEUED): Promise<number> {
  await resize(pool, 10);
  await gatherResults(Array.from({ length: 10 }, (_, i) => call("add", i, 1)));
  const start = performance.now();
  await gatherResults(Array.from({ length: count }, (_, i) => call("add", i, 1)));
  return count / ((performance.now() - start) / 1000);
}

/** CPU milliseconds the last {@linkcode pooledJobs} used, on every thread. */
let pooledCpuMs = 0;

/** Milliseconds for `JOBS` CPU-bound jobs on a pool of 2. */
async function pooledJobs({ pool, call }: Bench): Promise<number> {
  await resize(pool, 2);
  await gatherResults([call("add", 1, 1), call("add", 1, 1)]);
  const cpu = cpuMs();
  const start = performance.now();
  await gatherResults(Array.from({ length: JOBS }, () => call("burn", ROUNDS)));
  pooledCpuMs = cpuMs() - cpu;
  return performance.now() - start;
}

/**
 * µs per round trip of a string of `length` characters, as itself and
 * wrapped in an array: the fastest of 5 alternating rounds of 200 calls
 * each, since only the comparison matters here.
 */
async function crossover({ pool, call }: Bench, length: number): Promise<[number, number]> {
  await resize(pool, 1);
  const text = "x".repeat(length);
  const fastest = [Infinity, Infinity];
  for (let round = 0; round < 5; round++) {
    for (const [i, value] of [text, [text]].entries()) {
      const start = performance.now();
      for (let n = 0; n < WARM_UP; n++) await call("echo", value);
      fastest[i] = Math.min(fastest[i], (performance.now() - start) * 1000 / WARM_UP);
    }
  }
  return fastest as [number, number];
}

/** Milliseconds for the same jobs run one after the other on this thread. */
function inlineJobs(): number {
  const start = performance.now();
  for (let i = 0; i < JOBS; i++) burn(ROUNDS);
  return performance.now() - start;
}

/** CPU milliseconds the whole process (every thread) has used. */
function cpuMs(): number {
  const { user, system } = cpuUsage();
  return (user + system) / 1000;
}

/** CPU milliseconds the process used while the reactor idled. */
async function idleCpuMs(): Promise<number> {
  const before = cpuMs();
  await deferLater(reactor, IDLE_SECONDS, () => {});
  return cpuMs() - before;
}

async function main(runs: number): Promise<void> {
  const pool = reactor.getThreadPool();
  const bench: Bench = { pool, call: (name, ...args) => deferToThread(work, name, ...args) };
  console.log(`Deno ${Deno.version.deno}, V8 ${Deno.version.v8}`);
  const idleBefore = await idleCpuMs();
  for (let run = 0; run < runs; run++) {
    console.log(`round trip, pool of 1: ${(await roundTrip(bench)).toFixed(1)} µs per call`);
    const rate = await queued(bench);
    console.log(`${QUEUED} queued calls, pool of 10: ${rate.toFixed(0)} calls/s`);
    const inline = inlineJobs();
    const pooled = await pooledJobs(bench);
    console.log(
      `${JOBS} CPU-bound jobs: inline ${inline.toFixed(0)} ms, pool of 2 ${
        pooled.toFixed(0)
      } ms, ` +
        `speed-up ${(inline / pooled).toFixed(2)}x (${
          (pooledCpuMs / pooled).toFixed(2)
        } cores busy)`,
    );
  }
  for (const length of [10, 1000, 4000, 16_000, 100_000]) {
    const [ring, clone] = await crossover(bench, length);
    console.log(
      `string of ${length} chars: ${ring.toFixed(0)} µs as itself, ` +
        `${clone.toFixed(0)} µs wrapped in an array (structured clone)`,
    );
  }
  const idleAfter = await idleCpuMs();
  console.log(
    `idle reactor for ${IDLE_SECONDS} s: ${idleBefore.toFixed(1)} ms CPU without a pool, ` +
      `${idleAfter.toFixed(1)} ms with ${pool.workers} idle Workers`,
  );
}

if (import.meta.main) {
  const runs = Number(Deno.args[0] ?? 5);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`threads_bench: RUNS must be a whole number of at least 1, got ${Deno.args[0]}`);
    console.error("usage: deno run --allow-read=lib lib/threads/threads_bench.ts [RUNS]");
    Deno.exit(2);
  }
  reactor.callWhenRunning(() =>
    main(runs).catch((error) => console.error(error)).finally(() => reactor.stop())
  );
  await reactor.run();
} else {
  /** Runs `measure` on a running reactor of its own, timing only `measure`. */
  const onReactor = async (
    b: Deno.BenchContext,
    measure: (bench: Bench) => Promise<number>,
  ): Promise<void> => {
    const own = new EPollReactor({ installSignalHandlers: false });
    const running = own.run();
    const pool = own.getThreadPool();
    const bench: Bench = {
      pool,
      call: (name, ...args) => deferToThreadPool(own, pool, work, name, ...args),
    };
    // Warm the pool (Workers started, module imported) outside the timing.
    await bench.call("add", 1, 1);
    b.start();
    await measure(bench);
    b.end();
    own.stop();
    await running;
  };
  Deno.bench({
    name: `deferToThread: ${ROUND_TRIPS} sequential round trips, pool of 1`,
    n: 10,
    warmup: 2,
    fn: async (b) => await onReactor(b, roundTrip),
  });
  Deno.bench({
    name: `deferToThread: ${QUEUED} trivial calls queued at once, pool of 10`,
    n: 5,
    warmup: 1,
    fn: async (b) => await onReactor(b, queued),
  });
  Deno.bench({
    name: `${JOBS} CPU-bound jobs inline`,
    group: "cpu",
    baseline: true,
    n: 3,
    warmup: 1,
    fn: () => void inlineJobs(),
  });
  Deno.bench({
    name: `${JOBS} CPU-bound jobs in a pool of 2 Workers`,
    group: "cpu",
    n: 3,
    warmup: 1,
    fn: async (b) => await onReactor(b, pooledJobs),
  });
}
