/**
 * The command line of the repository's scripts, one module per job:
 * {@link ./command_line.ts} parses strictly and prints the usage (one
 * `--help` format for every script), {@link ./values.ts} checks ports,
 * addresses, seconds and counts, {@link ./poetry.ts} is the poetry
 * clients' and servers' command lines, {@link ./poem_file.ts} reads a
 * server's poem, and {@link ./permissions.ts} explains a refused
 * permission.
 *
 * Bad input never ends in a stack trace: the script prints one line saying
 * what is wrong, then the usage, and exits with status 2.
 *
 * @example A client that takes addresses and --print
 * ```ts
 * import assert from "node:assert/strict";
 * import { clientSpec, parseClientCommandLine } from "./mod.ts";
 *
 * const spec = clientSpec("part2:blocking-client", "Gets poetry, one poem after the other.");
 * const { addresses, print } = parseClientCommandLine(spec, ["--print", "10000", "[::1]:10001"]);
 * assert.deepEqual(addresses, [{ host: "127.0.0.1", port: 10000 }, { host: "::1", port: 10001 }]);
 * assert.equal(print, true);
 * ```
 *
 * @module
 */

export {
  checked,
  type CommandSpec,
  exitWithUsage,
  formatUsage,
  type NumberRange,
  type OptionSpec,
  parseCommandLine,
  type ParsedCommandLine,
  parseNumbers,
  UsageError,
} from "./command_line.ts";
export {
  formatAddress,
  formatDuration,
  parseAddress,
  parseAddresses,
  parseCount,
  parseDuration,
  parsePort,
  parseSeconds,
  type PoetryAddress,
} from "./values.ts";
export {
  type ClientCommandLine,
  clientSpec,
  parseClientCommandLine,
  parseServerCommandLine,
  type ServerCommandLine,
  serverSpec,
} from "./poetry.ts";
export { readPoemFile } from "./poem_file.ts";
export { explainRefusal, requestWrite } from "./permissions.ts";
