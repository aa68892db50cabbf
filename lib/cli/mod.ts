/**
 * The command line of the repository's scripts: strict parsing with
 * `node:util`'s `parseArgs`, a usage text built from the same description,
 * `--help`, the checks the scripts need (ports, addresses, seconds,
 * counts), and asking for permission to write an output file up front.
 *
 * Bad input never ends in a stack trace: the script prints one line saying
 * what is wrong, then the usage, and exits with status 2.
 *
 * @example A client that takes addresses and --print
 * ```ts ignore
 * const spec: CommandSpec = {
 *   task: "part2:blocking-client",
 *   args: "ADDRESS...",
 *   description: "Get poetry from each ADDRESS (PORT or HOST:PORT), one after the other.",
 *   options: { print: { type: "boolean", help: "print each poem when it is complete" } },
 * };
 * const { values, positionals } = parseCommandLine(spec);
 * const addresses = checked(spec, () => parseAddresses(positionals));
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { describeError } from "../socket/socket_error.ts";

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
   * refused permission can be explained (see {@linkcode explainRefusal}).
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

/** A server or client address. */
export interface PoetryAddress {
  /** Host name or IP address. */
  host: string;
  /** Port number, 1 to 65535. */
  port: number;
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

/**
 * The first sentence of a `node:util` parseArgs error (the rest is advice
 * about a different syntax), with our own advice for a value that starts
 * with a dash (`--delay -1`).
 */
/** The option shapes {@linkcode parseStrict} takes, as `node:util`'s `parseArgs` does. */
export type OptionShapes = Record<string, { type: "string" | "boolean"; short?: string }>;

/**
 * `node:util`'s `parseArgs` in strict mode (unknown options are errors),
 * with its error turned into one line a user can act on.
 *
 * @throws {UsageError} if the command line does not fit `options`
 */
export function parseStrict(
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
 * Asks for permission to write `path` before the work that will produce it
 * (Deno prompts in a terminal); if refused, says so on stderr.
 *
 * @returns whether writing is allowed
 */
export async function requestWrite(path: string): Promise<boolean> {
  const { state } = await Deno.permissions.request({ name: "write", path });
  if (state === "granted") return true;
  console.error(`error: Cannot write ${path}: no write permission (--allow-write=${path})`);
  return false;
}

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
 * A port number from the command line.
 *
 * @param text what was given
 * @param what how to name it in the message, such as `--port`
 * @param allowZero whether 0 (any free port) is allowed
 * @throws {UsageError} unless it is an integer in range
 */
export function parsePort(text: string, what: string, allowZero = false): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  const lowest = allowZero ? 0 : 1;
  if (!(port >= lowest && port <= 65535)) {
    throw new UsageError(`${what} must be a port number from ${lowest} to 65535, got "${text}"`);
  }
  return port;
}

/**
 * A duration in seconds, such as `0.1`, `2` or `1e-2`.
 *
 * @throws {UsageError} unless it is a finite number, 0 or more
 */
export function parseSeconds(text: string, what: string): number {
  const seconds = /^\s*$/.test(text) ? NaN : Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError(`${what} must be a number of seconds, 0 or more, got "${text}"`);
  }
  return seconds;
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

/**
 * A whole number of at least `minimum`.
 *
 * @throws {UsageError} unless it is an integer, `minimum` or more
 */
export function parseCount(text: string, what: string, minimum = 1): number {
  const count = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(count) || count < minimum) {
    throw new UsageError(`${what} must be a whole number, ${minimum} or more, got "${text}"`);
  }
  return count;
}

/**
 * An address: a bare port means 127.0.0.1:PORT; otherwise HOST:PORT, with
 * an IPv6 host in brackets (`[::1]:10000`).
 *
 * @throws {UsageError} if it is malformed or the port is out of range
 */
export function parseAddress(text: string): PoetryAddress {
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[^:\[\]\s]+):)?([^:]*)$/.exec(text);
  if (match === null || match[2] === "") {
    throw new UsageError(`Invalid address "${text}": expected PORT or HOST:PORT`);
  }
  const host = (match[1] ?? "127.0.0.1").replace(/^\[(.*)\]$/, "$1");
  const port = /^\d+$/.test(match[2]) ? Number(match[2]) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new UsageError(`Invalid address "${text}": the port must be a number from 1 to 65535`);
  }
  return { host, port };
}

