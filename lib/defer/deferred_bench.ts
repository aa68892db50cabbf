/**
 * Benchmarks of the Deferred's chain: long chains on one Deferred, deeply
 * nested Deferreds, and many already fired Deferreds returned by
 * callbacks, each against a native Promise chain of the same length.
 *
 * Run: `deno bench lib/defer/deferred_bench.ts`
 *
 * @module
 */

import { Deferred, succeed } from "./deferred.ts";

const increment = (n: number): number => n + 1;

function check(actual: unknown, expected: number): void {
  if (actual !== expected) throw new Error(`Benchmark went wrong: got ${actual}, not ${expected}`);
}

/** One Deferred, `count` callbacks added, then fired once. */
function deferredCallbacks(count: number): void {
  const d = new Deferred<number>();
  for (let i = 0; i < count; i++) d.addCallback(increment);
  d.callback(0);
  check(d.result, count);
}

/** A Promise chain of `count` `then` callbacks, resolved once. */
async function promiseCallbacks(count: number): Promise<void> {
  let resolve = (_value: number): void => {};
  let p = new Promise<number>((r) => (resolve = r));
  for (let i = 0; i < count; i++) p = p.then(increment);
  resolve(0);
  check(await p, count);
}

/** `count` Deferreds, each callback returning the next one; the innermost fires last. */
function deferredNested(count: number): void {
  const deferreds: Deferred<number>[] = [];
  for (let i = 0; i < count; i++) deferreds.push(new Deferred<number>());
  for (let i = 0; i < count - 1; i++) {
    const next = deferreds[i + 1];
    deferreds[i].addCallback(() => next);
  }
  for (let i = 0; i < count - 1; i++) deferreds[i].callback(i);
  deferreds[count - 1].callback(count);
  check(deferreds[0].result, count);
}

/** The same with Promises: each `then` returns the next, still pending, Promise. */
async function promiseNested(count: number): Promise<void> {
  const resolvers: ((value: number) => void)[] = [];
  const promises: Promise<number>[] = [];
  for (let i = 0; i < count; i++) {
    promises.push(new Promise<number>((resolve) => resolvers.push(resolve)));
  }
  let outer = promises[count - 1];
  for (let i = count - 2; i >= 0; i--) {
    const inner = outer;
    outer = promises[i].then(() => inner);
  }
  for (let i = 0; i < count - 1; i++) resolvers[i](i);
  resolvers[count - 1](count);
  check(await outer, count);
}

/** One Deferred whose `count` callbacks each return an already fired Deferred. */
function deferredFired(count: number): void {
  const d = new Deferred<number>();
  for (let i = 0; i < count; i++) d.addCallback((n) => succeed(n + 1));
  d.callback(0);
  check(d.result, count);
}

/** The same with Promises: each `then` returns an already resolved Promise. */
async function promiseFired(count: number): Promise<void> {
  let resolve = (_value: number): void => {};
  let p = new Promise<number>((r) => (resolve = r));
  for (let i = 0; i < count; i++) p = p.then((n) => Promise.resolve(n + 1));
  resolve(0);
  check(await p, count);
}

const few = { n: 30, warmup: 5 };

// All Deferred benchmarks run first, then the Promise ones: long Promise
// chains leave the garbage collector busy, which would slow down whatever
// runs next. deno bench runs them in this order and reports them by group.

// Linearity: the same benchmark at ten times the size should take about
// ten times as long (Twisted's own pop(0) makes long chains quadratic).
Deno.bench({
  name: "Deferred: 100,000 callbacks (size x1)",
  group: "linearity: callbacks",
  baseline: true,
  ...few,
  fn: () => deferredCallbacks(100_000),
});
Deno.bench({
  name: "Deferred: 1,000,000 callbacks (size x10)",
  group: "linearity: callbacks",
  ...few,
  fn: () => deferredCallbacks(1_000_000),
});
Deno.bench({
  name: "Deferred: 10,000 nested (size x1)",
  group: "linearity: nested",
  baseline: true,
  ...few,
  fn: () => deferredNested(10_000),
});
Deno.bench({
  name: "Deferred: 100,000 nested (size x10)",
  group: "linearity: nested",
  ...few,
  fn: () => deferredNested(100_000),
});
Deno.bench({
  name: "Deferred: 10,000 fired (size x1)",
  group: "linearity: fired",
  baseline: true,
  ...few,
  fn: () => deferredFired(10_000),
});
Deno.bench({
  name: "Deferred: 100,000 fired (size x10)",
  group: "linearity: fired",
  ...few,
  fn: () => deferredFired(100_000),
});

// Against native Promises, size for size.
Deno.bench({
  name: "Deferred: 100,000 callbacks",
  group: "100k callbacks",
  ...few,
  fn: () => deferredCallbacks(100_000),
});
Deno.bench({
  name: "Deferred: 1,000,000 callbacks",
  group: "1M callbacks",
  ...few,
  fn: () => deferredCallbacks(1_000_000),
});
Deno.bench({
  name: "Deferred: 100,000 nested, innermost fired last",
  group: "100k nested",
  ...few,
  fn: () => deferredNested(100_000),
});
Deno.bench({
  name: "Deferred: 100,000 fired Deferreds returned by callbacks",
  group: "100k fired",
  ...few,
  fn: () => deferredFired(100_000),
});
Deno.bench({
  name: "Promise: 100,000 then()",
  group: "100k callbacks",
  baseline: true,
  ...few,
  fn: () => promiseCallbacks(100_000),
});
Deno.bench({
  name: "Promise: 1,000,000 then()",
  group: "1M callbacks",
  baseline: true,
  ...few,
  fn: () => promiseCallbacks(1_000_000),
});
Deno.bench({
  name: "Promise: 100,000 nested, innermost resolved last",
  group: "100k nested",
  baseline: true,
  ...few,
  fn: () => promiseNested(100_000),
});
Deno.bench({
  name: "Promise: 100,000 resolved Promises returned by then()",
  group: "100k fired",
  baseline: true,
  ...few,
  fn: () => promiseFired(100_000),
});
// The platform's own growth at that scale, for comparison with "linearity: nested".
Deno.bench({
  name: "Promise: 10,000 nested (size x1)",
  group: "linearity: nested Promises",
  baseline: true,
  ...few,
  fn: () => promiseNested(10_000),
});
Deno.bench({
  name: "Promise: 100,000 nested (size x10)",
  group: "linearity: nested Promises",
  ...few,
  fn: () => promiseNested(100_000),
});
