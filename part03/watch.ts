/**
 * Chapter 3: watch the loop turn, live. Runs a reactor script's task with
 * `REACTOR_TRACE=json` (with that task's own permissions) and serves a page
 * on 127.0.0.1 that draws the loop from the trace as it comes: what it
 * waits for, what woke it, what it runs and for how long, its delayed
 * calls, its descriptors with their bytes, its Workers, and a strip of
 * turns. Once the task ends, the page keeps the whole run to replay.
 *
 *     deno task part3:watch part3:countdown
 *     deno task part3:watch --port 8023 part4:get-poetry 10000 10001 10002
 *
 * Then open the URL it prints. Ctrl-C stops the task and the page's server.
 * The page is plain HTML, CSS and JavaScript from part03/watch/.
 *
 * @module
 */

import {
  checked,
  type CommandSpec,
  parseCommandLine,
  parsePort,
  UsageError,
} from "../lib/cli/mod.ts";
import { recordTask, WatchHub } from "./_watch_hub.ts";
import { serveWatch } from "./_watch_server.ts";

const root = new URL("..", import.meta.url);

const spec: CommandSpec = {
  task: "part3:watch",
  args: "TASK [ARG...]",
  description:
    "Runs a reactor script's TASK with REACTOR_TRACE=json and shows its loop live on a\n" +
    "page served on 127.0.0.1: what the loop waits for, what woke it, what it runs, its\n" +
    "timers, descriptors and Workers. The page keeps the run to replay once TASK ends;\n" +
    "Ctrl-C stops both. The options go before TASK; what follows TASK is its own.",
  options: {
    port: { type: "string", value: "N", help: "serve the page on port N (default: any free port)" },
    wait: { type: "boolean", help: "start TASK only once a page is open" },
  },
  examples: [
    "part3:countdown",
    "--port 8023 part4:get-poetry 10000 10001 10002",
    "--wait part5:slowpoetry --port 10000 poetry/science.txt",
    "part4:get-poetry-timeout --timeout 5 10000 10001 10002",
  ],
};

/**
 * Splits the command line at TASK: the options before it are ours, and
 * everything after it is the task's, its own options included.
 */
function splitAtTask(args: string[]): [ours: string[], theirs: string[]] {
  let i = 0;
  while (i < args.length && args[i].startsWith("-")) {
    if (args[i] === "--") return [args.slice(0, i), args.slice(i + 1)];
    i += args[i] === "--port" ? 2 : 1;
  }
  return [args.slice(0, i), args.slice(i)];
}

/** The tasks of deno.json that may be watched: those allowed to read REACTOR_TRACE. */
function watchableTasks(): Map<string, boolean> {
  const config = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root)));
  const tasks = new Map<string, boolean>();
  for (const [name, task] of Object.entries(config.tasks as Record<string, { command: string }>)) {
    tasks.set(name, /--allow-env=\S*REACTOR_TRACE/.test(task.command));
  }
  return tasks;
}

if (import.meta.main) {
  const [ours, theirs] = splitAtTask(Deno.args);
  const { values } = parseCommandLine(spec, ours);
  const [task, ...args] = theirs;
  const port = checked(spec, () => {
    if (task === undefined) throw new UsageError("No TASK given");
    const watchable = watchableTasks().get(task);
    if (watchable === undefined) throw new UsageError(`No task "${task}" in deno.json`);
    if (!watchable) {
      throw new UsageError(`${task} does not run the reactor with REACTOR_TRACE: nothing to watch`);
    }
    return values.port === undefined ? 0 : parsePort(String(values.port), "--port", true);
  });
  const hub = new WatchHub();
  hub.add(JSON.stringify({ task, args }));
  let server: Deno.HttpServer;
  try {
    server = serveWatch(hub, task, port);
  } catch (error) {
    const why = error instanceof Deno.errors.AddrInUse ? "the port is taken" : String(error);
    checked(spec, () => {
      throw new UsageError(`Cannot serve the page on 127.0.0.1:${port}: ${why}`);
    });
    throw error;
  }
  const url = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/`;
  let running: Deno.ChildProcess | null = null;
  let interrupted: Deno.Signal | null = null;
  const stop = (signal: Deno.Signal) => async (): Promise<void> => {
    if (interrupted !== null) return;
    interrupted = signal;
    try {
      running?.kill("SIGTERM");
    } catch {
      // It had just exited.
    }
    await running?.status;
    hub.close();
    await server.shutdown();
    Deno.exit(signal === "SIGINT" ? 130 : 143);
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, stop(signal));
  const start = async (): Promise<void> => {
    const run = recordTask(hub, task, args, root);
    running = run.child;
    const { code, signal } = await run.done;
    running = null;
    if (interrupted !== null) return;
    const how = signal === null ? `with status ${code}` : `on ${signal}`;
    console.error(`${task} exited ${how}; the page keeps the run: ${url} (Ctrl-C to stop)`);
  };
  if (values.wait) {
    console.log(`Open ${url} to start ${task}`);
    hub.onFirstPage(() => void start());
  } else {
    console.log(`Watching ${task} at ${url}`);
    await start();
  }
}
