/**
 * {@linkcode Timeline}: what each task was doing, and when, recorded from a
 * real run and drawn as a chart, so the tutorial's figures come from
 * programs rather than drawings.
 *
 * A span says that one task was working (using the CPU) or waiting (for
 * I/O, say) from one time to another. Any code that can read a clock can
 * record spans: the script itself, a Worker (which posts its spans back),
 * or a reactor callback. The chart puts a row per task and time along the
 * x axis, in the terminal ({@linkcode Timeline.toText}) or as SVG
 * ({@linkcode Timeline.toSvg}).
 *
 * @example Record two tasks and draw them
 * ```ts
 * import assert from "node:assert/strict";
 * import { Timeline } from "./timeline.ts";
 *
 * const timeline = new Timeline();
 * timeline.record("Task 1", "work", 0, 0.5);
 * timeline.record("Task 1", "wait", 0.5, 1);
 * timeline.record("Task 2", "work", 0.5, 1);
 * const rows = timeline.toText({ columns: 20 }).split("\n");
 * assert.ok(rows.some((row) => row.startsWith("Task 1") && row.includes("██████████░░░░░░░░░░")));
 * assert.equal(timeline.total, 1);
 * ```
 *
 * @example Mark events on a reactor's clock, and compare two runs
 * ```ts
 * import assert from "node:assert/strict";
 * import { Clock } from "../reactor/task.ts";
 * import { stackSvg, Timeline } from "./timeline.ts";
 *
 * const clock = new Clock(); // a reactor, or anything else with seconds()
 * const blocking = new Timeline(clock);
 * blocking.record("Task 1", "wait", 0, 3);
 * const timeline = new Timeline(clock);
 * const waiting = timeline.begin("Task 1", "wait");
 * clock.advance(1);
 * // In dataReceived: an instant (start = end) still shows, one column wide.
 * timeline.record("Task 1", "work", clock.seconds(), clock.seconds());
 * clock.advance(1);
 * waiting(); // the poem is complete
 * assert.equal(timeline.total, 2);
 * const duration = Math.max(blocking.total, timeline.total);
 * const svg = stackSvg([
 *   { timeline: blocking, title: "Blocking client", duration },
 *   { timeline, title: "Asynchronous client", duration },
 * ]);
 * assert.ok(svg.startsWith("<svg") && svg.includes("Asynchronous client"));
 * ```
 *
 * @module
 */

import { chartData } from "./_scale.ts";
import { longestTask, svgChart, svgDocument } from "./_svg.ts";
import { renderText } from "./_text.ts";
import type { IReactorTime } from "../interfaces.ts";
import type { ChartOptions, Span, SpanKind } from "./span.ts";
import { epochSeconds } from "../time/seconds.ts";

/**
 * A clock in seconds that reads the same in every thread: the page's time
 * origin plus the time since, so spans measured in different Workers (each
 * with its own `performance.timeOrigin`) line up on one timeline.
 */
export const wallClock: Pick<IReactorTime, "seconds"> = {
  seconds: epochSeconds,
};

const KINDS: readonly string[] = ["work", "wait"];

/** Spans recorded from a run, and the charts drawn from them. */
export class Timeline {
  readonly #clock: Pick<IReactorTime, "seconds">;
  readonly #spans: Span[] = [];
  readonly #tasks: string[] = [];

  /**
   * Creates an empty timeline.
   *
   * @param clock what {@linkcode Timeline.begin} reads: {@linkcode wallClock} by
   *   default; a reactor, or a fake `Clock` in tests, also fits
   */
  constructor(clock: Pick<IReactorTime, "seconds"> = wallClock) {
    this.#clock = clock;
  }

  /** The clock this timeline reads, for code that records spans with {@linkcode Timeline.record}. */
  get clock(): Pick<IReactorTime, "seconds"> {
    return this.#clock;
  }

  /** The recorded spans, in the order they were recorded. */
  get spans(): readonly Span[] {
    return this.#spans;
  }

  /** The rows of the chart, top to bottom: tasks in the order first named. */
  get tasks(): readonly string[] {
    return this.#tasks;
  }

