/**
 * Bytes helpers, as Deno std's `@std/bytes` has them: for the chunks a
 * socket or a transport delivers, which are joined as bytes and decoded
 * once, so a character split between two chunks survives.
 *
 * @module
 */

/**
 * Joins byte chunks into one array: bytes first, decoding after, so no
 * character is cut.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { joinBytes } from "./bytes.ts";
 *
 * const e = new TextEncoder().encode("é"); // two bytes
 * const joined = joinBytes([e.subarray(0, 1), e.subarray(1)]);
 * assert.equal(new TextDecoder().decode(joined), "é");
 * ```
 */
export function joinBytes(chunks: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
}
