/**
 * Chapter 5, section 4: a process, waited for two ways. The primes are
 * counted in a `deno` process while a heartbeat beats every 0.05 s: first
 * with `new Deno.Command(...).outputSync()`, which blocks the calling
 * thread until the process ends (Python's `os.system`, which "will always
 * block"), then with `getProcessOutput`, which returns a Deferred at once
 * and lets the reactor go on while the process runs.
 *
 *     deno task part5:process-blocking [--limit N]
 *
 * Nothing else needs to be running; it starts `deno` itself.
 *
 * @module
 */

import { checked, type CommandSpec, parseCommandLine, parseCount } from "../lib/cli/mod.ts";
import { getProcessOutput } from "../lib/threads/utils.ts";
import { Heartbeat, INTERVAL, primesLine } from "./_heartbeat.ts";
import { react } from "../lib/reactor/task.ts";

const spec: CommandSpec = {
  task: "part5:process-blocking",
  args: "",
  description:
    "Counts primes in a process, waited for with outputSync then with getProcessOutput,\n" +
    "and shows how late a heartbeat was each time.",
  options: {
    limit: { type: "string", value: "N", help: "count the primes below N (default 3000000)" },
  },
};
const { values } = parseCommandLine(spec);
const limit = checked(spec, () => parseCount(String(values.limit ?? "3000000"), "--limit", 2));
const script = decodeURIComponent(new URL("./_prime_process.ts", import.meta.url).pathname);
const args = ["run", script, String(limit)];
const decoder = new TextDecoder();

const heartbeat = new Heartbeat();
await react(async () => {
  console.log(
    `Heartbeat every ${INTERVAL} s; counting the primes below ${limit} in a process, twice.`,
  );
  await heartbeat.start();
  // The reactor's thread waits for the process: no beat until it ends.
  const blocked = await heartbeat.measure(() =>
    Number(decoder.decode(new Deno.Command("deno", { args }).outputSync().stdout))
  );
  console.log(primesLine("outputSync", limit, blocked));
  // The process runs; the reactor's thread goes on and is told when it ends.
  const freed = await heartbeat.measure(async () =>
    Number(decoder.decode(await getProcessOutput("deno", args)))
  );
  console.log(primesLine("getProcessOutput", limit, freed));
  heartbeat.stop();
});
