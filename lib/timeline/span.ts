/**
 * What a timeline is made of: {@linkcode Span}s of work or waiting, and the
 * {@linkcode ChartOptions} its renderers share. Its own module so that the
 * renderers and the {@linkcode Timeline} can all depend on it without
 * depending on each other.
 *
 * @module
 */

/** What a task does during a span: use the CPU, or wait for something (I/O). */
export type SpanKind = "work" | "wait";

/** One task doing one kind of thing from `start` to `end`, in clock seconds. */
export interface Span {
  /** The task's name, which is also its row label. */
  readonly task: string;
  /** Working or waiting. */
  readonly kind: SpanKind;
  /** When the span began, in seconds on the timeline's clock. */
  readonly start: number;
  /** When it ended (not before `start`). */
  readonly end: number;
}

/** How to draw a chart; every field is optional. */
export interface ChartOptions {
  /** A line above the chart. */
  title?: string;
  /** The time at the chart's left edge (default: the earliest span start). */
  from?: number;
  /**
   * How many seconds the x axis covers (default: up to the latest span
   * end). Give two charts the same duration to compare them at one scale.
   */
  duration?: number;
  /** Text chart: columns of time per row (default 60). */
  columns?: number;
  /** SVG: the picture's width in pixels (default 720). */
  width?: number;
  /**
   * What the legend calls each kind of span (default "work" and "waiting"),
   * for charts whose bars mean something more specific, such as a task
   * receiving bytes.
   */
  legend?: Partial<Record<SpanKind, string>>;
}
