/**
 * The report lines of section 2's poetry clients, worded as in the earlier
 * chapters: a task that got no poem, and the closing report.
 *
 * @module
 */

import { type CommandSpec, formatDuration, type PoetryAddress } from "../lib/cli/mod.ts";
import { Failure } from "../lib/defer/failure.ts";
import { ConnectError } from "../lib/error.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { SystemExit } from "../lib/reactor/task.ts";
import { describeError } from "../lib/socket/socket_error.ts";
import { connectFailed } from "./get_poetry.ts";

/**
 * The line for a task whose poem could not be had, worded as in the
 * earlier chapters: section 1's for a connection that could not be made,
 * chapter 4's for one that was lost, and `Task N: interrupted` if the
 * reactor had stopped first (Ctrl-C). `reason` is a Failure (from an
 * errback) or an error (caught after `yield` or `await`); with the task's
 * `spec`, a host it may not reach gets the `deno run` command that would.
 */
export function failureLine(
  taskNum: number,
  address: PoetryAddress,
  reason: unknown,
  spec?: CommandSpec,
): string {
  const failure = reason instanceof Failure ? reason : new Failure(reason);
  if (failure.check(ConnectError)) return connectFailed(taskNum, address, failure, spec);
  if (!reactor.running) return `Task ${taskNum}: interrupted`;
  return `Task ${taskNum}: lost the connection: ${describeError(failure.value)}`;
}

/**
 * The closing report: each poem's size (and text, with --print) in task
 * order, and the time. Only complete poems are in `poems`.
 *
 * @param tasks how many poems were asked for
 * @throws {SystemExit} with status 1 if a poem is missing, for `react`
 */
export function report(
  poems: Map<number, string>,
  tasks: number,
  started: number,
  print: boolean,
): void {
  const elapsed = (performance.now() - started) / 1000;
  for (const [taskNum, poem] of [...poems].sort(([a], [b]) => a - b)) {
    // The servers count bytes, not characters.
    console.log(`Task ${taskNum}: ${new TextEncoder().encode(poem).length} bytes of poetry`);
    if (print) console.log(poem);
  }
  console.log(`Got ${poems.size} poems in ${formatDuration(elapsed)}`);
  if (poems.size < tasks) throw new SystemExit(1);
}
