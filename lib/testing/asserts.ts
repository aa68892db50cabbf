/**
 * The assertions the tests use, from Deno's bundled `node:assert/strict`,
 * behind one module so a switch to `@std/assert` is a one-file change.
 *
 * @module
 */
import assert from "node:assert/strict";

/** Asserts that `actual` deep-equals `expected`. */
export function assertEquals<T>(
  actual: unknown,
  expected: T,
  message?: string,
): asserts actual is T {
  assert.deepStrictEqual(actual, expected, message);
}

/** Asserts that `value` is truthy. */
function assert_(value: unknown, message?: string): asserts value {
  assert.ok(value, message);
}
export { assert_ as assert };

/** Asserts that `actual` is the same value as `expected` (`Object.is`). */
export function assertStrictEquals<T>(actual: unknown, expected: T, message?: string): void {
  assert.equal(actual, expected, message);
}

/** Asserts that `text` contains `expected`. */
export function assertStringIncludes(text: string, expected: string, message?: string): void {
  assert.ok(
    text.includes(expected),
    message ?? `Expected text to include ${JSON.stringify(expected)}, got:\n${text}`,
  );
}

/** Asserts that `actual` matches `pattern`. */
export function assertMatch(actual: string, pattern: RegExp, message?: string): void {
  assert.match(actual, pattern, message);
}

/**
 * Asserts that `fn` throws an instance of `ErrorClass` (whose message
 * includes `includes`, when given) and returns it.
 */
export function assertThrows<E extends Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass: new (...args: any[]) => E,
  includes?: string,
): E {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ErrorClass, `Expected ${ErrorClass.name}, got ${error}`);
    if (includes !== undefined) assertStringIncludes(error.message, includes);
    return error;
  }
  throw new assert.AssertionError({ message: `Expected ${ErrorClass.name} to be thrown` });
}

/** Like {@linkcode assertThrows}, for a Promise or an async function. */
export async function assertRejects<E extends Error>(
  fn: () => PromiseLike<unknown>,
  // deno-lint-ignore no-explicit-any
  ErrorClass: new (...args: any[]) => E,
  includes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof ErrorClass, `Expected ${ErrorClass.name}, got ${error}`);
    if (includes !== undefined) assertStringIncludes(error.message, includes);
    return error;
  }
  throw new assert.AssertionError({ message: `Expected ${ErrorClass.name} to be rejected` });
}
