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

import { checked, type CommandSpec, parseCommandLine, parseCount } from "../lib/cli/mod.ts";
import { react } from "../lib/reactor/task.ts";
import { Heartbeat, INTERVAL, primesLine } from "./_heartbeat.ts";
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

/**
 * Until the returned function is called, says how long Ctrl-C (or SIGTERM)
 * waited: its handler, like every callback, runs on the reactor's thread,
 * which the inline count holds until it returns. (`react` then ends the
 * script, with 130 or 143.)
 */
function sayHowLongSignalsWait(): () => void {
  const start = performance.now();
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const listeners = signals.map((signal) => {
    const listener = (): void => {
      const ms = (performance.now() - start).toFixed(1);
      console.log(
        `${signal} was handled ${ms} ms after the inline count began, when it returned: ` +
          "the reactor's thread could not run the handler sooner",
      );
    };
    Deno.addSignalListener(signal, listener);
    return (): void => Deno.removeSignalListener(signal, listener);
  });
  return () => listeners.forEach((remove) => remove());
}

async function main(): Promise<void> {
  console.log(`Heartbeat every ${INTERVAL} s; counting the primes below ${limit}, twice.`);
  await heartbeat.start();
  // The reactor's thread does the work: no beat until it returns.
  const stopSaying = sayHowLongSignalsWait();
  const inline = await heartbeat.measure(() => countPrimes(limit));
  stopSaying();
  console.log(primesLine("Inline", limit, inline));
  // A Worker does it; the reactor's thread only waits for the message.
  const module = new URL("./_thread_work.ts", import.meta.url);
  const inThread = (): Deferred<number> => deferToThread<number>(module, "countPrimes", limit);
  const threaded = await heartbeat.measure(inThread);
  console.log(primesLine("In a thread", limit, threaded));
  heartbeat.stop();
}

await react(main);
