/**
 * Chapter 5, section 4: blocking work stalls the reactor; deferToThread
 * does not. A heartbeat LoopingCall beats every 0.05 s while we count the
 * primes below a limit twice: first inline, in a reactor callback, where no
 * beat can happen until the count returns; then in a Worker through
 * deferToThread, while the reactor's thread stays free to keep time. The
 * longest gap between two beats, beyond 0.05 s, is how late the heartbeat was.
 *
 *     deno task part5:blocking-work [--limit N]
 *
 * Nothing else needs to be running.
 *
 * @module
 */

import { checked, type CommandSpec, parseCommandLine, parseCount } from "../lib/cli.ts";
import { Heartbeat, INTERVAL, primesLine } from "./_heartbeat.ts";
import { runOnReactor } from "./_on_reactor.ts";
import type { Deferred } from "../lib/defer/deferred.ts";
import { deferToThread } from "../lib/threads/threads.ts";
import { countPrimes } from "./_thread_work.ts";

const spec: CommandSpec = {
  task: "part5:blocking-work",
  args: "",
  description:
    "Counts primes inline, then in a thread, and shows how late a heartbeat was each time.",
  options: {
    limit: { type: "string", value: "N", help: "count the primes below N (default 3000000)" },
  },
};
const { values } = parseCommandLine(spec);
const limit = checked(spec, () => parseCount(String(values.limit ?? "3000000"), "--limit", 2));

const heartbeat = new Heartbeat();

async function main(): Promise<void> {
  console.log(`Heartbeat every ${INTERVAL} s; counting the primes below ${limit}, twice.`);
  await heartbeat.start();
  // The reactor's thread does the work: no beat until it returns.
  console.log(primesLine("Inline", limit, await heartbeat.measure(() => countPrimes(limit))));
  // A Worker does it; the reactor's thread only waits for the message.
  const module = new URL("./_thread_work.ts", import.meta.url);
  const inThread = (): Deferred<number> => deferToThread<number>(module, "countPrimes", limit);
  const threaded = await heartbeat.measure(inThread);
  console.log(primesLine("In a thread", limit, threaded));
  heartbeat.stop();
}

await runOnReactor(main);
