import {
  assert,
  assertEquals,
  assertRejects,
  assertStrictEquals,
  assertStringIncludes,
  assertThrows,
} from "../testing/asserts.ts";
import { runDeno } from "../testing/run_task.ts";
import { AlreadyCalledError } from "./error.ts";
import { Deferred, fail, maybeDeferred, succeed } from "./deferred.ts";
import { Failure } from "./failure.ts";
import { PoemError } from "../testing/deferred.ts";

Deno.test("Deferred.callback() runs the callbacks synchronously, passing results along", () => {
  const seen: unknown[] = [];
  const d = new Deferred<number>();
  d.addCallback((n) => {
    seen.push(n);
    return n * 2;
  }).addCallback((n) => {
    seen.push(n);
    return `${n}!`;
  });
  assertEquals(seen, []);
  d.callback(21);
  assertEquals(seen, [21, 42]);
  assertEquals(d.result, "42!");
  assert(d.called);
});

Deno.test("Deferred.addCallback() on a fired Deferred runs the callback inside the call", () => {
  const d = succeed("poem");
  let seen: string | undefined;
  d.addCallback((text) => {
    seen = text;
  });
  assertEquals(seen, "poem");
});

Deno.test("Deferred callbacks and errbacks receive their extra arguments", () => {
  const seen: unknown[] = [];
  const d = new Deferred<string>();
  d.addCallback((text, a: number, b: string) => seen.push([text, a, b]), 1, "two");
  d.addCallback((_ignored, c: boolean) => {
    throw new PoemError(String(c));
  }, true);
  d.addErrback((failure, x: number) => seen.push([failure.getErrorMessage(), x]), 7);
  d.addBoth((result, label: string) => seen.push([label, result]), "both");
  d.callback("go");
  assertEquals(seen, [["go", 1, "two"], ["true", 7], ["both", 2]]);
});

Deno.test("Deferred.addCallbacks() runs one of the pair, with its own arguments", () => {
  const seen: unknown[] = [];
  const ok = new Deferred<number>();
  ok.addCallbacks((n, tag: string) => seen.push(`ok ${n} ${tag}`), () => seen.push("bad"), ["c"]);
  ok.callback(1);
  const bad = new Deferred<number>();
  bad.addCallbacks(
    () => seen.push("ok"),
    (failure, tag: string) => seen.push(`failed ${failure.getErrorMessage()} ${tag}`),
    [],
    ["e"],
  );
  bad.errback(new Error("boom"));
  assertEquals(seen, ["ok 1 c", "failed boom e"]);
});

Deno.test("Deferred.addCallbacks() without an errback passes a Failure on", () => {
  const d = new Deferred<number>();
  const error = new PoemError("lost");
  d.addCallbacks(() => "not called");
  d.errback(error);
  const failures: Failure[] = [];
  d.addErrback((failure) => {
    failures.push(failure);
  });
  assertStrictEquals(failures[0].value, error);
});

Deno.test("Deferred: a thrown error becomes a Failure for the next errback, skipping callbacks", () => {
  const seen: string[] = [];
  const d = new Deferred<number>();
  d.addCallback(() => {
    throw new PoemError("bad poem");
  })
    .addCallback(() => seen.push("skipped"))
    .addErrback((failure) => {
      seen.push(`${failure.type.name}: ${failure.getErrorMessage()}`);
      return "recovered";
    })
    .addCallback((value) => seen.push(`back on callbacks with ${value}`));
  d.callback(1);
  assertEquals(seen, ["PoemError: bad poem", "back on callbacks with recovered"]);
});

Deno.test("Deferred: an errback that throws or returns a Failure stays on the errback path", () => {
  const seen: string[] = [];
  const d = new Deferred<number>();
  d.addErrback((failure) => {
    seen.push(`first ${failure.getErrorMessage()}`);
    throw new TypeError("second");
  })
    .addCallback(() => seen.push("skipped"))
    .addErrback((failure) => {
      seen.push(`then ${failure.type.name} ${failure.getErrorMessage()}`);
      return new Failure(new RangeError("third"));
    })
    .addCallback(() => seen.push("skipped too"))
    .addErrback((failure) => {
      seen.push(`last ${failure.type.name}`);
    });
  d.errback(new Error("first"));
  assertEquals(seen, ["first first", "then TypeError second", "last RangeError"]);
  assertEquals(d.result, undefined);
});

