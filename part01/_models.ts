/**
 * What the chapter 1 scripts share beyond lib/cli/: their options (how
 * many tasks, steps of how much CPU work, the chart's width, an SVG file),
 * reading them, and the lines under a chart.
 *
 * @module
 */

import {
  checked,
  type CommandSpec,
  type OptionSpec,
  parseCommandLine,
  parseNumbers,
  requestWrite,
  UsageError,
} from "../lib/cli/mod.ts";
import type { Timeline } from "../lib/timeline/timeline.ts";
import type { ChartOptions } from "../lib/timeline/span.ts";

/** The options every model script takes, with defaults that keep a run to a second or two. */
export const CPU_OPTIONS: Record<string, OptionSpec> = {
  tasks: {
    type: "string",
    value: "N",
    help: "how many tasks",
    range: { integer: true, min: 1, max: 24, default: 3 },
  },
  steps: {
    type: "string",
    value: "N",
    help: "steps of CPU work per task",
    range: { integer: true, min: 1, max: 50, default: 4 },
  },
  step: {
    type: "string",
    value: "SECONDS",
    help: "CPU work per step",
    range: { integer: false, min: 0.001, max: 1, default: 0.1 },
  },
  columns: {
    type: "string",
    value: "N",
    help: "width of the text chart",
    range: { integer: true, min: 20, max: 200, default: 60 },
  },
  svg: {
    type: "string",
    value: "FILE",
    help: "also draw the chart as SVG into FILE (Deno asks for write permission)",
  },
};

/**
 * Reads a model script's command line (`--help` and bad input are handled
 * by lib/cli/command_line.ts) and, if `--svg` was given, asks for write permission
 * before the run rather than after it; exits with status 1 if refused.
 */
export async function readModelOptions(
  spec: CommandSpec,
): Promise<{ numbers: Record<string, number>; svg: string | undefined }> {
  const { values } = parseCommandLine(spec);
  const numbers = checked(spec, () => {
    if (values.svg === "") throw new UsageError("--svg needs a file name");
    return parseNumbers(spec, values);
  });
  const svg = values.svg as string | undefined;
  if (svg !== undefined && !await requestWrite(svg)) Deno.exit(1);
  return { numbers, svg };
}

/** Writes a timeline's SVG to `path`; on failure, says why and exits with status 1. */
export async function writeSvg(path: string, svg: string): Promise<void> {
  try {
    await Deno.writeTextFile(path, svg);
  } catch (error) {
    console.error(`error: Cannot write ${path}: ${(error as Error).message}`);
    Deno.exit(1);
  }
  console.log(`Wrote ${path}`);
}

/** The line under a chart: how long the tasks worked, added up. */
export function workLine(timeline: Timeline): string {
  let work = 0;
  for (const span of timeline.spans) if (span.kind === "work") work += span.end - span.start;
  return `Work: ${work.toFixed(3)} s in all (the work bars added up)`;
}

/** What a model script prints: the line that describes the run, its chart, and the work line. */
export function modelReport(description: string, timeline: Timeline, chart: ChartOptions): string {
  return `${description}\n\n${timeline.toText(chart)}\n\n${workLine(timeline)}`;
}
