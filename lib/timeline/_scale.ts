/**
 * The time axis shared by the text and SVG renderings of a
 * {@linkcode Timeline}: which span of time a chart covers, where its ticks
 * go, and how their labels read.
 *
 * @module
 */

import type { ChartOptions, Span, SpanKind } from "./span.ts";

/** The time window a chart draws, and the spans in it, in chart order. */
export interface ChartData {
  /** Rows, top to bottom: each task with its spans. */
  rows: { task: string; spans: Span[] }[];
  /** The time at the left edge of the chart, in clock seconds. */
  from: number;
  /** How many seconds the x axis covers (more than 0). */
  duration: number;
  /** The time from `from` to the end of the last span. */
  total: number;
  /** The kinds that occur, in legend order. */
  kinds: SpanKind[];
  /** What the legend calls each kind. */
  legend: Record<SpanKind, string>;
}

/** Gathers what a renderer needs from the spans and the options. */
export function chartData(
  tasks: readonly string[],
  spans: readonly Span[],
  options: ChartOptions,
): ChartData {
  let [first, last] = [Infinity, -Infinity];
  for (const span of spans) {
    first = Math.min(first, span.start);
    last = Math.max(last, span.end);
  }
  const from = options.from ?? (spans.length === 0 ? 0 : first);
  const total = spans.length === 0 ? 0 : Math.max(0, last - from);
  const duration = options.duration ?? total;
  if (options.duration !== undefined && !(options.duration > 0)) {
    throw new RangeError(
      `Cannot draw timeline: duration must be more than 0 seconds, got ${options.duration}`,
    );
  }
  const rows = tasks.map((task) => ({
    task,
    spans: spans.filter((span) => span.task === task),
  }));
  const kinds = (["work", "wait"] as const).filter((kind) =>
    spans.some((span) => span.kind === kind)
  );
  const legend = {
    work: options.legend?.work ?? "work",
    wait: options.legend?.wait ?? "waiting",
  };
  return { rows, from, duration: duration > 0 ? duration : 1, total, kinds, legend };
}

/**
 * A round tick interval (1, 2 or 5 times a power of ten) that puts at most
 * `maxTicks` intervals on an axis `duration` seconds long.
 */
export function tickStep(duration: number, maxTicks: number): number {
  const rough = duration / Math.max(1, maxTicks);
  let power = 10 ** Math.floor(Math.log10(rough));
  // Floating point: 10 ** -2 * 5 is 0.05 only after rounding to the decimals it has.
  for (;;) {
    for (const factor of [1, 2, 5]) {
      const step = Number((factor * power).toPrecision(1));
      if (step >= rough) return step;
    }
    power *= 10;
  }
}

/** The tick times 0, step, 2 step, ... up to `duration`. */
export function ticks(duration: number, step: number): number[] {
  const result: number[] = [];
  for (let i = 0; i * step <= duration * (1 + 1e-9); i++) {
    result.push(Number((i * step).toPrecision(12)));
  }
  return result;
}

/** A tick label with the decimals a 1-2-5 step needs: "0.05", "0.2", "10". */
export function tickLabel(value: number, step: number): string {
  if (value === 0) return "0";
  return value.toFixed(Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
}

/** Seconds with millisecond precision, as in "total 1.204 s". */
export function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(3)} s`;
}
