/**
 * Chapter 5, section 4: a race depends on contention. The same lost-update
 * race as `part5:thread-race` (each add a load, then a store, on a shared
 * counter), run with more or fewer Workers and with more or less work
 * between the load and the store. One Worker never loses an update; more
 * Workers, and a wider window between load and store, lose more, and how
 * many depends on what else the machine is doing. A test that passed on a
 * quiet laptop, with one busy core, proves nothing about a loaded server:
 * the interview's "failure only under load (ie, only after you deploy it)".
 *
 *     deno task part5:contention [--workers LIST] [--work LIST] [--times N]
 *
 * Nothing else needs to be running.
 *
 * @module
 */

import {
  checked,
  type CommandSpec,
  parseCommandLine,
  parseCount,
  UsageError,
} from "../lib/cli/mod.ts";
import { gatherResults } from "../lib/defer/deferred_list.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { deferToThread } from "../lib/threads/threads.ts";
import { react } from "../lib/reactor/task.ts";
import { COUNTER } from "./_thread_work.ts";

const spec: CommandSpec = {
  task: "part5:contention",
  args: "",
  description:
    "Updates lost by a load-then-store race, by number of Workers and by work in between.",
  options: {
    workers: {
      type: "string",
      value: "LIST",
      help: "numbers of Workers, up to 10 (default 1,2,4)",
    },
    work: {
      type: "string",
      value: "LIST",
      help: "steps between load and store (default 0,10,100)",
    },
    times: { type: "string", value: "N", help: "adds per Worker (default 200000)" },
  },
};

/** A comma-separated list of whole numbers of at least `minimum`, each at most `maximum`. */
function parseList(text: string, what: string, minimum: number, maximum = Infinity): number[] {
  return text.split(",").map((item) => {
    const n = parseCount(item.trim(), what, minimum);
    if (n > maximum) throw new UsageError(`${what} must be at most ${maximum}, got "${item}"`);
    return n;
  });
}

const { values } = parseCommandLine(spec);
const counts = checked(
  spec,
  () => parseList(String(values.workers ?? "1,2,4"), "--workers", 1, 10),
);
const works = checked(spec, () => parseList(String(values.work ?? "0,10,100"), "--work", 0));
const times = checked(spec, () => parseCount(String(values.times ?? "200000"), "--times"));

/** One race of `workers` Workers with `work` steps between load and store: the updates lost. */
async function lost(workers: number, work: number): Promise<number> {
  const buffer = new SharedArrayBuffer(8);
  const module = new URL("./_thread_work.ts", import.meta.url);
  await gatherResults(
    Array.from(
      { length: workers },
      () => deferToThread(module, "addMany", buffer, workers, times, false, work),
    ),
  );
  return workers * times - new Int32Array(buffer)[COUNTER];
}

await react(async () => {
  // One Worker per racer, or the barrier would wait for a Worker that never comes.
  reactor.suggestThreadPoolSize(Math.max(...counts));
  console.log(`Updates lost, each Worker adding 1 ${times} times with a load, then a store:`);
  const cell = (text: string): string => text.padStart(14);
  console.log(`${"".padEnd(10)}${works.map((w) => cell(`work ${w}`)).join("")}`);
  for (const workers of counts) {
    const row: string[] = [];
    for (const work of works) {
      const n = await lost(workers, work);
      row.push(cell(n === 0 ? "none" : `${(100 * n / (workers * times)).toFixed(1)} %`));
    }
    console.log(`${`${workers} Worker${workers === 1 ? "" : "s"}`.padEnd(10)}${row.join("")}`);
  }
});