/**
 * The addresses of a client's command line.
 *
 * @throws {UsageError} if there are none or one is malformed
 */
export function parseAddresses(texts: string[]): PoetryAddress[] {
  if (texts.length === 0) throw new UsageError("No addresses given: name at least one server");
  return texts.map(parseAddress);
}

/** `HOST:PORT`, with an IPv6 host in brackets. */
export function formatAddress({ host, port }: PoetryAddress): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * A duration the way Python prints a `timedelta`: `H:MM:SS.ffffff`
 * (always with the microseconds).
 */
export function formatDuration(seconds: number): string {
  const micros = Math.round(seconds * 1e6);
  const hours = Math.floor(micros / 3.6e9);
  const minutes = Math.floor(micros / 6e7) % 60;
  const wholeSeconds = Math.floor(micros / 1e6) % 60;
  const fraction = String(micros % 1e6).padStart(6, "0");
  return `${hours}:${String(minutes).padStart(2, "0")}:${
    String(wholeSeconds).padStart(2, "0")
  }.${fraction}`;
}

/** Parses {@linkcode formatDuration}'s output back into seconds (NaN if it is not one). */
export function parseDuration(text: string): number {
  const match = /^(\d+):(\d\d):(\d\d(?:\.\d+)?)$/.exec(text);
  return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : NaN;
}

/**
 * The command line of a poetry client: `[--print] ADDRESS...`, plus any
 * `extraOptions` (a later chapter's `--timeout`, say).
 *
 * @param task the deno.json task, such as `part2:async-client`
 * @param description what the client is and does
 */
export function clientSpec(
  task: string,
  description: string,
  extraOptions: Record<string, OptionSpec> = {},
): CommandSpec {
  return {
    task,
    args: "ADDRESS...",
    description,
    permissions: CLIENT_PERMISSIONS,
    options: {
      print: { type: "boolean", help: "print each poem once it is complete" },
      ...extraOptions,
    },
    examples: ["10000 10001 10002", "--print 127.0.0.1:10000"],
  };
}

/** The permission flags of every poetry client's task: the loopback names, and lib/ for the socket Worker. */
export const CLIENT_PERMISSIONS: string[] = [
  "--allow-net=127.0.0.1,localhost,[::1]",
  "--allow-read=lib",
];

/** What {@linkcode parseClientCommandLine} found. */
export interface ClientCommandLine {
  /** The servers, in the order given (task 1 is the first). */
  addresses: PoetryAddress[];
  /** Whether `--print` was given. */
  print: boolean;
  /** All option values, for the extra options. */
  values: Record<string, string | boolean | undefined>;
}

/**
 * Parses a client's command line (see {@linkcode clientSpec}); exits with
 * the usage and status 2 if there are no addresses or one is malformed.
 */
export function parseClientCommandLine(
  spec: CommandSpec,
  args: string[] = Deno.args,
): ClientCommandLine {
  const { values, positionals } = parseCommandLine(spec, args);
  const addresses = checked(spec, () => parseAddresses(positionals));
  return { addresses, print: values.print === true, values };
}

/**
 * The command line of a slow poetry server: `[options] POEM_FILE` with
 * chapter 2's `--port`, `--iface`, `--delay` and `--num-bytes`, plus any
 * `extraOptions` (chapter 5's `--backlog`, say).
 *
 * @param task the deno.json task, such as `part2:slowpoetry`
 * @param description what the server is and does
 * @param permissions the task's permission flags, for {@linkcode explainRefusal}
 */
export function serverSpec(
  task: string,
  description: string,
  permissions: string[],
  extraOptions: Record<string, OptionSpec> = {},
): CommandSpec {
  return {
    task,
    args: "POEM_FILE",
    description,
    permissions,
    options: {
      port: { type: "string", value: "N", help: "the port to listen on (default: a free port)" },
      iface: {
        type: "string",
        value: "ADDR",
        help: "the interface to listen on (default: 127.0.0.1)",
      },
      delay: { type: "string", value: "S", help: "seconds between chunks (default: 0.1)" },
      "num-bytes": { type: "string", value: "N", help: "bytes to send at a time (default: 10)" },
      ...extraOptions,
    },
    examples: ["poetry/ecstasy.txt", "--port 10000 --num-bytes 30 poetry/ecstasy.txt"],
  };
}

