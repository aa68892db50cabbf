import { assert, assertEquals, assertStrictEquals, assertThrows } from "../testing/asserts.ts";
import { AlreadyCalledError, CancelledError, TimeoutError } from "./error.ts";
import { Deferred, fail, succeed } from "./deferred.ts";
import { Failure } from "./failure.ts";
import { Clock } from "../reactor/task.ts";
import { failureOf, PoemError } from "../testing/deferred.ts";

Deno.test("Deferred chaining: a returned Deferred pauses the chain until it fires", () => {
  const seen: unknown[] = [];
  const inner = new Deferred<string>();
  const outer = new Deferred<number>();
  outer.addCallback(() => inner).addCallback((text) => seen.push(`got ${text}`));
  outer.callback(1);
  assertEquals(seen, []);
  assertStrictEquals(outer.result, inner);
  assertEquals(outer.paused, 1);
  inner.callback("the inner result");
  assertEquals(seen, ["got the inner result"]);
  assertEquals(outer.paused, 0);
  assertEquals(inner.result, undefined);
});

Deno.test("Deferred chaining: the inner failure continues down the outer errbacks", () => {
  const inner = new Deferred<string>();
  const outer = succeed(1).addCallback(() => inner);
  inner.errback(new PoemError("inner failed"));
  assertStrictEquals(failureOf(outer).type, PoemError);
  assertEquals(inner.result, undefined);
});

Deno.test("Deferred chaining: an already fired inner gives its result (or failure) at once", () => {
  const inner = succeed("ready");
  const outer = succeed(0).addCallback(() => inner);
  assertEquals(outer.result, "ready");
  assertEquals(inner.result, undefined);
  const failed = fail(new PoemError("ready to fail"));
  const outer2 = succeed(0).addCallback(() => failed);
  assertStrictEquals(failureOf(outer2).type, PoemError);
  assertEquals(failed.result, undefined);
});

Deno.test("Deferred chaining: an errback can return a Deferred too", () => {
  const inner = new Deferred<string>();
  const seen: unknown[] = [];
  const d = new Deferred<string>();
  d.addErrback(() => inner).addCallback((value) => seen.push(value));
  d.errback(new Error("first"));
  assertEquals(seen, []);
  inner.callback("rescued");
  assertEquals(seen, ["rescued"]);
});

Deno.test("Deferred chaining is transitive, and the inner's own callbacks run first", () => {
  const order: string[] = [];
  const innermost = new Deferred<string>();
  const middle = succeed("m").addCallback(() => innermost).addCallback((value) => {
    order.push(`middle saw ${value}`);
    return value + "+middle";
  });
  const outer = succeed("o").addCallback(() => middle).addCallback((value) => {
    order.push(`outer saw ${value}`);
  });
  assertEquals(order, []);
  innermost.callback("deep");
  assertEquals(order, ["middle saw deep", "outer saw deep+middle"]);
  assertEquals(outer.result, undefined);
});

Deno.test("Deferred chaining: a paused inner Deferred with a result makes the outer wait", () => {
  const paused = succeed("value");
  paused.pause();
  const seen: unknown[] = [];
  const chained = succeed(null).addCallback(() => paused);
  chained.addCallback((value) => seen.push(value));
  assertEquals(seen, []);
  paused.unpause();
  assertEquals(seen, ["value"]);
});

Deno.test("Deferred chaining: a callback returning its own Deferred fails with TypeError", () => {
  const d = new Deferred<number>();
  d.addCallback(() => d);
  d.callback(1);
  const failure = failureOf(d);
  assertStrictEquals(failure.type, TypeError);
  assertEquals(
    failure.getErrorMessage(),
    "Cannot chain Deferred: a callback returned the Deferred it was added to",
  );
});

Deno.test("Deferred.chainDeferred() fires the other Deferred with this one's result", () => {
  const a = new Deferred<string>();
  const b = new Deferred<string>();
  const seen: unknown[] = [];
  b.addCallback((value) => seen.push(value));
  a.chainDeferred(b);
  a.callback("relayed");
  assertEquals(seen, ["relayed"]);
  assertEquals(a.result, undefined);
});

