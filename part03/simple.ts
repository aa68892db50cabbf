/**
 * Chapter 3: the simplest reactor program. It starts the reactor and gives
 * it nothing to do, so the reactor waits, forever, using no CPU while it
 * waits. Ctrl-C stops it; then `run()` resolves and the last line runs.
 *
 *     deno task part3:simple
 */

import { reactor } from "../lib/reactor/reactor.ts";

console.log("Running the reactor; press Ctrl-C to stop it.");
await reactor.run();
console.log("The reactor has stopped.");
