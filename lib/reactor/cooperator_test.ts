import { assert, assertEquals, assertStrictEquals, assertThrows } from "../testing/asserts.ts";
import { Deferred, fail } from "../defer/deferred.ts";
import type { Failure } from "../defer/failure.ts";
import type { IDelayedCall } from "../interfaces.ts";
import { Clock } from "./task.ts";
import { Cooperator } from "./cooperator.ts";
import {
  NotPaused,
  SchedulerStopped,
  TaskDone,
  TaskFailed,
  TaskStopped,
} from "./scheduler_error.ts";

/** Twisted's FakeScheduler: slices run only when pumped, each pump runs the ones due. */
class FakeScheduler {
  work: { slice: () => void; cancelled: boolean }[] = [];
  schedule = (slice: () => void): IDelayedCall => {
    const unit = { slice, cancelled: false };
    this.work.push(unit);
    return {
      cancel: () => void (unit.cancelled = true),
      active: () => !unit.cancelled,
      getTime: () => 0,
      reset: () => {},
      delay: () => {},
    };
  };
  pump(): void {
    const work = this.work;
    this.work = [];
    for (const unit of work) if (!unit.cancelled) unit.slice();
  }
}

/** Twisted's RunStateTests fixture: one step per slice, a worker told what to do next. */
function fixture(): {
  scheduler: FakeScheduler;
  cooperator: Cooperator;
  task: ReturnType<Cooperator["cooperate"]>;
  work: unknown[];
  next: { defer?: boolean; stop?: boolean; die?: boolean };
} {
  const scheduler = new FakeScheduler();
  const cooperator = new Cooperator({
    scheduler: scheduler.schedule,
    terminationPredicateFactory: () => () => true,
  });
  const work: unknown[] = [];
  const next: { defer?: boolean; stop?: boolean; die?: boolean } = {};
  function* worker(): Generator<unknown> {
    for (let i = 1;; i++) {
      if (next.defer) {
        next.defer = false;
        const d = new Deferred();
        work.push(d);
        yield d;
      } else if (next.stop) return;
      else if (next.die) throw new RangeError("unhandled");
      else {
        work.push(i);
        yield i;
      }
    }
  }
  return { scheduler, cooperator, task: cooperator.cooperate(worker()), work, next };
}

Deno.test("Cooperator runs its tasks' steps in turn, round and round", async () => {
  const clock = new Clock();
  const cooperator = new Cooperator({ scheduler: (slice) => clock.callLater(0, slice) });
  const seen: unknown[] = [];
  function* things(items: Iterable<unknown>): Generator<void> {
    for (const item of items) yield void seen.push(item);
  }
  const groups = ["abc", [1, 2, 3], "def", [4, 5, 6]];
  const done = groups.map((group) => cooperator.coiterate(things(group)));
  clock.advance(0);
  for (const d of done) await d;
  assertEquals(seen, ["a", 1, "d", 4, "b", 2, "e", 5, "c", 3, "f", 6]);
});

Deno.test("Cooperator ends a slice when the termination predicate says so", () => {
  const scheduler = new FakeScheduler();
  let steps = 0;
  const cooperator = new Cooperator({
    scheduler: scheduler.schedule,
    terminationPredicateFactory: () => () => steps % 10 === 0,
  });
  cooperator.cooperate((function* (): Generator<void> {
    for (let i = 0; i < 100; i++) yield void steps++;
  })());
  scheduler.pump();
  assertEquals(steps, 10);
  scheduler.pump();
  assertEquals(steps, 20);
  cooperator.stop();
});

Deno.test("Cooperator's default slice lasts 10 ms, then waits for the scheduler", () => {
  const scheduler = new FakeScheduler();
  const cooperator = new Cooperator({ scheduler: scheduler.schedule });
  let steps = 0;
  const task = cooperator.cooperate((function* (): Generator<void> {
    for (;;) yield void steps++;
  })());
  const start = performance.now();
  scheduler.pump(); // one slice; the next one is scheduled, not run
  const took = performance.now() - start;
  assert(took >= 10 && steps > 1, `the slice took ${took} ms for ${steps} steps`);
  assertEquals(scheduler.work.length, 1);
  task.stop();
  assertEquals(scheduler.work[0].cancelled, true);
});

