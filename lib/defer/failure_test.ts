import {
  assert,
  assertEquals,
  assertMatch,
  assertStrictEquals,
  assertStringIncludes,
  assertThrows,
} from "../testing/asserts.ts";
import { Deferred, fail } from "./deferred.ts";
import { NoCurrentExceptionError } from "./failure.ts";
import { Failure } from "./failure.ts";
import { PoemError } from "../testing/deferred.ts";

Deno.test("Failure keeps the error as value and its class as type", () => {
  const error = new PoemError("Cannot find poem: no such file");
  const failure = new Failure(error);
  assertStrictEquals(failure.value, error);
  assertStrictEquals(failure.type, PoemError);
  assertEquals(failure.getErrorMessage(), "Cannot find poem: no such file");
  assertEquals(String(failure), "[Failure PoemError: Cannot find poem: no such file]");
});

Deno.test("Failure wraps a thrown value that is not an Error, keeping it as cause", () => {
  const failure = new Failure("just a string");
  assert(failure.value instanceof Error);
  assertStrictEquals(failure.type, Error);
  assertEquals(failure.value.cause, "just a string");
  assertEquals(failure.getErrorMessage(), 'Non-Error value thrown: "just a string"');
  assertEquals(new Failure(42).getErrorMessage(), "Non-Error value thrown: 42");
  assertEquals(new Failure(undefined).getErrorMessage(), "Non-Error value thrown: undefined");
});

Deno.test("Failure of a Failure wraps the same error", () => {
  const inner = new Failure(new RangeError("too far"));
  assertStrictEquals(new Failure(inner).value, inner.value);
});

Deno.test("Failure.check() returns the first matching class, or null", () => {
  const failure = new Failure(new PoemError("lost"));
  assertStrictEquals(failure.check(TypeError, PoemError, Error), PoemError);
  assertStrictEquals(failure.check(Error), Error);
  assertStrictEquals(failure.check(TypeError, RangeError), null);
  assertStrictEquals(failure.check(), null);
});

Deno.test("Failure.trap() returns the match, or rethrows the error itself", () => {
  const error = new PoemError("lost");
  const failure = new Failure(error);
  assertStrictEquals(failure.trap(RangeError, PoemError), PoemError);
  const thrown = assertThrows(() => failure.trap(TypeError, RangeError), PoemError);
  assertStrictEquals(thrown, error);
});

Deno.test("Failure.trap() in an errback passes unexpected errors down the chain", () => {
  const seen: string[] = [];
  const d = new Deferred<string>();
  d.addErrback((failure) => {
    failure.trap(TypeError);
    seen.push("trapped");
  }).addErrback((failure) => {
    seen.push(`passed on: ${failure.type.name}`);
  });
  d.errback(new PoemError("lost"));
  assertEquals(seen, ["passed on: PoemError"]);
});

Deno.test("Failure.getTraceback() gives the stack, with causes", () => {
  const failure = new Failure(
    new Error("Cannot get poem", { cause: new TypeError("bad port") }),
  );
  const traceback = failure.getTraceback();
  assertMatch(traceback, /^Error: Cannot get poem\n\s+at /);
  assertStringIncludes(traceback, "failure_test.ts");
  assertStringIncludes(traceback, "Caused by: TypeError: bad port");
});

Deno.test("Failure.raiseException() throws the error", () => {
  const error = new PoemError("lost");
  assertStrictEquals(assertThrows(() => new Failure(error).raiseException(), PoemError), error);
});

Deno.test("Failure.current() throws NoCurrentExceptionError when no error is handled", () => {
  assertThrows(() => Failure.current(), NoCurrentExceptionError, "no error is being handled");
  assertThrows(() => new Deferred().errback(), NoCurrentExceptionError);
  assertThrows(() => fail(), NoCurrentExceptionError);
});

Deno.test("errback() with no argument inside Failure.handling() wraps the caught error", () => {
  const d = new Deferred<number>();
  let error: unknown;
  try {
    JSON.parse("{");
  } catch (caught) {
    error = caught;
    Failure.handling(caught, () => d.errback());
  }
  const failures: Failure[] = [];
  d.addErrback((failure) => {
    failures.push(failure);
  });
  assert(error instanceof SyntaxError);
  assertStrictEquals(failures[0].value, error);
  assertThrows(() => Failure.current(), NoCurrentExceptionError);
});

Deno.test("errback() with no argument inside an errback wraps the failure being handled", () => {
  const source = new Deferred<number>();
  const forwarded = new Deferred<number>();
  source.addErrback(() => {
    forwarded.errback();
  });
  source.errback(new PoemError("lost"));
  const seen: Failure[] = [];
  forwarded.addErrback((failure) => {
    seen.push(failure);
  });
  assertEquals(seen.length, 1);
  assertStrictEquals(seen[0].type, PoemError);
  assertStrictEquals(source.result, undefined);
});
