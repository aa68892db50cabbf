/**
 * A script for lib/reactor/reactor_emfile_test.ts, run under a low
 * `ulimit -n`: uses up the process's file descriptors, has a reactor
 * report an error and a Failure format its traceback, frees them, and
 * reports another. Deno dies if a report reads a stack while no descriptor
 * is left; this one must say "survived".
 *
 *     bash -c 'ulimit -n 64; deno run --allow-net=127.0.0.1 lib/testing/out_of_descriptors.ts'
 *
 * @module
 */

import { Failure } from "../defer/failure.ts";
import { EPollReactor } from "../reactor/epoll_reactor.ts";
import { errno, errnoOf } from "../socket/socket_error.ts";

const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const { port } = listener.addr;
const held: Deno.Conn[] = [];
try {
  for (let i = 0; i < 100_000; i++) held.push(await Deno.connect({ hostname: "127.0.0.1", port }));
} catch (error) {
  if (errnoOf(error) !== errno.EMFILE) throw error;
}
const reactor = new EPollReactor({ installSignalHandlers: false });
reactor.reportError(new Error("reported with no descriptor left"), "the test");
console.error(new Failure(new Error("a Failure with no descriptor left")).getTraceback());
for (const conn of held) conn.close();
listener.close();
reactor.reportError(new Error("reported with descriptors again"), "the test");
console.log(`survived, after ${held.length} connections`);
