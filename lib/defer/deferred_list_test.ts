import { assert, assertEquals, assertStrictEquals } from "../testing/asserts.ts";
import { CancelledError, FirstError } from "./error.ts";
import { Deferred, fail, succeed } from "./deferred.ts";
import { DeferredList, gatherResults } from "./deferred_list.ts";
import { Failure } from "./failure.ts";
import { failureOf, PoemError } from "../testing/deferred.ts";

Deno.test("DeferredList fires with [success, result] pairs in input order, once all fired", () => {
  const [a, b, c] = [new Deferred<string>(), new Deferred<string>(), new Deferred<string>()];
  const list = new DeferredList([a, b, c]);
  const error = new PoemError("b failed");
  c.callback("c");
  b.errback(error);
  assert(!list.called);
  a.callback("a");
  const results = list.result as [boolean, unknown][];
  assertEquals(results.map(([ok]) => ok), [true, false, true]);
  assertEquals(results[0][1], "a");
  assertStrictEquals((results[1][1] as Failure).value, error);
  assertEquals(results[2][1], "c");
  // Without consumeErrors the list passes the failure on: b still holds it.
  assertStrictEquals(failureOf(b).value, error);
});

Deno.test("DeferredList of an empty list fires at once with []", () => {
  assertEquals(new DeferredList([]).result, []);
  assert(!new DeferredList([], { fireOnOneCallback: true }).called);
});

Deno.test("DeferredList works with Deferreds that fired before it was made", () => {
  const list = new DeferredList([succeed(1), succeed(2)]);
  assertEquals(list.result, [[true, 1], [true, 2]]);
});

Deno.test("DeferredList with fireOnOneCallback fires with [result, index] of the first success", () => {
  const [a, b] = [new Deferred<string>(), new Deferred<string>()];
  const list = new DeferredList<string, [string, number]>([a, b], { fireOnOneCallback: true });
  a.errback(new PoemError("no"));
  assert(!list.called);
  b.callback("first success");
  assertEquals(list.result, ["first success", 1]);
  a.addErrback(() => undefined);
});

Deno.test("DeferredList with fireOnOneErrback fails with FirstError, subFailure and index", () => {
  const [a, b, c] = [new Deferred<string>(), new Deferred<string>(), new Deferred<string>()];
  const list = new DeferredList([a, b, c], { fireOnOneErrback: true });
  a.callback("fine");
  assert(!list.called);
  const error = new PoemError("from b");
  b.errback(error);
  const failure = failureOf(list);
  const firstError = failure.value as FirstError;
  assertStrictEquals(failure.type, FirstError);
  assertStrictEquals(firstError.subFailure.value, error);
  assertEquals(firstError.index, 1);
  assertEquals(firstError.message, "Deferred #1 of the list failed: [Failure PoemError: from b]");
  c.callback("too late to matter");
  b.addErrback(() => undefined);
});

Deno.test("DeferredList with consumeErrors leaves undefined in place of each failure", () => {
  const d = new Deferred<string>();
  const list = new DeferredList([d], { consumeErrors: true });
  d.errback(new PoemError("consumed"));
  const seen: unknown[] = [];
  d.addCallbacks((value) => seen.push(["callback", value]), () => seen.push("errback"));
  assertEquals(seen, [["callback", undefined]]);
  const [[ok, failure]] = list.result as [boolean, Failure][];
  assertEquals([ok, failure.getErrorMessage()], [false, "consumed"]);
});

Deno.test("DeferredList.cancel() cancels every Deferred not yet fired, and nothing once fired", () => {
  const [a, b] = [new Deferred<string>((d) => d.callback("cancelled nicely")), new Deferred()];
  const list = new DeferredList([a, b]);
  list.cancel();
  const results = list.result as [boolean, unknown][];
  assertEquals(results[0], [true, "cancelled nicely"]);
  assertStrictEquals((results[1][1] as Failure).type, CancelledError);
  b.addErrback(() => undefined);

  const [c, d] = [new Deferred<string>(), new Deferred<string>()];
  const first = new DeferredList([c, d], { fireOnOneCallback: true });
  c.callback("won");
  first.cancel();
  assert(!d.called);
});

Deno.test("gatherResults() gives the list of results, in order", () => {
  const later = new Deferred<number>();
  const gathered = gatherResults([succeed("one"), later, succeed(true)]);
  assert(!gathered.called);
  later.callback(2);
  assertEquals(gathered.result, ["one", 2, true]);
});

Deno.test("gatherResults() fails with FirstError on the first failure, as Twisted does", () => {
  const error = new PoemError("second failed");
  const bad = fail(error);
  const gathered = gatherResults([succeed(1), bad]);
  const firstError = failureOf(gathered).value as FirstError;
  assert(firstError instanceof FirstError);
  assertStrictEquals(firstError.subFailure.value, error);
  assertEquals(firstError.index, 1);
  bad.addErrback(() => undefined);
});

Deno.test("gatherResults() with consumeErrors handles the failures of the Deferreds", () => {
  const bad = fail(new PoemError("consumed"));
  const gathered = gatherResults([bad], { consumeErrors: true });
  assertEquals(bad.result, undefined);
  assertStrictEquals((failureOf(gathered).value as FirstError).subFailure.type, PoemError);
});

Deno.test("gatherResults() can be cancelled: it cancels all its Deferreds", () => {
  const [a, b] = [new Deferred<number>(), new Deferred<number>()];
  const gathered = gatherResults([a, b]);
  gathered.cancel();
  const firstError = failureOf(gathered).value as FirstError;
  assertStrictEquals(firstError.subFailure.type, CancelledError);
  assertStrictEquals(failureOf(a).type, CancelledError);
  assertStrictEquals(failureOf(b).type, CancelledError);
});

Deno.test("DeferredList.cancel() reports a canceller's error and still cancels the others", () => {
  const throwing = new Deferred<number>(() => {
    throw new PoemError("canceller broke");
  });
  const other = new Deferred<number>();
  const list = new DeferredList([throwing, other]);
  const reports: string[] = [];
  const original = console.error;
  console.error = (text: string) => reports.push(text);
  try {
    list.cancel();
  } finally {
    console.error = original;
  }
  assertEquals(reports.length, 1);
  assert(reports[0].startsWith("Exception raised from user supplied canceller:\nPoemError"));
  assertStrictEquals(failureOf(other).type, CancelledError);
  assert(!throwing.called);
});
