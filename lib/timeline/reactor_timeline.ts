/**
 * A reactor's trace ({@linkcode ReactorTrace}) drawn as a {@linkcode Timeline}:
 * the tutorial's Figure 5, the reactor loop, as it really happened. The top
 * row is the loop waiting in `doIteration`; below it, a row per callback,
 * marked where it ran.
 *
 * @example Draw a trace that a script wrote to stderr
 * ```ts
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 * import { parseTrace } from "../reactor/trace_reader.ts";
 * import { TRACE_LEGEND, traceTimeline, WAITING } from "./reactor_timeline.ts";
 *
 * const turns = parseTrace(
 *   "reactor turn 1 at 0.000 s | waited 0.000 ms | start | start 0.100 ms\n" +
 *     "reactor turn 2 at 0.000 s | waited 1.000 s | timer due | tick 0.200 ms\n",
 * );
 * const timeline = traceTimeline(turns);
 * deepStrictEqual(timeline.tasks, [WAITING, "start", "tick"]);
 * const chart = timeline.toText({ columns: 10, legend: TRACE_LEGEND });
 * strictEqual(chart.split("\n")[0], "reactor: waiting |░░░░░░░░░░|");
 * ```
 *
 * @module
 */

import type { ChartOptions } from "./span.ts";
import { Timeline } from "./timeline.ts";
import { formatMs } from "../reactor/trace_labels.ts";
import type { TracedTurn } from "../reactor/trace_reader.ts";

/** The row of the loop's waits. */
export const WAITING = "reactor: waiting";

/** Calls beyond the first {@linkcode MAX_ROWS} distinct names share this row. */
export const OTHER_CALLS = "other calls";

/** Rows of calls at most, so a busy trace still fits a screen. */
export const MAX_ROWS = 8;

/** What the legend of a trace's chart calls the two kinds of span. */
export const TRACE_LEGEND: ChartOptions["legend"] = {
  work: "running a call",
  wait: "waiting for events",
};

/**
 * The timeline of `turns`, in seconds since the loop started: the waits on
 * the {@linkcode WAITING} row, each call on the row of its name (for a
 * descriptor's, `doRead fd 3 poetry`). A call's
 * start is not in the trace: it is placed after the wait and the calls
 * before it in its turn (the loop's own work between calls, a few
 * microseconds, is not drawn). Calls made through another (a protocol's
 * `dataReceived` inside a `doRead`) are part of their caller's span.
 */
export function traceTimeline(turns: readonly TracedTurn[]): Timeline {
  const timeline = new Timeline();
  timeline.addTask(WAITING);
  for (const turn of turns) {
    const woke = turn.at + turn.waited;
    if (turn.waited > 0) timeline.record(WAITING, "wait", turn.at, woke);
    let start = woke;
    for (const call of turn.calls) {
      timeline.record(rowOf(timeline, call.label), "work", start, start + call.seconds);
      start += call.seconds;
    }
  }
  return timeline;
}

/** How a trace's time was spent, for a line under its chart. */
export interface TraceSummary {
  /** Turns of the loop. */
  turns: number;
  /** Seconds from the loop's start to the end of its last call. */
  total: number;
  /** Seconds spent waiting. */
  waiting: number;
  /** Seconds spent in the calls the loop made. */
  running: number;
  /** The longest call: its name and seconds. */
  longest: { label: string; seconds: number };
}

/** Sums up `turns`; see {@linkcode TraceSummary}. */
export function summarizeTrace(turns: readonly TracedTurn[]): TraceSummary {
  const summary: TraceSummary = {
    turns: turns.length,
    total: 0,
    waiting: 0,
    running: 0,
    longest: { label: "", seconds: 0 },
  };
  for (const turn of turns) {
    summary.waiting += turn.waited;
    let end = turn.at + turn.waited;
    for (const call of turn.calls) {
      summary.running += call.seconds;
      end += call.seconds;
      if (call.seconds > summary.longest.seconds) summary.longest = { ...call };
    }
    summary.total = Math.max(summary.total, end);
  }
  return summary;
}

/**
 * The summary as one line: `233 turns in 10.098 s: waiting 10.049 s
 * (99.51 %), running calls 36.2 ms (0.36 %); longest call 1.7 ms, doRead
 * poetry fd 3`. The rest is the loop's own work and Deno's.
 */
export function formatSummary(summary: TraceSummary): string {
  const share = (part: number): string =>
    `${formatMs(part * 1000)} (${
      (summary.total > 0 ? (part / summary.total) * 100 : 0).toFixed(2)
    } %)`;
  const { label, seconds } = summary.longest;
  const longest = label === "" ? "" : `; longest call ${formatMs(seconds * 1000)}, ${label}`;
  const turns = `${summary.turns} turn${summary.turns === 1 ? "" : "s"}`;
  return `${turns} in ${summary.total.toFixed(3)} s: waiting ${
    share(summary.waiting)
  }, running calls ${share(summary.running)}${longest}`;
}

/**
 * The row of a call: its name, a dispatch's descriptor number first
 * (`doRead fd 3 poetry`), so that names cut to fit a chart stay apart.
 */
function rowOf(timeline: Timeline, call: string): string {
  const label = call.replace(/^(\S+) (.+) fd (-?\d+)$/, "$1 fd $3 $2");
  if (timeline.tasks.includes(label)) return label;
  const rows = timeline.tasks.filter((task) => task !== OTHER_CALLS).length - 1;
  return rows < MAX_ROWS && !label.startsWith("… ") ? label : OTHER_CALLS;
}
