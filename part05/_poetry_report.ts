/**
 * The report lines of section 2's poetry clients, worded as in the earlier
 * chapters: a task that got no poem, and the closing report.
 *
 * @module
 */

import { formatAddress, formatDuration, type PoetryAddress } from "../lib/cli.ts";
import { Failure } from "../lib/defer/failure.ts";
import { ConnectError } from "../lib/error.ts";
import { describeError } from "../lib/socket/socket_error.ts";

/** The line for a task whose poem could not be had: the earlier chapters' wording. */
export function failureLine(taskNum: number, address: PoetryAddress, reason: unknown): string {
  const error = reason instanceof Failure ? reason.value : reason;
  const where = formatAddress(address);
  if (error instanceof ConnectError) {
    return `Task ${taskNum}: failed to connect to ${where}: ${
      describeError(error.osError ?? error)
    }`;
  }
  return `Task ${taskNum}: lost the connection to ${where}: ${describeError(error)}`;
}

/** The closing report: each poem's size (and text, with --print) in task order, and the time. */
export function report(poems: Map<number, string>, started: number, print: boolean): void {
  const elapsed = (performance.now() - started) / 1000;
  for (const [taskNum, poem] of [...poems].sort(([a], [b]) => a - b)) {
    // The servers count bytes, not characters.
    console.log(`Task ${taskNum}: ${new TextEncoder().encode(poem).length} bytes of poetry`);
    if (print) console.log(poem);
  }
  console.log(`Got ${poems.size} poems in ${formatDuration(elapsed)}`);
}
