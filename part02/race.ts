/**
 * The race (chapter 2): the blocking client against the asynchronous one.
 *
 * Starts slow poetry servers, by default three with the tutorial's settings
 * (ecstasy at 30 bytes, fascination and science at 10, every 0.1 s), or
 * those given as POEM[:BYTES[:DELAY]], runs the blocking client and then
 * the asynchronous client against them, and compares the totals with what
 * physics allows: the blocking client cannot beat the sum of the send
 * times, the asynchronous one cannot beat the slowest.
 *
 *     deno task part2:race                              (about 35 s)
 *     deno task part2:race --delay 0.01 --num-bytes 50  (a quick run)
 *     deno task part2:race ecstasy:30 fascination science:10:0.5 ecstasy:60  (chapter 2's exercise 1)
 *     deno task part2:race --timeline                   (then chart who received bytes when)
 *     deno task part2:figures                           (rewrite the chapter's figure)
 *
 * Nothing needs to be running first; the servers and the clients are
 * stopped at the end, on errors, on Ctrl-C and on SIGTERM.
 *
 * @module
 */

import { runClient, startServer } from "./_processes.ts";
import { RaceProcesses } from "./_race_stop.ts";
import { type Client, RaceCharts } from "./_race_timeline.ts";
import {
  checked,
  type CommandSpec,
  formatDuration,
  parseCommandLine,
  parseCount,
  parseSeconds,
  requestWrite,
  UsageError,
} from "../lib/cli/mod.ts";

const spec: CommandSpec = {
  task: "part2:race",
  args: "[POEM[:BYTES[:DELAY]]...]",
  description: "Starts slow poetry servers, then downloads their poems with the blocking\n" +
    "client and with the asynchronous client, and compares the times. Each POEM is a\n" +
    "poem of poetry/ (ecstasy, fascination, science) served BYTES at a time every DELAY\n" +
    "seconds (default: the options below); without any, the tutorial's three.",
  options: {
    delay: { type: "string", value: "S", help: "seconds between chunks (default: 0.1)" },
    "num-bytes": {
      type: "string",
      value: "N",
      help: "bytes per chunk for all three (default: 30 for ecstasy, 10 for the others)",
    },
    timeline: { type: "boolean", help: "after the results, chart which task received bytes when" },
    svg: {
      type: "string",
      value: "FILE",
      help: "also draw the charts as SVG into FILE (needs write permission)",
    },
  },
  examples: [
    "",
    "--delay 0.01 --num-bytes 50",
    "--delay 0.01 --timeline",
    "ecstasy:30 fascination science:10:0.5 ecstasy:60:0.05",
  ],
};

const POEMS = ["ecstasy", "fascination", "science"];

const { values, positionals } = parseCommandLine(spec);
const settings = checked(spec, () => {
  const delay = parseSeconds(String(values.delay ?? "0.1"), "--delay");
  const numBytes = values["num-bytes"] === undefined
    ? undefined
    : parseCount(String(values["num-bytes"]), "--num-bytes");
  if (values.svg === "") throw new UsageError("--svg needs a file name");
  if (positionals.length > 10) throw new UsageError("At most 10 servers, please");
  // The tutorial's three: ecstasy at 30 bytes a chunk unless --num-bytes says, the others at 10.
  const tutorial = [numBytes === undefined ? "ecstasy:30" : "ecstasy", "fascination", "science"];
  return (positionals.length > 0 ? positionals : tutorial).map((server) => {
    const [poem, bytes, seconds, ...rest] = server.split(":");
    if (!POEMS.includes(poem) || rest.length > 0) {
      throw new UsageError(
        `A server is POEM[:BYTES[:DELAY]] with POEM one of ${POEMS.join(", ")}, got "${server}"`,
      );
    }
    return {
      poem: `poetry/${poem}.txt`,
      numBytes: bytes === undefined || bytes === ""
        ? numBytes ?? 10
        : parseCount(bytes, `the bytes of "${server}"`),
      delay: seconds === undefined ? delay : parseSeconds(seconds, `the delay of "${server}"`),
    };
  });
});

const svgFile = values.svg as string | undefined;
// Ask before the run rather than after it.
if (svgFile !== undefined && !await requestWrite(svgFile)) Deno.exit(1);

const processes = new RaceProcesses();

/** How long a server takes to send its poem: every chunk is followed by a pause. */
function sendTime(poem: string, numBytes: number, delay: number): number {
  return Math.ceil(Deno.statSync(poem).size / numBytes) * delay;
}

function percentOver(actual: number, limit: number): string {
  return `${actual >= limit ? "+" : ""}${((actual / limit - 1) * 100).toFixed(2)} %`;
}

try {
  for (const server of settings) {
    const started = await processes.startServer(startServer(server));
    const time = sendTime(server.poem, server.numBytes, server.delay);
    console.log(
      `Serving ${server.poem} on port ${started.port}: ${server.numBytes} bytes every ` +
        `${server.delay} s, ${time.toFixed(2)} s in all`,
    );
  }
  const ports = processes.servers.map((server) => String(server.port));
  const echo = (text: string): void => void Deno.stdout.writeSync(new TextEncoder().encode(text));

  // The charts time each line of the clients' output as it arrives.
  const charts = new RaceCharts(processes.servers.length);
  const show = (client: Client): (text: string) => void => charts.recording(client, echo);

  console.log("\n== The blocking client ==");
  const blocking = await processes.step(
    runClient("part2:blocking-client", ports, show("blocking"), processes.track),
  );
  console.log("\n== The asynchronous client ==");
  const asynchronous = await processes.step(
    runClient("part2:async-client", ports, show("asynchronous"), processes.track),
  );

  const times = settings.map(({ poem, numBytes, delay }) => sendTime(poem, numBytes, delay));
  const sum = times.reduce((a, b) => a + b, 0);
  const limit = Math.max(...times);
  const count = ["two", "three", "four", "five", "six"][times.length - 2] ?? times.length;
  const bound = times.length === 1 ? "the one send time" : `sum of the ${count} send times`;
  console.log("\n== Results ==");
  console.log(
    `Blocking client:     ${formatDuration(blocking.seconds)}   ` +
      `${bound} ${formatDuration(sum)} (${percentOver(blocking.seconds, sum)})`,
  );
  console.log(
    `Asynchronous client: ${formatDuration(asynchronous.seconds)}   ` +
      `physical limit, the slowest poem ${formatDuration(limit)} ` +
      `(${percentOver(asynchronous.seconds, limit)})`,
  );
  console.log(
    `The blocking client took ${(blocking.seconds / asynchronous.seconds).toFixed(2)} times ` +
      `as long as the asynchronous one.`,
  );
  if (values.timeline) {
    console.log("\n== Who received bytes when (each line timed as it reached the race) ==");
    console.log(charts.text());
  }
  if (svgFile !== undefined) {
    await Deno.writeTextFile(svgFile, charts.svg());
    console.log(`\nWrote ${svgFile}`);
  }
  if (blocking.code !== 0 || asynchronous.code !== 0) Deno.exitCode = 1;
} catch (error) {
  await processes.unlessStopping(); // an error from a client killed by the signal is no news
  console.error(`race: ${error instanceof Error ? error.message : error}`);
  Deno.exitCode = 1;
} finally {
  await processes.close();
}
