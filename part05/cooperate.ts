/**
 * Chapter 5, section 4: long work cut into slices, Twisted's
 * `task.cooperate`. The primes below a limit are counted three ways while a
 * heartbeat beats every 0.05 s: inline, where no beat can happen until the
 * count returns; in slices, a generator that yields after every thousand
 * numbers, run by `cooperate` about 10 ms at a time between reactor turns;
 * and in a thread. The slices keep the heartbeat nearly on time, on the
 * reactor's own thread, at the cost of some speed.
 *
 *     deno task part5:cooperate [--limit N] [--step N]
 *
 * Nothing else needs to be running.
 *
 * @module
 */

import { checked, type CommandSpec, parseCommandLine, parseCount } from "../lib/cli/mod.ts";
import { cooperate } from "../lib/reactor/cooperator.ts";
import { deferToThread } from "../lib/threads/threads.ts";
import { Heartbeat, INTERVAL, primesLine } from "./_heartbeat.ts";
import { react } from "../lib/reactor/task.ts";
import { countPrimes, isPrime } from "./_thread_work.ts";

/** The count of primes below `limit`, cut into steps of `step` numbers: yields after each. */
export function* primesInSteps(
  limit: number,
  step: number,
  tally: { primes: number },
): Generator<void> {
  for (let n = 2; n < limit; n++) {
    if (isPrime(n)) tally.primes++;
    if (n % step === 0) yield; // one unit of work done: the Cooperator may let the reactor turn
  }
}

if (import.meta.main) {
  const spec: CommandSpec = {
    task: "part5:cooperate",
    args: "",
    description:
      "Counts primes inline, in slices with cooperate, then in a thread, and shows how late\n" +
      "a heartbeat was each time.",
    options: {
      limit: { type: "string", value: "N", help: "count the primes below N (default 3000000)" },
      step: { type: "string", value: "N", help: "numbers tried per step (default 1000)" },
    },
  };
  const { values } = parseCommandLine(spec);
  const limit = checked(spec, () => parseCount(String(values.limit ?? "3000000"), "--limit", 2));
  const step = checked(spec, () => parseCount(String(values.step ?? "1000"), "--step"));

  const heartbeat = new Heartbeat();
  await react(async () => {
    console.log(`Heartbeat every ${INTERVAL} s; counting the primes below ${limit}, three ways.`);
    await heartbeat.start();
    console.log(primesLine("Inline", limit, await heartbeat.measure(() => countPrimes(limit))));
    const sliced = await heartbeat.measure(async () => {
      const tally = { primes: 0 };
      await cooperate(primesInSteps(limit, step, tally)).whenDone();
      return tally.primes;
    });
    console.log(primesLine(`In slices of ${step} numbers`, limit, sliced));
    const module = new URL("./_thread_work.ts", import.meta.url);
    const threaded = await heartbeat.measure(() =>
      deferToThread<number>(module, "countPrimes", limit)
    );
    console.log(primesLine("In a thread", limit, threaded));
    heartbeat.stop();
  });
}
