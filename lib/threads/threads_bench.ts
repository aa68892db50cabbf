/**
 * What a call in a thread costs, measured the way Twisted 22.4's
 * `deferToThread` was for the chapter's closing note (the numbers are in
 * the report of issue 12, not in tests):
 *
 *     deno bench --allow-read=lib lib/threads/threads_bench.ts
 *
 * - one round trip: a call awaited before the next (each iteration is 1,000);
 * - throughput: 20,000 trivial calls queued at once (calls/s = 20,000 / time);
 * - 4 CPU-bound jobs run inline, then in a pool of 2 Workers (the ratio is
 *   the speed-up; Python threads give 0.84× because of the GIL).
 *
 * Each bench gets a reactor of its own whose pool is warmed up first
 * (Workers started and the module imported), so start-up is not counted.
 *
 * @module
 */

import { EPollReactor } from "../reactor/epoll_reactor.ts";
import { gatherResults } from "../defer/deferred_list.ts";
import { burn } from "../workers/_testdata/work.ts";
import { deferToThreadPool } from "./threads.ts";

const work = new URL("../workers/_testdata/work.ts", import.meta.url);
const ROUND_TRIPS = 1000;
const QUEUED = 20_000;
const JOBS = 4;
const ROUNDS = 40_000_000;

/** Runs `measured` on a running reactor with a warmed-up pool of `size` Workers. */
async function onReactor(
  size: number,
  b: Deno.BenchContext,
  measured: (reactor: EPollReactor) => PromiseLike<unknown>,
): Promise<void> {
  const reactor = new EPollReactor({ installSignalHandlers: false });
  reactor.suggestThreadPoolSize(size);
  const running = reactor.run();
  const pool = reactor.getThreadPool();
  await Promise.all(
    Array.from({ length: size }, () => deferToThreadPool(reactor, pool, work, "echoLater", 0, 20)),
  );
  b.start();
  await measured(reactor);
  b.end();
  reactor.stop();
  await running;
}

Deno.bench({
  name: `deferToThread: ${ROUND_TRIPS} sequential round trips`,
  group: "round trip",
  n: 10,
  warmup: 2,
  fn: async (b) =>
    await onReactor(1, b, async (reactor) => {
      for (let i = 0; i < ROUND_TRIPS; i++) {
        await deferToThreadPool(reactor, reactor.getThreadPool(), work, "add", i, 1);
      }
    }),
});

Deno.bench({
  name: `deferToThread: ${QUEUED} trivial calls queued at once, pool of 10`,
  group: "throughput",
  n: 5,
  warmup: 1,
  fn: async (b) =>
    await onReactor(10, b, (reactor) => {
      const pool = reactor.getThreadPool();
      return gatherResults(
        Array.from(
          { length: QUEUED },
          (_, i) => deferToThreadPool(reactor, pool, work, "add", i, 1),
        ),
      );
    }),
});

Deno.bench({
  name: `${JOBS} CPU-bound jobs inline`,
  group: "cpu",
  baseline: true,
  n: 3,
  warmup: 1,
  fn: () => {
    for (let i = 0; i < JOBS; i++) burn(ROUNDS);
  },
});

Deno.bench({
  name: `${JOBS} CPU-bound jobs in a pool of 2 Workers`,
  group: "cpu",
  n: 3,
  warmup: 1,
  fn: async (b) =>
    await onReactor(2, b, (reactor) => {
      const pool = reactor.getThreadPool();
      return gatherResults(
        Array.from({ length: JOBS }, () => deferToThreadPool(reactor, pool, work, "burn", ROUNDS)),
      );
    }),
});
