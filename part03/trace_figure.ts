/**
 * Chapter 3: the tutorial's Figure 5, the reactor loop, as it really
 * happened. Runs a reactor script's task with `REACTOR_TRACE=1`, reads the
 * trace the loop writes to stderr (a line per turn), and draws it: when the
 * loop waited, and which call ran when.
 *
 *     deno task part3:trace-figure part3:countdown
 *     deno task part3:trace-figure --duration 1 part4:get-poetry 10000 10001 10002
 *     deno task part3:figures        (rewrite the chapter's figure5_countdown.svg)
 *     deno task part3:trace-figure - < run.jsonl   (a trace saved before, text or JSON)
 *
 * Chapter 3's scripts need nothing else running; a poetry client needs its
 * servers. Ctrl-C stops the traced script cleanly, and what it traced is drawn.
 *
 * @module
 */

import {
  checked,
  type CommandSpec,
  parseCommandLine,
  parseCount,
  parseSeconds,
  requestWrite,
  UsageError,
} from "../lib/cli/mod.ts";
import { parseTrace, type TracedTurn } from "../lib/reactor/trace_reader.ts";
import {
  formatSummary,
  summarizeTrace,
  TRACE_LEGEND,
  traceTimeline,
} from "../lib/timeline/reactor_timeline.ts";

/** How to draw a trace. */
export interface DrawOptions {
  /** The line above the chart. */
  title: string;
  /** Seconds of the run to draw, from the loop's start (default: all of it). */
  duration?: number;
  /** Columns of the text chart (default 72). */
  columns?: number;
  /** Also write the chart as SVG into this file. */
  svgFile?: string;
}

const root = new URL("..", import.meta.url);

/**
 * Starts `deno task TASK ...args` in `root` with `REACTOR_TRACE` set to
 * `trace` (`1` for the text form, `json`), its stdout and stderr piped.
 */
export function spawnTraced(
  task: string,
  args: string[],
  trace: "1" | "json",
  root: URL,
): Deno.ChildProcess {
  return new Deno.Command("deno", {
    args: ["task", "--quiet", task, ...args],
    cwd: root,
    env: { REACTOR_TRACE: trace, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/**
 * Runs `deno task TASK ...args` with the trace on, its output kept aside, and
 * returns the turns it traced; or null, having said on stderr why there are
 * none (with what the task printed: a client reports a failed connection on
 * stdout). On Ctrl-C or SIGTERM the task is asked to stop (its reactor stops
 * cleanly, and it exits with 143), and what it traced is kept.
 */
export async function traceTask(task: string, args: string[]): Promise<TracedTurn[] | null> {
  const child = spawnTraced(task, args, "1", root);
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    try {
      child.kill("SIGTERM");
    } catch {
      // It had already exited.
    }
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, stop);
  try {
    const [{ code }, stdout, stderr] = await Promise.all([
      child.status,
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]);
    const turns = parseTrace(stderr);
    const ok = code === 0 || (stopped && code === 143);
    if (!ok) {
      const output = [...stdout.split("\n"), ...stderr.split("\n")]
        .filter((line) => line !== "" && !line.startsWith("reactor turn "));
      console.error(`error: ${task} exited with status ${code}\n${output.join("\n")}`.trimEnd());
    } else if (turns.length === 0) {
      console.error(
        `error: ${task} wrote no reactor trace: does it run the reactor, and does its task ` +
          "allow --allow-env=REACTOR_TRACE?",
      );
    }
    return ok && turns.length > 0 ? turns : null;
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, stop);
  }
}

/** Prints the chart of `turns` and a line of totals; writes the SVG if asked to. */
export async function drawTrace(turns: TracedTurn[], options: DrawOptions): Promise<void> {
  const timeline = traceTimeline(turns);
  const summary = summarizeTrace(turns);
  const chart = { title: options.title, from: 0, duration: options.duration, legend: TRACE_LEGEND };
  console.log(timeline.toText({ ...chart, columns: options.columns ?? 72 }));
  console.log(formatSummary(summary));
  if (options.svgFile !== undefined) {
    await Deno.writeTextFile(options.svgFile, timeline.toSvg(chart));
    console.log(`Wrote ${options.svgFile}`);
  }
}

if (import.meta.main) {
  const spec: CommandSpec = {
    task: "part3:trace-figure",
    args: "TASK [ARG...]",
    description: "Runs a reactor script's TASK with REACTOR_TRACE=1 and draws its loop from the\n" +
      "trace: when the loop waited, and which call ran when (the tutorial's Figure 5).\n" +
      "TASK - draws a trace read from stdin instead (REACTOR_TRACE=1 or json, or a run\n" +
      "saved by part3:watch). Put -- before TASK when its arguments start with a dash.",
    options: {
      duration: { type: "string", value: "S", help: "draw the first S seconds (default: all)" },
      columns: { type: "string", value: "N", help: "width of the text chart (default: 72)" },
      svg: { type: "string", value: "FILE", help: "also draw it as SVG into FILE" },
    },
    examples: [
      "part3:countdown",
      "--duration 1 part4:get-poetry 10000 10001 10002",
      "-- part4:get-poetry-timeout --timeout 5 10000 10001 10002",
      "- < part3_countdown.jsonl",
    ],
  };
  const { values, positionals } = parseCommandLine(spec);
  const [task, ...args] = positionals;
  const options = checked(spec, () => {
    if (task === undefined) throw new UsageError("No TASK given");
    if (task !== "-" && !/^part\d:[\w-]+$/.test(task)) {
      throw new UsageError(`TASK must be a partN:name task, got "${task}"`);
    }
    if (values.svg === "") throw new UsageError("--svg needs a file name");
    const { duration, columns } = values;
    const seconds = duration === undefined
      ? undefined
      : parseSeconds(String(duration), "--duration");
    if (seconds === 0) throw new UsageError("--duration must be more than 0 seconds");
    return {
      title: task === "-"
        ? "a saved trace"
        : `${positionals.join(" ")}, traced with REACTOR_TRACE=1`,
      duration: seconds,
      columns: columns === undefined ? undefined : parseCount(String(columns), "--columns", 10),
      svgFile: values.svg as string | undefined,
    };
  });
  // Ask before the run rather than after it.
  if (options.svgFile !== undefined && !await requestWrite(options.svgFile)) Deno.exit(1);
  const turns = task === "-"
    ? parseTrace(await new Response(Deno.stdin.readable).text())
    : await traceTask(task, args);
  if (turns === null) Deno.exit(1);
  if (turns.length === 0) {
    console.error("error: no reactor trace on stdin: no turn in either form");
    Deno.exit(1);
  }
  await drawTrace(turns, options);
}
