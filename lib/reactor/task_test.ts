import { assert, assertEquals, assertStrictEquals, assertThrows } from "../testing/asserts.ts";
import { CancelledError } from "../defer/error.ts";
import { Deferred } from "../defer/deferred.ts";
import { AlreadyCalled, AlreadyCancelled } from "../error.ts";
import { Clock, deferLater } from "./task.ts";
import { failureOf, PoemError } from "../testing/deferred.ts";

Deno.test("Clock.advance() runs the calls that are due, with their arguments, and no others", () => {
  const clock = new Clock();
  const ran: string[] = [];
  clock.callLater(2, (what: string, n: number) => ran.push(`${what} ${n}`), "two", 2);
  clock.callLater(1.5, () => ran.push("one and a half"));
  assertEquals(clock.seconds(), 0);
  clock.advance(1);
  assertEquals(ran, []);
  clock.advance(0.5);
  assertEquals(ran, ["one and a half"]);
  clock.advance(0.5);
  assertEquals(ran, ["one and a half", "two 2"]);
  assertEquals(clock.seconds(), 2);
});

Deno.test("Clock runs calls due at the same time in the order they were scheduled", () => {
  const clock = new Clock();
  const ran: number[] = [];
  for (const n of [1, 2, 3, 4, 5]) clock.callLater(n === 3 ? 0.5 : 1, () => ran.push(n));
  clock.advance(1);
  assertEquals(ran, [3, 1, 2, 4, 5]);
});

Deno.test("Clock.advance() also runs calls scheduled meanwhile that are already due", () => {
  const clock = new Clock();
  const ran: string[] = [];
  clock.callLater(1, () => {
    ran.push("first");
    clock.callLater(0, () => ran.push("scheduled by first, due now"));
    clock.callLater(1, () => ran.push("not due yet"));
  });
  clock.advance(5);
  assertEquals(ran, ["first", "scheduled by first, due now"]);
  clock.callLater(1, () => {
    clock.callLater(0.5, () => ran.push("due after this advance"));
  });
  clock.advance(1);
  assertEquals(ran, ["first", "scheduled by first, due now", "not due yet"]);
  assertEquals(clock.getDelayedCalls().map((call) => call.getTime()), [6.5]);
});

Deno.test("Clock.advance() lets an error thrown by a call propagate, later calls stay pending", () => {
  const clock = new Clock();
  const ran: string[] = [];
  clock.callLater(1, () => {
    throw new PoemError("call failed");
  });
  clock.callLater(1, () => ran.push("after the failure"));
  assertThrows(() => clock.advance(1), PoemError, "call failed");
  assertEquals(ran, []);
  clock.advance(0);
  assertEquals(ran, ["after the failure"]);
});

Deno.test("Clock.pump() advances by each amount in turn", () => {
  const clock = new Clock();
  const times: number[] = [];
  for (const delay of [1, 2, 3]) clock.callLater(delay, () => times.push(clock.seconds()));
  clock.pump([0.5, 1, 1, 1]);
  assertEquals(times, [1.5, 2.5, 3.5]);
});

Deno.test("Clock.advance() and callLater() refuse negative or non-finite seconds", () => {
  const clock = new Clock();
  assertThrows(() => clock.advance(-1), RangeError, "Cannot advance clock");
  assertThrows(() => clock.advance(NaN), RangeError);
  assertThrows(() => clock.callLater(-1, () => {}), RangeError);
  assertThrows(() => clock.callLater(Infinity, () => {}), RangeError);
});

Deno.test("Clock.getDelayedCalls() lists the pending calls, soonest first", () => {
  const clock = new Clock();
  const late = clock.callLater(3, () => {});
  const soon = clock.callLater(1, () => {});
  const cancelled = clock.callLater(2, () => {});
  cancelled.cancel();
  assertEquals(clock.getDelayedCalls(), [soon, late]);
  clock.advance(1);
  assertEquals(clock.getDelayedCalls(), [late]);
});

Deno.test("Clock DelayedCall: cancel, reset, delay, active and getTime", () => {
  const clock = new Clock();
  const ran: string[] = [];
  const call = clock.callLater(5, () => ran.push("ran"));
  assert(call.active());
  assertEquals(call.getTime(), 5);
  call.delay(2);
  assertEquals(call.getTime(), 7);
  clock.advance(1);
  call.reset(1);
  assertEquals(call.getTime(), 2);
  clock.advance(1);
  assertEquals(ran, ["ran"]);
  assert(!call.active());
  assertThrows(() => call.cancel(), AlreadyCalled, "already called");
  assertThrows(() => call.reset(1), AlreadyCalled);

  const other = clock.callLater(1, () => ran.push("never"));
  other.cancel();
  assert(!other.active());
  assertThrows(() => other.cancel(), AlreadyCancelled, "already cancelled");
  assertThrows(() => other.delay(1), AlreadyCancelled);
  clock.advance(10);
  assertEquals(ran, ["ran"]);
});

Deno.test("deferLater() fires after the delay with what the function returns", () => {
  const clock = new Clock();
  const d = deferLater(clock, 3, (a: number, b: number) => a * b, 6, 7);
  clock.advance(2.9);
  assert(!d.called);
  clock.advance(0.1);
  assertEquals(d.result, 42);
  const nothing = deferLater(clock, 1);
  clock.advance(1);
  assert(nothing.called);
  assertEquals(nothing.result, undefined);
});

Deno.test("deferLater(): a throw fails it, a returned Deferred is waited for", () => {
  const clock = new Clock();
  const failing = deferLater(clock, 1, () => {
    throw new PoemError("no poem");
  });
  const inner = new Deferred<string>();
  const chained = deferLater(clock, 1, () => inner);
  clock.advance(1);
  assertStrictEquals(failureOf(failing).type, PoemError);
  assert(!chained.called || chained.result === inner);
  inner.callback("late poem");
  assertEquals(chained.result, "late poem");
});

Deno.test("deferLater() can be cancelled: CancelledError, and the call is cancelled", () => {
  const clock = new Clock();
  let ran = false;
  const d = deferLater(clock, 5, () => (ran = true));
  d.cancel();
  assertStrictEquals(failureOf(d).type, CancelledError);
  assertEquals(clock.getDelayedCalls(), []);
  clock.advance(10);
  assert(!ran);
});