Deno.test("coiterate() fails with what the iterator threw, at once or through a yielded Deferred", async () => {
  const clock = new Clock();
  const cooperator = new Cooperator({ scheduler: (slice) => clock.callLater(0, slice) });
  const failures: Failure[] = [];
  cooperator.coiterate({
    next(): IteratorResult<void> {
      throw new RangeError("now");
    },
  }).addErrback((f) => void failures.push(f));
  cooperator.coiterate((function* (): Generator<unknown> {
    yield fail(new RangeError("already failed"));
  })()).addErrback((f) => void failures.push(f));
  const later = new Deferred();
  cooperator.coiterate((function* (): Generator<unknown> {
    yield later;
  })()).addErrback((f) => void failures.push(f));
  clock.advance(0);
  later.errback(new RangeError("later"));
  assertEquals(failures.map((f) => [f.type, f.getErrorMessage()]), [
    [RangeError, "now"],
    [RangeError, "already failed"],
    [RangeError, "later"],
  ]);
  await Promise.resolve();
});

Deno.test("CooperativeTask.pause() stops its steps; resume() lets the next slice take one", () => {
  const { scheduler, task, work } = fixture();
  scheduler.pump();
  scheduler.pump();
  assertEquals(work, [1, 2]);
  task.pause();
  scheduler.pump();
  assertEquals(work, [1, 2]);
  task.resume();
  assertEquals(work, [1, 2]); // resuming does no work itself
  scheduler.pump();
  assertEquals(work, [1, 2, 3]);
  task.stop();
});

Deno.test("CooperativeTask.resume() throws NotPaused unless paused; pauses stack", () => {
  const { scheduler, task, work } = fixture();
  assertThrows(() => task.resume(), NotPaused);
  task.pause();
  task.pause();
  task.resume();
  scheduler.pump();
  assertEquals(work, []);
  task.resume();
  scheduler.pump();
  assertEquals(work, [1]);
  assertThrows(() => task.resume(), NotPaused);
  task.stop();
});

Deno.test("A yielded Deferred pauses the task until it fires, and a pause while waiting holds it", () => {
  const { scheduler, task, work, next } = fixture();
  next.defer = true;
  scheduler.pump();
  const d = work[0] as Deferred<string>;
  assert(d instanceof Deferred);
  scheduler.pump();
  assertEquals(work.length, 1);
  task.pause();
  task.resume();
  scheduler.pump();
  assertEquals(work.length, 1);
  d.callback("STUFF!");
  scheduler.pump();
  assertEquals(work, [d, 2]);
  task.stop();
});

Deno.test("whenDone() gives each caller a Deferred of its own, fired with the iterator", () => {
  const { scheduler, task, next } = fixture();
  const results: unknown[] = [];
  const finals: unknown[] = [];
  task.whenDone().addCallback((it) => (results.push(it), 1)).addCallback((n) => finals.push(n));
  task.whenDone().addCallback((it) => (results.push(it), 2)).addCallback((n) => finals.push(n));
  next.stop = true;
  scheduler.pump();
  assertEquals(results.length, 2);
  assertStrictEquals(results[0], results[1]);
  assertEquals(typeof (results[0] as Iterator<unknown>).next, "function");
  assertEquals(finals, [1, 2]);
  // Already done: fires at once.
  let again: unknown;
  task.whenDone().addCallback((it) => void (again = it));
  assertStrictEquals(again, results[0]);
  assertThrows(() => task.stop(), TaskDone);
});

