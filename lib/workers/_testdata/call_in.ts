/**
 * The pool tests' way to call into a pool: `callIn(pool, "add", 1, 2)`
 * runs an export of `work.ts` and resolves with `[success, result]`.
 *
 * @module
 */

import type { ThreadPool } from "../threadpool.ts";

/** The module the tests' Workers import. */
export const work = new URL("./work.ts", import.meta.url);

/** Calls `exportName` of {@linkcode work} in `pool` and resolves with `[success, result]`. */
export function callIn(
  pool: ThreadPool,
  exportName: string,
  ...args: unknown[]
): Promise<[boolean, unknown]> {
  return new Promise((resolve) =>
    pool.callInThreadWithCallback((ok, result) => resolve([ok, result]), work, exportName, ...args)
  );
}
