/**
 * Chapter 3: who calls our callback? Printing the JavaScript stack from
 * inside it shows the reactor's loop underneath our function: the reactor
 * calls us, we never call it back.
 *
 *     deno task part3:stack
 */

import { reactor } from "../lib/reactor/reactor.ts";

function stack(): void {
  console.log("The JavaScript stack:");
  const trace = new Error().stack ?? "";
  console.log(trace.split("\n").slice(1).join("\n"));
  reactor.stop();
}

reactor.callWhenRunning(stack);
await reactor.run();
