/**
 * Test helper for `deferred_test.ts`: drops Deferreds that hold failures,
 * one unhandled and some handled, then forces garbage collection, so the
 * test can check that only the unhandled one is reported on stderr.
 *
 * Run: `deno run --v8-flags=--expose-gc lib/testing/gc_unhandled.ts`
 *
 * @module
 */

import { Deferred, fail } from "../defer/deferred.ts";

class PoemError extends Error {
  override name = "PoemError";
}

function dropUnhandled(): void {
  const d = new Deferred<string>();
  d.addCallback((poem) => poem.toUpperCase());
  d.errback(new PoemError("nobody handled this poem"));
}

function dropHandledByErrback(): void {
  fail(new PoemError("handled by an errback")).addErrback(() => "fine");
}

async function dropHandledByAwait(): Promise<void> {
  try {
    await fail(new PoemError("handled by await"));
  } catch {
    // Caught: awaiting delivered the failure, so it is handled.
  }
}

function dropHandledByChaining(): void {
  const outer = new Deferred<void>();
  outer.addCallback(() => fail(new PoemError("handled by chaining")));
  outer.addErrback(() => undefined);
  outer.callback();
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error("Run with --v8-flags=--expose-gc");
  Deno.exit(2);
}

dropUnhandled();
dropHandledByErrback();
await dropHandledByAwait();
dropHandledByChaining();
console.log("dropped");
// Finalization callbacks run as tasks after a collection: give them turns.
for (let i = 0; i < 5; i++) {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
}
