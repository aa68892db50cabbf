/**
 * The command lines of the poetry clients (`[--print] ADDRESS...`) and of
 * the slow poetry servers (`[options] POEM_FILE`), shared by every chapter.
 *
 * @module
 */

import {
  checked,
  type CommandSpec,
  type OptionSpec,
  parseCommandLine,
  UsageError,
} from "./command_line.ts";
import { readPoemFile } from "./poem_file.ts";
import {
  parseAddresses,
  parseCount,
  parsePort,
  parseSeconds,
  type PoetryAddress,
} from "./values.ts";

/** The permission flags of every poetry client's task: the loopback names, and lib/ for the socket Worker. */
const CLIENT_PERMISSIONS: string[] = [
  "--allow-net=127.0.0.1,localhost,[::1]",
  "--allow-read=lib",
];

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
 * @param permissions the task's permission flags, for `explainRefusal` (`permissions.ts`)
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
    const poem = readPoemFile(spec, poemFile, args);
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
