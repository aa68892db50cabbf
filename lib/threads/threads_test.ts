import { assert, assertEquals, assertStringIncludes, assertThrows } from "../testing/asserts.ts";
import { CancelledError } from "../defer/error.ts";
import type { Deferred } from "../defer/deferred.ts";
import { Failure } from "../defer/failure.ts";
import { EPollReactor } from "../reactor/epoll_reactor.ts";
import { liveWorkerCount } from "../workers/worker.ts";
import { deferToThreadPool } from "./threads.ts";
import { runDeno } from "../testing/run_task.ts";

const work = new URL("../workers/_testdata/work.ts", import.meta.url);

/** What a Deferred fires with: its result, or its Failure (then handled). */
function outcome(d: Deferred<unknown>): Promise<unknown> {
  return new Promise((resolve) => d.addBoth(resolve));
}

/**
 * Runs `body` on a running reactor of our own, stops it, and checks that
 * every Worker was terminated. Returns what the reactor logged.
 */
async function withReactor(
  body: (
    reactor: EPollReactor,
    call: (name: string, ...args: unknown[]) => Deferred<unknown>,
  ) => Promise<void>,
): Promise<string[]> {
  const log: string[] = [];
  const reactor = new EPollReactor({ log: (text) => log.push(text), installSignalHandlers: false });
  const call = (name: string, ...args: unknown[]): Deferred<unknown> =>
    deferToThreadPool(reactor, reactor.getThreadPool(), work, name, ...args);
  const running = reactor.run();
  try {
    await body(reactor, call);
  } finally {
    if (reactor.running) reactor.stop();
    await running;
  }
  assertEquals(liveWorkerCount(), 0, "every Worker is terminated");
  return log;
}

/** Resolves once `ready()` is true, checking on each reactor turn. */
async function until(reactor: EPollReactor, ready: () => boolean): Promise<void> {
  while (!ready()) {
    await new Promise((resolve) => reactor.callLater(0.001, () => resolve(undefined)));
  }
}

Deno.test("deferToThreadPool() fires with the result, awaited if it is a Promise", async () => {
  await withReactor(async (_reactor, call) => {
    assertEquals(await call("add", 40, 2), 42);
    assertEquals(await call("echoLater", { poem: ["a", "b"] }, 5), { poem: ["a", "b"] });
  });
});

Deno.test("deferToThreadPool() errbacks with the thrown error's class, message and stack", async () => {
  await withReactor(async (_reactor, call) => {
    const failure = await outcome(call("failWith", "Cannot count to -1"));
    assert(failure instanceof Failure);
    assert(failure.value instanceof RangeError);
    assertEquals(failure.getErrorMessage(), "Cannot count to -1");
    assertStringIncludes(failure.getTraceback(), "at failWith (");
    assertStringIncludes(failure.getTraceback(), "_testdata/work.ts:");
    const custom = await outcome(call("failCustom")) as Failure;
    assertEquals([custom.value.name, custom.getErrorMessage()], ["PoemNotFound", "No poem here"]);
    const missing = await outcome(call("noSuchExport")) as Failure;
    assertStringIncludes(missing.getErrorMessage(), "exports no function of that name");
    const result = await outcome(call("returnFunction")) as Failure;
    assertEquals(result.type, TypeError);
    assertStringIncludes(result.getErrorMessage(), "Cannot return the result of returnFunction");
  });
});

Deno.test("deferToThreadPool() fails at once for arguments that cannot be cloned", async () => {
  await withReactor(async (reactor, call) => {
    // Once with an idle Worker waiting, once with every Worker busy and the call queued.
    await call("add", 1, 1);
    for (const size of [10, 1]) {
      reactor.suggestThreadPoolSize(size);
      const blocker = new SharedArrayBuffer(4);
      const busy = size === 1 ? call("waitFor", blocker) : null;
      const d = call("add", () => 1, 2);
      assert(d.called, "the Deferred has already failed");
      const failure = await outcome(d) as Failure;
      assertEquals(failure.type, TypeError);
      assertStringIncludes(failure.getErrorMessage(), "its arguments cannot be cloned");
      Atomics.store(new Int32Array(blocker), 0, 1);
      Atomics.notify(new Int32Array(blocker), 0);
      if (busy) assertEquals(await busy, 1);
    }
    assertThrows(() => reactor.callInThread(work, "add", Symbol("x")), TypeError);
    assertEquals(await outcome(call("add", 2, 3)), 5, "the pool still works");
  });
});

Deno.test("deferToThreadPool() fails at once for a relative module URL", async () => {
  await withReactor(async (_reactor, call) => {
    const reactor = new EPollReactor();
    const d = deferToThreadPool(reactor, reactor.getThreadPool(), "./work.ts", "add", 1, 2);
    const failure = await outcome(d) as Failure;
    assertStringIncludes(failure.getErrorMessage(), "is not an absolute URL");
    assertEquals(await call("add", 1, 2), 3);
  });
});

Deno.test("many calls all come back, in call order with one Worker", async () => {
  await withReactor(async (reactor, call) => {
    reactor.suggestThreadPoolSize(1);
    const order: number[] = [];
    const calls = Array.from({ length: 300 }, (_, i) =>
      call("add", i, 0).addCallback((n) => {
        order.push(n as number);
      }));
    await Promise.all(calls);
    assertEquals(order, Array.from({ length: 300 }, (_, i) => i));
    assertEquals(reactor.getThreadPool().workers, 1);
    reactor.suggestThreadPoolSize(4);
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => call("add", i, i)));
    assertEquals(results, Array.from({ length: 300 }, (_, i) => 2 * i));
    assert(reactor.getThreadPool().workers <= 4);
  });
});

