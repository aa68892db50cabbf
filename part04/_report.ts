/**
 * Chapter 4's closing lines, the same for every client of the chapter: a
 * connection that could not be made, the report of what arrived, and how
 * the script ends.
 *
 * @module
 */

import {
  type CommandSpec,
  explainRefusal,
  formatAddress,
  formatDuration,
  type PoetryAddress,
} from "../lib/cli/mod.ts";
import { Deferred } from "../lib/defer/deferred.ts";
import { react, SIGNAL_STATUS } from "../lib/reactor/task.ts";
import { describeError } from "../lib/socket/socket_error.ts";

/** How a download ended, if it has: the poem is complete only after the server closed. */
export type Outcome = "receiving" | "complete" | "lost" | "timed out" | "interrupted";

/** What the report needs of a download (a PoetrySocket). */
export interface Download {
  /** The task's number, from 1. */
  readonly taskNum: number;
  /** The bytes that arrived. */
  readonly poem: Uint8Array;
  /** How it ended. */
  readonly outcome: Outcome;
}

/**
 * The closing report: each task's byte count ("(partial)" if the poem was
 * cut short; with --print, each complete poem), and how many poems arrived
 * complete, as chapter 2's clients count them.
 *
 * @returns the exit status: 130 if Ctrl-C cut a poem short, 1 if another
 *   poem is missing, 0 if every poem is complete
 */
export function report(sockets: Download[], started: number, print: boolean): number {
  const elapsed = (performance.now() - started) / 1000;
  for (const sock of sockets) {
    const partial = sock.outcome === "complete" ? "" : " (partial)";
    console.log(`Task ${sock.taskNum}: ${sock.poem.length} bytes of poetry${partial}`);
    if (print && sock.outcome === "complete") console.log(new TextDecoder().decode(sock.poem));
  }
  const complete = sockets.filter((sock) => sock.outcome === "complete").length;
  console.log(`Got ${complete} poems in ${formatDuration(elapsed)}`);
  if (sockets.some((sock) => sock.outcome === "interrupted")) return 130;
  return complete < sockets.length ? 1 : 0;
}

/** The line for a connection that could not be made (or that the task may not make). */
export function connectFailed(
  spec: CommandSpec,
  taskNum: number,
  address: PoetryAddress,
  error: unknown,
): string {
  const reason = explainRefusal(spec, error) ?? describeError(error);
  return `Task ${taskNum}: failed to connect to ${formatAddress(address)}: ${reason}`;
}

/**
 * Runs the reactor until the clients stop it (the last socket stops it when
 * its poem is in, as the tutorial's client 1 does), reports, and ends the
 * script through {@linkcode react}: 130 or 143 if Ctrl-C or SIGTERM stopped
 * the reactor first, quietly 141 if standard output closed, 1 if a poem is
 * missing (or, with `failed`, a connection could not be made), else 0.
 */
export async function runAndReport(
  sockets: Download[],
  started: number,
  print: boolean,
  failed = false,
): Promise<void> {
  // No socket, nothing to wait for: main's plain result stops the reactor on its first turn.
  const main = (): Deferred<void> | undefined => sockets.length > 0 ? new Deferred() : undefined;
  await react(main, [], {
    exit: (signalled) => {
      if (signalled === SIGNAL_STATUS.SIGPIPE) Deno.exit(signalled);
      const status = report(sockets, started, print);
      Deno.exit(signalled !== 0 ? signalled : status === 0 && failed ? 1 : status);
    },
  });
}