Deno.test("Deferred: a callback that returns a Failure switches to the errback path", () => {
  const d = succeed(6).addCallback((n) => n > 5 ? new Failure(new RangeError("too big")) : n);
  const failures: Failure[] = [];
  d.addErrback((failure) => {
    failures.push(failure);
  });
  assertStrictEquals(failures[0].type, RangeError);
});

Deno.test("Deferred.callback() and errback() twice throw AlreadyCalledError", () => {
  const d = new Deferred<string>();
  d.callback("once");
  assertThrows(() => d.callback("twice"), AlreadyCalledError, "Cannot callback Deferred");
  assertThrows(() => d.errback(new Error("late")), AlreadyCalledError, "Cannot errback Deferred");
  const e = new Deferred<string>();
  e.errback(new Error("first"));
  assertThrows(() => e.callback("then"), AlreadyCalledError);
  assertThrows(() => e.errback(new Error("again")), AlreadyCalledError);
  e.addErrback(() => undefined);
});

Deno.test("Deferred.callback() rejects a Deferred as result", () => {
  const d = new Deferred<unknown>();
  assertThrows(() => d.callback(new Deferred()), TypeError, "return it from a callback");
  assert(!d.called);
});

Deno.test("Deferred.errback() wraps a value that is not an Error, or takes a Failure as is", () => {
  const d = new Deferred<number>();
  d.errback("a string");
  const failures: Failure[] = [];
  d.addErrback((failure) => {
    failures.push(failure);
  });
  assertEquals(failures[0].getErrorMessage(), 'Non-Error value thrown: "a string"');
  const failure = new Failure(new PoemError("lost"));
  fail(failure).addErrback((seen) => {
    failures.push(seen);
  });
  assertStrictEquals(failures[1], failure);
});

Deno.test("Deferred: callbacks added by a callback run after it returns, at the end", () => {
  const order: number[] = [];
  const d = new Deferred<void>();
  d.addCallback(() => {
    order.push(1);
    d.addCallback(() => order.push(3));
    assertEquals(order, [1]);
  });
  d.addCallback(() => order.push(2));
  d.callback();
  assertEquals(order, [1, 2, 3]);
});

Deno.test("succeed() and fail() return fired Deferreds", () => {
  const seen: unknown[] = [];
  succeed("ok").addCallback((value) => seen.push(value));
  fail(new PoemError("no")).addErrback((failure) => seen.push(failure.type));
  assertEquals(seen, ["ok", PoemError]);
});

Deno.test("maybeDeferred() wraps a value, a throw, a Deferred, a Failure and a Promise", async () => {
  const seen: unknown[] = [];
  maybeDeferred((a: number, b: number) => a + b, 1, 2).addCallback((n) => seen.push(n));
  maybeDeferred(() => {
    throw new PoemError("sync");
  }).addErrback((failure) => seen.push(failure.getErrorMessage()));
  const inner = new Deferred<string>();
  assertStrictEquals(maybeDeferred(() => inner), inner);
  maybeDeferred(() => new Failure(new RangeError("returned"))).addErrback((f) => seen.push(f.type));
  assertEquals(seen, [3, "sync", RangeError]);
  assertEquals(await maybeDeferred(() => Promise.resolve("later")), "later");
  await assertRejects(
    () => maybeDeferred(() => Promise.reject(new PoemError("async"))),
    PoemError,
    "async",
  );
});

Deno.test("await Deferred gives the result, and consumes it", async () => {
  const d = new Deferred<number>();
  setTimeout(() => d.callback(7), 1);
  assertEquals(await d, 7);
  assertEquals(d.result, undefined);
  const later: unknown[] = [];
  d.addCallback((value) => later.push(value));
  assertEquals(later, [undefined]);
});

