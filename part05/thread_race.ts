/**
 * Chapter 5, section 4: a data race, and Atomics. Workers add 1 to one
 * counter in a SharedArrayBuffer, many times each, all released together
 * at a barrier. First each add is a load, then a store
 * (`Atomics.store(c, Atomics.load(c) + 1)`): two Workers load the same
 * value, both store that value plus one, and one of the two updates is
 * lost. The total comes out short, by a different amount each time. Then
 * `Atomics.add` loads and stores in one indivisible step, and the total is
 * exact.
 *
 *     deno task part5:thread-race [--workers N] [--times N] [--rounds N]
 *
 * Nothing else needs to be running.
 *
 * @module
 */

import { checked, type CommandSpec, parseCommandLine, parseCount } from "../lib/cli/mod.ts";
import { gatherResults } from "../lib/defer/deferred_list.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { deferToThread } from "../lib/threads/threads.ts";
import { COUNTER } from "./_thread_work.ts";
import { react } from "../lib/reactor/task.ts";

const spec: CommandSpec = {
  task: "part5:thread-race",
  args: "",
  description: "Workers add to one shared counter: a load then a store, then Atomics.add.",
  options: {
    workers: { type: "string", value: "N", help: "how many Workers race (default 2)" },
    times: { type: "string", value: "N", help: "how many times each adds 1 (default 10000000)" },
    rounds: {
      type: "string",
      value: "N",
      help: "how many races with load, then store (default 3)",
    },
  },
};
const { values } = parseCommandLine(spec);
const workers = checked(spec, () => parseCount(String(values.workers ?? "2"), "--workers", 2));
const times = checked(spec, () => parseCount(String(values.times ?? "10000000"), "--times"));
const rounds = checked(spec, () => parseCount(String(values.rounds ?? "3"), "--rounds"));
const expected = workers * times;

/** One race: every Worker adds `times` to a fresh counter; resolves with the total. */
async function race(atomic: boolean): Promise<number> {
  // Shared memory: every Worker sees this very buffer, not a copy of it.
  const buffer = new SharedArrayBuffer(8);
  const module = new URL("./_thread_work.ts", import.meta.url);
  await gatherResults(
    Array.from(
      { length: workers },
      () => deferToThread(module, "addMany", buffer, workers, times, atomic),
    ),
  );
  return new Int32Array(buffer)[COUNTER];
}

function report(how: string, total: number): void {
  const lost = expected - total;
  console.log(`${how}: ${total} (${lost === 0 ? "none" : lost} lost)`);
}

async function main(): Promise<void> {
  // One Worker per racer, or the barrier would wait for a Worker that never comes.
  reactor.suggestThreadPoolSize(workers);
  console.log(
    `${workers} Workers add 1 to a shared counter ${times} times each: ${expected} expected.`,
  );
  for (let round = 1; round <= rounds; round++) {
    report(`Load, then store, race ${round}`, await race(false));
  }
  report("Atomics.add", await race(true));
}

await react(main);