Deno.test("Deferred.pause() holds the callbacks until the matching unpause()", () => {
  const seen: unknown[] = [];
  const d = new Deferred<number>();
  d.pause();
  d.pause();
  d.addCallback((n) => seen.push(n));
  d.callback(5);
  assertEquals(seen, []);
  d.unpause();
  assertEquals(seen, []);
  d.unpause();
  assertEquals(seen, [5]);
  const failed = fail(new PoemError("paused failure"));
  const failures: string[] = [];
  failed.pause();
  failed.addErrback((failure) => failures.push(failure.getErrorMessage()));
  assertEquals(failures.length, 0);
  failed.unpause();
  assertEquals(failures, ["paused failure"]);
});

Deno.test("Deferred.cancel() without a canceller errbacks with CancelledError and eats one late call", () => {
  const d = new Deferred<string>();
  d.cancel();
  const failure = failureOf(d);
  assertStrictEquals(failure.type, CancelledError);
  assertEquals(failure.getErrorMessage(), "Deferred was cancelled");
  d.callback("late, ignored");
  assertThrows(() => d.callback("one too many"), AlreadyCalledError);
  d.cancel();
});

Deno.test("Deferred.cancel() calls the canceller once, and errbacks if it did not fire", () => {
  const calls: Deferred<string>[] = [];
  const d = new Deferred<string>((self) => calls.push(self));
  d.cancel();
  d.cancel();
  assertEquals(calls.length, 1);
  assertStrictEquals(calls[0], d);
  assertStrictEquals(failureOf(d).type, CancelledError);
  assertThrows(() => d.callback("not swallowed"), AlreadyCalledError);
});

Deno.test("Deferred.cancel() lets a canceller fire the Deferred its own way", () => {
  const d = new Deferred<string>((self) => self.callback("cancelled politely"));
  d.cancel();
  assertEquals(d.result, "cancelled politely");
  const e = new Deferred<string>((self) => self.errback(new PoemError("gave up")));
  e.cancel();
  assertStrictEquals(failureOf(e).type, PoemError);
});

Deno.test("Deferred.cancel() on a fired Deferred does nothing", () => {
  let cancelled = 0;
  const d = new Deferred<string>(() => cancelled++);
  d.callback("done");
  d.cancel();
  assertEquals(cancelled, 0);
  assertEquals(d.result, "done");
});

Deno.test("Deferred.cancel() on a Deferred waiting on a chained one cancels the inner", () => {
  let innerCancelled = 0;
  const inner = new Deferred<string>(() => innerCancelled++);
  const outer = new Deferred<number>(() => {
    throw new Error("outer canceller must not run: it has fired");
  });
  outer.callback(1);
  outer.addCallback(() => inner);
  outer.cancel();
  assertEquals(innerCancelled, 1);
  assertStrictEquals(failureOf(outer).type, CancelledError);
  assertEquals(inner.result, undefined);
});

Deno.test("Deferred.addTimeout() fails with TimeoutError when the time runs out", () => {
  const clock = new Clock();
  let cancelled = 0;
  const d = new Deferred<string>(() => cancelled++).addTimeout(5, clock);
  clock.advance(4.9);
  assert(!d.called);
  clock.advance(0.1);
  assertEquals(cancelled, 1);
  const failure = failureOf(d);
  assertStrictEquals(failure.type, TimeoutError);
  assertEquals(failure.getErrorMessage(), "Deferred timed out after 5 seconds");
  assertEquals(clock.getDelayedCalls(), []);
});

Deno.test("Deferred.addTimeout() does nothing when the Deferred fired in time", () => {
  const clock = new Clock();
  const inner = new Deferred<string>();
  const d = new Deferred<string>().addTimeout(10, clock);
  d.addCallback(() => inner);
  d.callback("in time");
  assertEquals(clock.getDelayedCalls(), []);
  clock.advance(15);
  assert(!inner.called, "the timeout must not cancel what the callbacks chained later");
  inner.callback("fine");
  assertEquals(d.result, "fine");
});

Deno.test("Deferred.addTimeout() passes a timed out result to onTimeoutCancel", () => {
  const clock = new Clock();
  const seen: unknown[] = [];
  const d = new Deferred<string>().addTimeout(1, clock, (result, timeout) => {
    seen.push((result as Failure).type, timeout);
    return "replaced";
  });
  clock.advance(1);
  assertEquals(seen, [CancelledError, 1]);
  assertEquals(d.result, "replaced");
});

Deno.test("Deferred.addTimeout() keeps a canceller's own result", () => {
  const clock = new Clock();
  const d = new Deferred<string>((self) => self.callback("partial poem")).addTimeout(2, clock);
  clock.advance(2);
  assertEquals(d.result, "partial poem");
});