  /** The earliest span start (`Infinity` if nothing was recorded). */
  get start(): number {
    return this.#spans.reduce((first, span) => Math.min(first, span.start), Infinity);
  }

  /** The latest span end (`-Infinity` if nothing was recorded). */
  get end(): number {
    return this.#spans.reduce((last, span) => Math.max(last, span.end), -Infinity);
  }

  /** Seconds from the earliest start to the latest end (0 if nothing was recorded). */
  get total(): number {
    return this.#spans.length === 0 ? 0 : this.end - this.start;
  }

  /**
   * Declares tasks, so that their rows come in this order (and show even
   * if they record nothing). Tasks already known keep their place.
   */
  addTask(...tasks: string[]): void {
    for (const task of tasks) {
      checkTask(task);
      if (!this.#tasks.includes(task)) this.#tasks.push(task);
    }
  }

  /**
   * Records that `task` did `kind` from `start` to `end`, in seconds on
   * the timeline's clock (or any clock the other spans share).
   *
   * @returns the recorded span
   * @throws {TypeError} if `task` is not a non-empty string or `kind` is not "work" or "wait"
   * @throws {RangeError} if a time is not finite or `end` is before `start`
   */
  record(task: string, kind: SpanKind, start: number, end: number): Span {
    checkTask(task);
    if (!KINDS.includes(kind)) {
      throw new TypeError(`Cannot record span: kind must be "work" or "wait", got ${kind}`);
    }
    if (!Number.isFinite(start) || !Number.isFinite(end)) {
      throw new RangeError(`Cannot record span: times must be finite, got ${start} and ${end}`);
    }
    if (end < start) {
      throw new RangeError(`Cannot record span: end ${end} is before start ${start}`);
    }
    this.addTask(task);
    const span: Span = Object.freeze({ task, kind, start, end });
    this.#spans.push(span);
    return span;
  }

  /**
   * Starts a span now; call the returned function to end it (and record it).
   *
   * @example
   * ```ts ignore
   * const done = timeline.begin("Task 1", "wait");
   * await somethingSlow();
   * done();
   * ```
   */
  begin(task: string, kind: SpanKind): () => Span {
    const start = this.#clock.seconds();
    return () => this.record(task, kind, start, this.#clock.seconds());
  }

  /** Draws the timeline for a terminal: a row of characters per task. See {@linkcode ChartOptions}. */
  toText(options: ChartOptions = {}): string {
    const { columns = 60 } = options;
    if (!Number.isInteger(columns) || columns < 10) {
      throw new RangeError(
        `Cannot draw timeline: columns must be an integer of 10 or more, got ${columns}`,
      );
    }
    return renderText(chartData(this.#tasks, this.#spans, options), columns, options.title);
  }

  /** Draws the timeline as a self-contained SVG document. See {@linkcode ChartOptions}. */
  toSvg(options: ChartOptions = {}): string {
    return stackSvg([{ ...options, timeline: this }]);
  }
}

/** One chart of {@linkcode stackSvg}: a timeline and how to draw it. */
export interface StackedChart extends ChartOptions {
  /** What to draw. */
  timeline: Timeline;
}

/**
 * Draws several timelines as one SVG document, one chart below the other,
 * for instance two runs of the same tasks under different schedulers. Give
 * them the same `duration` to compare them at one scale.
 *
 * @throws {RangeError} if a width leaves no room for the chart, or a duration is not positive
 */
export function stackSvg(charts: readonly StackedChart[]): string {
  if (charts.length === 0) throw new RangeError("Cannot draw timelines: no chart given");
  const data = charts.map(({ timeline, ...options }) =>
    chartData(timeline.tasks, timeline.spans, options)
  );
  const longest = longestTask(data);
  return svgDocument(
    charts.map((chart, i) => svgChart(data[i], chart.width ?? 720, chart.title, longest)),
  );
}

function checkTask(task: string): void {
  if (typeof task !== "string" || task === "") {
    throw new TypeError(`Cannot record span: task must be a non-empty string, got ${task}`);
  }
}
