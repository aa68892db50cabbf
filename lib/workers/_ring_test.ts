import { assert, assertEquals, assertMatch, assertStringIncludes } from "../testing/asserts.ts";
import { CancelledError } from "../defer/error.ts";
import type { Failure } from "../defer/failure.ts";
import { runDeno } from "../testing/run_task.ts";
import { Ring, SLOT_BYTES, SLOTS, WatchBackoff } from "./_ring.ts";
import { ThreadPool } from "./threadpool.ts";
import { callIn } from "./_testdata/call_in.ts";
import { liveWorkerCount } from "./worker.ts";

/** Runs `body` with a started pool, then stops it and checks every Worker is gone. */
async function withPool(
  min: number,
  max: number,
  body: (pool: ThreadPool) => Promise<void>,
): Promise<void> {
  const pool = new ThreadPool(min, max, "ring");
  pool.start();
  try {
    await body(pool);
  } finally {
    pool.stop();
  }
  assertEquals(liveWorkerCount("ring"), 0, "every Worker is terminated");
}

Deno.test("Ring carries plain values both ways and refuses the rest", () => {
  const ring = new Ring();
  assertEquals(ring.addFunction("file:///work.ts", "add"), 0);
  assertEquals(ring.addFunction("file:///work.ts", "echo"), 1);
  assertEquals(ring.readFunction(1), ["file:///work.ts", "echo"]);
  const long = "poème 🎉 ".repeat(100);
  const lone = "\uD800 a lone surrogate ".repeat(10);
  const plain = [
    0,
    -0,
    1.5,
    NaN,
    -Infinity,
    "",
    "poème 🎉",
    long,
    lone,
    true,
    false,
    null,
    undefined,
  ];
  assert(ring.writeCall(3, 1, plain));
  const [fnId, args] = ring.readCall(3);
  assertEquals([fnId, args], [1, plain]);
  assert(Object.is(args[1], -0), "-0 stays -0");
  assertEquals(ring.writeCall(3, 1, [{ poem: "x" }]), false, "objects go by message");
  assertEquals(ring.writeCall(3, 1, ["x".repeat(SLOT_BYTES)]), false, "too long for a slot");
  assertEquals(ring.writeCall(3, 1, ["é".repeat(SLOT_BYTES / 2)]), false, "too many UTF-8 bytes");
});

Deno.test("Ring hands results back in the order they finished, round and round the ring", () => {
  const ring = new Ring();
  const seen: [number, unknown, number][] = [];
  // Three times round the ring of completions, with every slot finishing at once each time.
  for (let round = 0; round < 3; round++) {
    for (let slot = SLOTS - 1; slot >= 0; slot--) {
      assert(ring.writeResult(slot, { ok: true, result: `${round}:${slot}` }));
      ring.complete(slot, slot === 0 ? -1 : slot - 1);
    }
    ring.drain((slot, next) => seen.push([slot, ring.readResult(slot), next]));
  }
  assertEquals(seen.length, 3 * SLOTS);
  assertEquals(seen[0], [SLOTS - 1, { ok: true, result: `0:${SLOTS - 1}` }, SLOTS - 2]);
  assertEquals(seen.at(-1), [0, { ok: true, result: "2:0" }, -1]);
  const error = { name: "RangeError", message: "no", stack: "RangeError: no\n    at x" };
  assert(ring.writeResult(5, { ok: false, error }));
  assertEquals(ring.readResult(5), { ok: false, error });
  assertEquals(
    ring.writeResult(5, { ok: true, result: new Map() }),
    false,
    "a Map goes by message",
  );
});

Deno.test("Ring's backlog gives each call to one taker, first in first out, round and round", () => {
  const ring = new Ring();
  const taken: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (let slot = 0; slot < SLOTS; slot++) ring.enqueue(slot);
    assertEquals(ring.backlog(), SLOTS);
    for (let slot = ring.take(); slot !== -1; slot = ring.take()) taken.push(slot);
  }
  assertEquals(taken, [0, 1, 2].flatMap(() => Array.from({ length: SLOTS }, (_, i) => i)));
  assertEquals(ring.backlog(), 0);
});

Deno.test("Ring's wait on a Worker's own thread takes mail sent before it, and gives up empty", () => {
  const ring = new Ring();
  ring.mail(3, 7);
  assertEquals(ring.waitForMailHere(3, 1), 7, "mail that came first is taken at once");
  const start = performance.now();
  assertEquals(ring.waitForMailHere(3, 2), -1, "no mail: -1 once the wait is over");
  assert(performance.now() - start >= 1.5, "the wait watched, then slept, for its whole length");
  ring.nudge(3);
  ring.mail(3, 9);
  assertEquals(ring.waitForMailHere(3, 1), 9, "the mailbox is empty again after each wait");
});

