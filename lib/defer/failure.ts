/**
 * {@linkcode Failure}: an error on its way down a Deferred's errback chain,
 * as Twisted's `twisted.python.failure.Failure`.
 *
 * @module
 */

/** A class of errors, as given to {@linkcode Failure.trap} and {@linkcode Failure.check}. */
// deno-lint-ignore no-explicit-any
export type ErrorClass<E extends Error = Error> = abstract new (...args: any[]) => E;

/**
 * Raised by {@linkcode Failure.current} (and so by `errback()` and `fail()`
 * called without an argument) when no error is being handled.
 */
export class NoCurrentExceptionError extends Error {
  /** Creates the error with a message that says what was attempted. */
  constructor(
    message =
      "Cannot create Failure: no error is being handled; pass the error, as in errback(error)",
  ) {
    super(message);
    this.name = "NoCurrentExceptionError";
  }
}

/**
 * The errors being handled right now, innermost last: a Deferred pushes the
 * Failure it passes to an errback while that errback runs, and
 * {@linkcode Failure.handling} pushes the error a `catch` block caught.
 */
const handling: Failure[] = [];

/**
 * An error wrapped for a Deferred's errback chain: what Twisted's errbacks
 * receive, with the error in {@linkcode Failure.value}.
 *
 * Anything can be thrown in JavaScript; a value that is not an `Error` is
 * wrapped in one whose `cause` is the original value, so `value` is always
 * an `Error` and has a stack.
 *
 * @example Trap the errors you expect, let the others pass
 * ```ts
 * import assert from "node:assert/strict";
 * import { Failure } from "./failure.ts";
 *
 * const failure = new Failure(new RangeError("Cannot count to -1"));
 * assert.equal(failure.trap(RangeError, TypeError), RangeError);
 * assert.equal(failure.getErrorMessage(), "Cannot count to -1");
 * assert.throws(() => failure.trap(TypeError), RangeError); // not ours: re-thrown
 * ```
 */
export class Failure {
  /** The error. */
  readonly value: Error;

  /**
   * Wraps `error`.
   *
   * @param error what was thrown; a value that is not an `Error` is wrapped in one
   */
  constructor(error: unknown) {
    if (error instanceof Failure) {
      this.value = error.value;
    } else if (error instanceof Error) {
      this.value = error;
    } else {
      this.value = new Error(`Non-Error value thrown: ${describe(error)}`, { cause: error });
    }
  }

  /**
   * The Failure for the error being handled now, like Twisted's `Failure()`
   * with no argument inside an `except` block.
   *
   * JavaScript has no `sys.exc_info()`: a `catch` block does not publish its
   * error anywhere. So "being handled" means: inside an errback that a
   * Deferred is running (its Failure), or inside a function run by
   * {@linkcode Failure.handling} (the error given to it).
   *
   * @throws {NoCurrentExceptionError} if no error is being handled
   */
  static current(): Failure {
    const failure = handling.at(-1);
    if (failure === undefined) throw new NoCurrentExceptionError();
    return failure;
  }

  /**
   * Runs `fn` with `error` as the error being handled, so that `errback()`
   * and `fail()` with no argument inside it wrap `error`: the explicit
   * stand-in for Python's implicit "current exception" in an `except` block.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Deferred } from "./deferred.ts";
   * import { Failure } from "./failure.ts";
   *
   * const d = new Deferred<number>();
   * try {
   *   JSON.parse("{");
   * } catch (error) {
   *   Failure.handling(error, () => d.errback());
   * }
   * let caught = "";
   * d.addErrback((failure) => {
   *   caught = failure.type.name;
   * });
   * assert.equal(caught, "SyntaxError");
   * ```
   *
   * @returns what `fn` returned
   */
  static handling<R>(error: unknown, fn: () => R): R {
    handling.push(error instanceof Failure ? error : new Failure(error));
    try {
      return fn();
    } finally {
      handling.pop();
    }
  }

  /** The class of the error, such as `TypeError`. */
  get type(): ErrorClass {
    return this.value.constructor as ErrorClass;
  }

  /**
   * Returns the first of `errorClasses` that the error is an instance of,
   * or rethrows the error when none matches: in an errback, the errors you
   * did not expect pass on down the errback chain.
   *
   * @throws {Error} the wrapped error itself, if it matches none of them
   */
  trap(...errorClasses: ErrorClass[]): ErrorClass {
    const match = this.check(...errorClasses);
    if (match === null) throw this.value;
    return match;
  }

  /**
   * Returns the first of `errorClasses` that the error is an instance of,
   * or null when none matches.
   */
  check(...errorClasses: ErrorClass[]): ErrorClass | null {
    return errorClasses.find((errorClass) => this.value instanceof errorClass) ?? null;
  }

  /** The error's message. */
  getErrorMessage(): string {
    return this.value.message;
  }

  /**
   * The error's stack trace as text, headed by its name and message, with
   * the chain of causes (`Caused by: ...`) when it has one. Out of file
   * descriptors, only names and messages (see {@linkcode formatError}).
   */
  getTraceback(): string {
    const lines: string[] = [];
    let error: unknown = this.value;
    for (let depth = 0; error instanceof Error && depth < 10; depth++) {
      const text = formatError(error);
      lines.push(depth === 0 ? text : `Caused by: ${text}`);
      error = error.cause;
    }
    return lines.join("\n");
  }

  /** Throws the wrapped error, as Twisted's `raiseException()`. */
  raiseException(): never {
    throw this.value;
  }

  /** A short description: `[Failure RangeError: Cannot count to -1]`. */
  toString(): string {
    return `[Failure ${this.value.name}: ${this.value.message}]`;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * An error as a report would print it: its stack, or, when the process has
 * no file descriptor to spare, only its name and message, and a note that
 * says why.
 *
 * Reading a stack makes Deno source-map it, which opens a file; out of
 * descriptors (EMFILE) that fails, and Deno 2.9 then panics and the process
 * dies (`assertion left == right failed, left: 24, right: 0`). So before
 * reading one, this checks that a file can be opened: `Deno.memoryUsage()`
 * opens `/proc/self/statm` (no permission needed) and reports an `rss` of 0
 * when it cannot.
 */
export function formatError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (Deno.build.os === "linux" && Deno.memoryUsage().rss === 0) {
    return `${error.name}: ${error.message}\n    [stack not shown: the process is out of file ` +
      `descriptors, and Deno needs one to read a stack]`;
  }
  return error.stack ?? `${error.name}: ${error.message}`;
}
