/**
 * Test helpers for Deferreds: an error class of our own, and a way to take
 * the Failure out of a fired Deferred (which also marks it handled).
 *
 * @module
 */

import { assertEquals } from "./asserts.ts";
import { type Deferred } from "../defer/deferred.ts";
import type { Failure } from "../defer/failure.ts";

/** An error type the tests throw, trap and check for. */
export class PoemError extends Error {
  override name = "PoemError";
}

/** The Failure a fired Deferred holds, handled so it is not reported. */
export function failureOf(d: Deferred<unknown>): Failure {
  const failures: Failure[] = [];
  d.addErrback((failure) => {
    failures.push(failure);
  });
  assertEquals(failures.length, 1, `expected ${d} to hold a Failure`);
  return failures[0];
}
