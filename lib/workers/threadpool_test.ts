import {
  assertEquals,
  assertMatch,
  assertStringIncludes,
  assertThrows,
} from "../testing/asserts.ts";
import type { Failure } from "../defer/failure.ts";
import { liveWorkerCount } from "./worker.ts";
import { ThreadPool } from "./threadpool.ts";
import { callIn, work } from "./_testdata/call_in.ts";

Deno.test("ThreadPool runs nothing before start(), then min Workers and the waiting calls", async () => {
  const pool = new ThreadPool(2, 3, "test");
  try {
    const early = callIn(pool, "add", 1, 2);
    assertEquals([pool.workers, pool.queued], [0, 1]);
    pool.start();
    assertEquals(await early, [true, 3]);
    assertEquals(pool.workers, 2, "min Workers started and kept");
    const [, name] = await callIn(pool, "workerName");
    assertMatch(String(name), /^test-[12]$/, "Workers are named after their pool");
  } finally {
    pool.stop();
  }
  assertEquals(liveWorkerCount(), 0);
});

Deno.test("ThreadPool.adjustPoolsize() stops idle Workers above the new maximum", async () => {
  const pool = new ThreadPool(0, 4);
  pool.start();
  try {
    await Promise.all([1, 2, 3, 4].map((n) => callIn(pool, "echoLater", n, 20)));
    assertEquals(pool.workers, 4);
    pool.adjustPoolsize(0, 1);
    assertEquals([pool.min, pool.max, pool.workers], [0, 1, 1]);
    assertThrows(() => pool.adjustPoolsize(2, 1), RangeError);
    assertThrows(() => new ThreadPool(-1, 2), RangeError);
  } finally {
    pool.stop();
  }
  assertEquals(liveWorkerCount(), 0);
});

Deno.test("ThreadPool refuses calls it cannot make, at the call", () => {
  const pool = new ThreadPool(0, 1);
  assertThrows(() => pool.callInThread(work, "add", new WeakMap()), TypeError);
  assertThrows(() => pool.callInThread("work.ts", "add"), TypeError);
  const error = assertThrows(
    () => pool.callInThread(new URL("file:///etc/hostname"), "add"),
    Deno.errors.PermissionDenied,
  );
  assertStringIncludes(error.message, "needs read access to /etc/hostname (--allow-read=");
  pool.stop();
  assertThrows(() => pool.callInThread(work, "add", 1, 2), Error, "was stopped");
  assertThrows(() => pool.start(), Error, "was stopped");
});

Deno.test("ThreadPool.callInThread() reports a failure on its log", async () => {
  const log: string[] = [];
  const pool = new ThreadPool(1, 1, "test", (text) => log.push(text));
  pool.start();
  try {
    pool.callInThread(work, "failWith", "Nobody listens");
    const [ok, failure] = await callIn(pool, "failWith", "Somebody listens");
    assertEquals([ok, (failure as Failure).getErrorMessage()], [false, "Somebody listens"]);
    assertEquals(log.length, 1, "the first call's failure was reported before the second's");
    assertStringIncludes(log[0], "Unhandled error in a thread:\nRangeError: Nobody listens");
  } finally {
    pool.stop();
  }
});
