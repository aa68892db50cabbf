/**
 * The race's timelines (chapter 2): which task of each client received
 * bytes when, read from the client's output as it arrives and drawn with
 * {@linkcode Timeline}.
 *
 * The clients report every event on a line of their own, and the race
 * receives those lines live through a pipe, so each line is timed when it
 * reaches the race. That is a few milliseconds after the event, about the
 * same for every line: nothing on a chart of twenty seconds.
 *
 * - Blocking client: a task receives from its `Task N: get poetry from:`
 *   line to its `Task N: got K bytes ... in H:MM:SS` line (or to the line
 *   saying it failed). It prints nothing in between, so the whole download
 *   is one bar.
 * - Asynchronous client: every `Task N: got K bytes of poetry from ...`
 *   line is one read, drawn as an instant; between a task's first and last
 *   read it is connected and waiting for its next chunk.
 *
 * @module
 */

import { type StackedChart, stackSvg, Timeline, wallClock } from "../lib/timeline/timeline.ts";
import type { ChartOptions } from "../lib/timeline/span.ts";
import type { IReactorTime } from "../lib/interfaces.ts";

/** Which client's output a {@linkcode ReceivingRecorder} reads. */
export type Client = "blocking" | "asynchronous";

/** How each client's chart is drawn: a one-line title, and what its bars mean. */
export const CHARTS: Readonly<Record<Client, ChartOptions>> = {
  blocking: {
    title: 'Blocking client: one download after another, each from "get poetry" to "got"',
    legend: { work: "receiving" },
  },
  asynchronous: {
    title: 'Asynchronous client: all at once, a mark for each read ("got N bytes")',
    legend: { work: "receiving (a read)", wait: "connected, between reads" },
  },
};

/** Turns a client's output, fed as it arrives, into a timeline of its tasks receiving bytes. */
export class ReceivingRecorder {
  readonly #client: Client;
  readonly #timeline: Timeline;
  #pending = "";
  /** Blocking client: when each task's download began. */
  readonly #started = new Map<string, number>();
  /** Asynchronous client: each task's first and last read. */
  readonly #reads = new Map<string, { first: number; last: number }>();
  #finished = false;

  /**
   * @param tasks how many tasks the client runs (one per address), so that
   *   every one has a row, in order, even if it never receives anything
   * @param clock what times each line as it arrives (a fake `Clock` in tests)
   */
  constructor(client: Client, tasks: number, clock: Pick<IReactorTime, "seconds"> = wallClock) {
    this.#client = client;
    this.#timeline = new Timeline(clock);
    for (let task = 1; task <= tasks; task++) this.#timeline.addTask(`Task ${task}`);
  }

  /** Takes the next piece of the client's output; each complete line in it is timed now. */
  feed(text: string): void {
    const now = this.#timeline.clock.seconds();
    const lines = (this.#pending + text).split("\n");
    this.#pending = lines.pop() as string;
    for (const line of lines) this.#line(line, now);
  }

  /** Records what is still open (the waits between reads) and returns the timeline. */
  finish(): Timeline {
    if (!this.#finished) {
      this.#finished = true;
      for (const [task, { first, last }] of this.#reads) {
        this.#timeline.record(task, "wait", first, last);
      }
    }
    return this.#timeline;
  }

  #line(line: string, time: number): void {
    const match = /^(Task \d+): (.*)$/.exec(line);
    if (match === null) return;
    const [, task, event] = match;
    if (this.#client === "blocking") {
      if (event.startsWith("get poetry from: ")) this.#started.set(task, time);
      const start = this.#started.get(task);
      if (start !== undefined && /^(got \d+ bytes .* in \S+|failed|lost)/.test(event)) {
        this.#started.delete(task);
        this.#timeline.record(task, "work", start, time);
      }
    } else if (/^got \d+ bytes of poetry from \S+$/.test(event)) {
      this.#timeline.record(task, "work", time, time);
      const reads = this.#reads.get(task);
      if (reads === undefined) this.#reads.set(task, { first: time, last: time });
      else reads.last = time;
    }
  }
}

/** The race's two recorders, and the charts drawn from them on one time scale. */
export class RaceCharts {
  readonly #recorders: Record<Client, ReceivingRecorder>;

  /** See {@linkcode ReceivingRecorder}'s constructor. */
  constructor(tasks: number, clock: Pick<IReactorTime, "seconds"> = wallClock) {
    this.#recorders = {
      blocking: new ReceivingRecorder("blocking", tasks, clock),
      asynchronous: new ReceivingRecorder("asynchronous", tasks, clock),
    };
  }

  /** A function for `runClient`'s output: it records the client's lines, then passes them on. */
  recording(client: Client, then: (text: string) => void): (text: string) => void {
    return (text) => {
      this.#recorders[client].feed(text);
      then(text);
    };
  }

  /** The two text charts, one above the other. */
  text(): string {
    return this.#charts().map(({ timeline, ...options }) => timeline.toText(options)).join("\n\n");
  }

  /** The two charts as one SVG document. */
  svg(): string {
    return stackSvg(this.#charts());
  }

  /** Both timelines at one scale, so that their lengths compare at a glance. */
  #charts(): StackedChart[] {
    const blocking = this.#recorders.blocking.finish();
    const asynchronous = this.#recorders.asynchronous.finish();
    const longest = Math.max(blocking.total, asynchronous.total);
    const scale = longest > 0 ? { duration: longest } : {};
    return [
      { timeline: blocking, ...scale, ...CHARTS.blocking },
      { timeline: asynchronous, ...scale, ...CHARTS.asynchronous },
    ];
  }
}
