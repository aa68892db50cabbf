/**
 * Chapter 3: the same do-nothing program on the other reactor. Installing
 * the PollReactor has to happen before anything uses the reactor, because
 * the default one is created on first use. Importing `reactor` is not
 * using it (it is a stand-in that makes the reactor when first used), and
 * every import runs before the first statement anyway, so `install()`
 * comes after the imports. Ctrl-C stops it.
 *
 *     deno task part3:simple-poll
 */

import { install } from "../lib/reactor/poll_reactor.ts";
import { reactor } from "../lib/reactor/reactor.ts";

install();

console.log(`Running the ${reactor.constructor.name}; press Ctrl-C to stop it.`);
await reactor.run();
console.log("The reactor has stopped.");
