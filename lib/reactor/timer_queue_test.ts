import { assertEquals, assertThrows } from "../testing/asserts.ts";
import { AlreadyCalled, AlreadyCancelled } from "../error.ts";
import { TimerQueue } from "./timer_queue.ts";

function fakeQueue(): { queue: TimerQueue; clock: { now: number }; ran: string[] } {
  const clock = { now: 100 };
  return { queue: new TimerQueue(() => clock.now), clock, ran: [] };
}

function runDue(queue: TimerQueue, now: number): void {
  for (let call = queue.popDue(now); call !== undefined; call = queue.popDue(now)) call.run();
}

Deno.test("TimerQueue orders calls by time, then first-in first-out for equal times", () => {
  const { queue, ran } = fakeQueue();
  for (const [delay, name] of [[3, "c"], [1, "a1"], [2, "b"], [1, "a2"], [0.5, "z"], [1, "a3"]]) {
    queue.callLater(delay as number, (n: string) => ran.push(n), [name]);
  }
  runDue(queue, 200);
  assertEquals(ran, ["z", "a1", "a2", "a3", "b", "c"]);
});

Deno.test("TimerQueue.popDue() leaves calls that are not due yet, or scheduled too late", () => {
  const { queue, clock, ran } = fakeQueue();
  queue.callLater(1, () => ran.push("soon"), []);
  queue.callLater(5, () => ran.push("later"), []);
  runDue(queue, clock.now + 2);
  assertEquals(ran, ["soon"]);
  // A loop's turn: time has moved on, and a call scheduled during the turn
  // is due too, but must wait for the next turn.
  clock.now += 10;
  const limit = queue.nextSeq;
  queue.callLater(0, () => ran.push("new"), []);
  assertEquals(queue.popDue(clock.now, limit)?.getTime(), 105);
  assertEquals(queue.popDue(clock.now, limit), undefined);
  assertEquals(queue.popDue(clock.now)?.getTime(), clock.now);
  assertEquals(queue.size, 0);
});

Deno.test("TimerQueue keeps heap order through random schedules, cancels and resets", () => {
  const { queue, clock } = fakeQueue();
  let seed = 42;
  const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const calls = Array.from({ length: 2000 }, (_, i) => queue.callLater(random() * 10, () => i, []));
  for (const call of calls) {
    const dice = random();
    if (dice < 0.3) call.cancel();
    else if (dice < 0.6) call.reset(random() * 10);
    else if (dice < 0.7) call.delay(random() * 5 - 2.5);
  }
  const expected = calls.filter((call) => call.active()).map((call) => call.getTime());
  expected.sort((a, b) => a - b);
  const popped: number[] = [];
  for (let call = queue.popDue(Infinity); call !== undefined; call = queue.popDue(Infinity)) {
    popped.push(call.getTime());
  }
  assertEquals(popped, expected);
  assertEquals(clock.now, 100);
});

Deno.test("DelayedCall cancel(), reset() and delay() refuse once cancelled or called", () => {
  const { queue, clock } = fakeQueue();
  const cancelled = queue.callLater(1, () => {}, []);
  cancelled.cancel();
  assertEquals(cancelled.active(), false);
  assertEquals(queue.size, 0);
  assertThrows(() => cancelled.cancel(), AlreadyCancelled, "already cancelled");
  assertThrows(() => cancelled.reset(1), AlreadyCancelled);
  assertThrows(() => cancelled.delay(1), AlreadyCancelled);

  const called = queue.callLater(1, () => {}, []);
  runDue(queue, clock.now + 1);
  assertEquals([called.called, called.active()], [true, false]);
  assertThrows(() => called.cancel(), AlreadyCalled, "already called");
  assertThrows(() => called.reset(1), AlreadyCalled);
  assertThrows(() => called.delay(1), AlreadyCalled);
});

Deno.test("DelayedCall reset() counts from now and delay() from the scheduled time", () => {
  const { queue, clock } = fakeQueue();
  const call = queue.callLater(5, () => {}, []);
  assertEquals(call.getTime(), 105);
  clock.now = 102;
  call.reset(1);
  assertEquals(call.getTime(), 103);
  call.delay(2.5);
  assertEquals(call.getTime(), 105.5);
  assertEquals(queue.getDelayedCalls(), [call]);
});

Deno.test("TimerQueue.callLater() rejects negative or non-finite delays and non-functions", () => {
  const { queue } = fakeQueue();
  assertThrows(() => queue.callLater(-1, () => {}, []), RangeError, "got -1");
  assertThrows(() => queue.callLater(NaN, () => {}, []), RangeError);
  assertThrows(() => queue.callLater(Infinity, () => {}, []), RangeError);
  assertThrows(() => queue.callLater(1, "nope" as unknown as () => void, []), TypeError);
  assertEquals(queue.size, 0);
});

Deno.test("TimerQueue.getDelayedCalls() lists pending calls soonest first", () => {
  const { queue } = fakeQueue();
  const late = queue.callLater(3, () => {}, []);
  const early = queue.callLater(1, () => {}, []);
  const gone = queue.callLater(2, () => {}, []);
  gone.cancel();
  assertEquals(queue.getDelayedCalls(), [early, late]);
});