Deno.test("the pool runs at most max calls at once and queues the others", async () => {
  await withReactor(async (reactor, call) => {
    reactor.suggestThreadPoolSize(2);
    const pool = reactor.getThreadPool();
    assertEquals([pool.min, pool.max, pool.workers], [0, 2, 0], "Workers start lazily");
    const shared = new SharedArrayBuffer(12);
    const words = new Int32Array(shared);
    const calls = Array.from({ length: 5 }, () => call("countAndWait", shared));
    await until(reactor, () => Atomics.load(words, 1) === 2);
    assertEquals([pool.workers, pool.busy, pool.queued], [2, 2, 3]);
    Atomics.store(words, 0, 1);
    Atomics.notify(words, 0);
    await Promise.all(calls);
    assertEquals(Atomics.load(words, 2), 2, "never more than two calls ran at once");
    assertEquals([pool.workers, pool.busy, pool.queued], [2, 0, 0], "the Workers are reused");
  });
});

Deno.test("stopping the reactor stops the pool: pending calls fail, Workers end", async () => {
  const pending: Deferred<unknown>[] = [];
  await withReactor(async (reactor, call) => {
    reactor.suggestThreadPoolSize(1);
    const never = new SharedArrayBuffer(4);
    pending.push(call("waitFor", never), call("waitFor", never));
    await until(reactor, () => reactor.getThreadPool().busy === 1);
  });
  for (const d of pending) {
    const failure = await outcome(d) as Failure;
    assertEquals(failure.type, CancelledError);
    assertStringIncludes(failure.getErrorMessage(), "the thread pool was stopped");
  }
});

Deno.test("a call made after the reactor stopped fails at once", async () => {
  const reactor = new EPollReactor({ installSignalHandlers: false });
  reactor.callWhenRunning(() => reactor.stop());
  await reactor.run();
  const d = deferToThreadPool(reactor, reactor.getThreadPool(), work, "add", 1, 2);
  assertStringIncludes((await outcome(d) as Failure).getErrorMessage(), "was stopped");
  assertEquals(liveWorkerCount(), 0);
});

Deno.test("a Worker that crashes fails its call and is replaced", async () => {
  await withReactor(async (reactor, call) => {
    reactor.suggestThreadPoolSize(1);
    const crashed = call("crash");
    const next = call("add", 2, 2);
    const failure = await outcome(crashed) as Failure;
    assertStringIncludes(failure.getErrorMessage(), "its Worker crashed");
    assertStringIncludes(failure.getErrorMessage(), "Worker crashed on purpose");
    assertEquals(await next, 4);
    assertEquals(await call("workerName"), "reactor-2");
    assertEquals(reactor.getThreadPool().workers, 1);
  });
});

Deno.test("callInThread() reports a failure on the reactor's log", async () => {
  const log = await withReactor(async (reactor) => {
    reactor.suggestThreadPoolSize(1);
    reactor.callInThread(work, "failWith", "Nobody listens");
    // The same Worker runs this call next: its result comes after the failure was reported.
    await deferToThreadPool(reactor, reactor.getThreadPool(), work, "add", 1, 1);
  });
  assertEquals(log.length, 1);
  assertStringIncludes(log[0], "Unhandled error in a thread:\nRangeError: Nobody listens");
});

Deno.test("callFromThread() from outside the reactor wakes it; calls run in order", async () => {
  const reactor = new EPollReactor({ installSignalHandlers: false });
  const calls: string[] = [];
  reactor.callFromThread((word: string) => calls.push(word), "before run");
  const running = reactor.run();
  // A timer of Deno's, not the reactor's: the reactor sleeps with nothing to do.
  await new Promise((resolve) => setTimeout(resolve, 20));
  reactor.callFromThread((word: string) => calls.push(word), "first");
  reactor.callFromThread((word: string) => calls.push(word), "second");
  reactor.callFromThread(() => reactor.stop());
  await running;
  assertEquals(calls, ["before run", "first", "second"]);
});

Deno.test("suggestThreadPoolSize() sets the maximum and refuses a size below 1", () => {
  const reactor = new EPollReactor();
  reactor.suggestThreadPoolSize(3);
  assertEquals(reactor.getThreadPool().max, 3);
  assertThrows(() => reactor.suggestThreadPoolSize(0), RangeError);
  assertThrows(() => reactor.suggestThreadPoolSize(1.5), RangeError);
});

Deno.test("deferToThreadPool() without read permission says which --allow-read would work", async () => {
  const script = "lib/threads/_testdata/without_read.ts";
  for (
    const [flags, missing, hint] of [
      [[], "lib/workers/_in_thread.ts", "lib"],
      [["--allow-read=lib/workers/_in_thread.ts"], "lib/workers/_testdata/work.ts", null],
    ] as const
  ) {
    const { code, stdout } = await runDeno(["run", ...flags, script]);
    assertEquals(code, 0);
    assertStringIncludes(stdout, "PermissionDenied: Cannot run add in a thread: its Worker needs");
    assertStringIncludes(stdout, `${missing} (--allow-read=${hint ?? missing})`);
  }
});
