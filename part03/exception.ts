/**
 * Chapter 3: a callback that throws. The reactor reports the error on
 * stderr, with its stack, and goes on to the next callback, which stops it.
 *
 *     deno task part3:exception
 */

import { reactor } from "../lib/reactor/reactor.ts";

function fallDown(): void {
  throw new Error("I fall down.");
}

function upAgain(): void {
  console.log("But I get up again.");
  reactor.stop();
}

reactor.callWhenRunning(fallDown);
reactor.callWhenRunning(upAgain);

console.log("Starting the reactor.");
await reactor.run();