Deno.test("whenDone() fails with the iterator's error, and stop() then throws TaskFailed", () => {
  const { scheduler, task, next } = fixture();
  const errors: Failure[] = [];
  task.whenDone().addErrback((f) => void errors.push(f));
  next.die = true;
  scheduler.pump();
  assertEquals(errors.map((f) => f.type), [RangeError]);
  assertThrows(() => task.stop(), TaskFailed);
});

Deno.test("CooperativeTask.stop() ends it: whenDone() fails with TaskStopped, no more steps", () => {
  const { scheduler, task, work } = fixture();
  const errors: Failure[] = [];
  task.whenDone().addErrback((f) => void errors.push(f));
  task.stop();
  assertEquals(errors.map((f) => f.type), [TaskStopped]);
  scheduler.pump();
  assertEquals(work, []);
  assertThrows(() => task.stop(), TaskStopped);
  assertThrows(() => task.pause(), TaskStopped);
});

Deno.test("A paused, stopped task resumes to nothing; a stopped task's Deferred does not wake it", () => {
  const paused = fixture();
  paused.task.whenDone().addErrback(() => {});
  paused.task.pause();
  paused.task.stop();
  paused.task.resume();
  paused.scheduler.pump();
  assertEquals(paused.work, []);

  const waiting = fixture();
  waiting.task.whenDone().addErrback(() => {});
  waiting.next.defer = true;
  waiting.scheduler.pump();
  const d = waiting.work.pop() as Deferred<number>;
  const seen: unknown[] = [];
  d.addBoth((result) => void seen.push(result));
  waiting.task.stop();
  d.callback(7);
  waiting.scheduler.pump();
  assertEquals([seen, waiting.work], [[undefined], []]); // the cooperator consumed its result
});

Deno.test("Cooperator.stop() fails every task with SchedulerStopped, and the tasks added later", () => {
  const { cooperator, task } = fixture();
  const errors: Failure[] = [];
  task.whenDone().addErrback((f) => void errors.push(f));
  cooperator.stop();
  assertEquals(cooperator.running, false);
  cooperator.coiterate([1][Symbol.iterator]()).addErrback((f) => void errors.push(f));
  assertEquals(errors.map((f) => f.type), [SchedulerStopped, SchedulerStopped]);
});

Deno.test("A whenDone() callback may stop the Cooperator: its task is already out", () => {
  const { scheduler, cooperator, task, next } = fixture();
  const phases: unknown[] = [];
  task.whenDone().addCallback((it) => {
    phases.push(typeof it);
    cooperator.stop();
    phases.push("done");
  });
  next.stop = true;
  scheduler.pump();
  assertEquals(phases, ["object", "done"]);
});

Deno.test("Removing the last task cancels the next slice; a new task schedules one", () => {
  const scheduler = new FakeScheduler();
  const cooperator = new Cooperator({ scheduler: scheduler.schedule });
  const one = cooperator.cooperate([1, 2][Symbol.iterator]());
  const two = cooperator.cooperate([1, 2][Symbol.iterator]());
  assertEquals(scheduler.work.length, 1);
  one.whenDone().addErrback(() => {});
  two.whenDone().addErrback(() => {});
  one.stop();
  assertEquals(scheduler.work[0].cancelled, false);
  two.stop();
  assertEquals(scheduler.work[0].cancelled, true);
  cooperator.cooperate([1][Symbol.iterator]());
  assertEquals(scheduler.work.length, 2);
  cooperator.stop();
});

Deno.test("A Cooperator made with started: false queues its tasks until start()", () => {
  const scheduler = new FakeScheduler();
  const cooperator = new Cooperator({ scheduler: scheduler.schedule, started: false });
  assertEquals(cooperator.running, false);
  const d = cooperator.coiterate([1][Symbol.iterator]());
  assertEquals(scheduler.work.length, 0);
  cooperator.start();
  assertEquals([cooperator.running, scheduler.work.length], [true, 1]);
  scheduler.pump();
  assert(d.called);
});
