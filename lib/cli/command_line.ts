/**
 * The command-line kit of the repository's scripts: strict parsing with
 * `node:util`'s `parseArgs`, a usage text built from the same description,
 * `--help`, and number options checked against their range.
 *
 * Bad input never ends in a stack trace: the script prints one line saying
 * what is wrong, then the usage, and exits with status 2.
 *
 * @example A script with one number option
 * ```ts
 * import assert from "node:assert/strict";
 * import { type CommandSpec, parseCommandLine, parseNumbers } from "./command_line.ts";
 *
 * const spec: CommandSpec = {
 *   task: "part1:synchronous",
 *   args: "",
 *   description: "Runs three tasks.",
 *   options: {
 *     work: {
 *       type: "string",
 *       value: "N",
 *       help: "units of work per task",
 *       range: { integer: true, min: 1, max: 100, default: 10 },
 *     },
 *   },
 * };
 * const { values } = parseCommandLine(spec, ["--work", "3"]);
 * assert.deepEqual(parseNumbers(spec, values), { work: 3 });
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";

/** One option of a script. */
export interface OptionSpec {
  /** `string` options take a value, `boolean` ones do not. */
  type: "string" | "boolean";
  /** One line: what it does, and its default. */
  help: string;
  /** The value's placeholder in the usage, such as `N` or `SECONDS`. */
  value?: string;
  /** For a number option: the values it accepts, checked by {@linkcode parseNumbers}. */
  range?: NumberRange;
}

/** The values a number option accepts, and its default. */
export interface NumberRange {
  /** Whole numbers only, or seconds with fractions. */
  integer: boolean;
  /** The smallest value accepted. */
  min: number;
  /** The largest value accepted. */
  max: number;
  /** The value when the option is not given. */
  default: number;
}

/** What a script takes, for parsing and for its usage text. */
export interface CommandSpec {
  /** The deno.json task that runs the script, such as `part2:slowpoetry`. */
  task: string;
  /** The positional arguments in the synopsis, such as `POEM_FILE` or `ADDRESS...`. */
  args: string;
  /** What the script is and does, a short paragraph. */
  description: string;
  /** The options, by long name (without the dashes). */
  options: Record<string, OptionSpec>;
  /** Example command lines (arguments only). */
  examples?: string[];
  /**
   * The permission flags of its deno.json task, such as
   * `["--allow-net=127.0.0.1,localhost,[::1]", "--allow-read=lib"]`, so a
   * refused permission can be explained (`explainRefusal`, in `permissions.ts`).
   */
  permissions?: string[];
}

/** What {@linkcode parseCommandLine} found. */
export interface ParsedCommandLine {
  /** Option values by long name: a string, true, or undefined when not given. */
  values: Record<string, string | boolean | undefined>;
  /** The positional arguments, in order. */
  positionals: string[];
}

/** Raised by the parsers here when a command line is wrong; the message is the one line shown. */
export class UsageError extends Error {
  /** Creates the error with the line to show. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The usage text of a script: synopsis, description, options, examples. */
export function formatUsage(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, option]) => {
    const flag = `--${name}${option.type === "string" ? ` ${option.value ?? "VALUE"}` : ""}`;
    const { range } = option;
    const limits = range && ` (${range.min} to ${range.max}, default: ${range.default})`;
    return [flag, `${option.help}${limits ?? ""}`];
  });
  rows.push(["-h, --help", "show this help and exit"]);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const lines = [
    `usage: deno task ${spec.task} [options] ${spec.args}`.trimEnd(),
    "",
    spec.description,
    "",
    "options:",
    ...rows.map(([flag, help]) => `  ${flag.padEnd(width)}${help}`),
  ];
  if (spec.examples?.length) {
    lines.push(
      "",
      "examples:",
      ...spec.examples.map((example) => `  deno task ${spec.task} ${example}`),
    );
  }
  return lines.join("\n");
}

/**
 * Parses `args` strictly (unknown options are errors). `--help` prints the
 * usage and exits with status 0; a bad command line prints one line, the
 * usage, and exits with status 2.
 */
export function parseCommandLine(spec: CommandSpec, args: string[] = Deno.args): ParsedCommandLine {
  const options: OptionShapes = {
    help: { type: "boolean", short: "h" },
  };
  for (const [name, option] of Object.entries(spec.options)) options[name] = { type: option.type };
  // A script whose synopsis names no arguments takes none.
  const parsed = checked(spec, () => parseStrict(args, options, spec.args !== ""));
  if (parsed.values.help) {
    console.log(formatUsage(spec));
    Deno.exit(0);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** The option shapes {@linkcode parseStrict} takes, as `node:util`'s `parseArgs` does. */
type OptionShapes = Record<string, { type: "string" | "boolean"; short?: string }>;

/**
 * `node:util`'s `parseArgs` in strict mode (unknown options are errors),
 * with its error turned into one line a user can act on.
 *
 * @throws {UsageError} if the command line does not fit `options`
 */
function parseStrict(
  args: string[],
  options: OptionShapes,
  allowPositionals: boolean,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals });
    // No option is `multiple`, so no value is an array.
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new UsageError(parseArgsMessage(String((error as Error).message)));
  }
}

/**
 * The first sentence of a `node:util` parseArgs error (the rest is advice
 * about a different syntax), with our own advice for a value that starts
 * with a dash (`--delay -1`).
 */
function parseArgsMessage(message: string): string {
  const first = message.split(/\.\s/)[0].replace(/\.$/, "");
  const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(first);
  if (ambiguous === null) return first;
  return `${first}: write ${ambiguous[1]}=VALUE for a value that starts with a dash`;
}

/**
 * Runs `check` and returns its result; if it throws a {@linkcode UsageError},
 * prints the line and the usage and exits with status 2.
 */
export function checked<T>(spec: CommandSpec, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof UsageError) exitWithUsage(spec, error.message);
    throw error;
  }
}

/** Prints `message` and the usage on stderr and exits with status 2. */
export function exitWithUsage(spec: CommandSpec, message: string): never {
  console.error(`error: ${message}\n\n${formatUsage(spec)}`);
  Deno.exit(2);
}

/**
 * The value of every option of `spec` that has a {@linkcode NumberRange},
 * by name: the default when it was not given.
 *
 * @throws {UsageError} if a value is not a number of the right kind or is out of range
 */
export function parseNumbers(
  spec: CommandSpec,
  values: ParsedCommandLine["values"],
): Record<string, number> {
  const numbers: Record<string, number> = {};
  for (const [name, { range }] of Object.entries(spec.options)) {
    if (range === undefined) continue;
    const text = values[name];
    numbers[name] = typeof text === "string"
      ? parseInRange(text, `--${name}`, range)
      : range.default;
  }
  return numbers;
}

function parseInRange(text: string, what: string, range: NumberRange): number {
  const value = Number(text);
  if (
    text.trim() === "" || !Number.isFinite(value) || (range.integer && !Number.isInteger(value))
  ) {
    const kind = range.integer ? "an integer" : "a number of seconds";
    throw new UsageError(`${what} must be ${kind}, got "${text}"`);
  }
  if (value < range.min || value > range.max) {
    throw new UsageError(`${what} must be from ${range.min} to ${range.max}, got ${text}`);
  }
  return value;
}
