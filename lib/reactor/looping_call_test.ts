import { assert, assertEquals, assertStrictEquals, assertThrows } from "../testing/asserts.ts";
import { Deferred } from "../defer/deferred.ts";
import { Failure } from "../defer/failure.ts";
import { reactor } from "./reactor.ts";
import { Clock, LoopingCall } from "./task.ts";

class PoemError extends Error {
  override name = "PoemError";
}

/** A LoopingCall on a fake clock that records the clock time of each call. */
function recorder(): { clock: Clock; times: number[]; loop: LoopingCall } {
  const clock = new Clock();
  const times: number[] = [];
  const loop = new LoopingCall(() => {
    times.push(clock.seconds());
  });
  loop.clock = clock;
  return { clock, times, loop };
}

Deno.test("LoopingCall uses the global reactor as its clock by default, as Twisted does", () => {
  assertStrictEquals(new LoopingCall(() => {}).clock, reactor);
});

Deno.test("LoopingCall.start() calls now, then every interval, with the arguments", () => {
  const clock = new Clock();
  const calls: unknown[] = [];
  const loop = new LoopingCall(
    (a: string, b: number) => calls.push([clock.seconds(), a, b]),
    "x",
    1,
  );
  loop.clock = clock;
  loop.start(2);
  assertEquals(calls, [[0, "x", 1]]);
  clock.pump([1, 1, 1, 1]);
  assertEquals(calls, [[0, "x", 1], [2, "x", 1], [4, "x", 1]]);
  assert(loop.running);
  loop.stop();
});

Deno.test("LoopingCall.start(interval, false) waits one interval before the first call", () => {
  const { clock, times, loop } = recorder();
  loop.start(1, false);
  assertEquals(times, []);
  clock.pump([1, 1]);
  assertEquals(times, [1, 2]);
  loop.stop();
});

Deno.test("LoopingCall.stop() fires the start() Deferred with the LoopingCall", () => {
  const { clock, times, loop } = recorder();
  const done = loop.start(1);
  clock.advance(1);
  const seen: LoopingCall[] = [];
  done.addCallback((stopped) => seen.push(stopped));
  assertEquals(seen.length, 0);
  loop.stop();
  assertEquals(seen, [loop]);
  assert(!loop.running);
  assertEquals(clock.getDelayedCalls(), []);
  clock.advance(5);
  assertEquals(times, [0, 1]);
});

Deno.test("LoopingCall.stop() from inside the function fires the Deferred once it returns", () => {
  const clock = new Clock();
  let count = 3;
  const countdown: LoopingCall = new LoopingCall(() => {
    count -= 1;
    if (count === 0) countdown.stop();
  });
  countdown.clock = clock;
  const done = countdown.start(1);
  clock.pump([1, 1, 1]);
  assertEquals(count, 0);
  assertStrictEquals(done.result, countdown);
});

Deno.test("LoopingCall: an error in the function stops it and fails the start() Deferred", () => {
  const clock = new Clock();
  let calls = 0;
  const loop = new LoopingCall(() => {
    calls += 1;
    if (calls === 2) throw new PoemError("tick failed");
  });
  loop.clock = clock;
  const done = loop.start(1);
  clock.pump([1, 1, 1]);
  assertEquals(calls, 2);
  assert(!loop.running);
  const failures: Failure[] = [];
  done.addErrback((failure) => {
    failures.push(failure);
  });
  assertStrictEquals(failures[0].type, PoemError);
  assertThrows(() => loop.stop(), Error, "not running");
});

Deno.test("LoopingCall waits for a returned Deferred before scheduling the next call", () => {
  const clock = new Clock();
  const times: number[] = [];
  let pending = new Deferred<void>();
  const loop = new LoopingCall(() => {
    times.push(clock.seconds());
    pending = new Deferred<void>();
    return pending;
  });
  loop.clock = clock;
  loop.start(1);
  clock.advance(3);
  assertEquals(times, [0], "no call while the Deferred is pending");
  clock.advance(0.5);
  pending.callback();
  assertEquals(times, [0]);
  clock.advance(0.5);
  assertEquals(times, [0, 4], "the next call keeps to the grid of the start time");
  loop.stop();
  assert(loop.running === false);
});

Deno.test("LoopingCall.stop() while the function's Deferred is pending fires when it fires", () => {
  const clock = new Clock();
  const pending = new Deferred<void>();
  const loop = new LoopingCall(() => pending);
  loop.clock = clock;
  const done = loop.start(1);
  loop.stop();
  assert(!done.called);
  pending.callback();
  assertStrictEquals(done.result, loop);
});

Deno.test("LoopingCall: a failing returned Deferred stops it and fails the start() Deferred", () => {
  const clock = new Clock();
  const pending = new Deferred<void>();
  const loop = new LoopingCall(() => pending);
  loop.clock = clock;
  const done = loop.start(1);
  pending.errback(new PoemError("async tick failed"));
  assert(!loop.running);
  const failures: Failure[] = [];
  done.addErrback((failure) => {
    failures.push(failure);
  });
  assertEquals(failures[0].getErrorMessage(), "async tick failed");
});

Deno.test("LoopingCall: when the clock jumps past several intervals, it runs once and skips them", () => {
  const { clock, times, loop } = recorder();
  loop.start(1);
  clock.advance(3.5);
  assertEquals(times, [0, 3.5]);
  assertEquals(clock.getDelayedCalls().map((call) => call.getTime()), [4]);
  clock.advance(0.5);
  assertEquals(times, [0, 3.5, 4]);
  loop.stop();
});

Deno.test("LoopingCall with interval 0 runs as often as the clock allows", () => {
  const clock = new Clock();
  let calls = 0;
  const loop: LoopingCall = new LoopingCall(() => {
    calls += 1;
    if (calls === 5) loop.stop();
  });
  loop.clock = clock;
  const done = loop.start(0, false);
  clock.advance(0);
  assertEquals(calls, 5);
  assertStrictEquals(done.result, loop);
});

Deno.test("LoopingCall.reset() skips the next call and restarts the intervals from now", () => {
  const { clock, times, loop } = recorder();
  loop.start(2);
  clock.advance(1.5);
  loop.reset();
  clock.advance(1);
  assertEquals(times, [0]);
  clock.advance(1);
  assertEquals(times, [0, 3.5]);
  loop.stop();
  assertThrows(() => loop.reset(), Error, "not running");
});

Deno.test("LoopingCall.start() refuses to start twice or with a bad interval", () => {
  const { loop } = recorder();
  assertThrows(() => loop.start(-1), RangeError, "interval");
  assertThrows(() => loop.start(NaN), RangeError);
  loop.start(1);
  assertThrows(() => loop.start(1), Error, "already running");
  loop.stop();
  assertEquals(String(loop), "LoopingCall<1>(anonymous)");
});
