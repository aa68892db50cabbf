/**
 * The command line shared by the chapter 1 scripts: strict options with
 * ranges, `--help`, and what happens on bad input (one line on stderr, the
 * usage, exit status 2).
 *
 * @module
 */

import { parseStrict, requestWrite, UsageError } from "../lib/cli.ts";
import type { Timeline } from "../lib/timeline/timeline.ts";

/** One numeric option: its name, the range it accepts, and its default. */
export interface NumberOption {
  /** The long name, without the dashes. */
  name: string;
  /** Whole numbers only ("integer") or seconds with fractions ("seconds"). */
  kind: "integer" | "seconds";
  /** The smallest value accepted. */
  min: number;
  /** The largest value accepted. */
  max: number;
  /** The value when the option is not given. */
  default: number;
}

/** What the command line said: the numbers, and the files to write, if any. */
export interface Parsed {
  /** Each numeric option's value, by name. */
  numbers: Record<string, number>;
  /** Each file option's value, by name, when given. */
  files: Record<string, string | undefined>;
}

/**
 * Parses `args` strictly: only the given options and `--help`, no
 * positional arguments, every number within its range.
 *
 * @throws {UsageError} if anything is wrong
 */
export function parseOptions(
  args: string[],
  numbers: NumberOption[],
  files: string[] = [],
): Parsed | "help" {
  const options = Object.fromEntries(
    ["help", ...numbers.map((option) => option.name), ...files].map((name) => [
      name,
      { type: name === "help" ? "boolean" as const : "string" as const },
    ]),
  );
  const { values } = parseStrict(args, options, false);
  if (values.help) return "help";
  const parsed: Parsed = { numbers: {}, files: {} };
  for (const option of numbers) {
    const text = values[option.name];
    parsed.numbers[option.name] = typeof text === "string"
      ? parseNumber(option, text)
      : option.default;
  }
  for (const name of files) {
    const file = values[name];
    if (file === "") throw new UsageError(`--${name} needs a file name`);
    parsed.files[name] = file as string | undefined;
  }
  return parsed;
}

function parseNumber(option: NumberOption, text: string): number {
  const value = Number(text);
  const integer = option.kind === "integer";
  if (text.trim() === "" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      `--${option.name} must be ${integer ? "an integer" : "a number of seconds"}, got "${text}"`,
    );
  }
  if (value < option.min || value > option.max) {
    throw new UsageError(
      `--${option.name} must be from ${option.min} to ${option.max}, got ${text}`,
    );
  }
  return value;
}

/**
 * Runs a script's `body` with its parsed command line; handles `--help`
 * and bad input the same way in every script.
 */
export async function main(
  usage: string,
  numbers: NumberOption[],
  files: string[],
  body: (parsed: Parsed) => void | Promise<void>,
): Promise<void> {
  let parsed: Parsed | "help";
  try {
    parsed = parseOptions(Deno.args, numbers, files);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\n\n${usage}`);
    Deno.exit(2);
  }
  if (parsed === "help") {
    console.log(usage);
    return;
  }
  // Ask for write permission before the run rather than after it (Deno asks in a terminal).
  for (const path of Object.values(parsed.files)) {
    if (path !== undefined && !await requestWrite(path)) Deno.exit(1);
  }
  await body(parsed);
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

/** The options every model script takes, with defaults that keep a run to a second or two. */
export const CPU_OPTIONS: NumberOption[] = [
  { name: "tasks", kind: "integer", min: 1, max: 24, default: 3 },
  { name: "steps", kind: "integer", min: 1, max: 50, default: 4 },
  { name: "step", kind: "seconds", min: 0.001, max: 1, default: 0.1 },
  { name: "columns", kind: "integer", min: 20, max: 200, default: 60 },
];

/** The usage lines for {@linkcode CPU_OPTIONS}. */
export const CPU_USAGE = `Options:
  --tasks N         how many tasks (1 to 24, default 3)
  --steps N         steps of CPU work per task (1 to 50, default 4)
  --step SECONDS    CPU work per step (0.001 to 1, default 0.1)
  --columns N       width of the text chart (20 to 200, default 60)
  --svg FILE        also draw the chart as SVG into FILE (Deno asks for write permission)
  --help            show this help`;