/** What {@linkcode parseServerCommandLine} found. */
export interface ServerCommandLine {
  /** The poem file, as given. */
  poemFile: string;
  /** Its bytes (never empty). */
  poem: Uint8Array;
  /** The port to listen on; 0 for a free one. */
  port: number;
  /** The interface to listen on. */
  iface: string;
  /** Seconds between two chunks. */
  delay: number;
  /** Bytes per chunk. */
  numBytes: number;
  /** Every option, for the `extraOptions` of {@linkcode serverSpec}. */
  values: Record<string, string | boolean | undefined>;
}

/**
 * Parses a server's command line (see {@linkcode serverSpec}) and reads its
 * poem; exits with the usage and status 2 if an option is malformed or the
 * poem file is missing, unreadable or empty.
 */
export function parseServerCommandLine(
  spec: CommandSpec,
  args: string[] = Deno.args,
): ServerCommandLine {
  const { values, positionals } = parseCommandLine(spec, args);
  return checked(spec, () => {
    if (positionals.length !== 1) throw new UsageError("Give exactly one poem file");
    const poemFile = positionals[0];
    let poem: Uint8Array;
    try {
      poem = Deno.readFileSync(poemFile);
    } catch (error) {
      const reason = explainRefusal(spec, error, args) ?? describeError(error);
      throw new UsageError(`Cannot read poem file ${poemFile}: ${reason}`);
    }
    if (poem.length === 0) throw new UsageError(`Cannot serve poem file ${poemFile}: it is empty`);
    return {
      poemFile,
      poem,
      port: parsePort(String(values.port ?? "0"), "--port", true),
      iface: String(values.iface ?? "127.0.0.1"),
      delay: parseSeconds(String(values.delay ?? "0.1"), "--delay"),
      numBytes: parseCount(String(values["num-bytes"] ?? "10"), "--num-bytes"),
      values,
    };
  });
}

/**
 * If `error` is Deno refusing a permission (a host the task may not reach,
 * a file it may not read), one line that says what the task allows and the
 * exact `deno run` command that would do what was asked; otherwise
 * undefined. A `deno task` user cannot add flags, so Deno's own "run again
 * with the --allow-net flag" is no help to them.
 *
 * @param args the script's arguments, repeated in the command
 */
export function explainRefusal(
  spec: CommandSpec,
  error: unknown,
  args: string[] = Deno.args,
): string | undefined {
  const refused = error instanceof Error &&
    /Requires (net|read) access to "([^"]+)"/.exec(error.message);
  if (!refused) return undefined;
  const [, kind, target] = refused;
  const flag = `--allow-${kind}`;
  const granted = spec.permissions?.find((word) => word.startsWith(`${flag}=`));
  const allowed = granted?.slice(flag.length + 1).split(",") ?? [];
  // Allow the host, on every port, rather than the one host:port Deno names.
  const wanted = kind === "net" ? target.replace(/:\d+$/, "") : target;
  const widened = `${flag}=${[...allowed, wanted].join(",")}`;
  const flags = (spec.permissions ?? []).map((word) => word === granted ? widened : word);
  if (granted === undefined) flags.push(widened);
  const what = kind === "net" ? "use the network only on" : "read files only in";
  const limits = allowed.length === 0 ? "nothing" : listInWords(allowed);
  const command = ["deno", "run", ...flags, scriptPath(), ...args].map(shellQuote).join(" ");
  return `${spec.task} may ${what} ${limits}; to allow ${wanted}, run: ${command}`;
}

function listInWords(items: string[]): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The running script's path relative to the repository's root (where tasks run). */
function scriptPath(): string {
  const root = new URL("../..", import.meta.url).href;
  const main = Deno.mainModule;
  return main.startsWith(root) ? decodeURIComponent(main.slice(root.length)) : main;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Joins byte chunks into one array: bytes first, decoding after, so no character is cut. */
export function joinBytes(chunks: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
}
