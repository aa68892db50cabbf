/**
 * Chapter 5, section 2: the callback and errback chains, drawn from real
 * runs. Each picture is one Deferred: a row per link, callbacks on the
 * left, errbacks on the right, `▶` on the one that ran, with the value it
 * got and what it returned. A result takes the callback path while things
 * go well, jumps to the errbacks when a callback throws, and comes back
 * when an errback returns a value. Then: a callback that returns a
 * Deferred (the chain waits for it), cancelling, and `await`.
 *
 *     deno task part5:deferred-chain
 *
 * Nothing else needs to run.
 *
 * @module
 */

import { Deferred } from "../lib/defer/deferred.ts";
import { CancelledError } from "../lib/defer/error.ts";
import type { Failure } from "../lib/defer/failure.ts";
import { ConnectionLost } from "../lib/error.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { deferLater, react } from "../lib/reactor/task.ts";
import { parseCommandLine } from "../lib/cli/mod.ts";
import { ChainPicture, describe, type Named } from "./_chain_picture.ts";

parseCommandLine({
  task: "part5:deferred-chain",
  args: "",
  description: "Draws Deferred chains from real runs: callbacks, errbacks, a nested Deferred.",
  options: {},
});

/** The tutorial's cummingsifier fails now and then; ours says so. */
class GibberishError extends Error {
  override name = "GibberishError";
}

const cummingsify: Named = ["cummingsify", (poem: string) => poem.toLowerCase()];
const cummingsifyBroken: Named = ["cummingsify", (_poem: string) => {
  throw new GibberishError("Cannot cummingsify: the poem came out as gibberish");
}];
/** Recovers from a GibberishError by going on with the poem as it was; other errors pass. */
const keepOriginal = (original: string): Named => ["cummingsifyFailed", (failure: Failure) => {
  failure.trap(GibberishError);
  return original;
}];
const gotPoem: Named = ["gotPoem", (poem: string) => poem.length];
/** Reports nothing here, and returns nothing: the chain goes back to callbacks, with undefined. */
const poemFailed: Named = ["poemFailed", (_failure: Failure) => undefined];

/** The chain of the tutorial's client 5.1: cummingsify, recover, then use the poem or report. */
function draw(title: string, fire: (d: Deferred<unknown>) => void, first: Named): void {
  const picture = new ChainPicture();
  const d = new Deferred<unknown>();
  picture.add(d, first);
  picture.add(d, undefined, keepOriginal("Roses are Red"));
  picture.add(d, gotPoem, poemFailed);
  console.log(title);
  fire(d);
  console.log(`${picture.render()}\n`);
}

draw(
  '1. d.callback("Roses are Red"): all goes well',
  (d) => d.callback("Roses are Red"),
  cummingsify,
);
draw(
  '2. d.callback("Roses are Red"): cummingsify throws, its errback recovers',
  (d) => d.callback("Roses are Red"),
  cummingsifyBroken,
);
draw(
  "3. d.errback(new ConnectionLost()): no poem at all",
  (d) => d.errback(new ConnectionLost()),
  cummingsify,
);

await react(async () => {
  console.log("4. A callback returns a Deferred: the chain waits for it, then goes on");
  const picture = new ChainPicture();
  const d = new Deferred<unknown>();
  picture.add(d, [
    "getSecondPoem",
    (_poem: string) => deferLater(reactor, 0.1, () => "and so are you"),
  ]);
  picture.add(d, gotPoem, poemFailed);
  d.callback("Roses are Red");
  console.log(`  right after d.callback(): ${d}`);
  await d; // the reactor runs until d has fired
  console.log(`${picture.render()}\n`);

  console.log("5. Cancelling: the canceller stops the work, the errbacks see a CancelledError");
  const cancelled = new ChainPicture();
  const download = new Deferred<unknown>(() =>
    console.log("  (the canceller hangs up on the server)")
  );
  cancelled.add(download, gotPoem, ["poemFailed", (failure: Failure) => {
    failure.trap(CancelledError);
    return "no poem, as asked";
  }]);
  download.cancel();
  console.log(`${cancelled.render()}\n`);

  console.log("6. await takes the result out of the Deferred");
  const poem = new Deferred<string>();
  poem.callback("Roses are Red");
  console.log(
    `  await poem gives ${describe(await poem)}; poem.result is now ${describe(poem.result)}`,
  );
});
