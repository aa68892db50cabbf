/**
 * Chapter 4: the reactor loop of a poetry client, traced. Starts three slow
 * poetry servers with the tutorial's settings (ecstasy at 30 bytes,
 * fascination and science at 10, every 0.1 s unless `--delay` says), runs the client with
 * `REACTOR_TRACE=1`, and draws its loop (see chapter 3's `trace_figure.ts`):
 * the loop sleeps in its wait nearly all the time, and wakes for short
 * `doRead`s.
 *
 *     deno task part4:trace-figure                          (the first second)
 *     deno task part4:trace-figure --duration 11            (all of it)
 *     deno task part4:trace-figure --client part5:get-poetry
 *     deno task part4:figures                               (rewrite the chapter's figure)
 *
 * Nothing needs to be running first: the servers run in this process (the
 * slow servers the tests use, which serve as chapter 2's does), and stop at
 * the end, on errors, and on Ctrl-C.
 *
 * @module
 */

import {
  checked,
  type CommandSpec,
  parseCommandLine,
  parseSeconds,
  requestWrite,
  UsageError,
} from "../lib/cli.ts";
import { type SlowServer, startServer, stopServers } from "../lib/testing/poetry_servers.ts";
import { drawTrace, traceTask } from "../part03/trace_figure.ts";

const spec: CommandSpec = {
  task: "part4:trace-figure",
  args: "",
  description: "Starts three slow poetry servers, runs a poetry client against them with\n" +
    "REACTOR_TRACE=1, and draws its reactor loop from the trace.",
  options: {
    client: {
      type: "string",
      value: "TASK",
      help: "the client's task (default: part4:get-poetry)",
    },
    delay: {
      type: "string",
      value: "S",
      help: "seconds between the servers' chunks (default: 0.1)",
    },
    duration: { type: "string", value: "S", help: "draw the first S seconds (default: 1)" },
    svg: { type: "string", value: "FILE", help: "also draw it as SVG into FILE" },
  },
  examples: ["", "--duration 11", "--delay 0.01 --duration 0.1", "--client part5:get-poetry"],
};

const { values, positionals } = parseCommandLine(spec);
const settings = checked(spec, () => {
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}"`);
  const client = String(values.client ?? "part4:get-poetry");
  if (!/^part\d:[\w-]+$/.test(client)) {
    throw new UsageError(`--client must be a partN:name task, got "${client}"`);
  }
  const delay = parseSeconds(String(values.delay ?? "0.1"), "--delay");
  const duration = parseSeconds(String(values.duration ?? "1"), "--duration");
  if (duration === 0) throw new UsageError("--duration must be more than 0 seconds");
  if (values.svg === "") throw new UsageError("--svg needs a file name");
  return { client, delay, duration, svgFile: values.svg as string | undefined };
});
// Ask before the run rather than after it.
if (settings.svgFile !== undefined && !await requestWrite(settings.svgFile)) Deno.exit(1);

const servers: SlowServer[] = [];
let failed = false;
try {
  for (const [poem, numBytes] of [["ecstasy", 30], ["fascination", 10], ["science", 10]] as const) {
    const { delay } = settings;
    servers.push(await startServer({ poem: `poetry/${poem}.txt`, delay, numBytes }));
  }
  const ports = servers.map((server) => String(server.port));
  const turns = await traceTask(settings.client, ports);
  failed = turns === null;
  if (turns !== null) {
    const { duration, svgFile } = settings;
    const title = `${settings.client} and three slow servers, traced: the first ${duration} s`;
    await drawTrace(turns, { title, duration, svgFile });
  }
} finally {
  await stopServers(servers);
}
if (failed) Deno.exit(1);
