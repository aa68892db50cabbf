import { assert, assertEquals, assertStrictEquals, assertThrows } from "../testing/asserts.ts";
import { CancelledError } from "./error.ts";
import { Deferred, fail, succeed } from "./deferred.ts";
import { ensureDeferred, inlineCallbacks } from "./inline_callbacks.ts";
import { Clock, deferLater } from "../reactor/task.ts";
import { failureOf, PoemError } from "../testing/deferred.ts";

Deno.test("inlineCallbacks() resumes the generator with each yielded Deferred's result", () => {
  const first = new Deferred<string>();
  const second = new Deferred<number>();
  const seen: unknown[] = [];
  const run = inlineCallbacks(function* (prefix: string): Generator<unknown, string> {
    const a: string = yield first;
    seen.push(a);
    const b: number = yield second;
    seen.push(b);
    return `${prefix} ${a} ${b}`;
  });
  const d = run("got");
  assertEquals(seen, []);
  first.callback("poem");
  assertEquals(seen, ["poem"]);
  assert(!d.called);
  second.callback(3003);
  assertEquals(d.result, "got poem 3003");
  assertEquals(first.result, undefined, "waiting consumes the result");
});

Deno.test("inlineCallbacks() runs synchronously while what it yields has fired", () => {
  const run = inlineCallbacks(function* (): Generator<unknown, number> {
    const a: number = yield succeed(1);
    const b: number = yield 2;
    return a + b;
  });
  assertEquals(run().result, 3);
});

Deno.test("inlineCallbacks() throws a yielded failure into the generator, where catch handles it", () => {
  const error = new PoemError("Cannot connect to 127.0.0.1:9: connection refused");
  const run = inlineCallbacks(function* (): Generator<unknown, string> {
    try {
      yield fail(error);
      return "not here";
    } catch (caught) {
      assertStrictEquals(caught, error);
      return "recovered";
    }
  });
  assertEquals(run().result, "recovered");
});

Deno.test("inlineCallbacks(): an error escaping the generator fails the Deferred", () => {
  const later = new Deferred<string>();
  const run = inlineCallbacks(function* (): Generator<unknown, void> {
    yield later;
    throw new PoemError("escaped");
  });
  const d = run();
  later.callback("x");
  const failure = failureOf(d);
  assertStrictEquals(failure.type, PoemError);
  const unhandled = inlineCallbacks(function* (): Generator<unknown, void> {
    yield fail(new PoemError("not caught"));
  })();
  assertEquals(failureOf(unhandled).getErrorMessage(), "not caught");
});

Deno.test("inlineCallbacks() waits on yielded Promises, and a returned Deferred or Promise", async () => {
  const run = inlineCallbacks(function* (): Generator<unknown, Promise<string>> {
    const a: string = yield Promise.resolve("from a promise");
    let b = "";
    try {
      yield Promise.reject(new PoemError("rejected"));
    } catch (error) {
      b = (error as Error).message;
    }
    return Promise.resolve(`${a}, ${b}`);
  });
  assertEquals(await run(), "from a promise, rejected");
  const returnsDeferred = inlineCallbacks(function* (): Generator<unknown, Deferred<string>> {
    yield succeed(0);
    return succeed("returned Deferred");
  });
  assertEquals(returnsDeferred().result, "returned Deferred");
});

Deno.test("inlineCallbacks() passes this and arguments, and refuses a non-generator", () => {
  const poet = {
    name: "Keats",
    greet: inlineCallbacks(function* (
      this: { name: string },
      greeting: string,
    ): Generator<unknown, string> {
      const name: string = yield succeed(this.name);
      return `${greeting}, ${name}`;
    }),
  };
  assertEquals(poet.greet("Hello").result, "Hello, Keats");
  const notAGenerator = inlineCallbacks((() => 42) as unknown as () => Generator<unknown, void>);
  assertThrows(() => notAGenerator(), TypeError, "not a generator");
});

Deno.test("inlineCallbacks() yields 100,000 fired Deferreds without growing the stack", () => {
  const run = inlineCallbacks(function* (): Generator<unknown, number> {
    let total = 0;
    for (let i = 0; i < 100_000; i++) total += (yield succeed(1)) as number;
    return total;
  });
  assertEquals(run().result, 100_000);
});

Deno.test("inlineCallbacks() resumed by a clock, as with deferLater", () => {
  const clock = new Clock();
  const run = inlineCallbacks(function* (): Generator<unknown, number> {
    const poem: string = yield deferLater(clock, 1, () => "poem");
    const length: number = yield deferLater(clock, 2, (text: string) => text.length, poem);
    return length;
  });
  const d = run();
  clock.advance(1);
  assert(!d.called);
  clock.advance(2);
  assertEquals(d.result, 4);
});

Deno.test("inlineCallbacks(): cancelling cancels the awaited Deferred, the generator decides", () => {
  let innerCancelled = 0;
  const inner = new Deferred<string>(() => innerCancelled++);
  const fallback = new Deferred<string>();
  const run = inlineCallbacks(function* (): Generator<unknown, string> {
    try {
      return yield inner;
    } catch (error) {
      assert(error instanceof CancelledError);
      return yield fallback;
    }
  });
  const d = run();
  d.cancel();
  assertEquals(innerCancelled, 1);
  assert(d.result instanceof Deferred, "it waits for the generator's decision");
  fallback.callback("fallback poem");
  assertEquals(d.result, "fallback poem");

  const givesUp = inlineCallbacks(function* (): Generator<unknown, void> {
    yield new Deferred<void>();
  })();
  givesUp.cancel();
  assertStrictEquals(failureOf(givesUp).type, CancelledError);
});

Deno.test("ensureDeferred() takes a Deferred as is, a Promise or a generator", async () => {
  const d = succeed(1);
  assertStrictEquals(ensureDeferred(d), d);
  async function asyncPoem(): Promise<string> {
    await Promise.resolve();
    return "async result";
  }
  const fromAsync = ensureDeferred(asyncPoem());
  assert(fromAsync instanceof Deferred);
  assertEquals(await fromAsync, "async result");
  function* gen(): Generator<unknown, string, string> {
    const x = yield succeed("generator");
    return `${x} result`;
  }
  assertEquals(ensureDeferred(gen()).result, "generator result");
  assertThrows(
    () => ensureDeferred(42 as unknown as Promise<number>),
    TypeError,
    "expected a Deferred",
  );
});
