/**
 * Chapter 3: our first callback. The reactor calls `hello` once it is
 * running, after the script's own code has printed its line. (The
 * tutorial's version runs until Ctrl-C; this one then stops the reactor so
 * the example ends by itself.)
 *
 *     deno task part3:hello
 */

import { reactor } from "../lib/reactor/reactor.ts";

function hello(): void {
  console.log("Hello from the reactor loop!");
  console.log("Lately I feel like I'm stuck in a rut.");
  reactor.stop();
}

reactor.callWhenRunning(hello);

console.log("Starting the reactor.");
await reactor.run();
