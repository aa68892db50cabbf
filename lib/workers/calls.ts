/**
 * What crosses between the pool and its Workers, checked on the way out
 * and rebuilt on the way back: the module URL, the arguments (which must
 * survive the structured clone), and the error a call threw.
 *
 * @module
 */

import type { ErrorData } from "./_in_thread.ts";

/**
 * `moduleUrl` as a URL, which must be absolute: the Worker resolves it, not the caller's module.
 *
 * @throws {TypeError} if it is not an absolute URL
 */
export function absoluteUrl(moduleUrl: string | URL, what: string): URL {
  if (moduleUrl instanceof URL) return moduleUrl;
  try {
    return new URL(moduleUrl);
  } catch {
    throw new TypeError(
      `Cannot ${what}: ${moduleUrl} is not an absolute URL; ` +
        'use new URL("./module.ts", import.meta.url)',
    );
  }
}

/**
 * Throws unless the structured clone algorithm can copy `args`.
 *
 * @throws {TypeError} naming what was attempted, with the clone error as its cause
 */
export function checkCloneable(args: unknown[], what: string): void {
  try {
    structuredClone(args);
  } catch (error) {
    throw cloneError(what, error instanceof Error ? error.message : String(error), error);
  }
}

/** The TypeError for arguments that cannot be cloned. */
export function cloneError(what: string, reason: string, cause?: unknown): TypeError {
  return new TypeError(`Cannot ${what}: its arguments cannot be cloned (${reason})`, { cause });
}

const builtinErrors: Record<string, ErrorConstructor | undefined> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
  ...Deno.errors as unknown as Record<string, ErrorConstructor>,
};

/**
 * The error a Worker threw, rebuilt on this thread: an instance of the
 * built-in or `Deno.errors` class of that name when there is one (so
 * `failure.trap(RangeError)` works), a plain Error carrying the name
 * otherwise; with the Worker's message and stack.
 */
export function errorFromThread({ name, message, stack }: ErrorData): Error {
  const ErrorClass = Object.hasOwn(builtinErrors, name) ? builtinErrors[name] : undefined;
  const error = ErrorClass ? new ErrorClass(message) : new Error(message);
  if (error.name !== name) error.name = name;
  if (stack !== undefined) error.stack = stack;
  return error;
}
