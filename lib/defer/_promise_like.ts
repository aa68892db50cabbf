/**
 * Telling Promises (and other thenables) from plain values.
 *
 * @module
 */

/** True for a Promise or any other object with a `then` method. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}
