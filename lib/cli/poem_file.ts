/**
 * Reading the poem a slow poetry server serves, with a refused or missing
 * file reported as one line of bad input.
 *
 * @module
 */

import { describeError } from "../socket/socket_error.ts";
import { type CommandSpec, UsageError } from "./command_line.ts";
import { explainRefusal } from "./permissions.ts";

/**
 * The bytes of `poemFile`.
 *
 * @param spec the server's command line, for the permission advice
 * @param args the script's arguments, repeated in that advice
 * @throws {UsageError} if the file is missing, unreadable, outside the
 *   task's permissions (with the `deno run` command that would read it)
 */
export function readPoemFile(
  spec: CommandSpec,
  poemFile: string,
  args: string[] = Deno.args,
): Uint8Array {
  try {
    return Deno.readFileSync(poemFile);
  } catch (error) {
    const reason = explainRefusal(spec, error, args) ?? describeError(error);
    throw new UsageError(`Cannot read poem file ${poemFile}: ${reason}`);
  }
}