Deno.test("await Deferred rejects with failure.value, and the failure counts as handled", async () => {
  const error = new PoemError("lost");
  const d = fail<number>(error);
  const caught = await assertRejects(() => d, PoemError);
  assertStrictEquals(caught, error);
  assertEquals(d.result, undefined);
});

Deno.test("Deferred.asPromise() and Deferred.fromPromise() convert both ways", async () => {
  assertEquals(await succeed(1).asPromise(), 1);
  await assertRejects(() => fail(new PoemError("x")).asPromise(), PoemError);
  const d = Deferred.fromPromise(Promise.resolve("from a promise"));
  assert(!d.called);
  assertEquals(await d, "from a promise");
  const rejected = Deferred.fromPromise(Promise.reject("not an error"));
  const failure = await new Promise<Failure>((resolve) => {
    rejected.addErrback(resolve);
  });
  assertEquals(failure.value.cause, "not an error");
});

Deno.test("Deferred.fromPromise() can be cancelled: CancelledError, the outcome ignored", async () => {
  let resolve = (_value: string): void => {};
  const d = Deferred.fromPromise(new Promise<string>((r) => (resolve = r)));
  d.cancel();
  const failures: Failure[] = [];
  d.addErrback((failure) => {
    failures.push(failure);
  });
  assertEquals(failures[0].type.name, "CancelledError");
  resolve("too late");
  await Promise.resolve();
  assertEquals(d.result, undefined);
});

Deno.test("Deferred.toString() describes its state", () => {
  const d = new Deferred<string>();
  assertEquals(String(d), "<Deferred>");
  d.callback("orange");
  assertEquals(String(d), '<Deferred current result: "orange">');
  const waiting = succeed(1).addCallback(() => new Deferred<number>());
  assertEquals(String(waiting), "<Deferred waiting on another Deferred>");
});

Deno.test("Deferred runs 1,000,000 callbacks on one Deferred without a stack overflow", () => {
  const d = new Deferred<number>();
  const increment = (n: number): number => n + 1;
  for (let i = 0; i < 1_000_000; i++) d.addCallback(increment);
  d.callback(0);
  assertEquals(d.result, 1_000_000);
});

Deno.test("Deferred chains 100,000 nested Deferreds, innermost fired last, without a stack overflow", () => {
  const count = 100_000;
  const deferreds = Array.from({ length: count }, () => new Deferred<number>());
  for (let i = 0; i < count - 1; i++) {
    const next = deferreds[i + 1];
    deferreds[i].addCallback(() => next).addCallback((n) => n + 1);
  }
  for (let i = 0; i < count - 1; i++) deferreds[i].callback(i);
  assertEquals(deferreds[0].result, deferreds[1]);
  deferreds[count - 1].callback(0);
  assertEquals(deferreds[0].result, count - 1);
});

Deno.test("Deferred takes the results of 100,000 already fired Deferreds returned by callbacks", () => {
  const d = new Deferred<number>();
  for (let i = 0; i < 100_000; i++) d.addCallback((n) => succeed(n + 1));
  d.callback(0);
  assertEquals(d.result, 100_000);
});

Deno.test("Deferred garbage collected with an unhandled Failure is reported on stderr", async () => {
  const { code, stdout, stderr } = await runDeno([
    "run",
    "--v8-flags=--expose-gc",
    "lib/testing/gc_unhandled.ts",
  ]);
  assertEquals(code, 0, stderr);
  assertStringIncludes(stdout, "dropped");
  assertStringIncludes(stderr, "Unhandled error in Deferred:");
  assertStringIncludes(stderr, "PoemError: nobody handled this poem");
  assertStringIncludes(stderr, "at dropUnhandled");
  assertEquals(stderr.split("Unhandled error in Deferred:").length - 1, 1, stderr);
  for (const handled of ["handled by an errback", "handled by await", "handled by chaining"]) {
    assert(!stderr.includes(handled), `reported although ${handled}:\n${stderr}`);
  }
});
