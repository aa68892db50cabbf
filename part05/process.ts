/**
 * Chapter 5, section 4: the other way out of blocking work, a process.
 * getProcessOutput (after Twisted's twisted.internet.utils) runs a program
 * and fires a Deferred with what it printed, so the reactor's thread stays
 * free meanwhile, as with deferToThread. What differs is the cost: a
 * process starts a whole new runtime, and everything goes in and out as
 * text; a Worker starts faster, and once started a call costs a message.
 *
 *     deno task part5:process [--limit N] [--samples N]
 *
 * Nothing else needs to be running; it starts `deno` itself.
 *
 * @module
 */

import { checked, type CommandSpec, parseCommandLine, parseCount } from "../lib/cli/mod.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { ThreadPool } from "../lib/workers/threadpool.ts";
import { deferToThread, deferToThreadPool } from "../lib/threads/threads.ts";
import { getProcessOutput } from "../lib/threads/utils.ts";
import { react } from "../lib/reactor/task.ts";

const spec: CommandSpec = {
  task: "part5:process",
  args: "",
  description:
    "Counts primes in a process, then measures what a process and a thread cost to start.",
  options: {
    limit: { type: "string", value: "N", help: "count the primes below N (default 3000000)" },
    samples: { type: "string", value: "N", help: "how many start-ups to time (default 5)" },
  },
};
const { values } = parseCommandLine(spec);
const limit = checked(spec, () => parseCount(String(values.limit ?? "3000000"), "--limit", 2));
const samples = checked(spec, () => parseCount(String(values.samples ?? "5"), "--samples"));

const processScript = decodeURIComponent(new URL("./_prime_process.ts", import.meta.url).pathname);
const module = new URL("./_thread_work.ts", import.meta.url);

/** The process's answer: what it printed, as a number. */
async function inProcess(below: number): Promise<number> {
  const output = await getProcessOutput("deno", ["run", processScript, String(below)]);
  return Number(new TextDecoder().decode(output));
}

/** A trivial call in a Worker of a pool of its own, started for it and stopped after. */
async function inNewWorker(): Promise<void> {
  const pool = new ThreadPool(0, 1);
  pool.start();
  try {
    await deferToThreadPool(reactor, pool, module, "nothing");
  } finally {
    pool.stop();
  }
}

/** The median time of `samples` runs of `run`, one after the other, in milliseconds. */
async function median(run: () => PromiseLike<unknown>): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return `${times[Math.floor(times.length / 2)].toFixed(2)} ms (median of ${samples})`;
}

async function main(): Promise<void> {
  const start = performance.now();
  const primes = await inProcess(limit);
  const ms = (performance.now() - start).toFixed(1);
  console.log(`In a process: ${primes} primes below ${limit} in ${ms} ms`);
  console.log(`Starting a process for a trivial answer: ${await median(() => inProcess(2))}`);
  console.log(`Starting a Worker for a trivial answer: ${await median(inNewWorker)}`);
  await deferToThread(module, "nothing");
  const warm = await median(() => deferToThread(module, "nothing"));
  console.log(`A trivial call to a Worker already started: ${warm}`);
}

await react(main);