Deno.test("Ring lets another Worker watch once a Worker terminated mid-watch is unseated", async () => {
  const ring = new Ring();
  // A Worker watching at seat 2, for longer than this test waits.
  const watching = new Worker(
    `data:text/javascript,${
      encodeURIComponent(`
        const words = new Int32Array(await new Promise((r) => (self.onmessage = (e) => r(e.data))));
        Atomics.store(words, 4, 3); // WATCHER: seat 2 + 1
        postMessage("watching");
        for (;;);`)
    }`,
    { type: "module" },
  );
  const ready = new Promise((resolve) => (watching.onmessage = resolve));
  watching.postMessage(ring.buffer);
  await ready;
  assertEquals(ring.watcher(), 2);
  watching.terminate();
  ring.clearMail(5);
  assertEquals(ring.watcher(), 2, "another seat's unseating leaves the watcher be");
  ring.clearMail(2);
  assertEquals(ring.watcher(), -1, "the terminated watcher's seat is free to watch from");
  ring.mail(4, 1);
  assertEquals(ring.waitForMailHere(4, 1), 1);
});

Deno.test("WatchBackoff skips 1, 2, 4 ... 64 waits after watches that miss, none once one catches", () => {
  const backoff = new WatchBackoff();
  /** How many waits in a row do not watch, until one does. */
  const skipped = (): number => {
    let count = 0;
    while (!backoff.shouldWatch()) count++;
    return count;
  };
  assertEquals(skipped(), 0, "the first wait watches");
  const skips = [];
  for (let miss = 0; miss < 9; miss++) {
    backoff.watched(false);
    skips.push(skipped());
  }
  assertEquals(skips, [1, 2, 4, 8, 16, 32, 64, 64, 64]);
  backoff.watched(true);
  assertEquals(skipped(), 0, "a watch that caught its word: the next wait watches");
  backoff.watched(false);
  assertEquals(skipped(), 1, "and a miss after that starts again from 1");
});

Deno.test("Ring's main thread watches its doorbell for a while, and sees it ring", () => {
  const ring = new Ring();
  const seen = ring.doorbell();
  const start = performance.now();
  assertEquals(ring.watchDoorbell(seen, 2), false, "nothing rang");
  assert(performance.now() - start >= 2, "it watched for as long as it was told");
  ring.complete(0, -1);
  assertEquals(ring.watchDoorbell(seen, 1000), true, "a result published before is seen at once");
});

Deno.test("ThreadPool keeps many calls in flight on the ring, more than it has slots", async () => {
  await withPool(0, 8, async (pool) => {
    const count = 4 * SLOTS;
    const calls = Array.from({ length: count }, (_, i) => callIn(pool, "echoLater", i, 2));
    // A Worker that finishes takes the next call itself, from another thread: by now one may have.
    assertEquals(pool.busy, 8);
    assert(pool.queued <= count - 8, `${pool.queued} queued`);
    const results = await Promise.all(calls);
    assertEquals(results, Array.from({ length: count }, (_, i) => [true, i]));
  });
});

Deno.test("ThreadPool mixes calls and results by ring and by message on one Worker, in order", async () => {
  await withPool(0, 1, async (pool) => {
    const values = [
      1,
      { poem: ["a"] },
      "two",
      [3],
      null,
      new Map([[4, 4]]),
      "é".repeat(SLOT_BYTES),
    ];
    const order: number[] = [];
    const results = await Promise.all(
      values.map((value, i) =>
        callIn(pool, "echo", value).then((result) => {
          order.push(i);
          return result;
        })
      ),
    );
    assertEquals(results, values.map((value) => [true, value]));
    assertEquals(order, values.map((_, i) => i), "one Worker runs its calls in order");
  });
});

Deno.test("ThreadPool fails a ring call whose Worker crashes, and its replacement uses the ring", async () => {
  await withPool(0, 1, async (pool) => {
    for (let i = 0; i < 3; i++) {
      const [ok, failure] = await callIn(pool, "crash");
      assertEquals(ok, false);
      assertMatch((failure as Failure).getErrorMessage(), /its Worker crashed/);
    }
    assertEquals(await callIn(pool, "add", 40, 2), [true, 42]);
    assertEquals(await callIn(pool, "workerName"), [true, "ring-4"]);
  });
});

Deno.test("ThreadPool.stop() cancels the ring calls running and waiting, at once", async () => {
  let failures: Failure[] = [];
  await withPool(0, 2, async (pool) => {
    const calls = [1, 2, 3, 4].map((n) => callIn(pool, "echoLater", n, 60_000));
    assertEquals([pool.busy, pool.queued], [2, 2]);
    pool.stop();
    const outcomes = await Promise.all(calls);
    assert(outcomes.every(([ok]) => !ok));
    failures = outcomes.map(([, failure]) => failure as Failure);
  });
  for (const failure of failures) {
    assert(failure.check(CancelledError) !== null);
    assertStringIncludes(failure.getErrorMessage(), "the thread pool was stopped");
  }
});

Deno.test("a script whose pool went through the ring ends by itself once the pool is stopped", async () => {
  const { code, stdout } = await runDeno(
    ["run", "--allow-read=lib", "lib/workers/_testdata/idle_exit.ts"],
    { timeoutSeconds: 20 },
  );
  assertEquals([code, stdout.trim()], [0, "results: 1 2 3"]);
});
