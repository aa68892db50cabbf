/**
 * Chapter 4: why the default reactor keeps a ready list. N connected
 * sockets are registered as readers, and only one of them has data at a
 * time: its doRead has the next byte sent to another one, picked at random
 * (the relay, in _relay.ts). The PollReactor hands all N descriptors to
 * `select` on every turn, so a dispatched read costs more as N grows; the
 * EPollReactor looks only at its ready list, so the cost stays about flat.
 *
 *     deno task part4:scaling
 *     deno task part4:scaling --sizes 10,100 --reads 500
 *
 * Nothing needs to be running. The far ends of the N sockets live in a
 * subprocess that the script starts (_peers.ts), so that each process
 * needs only about N file descriptors: N = 10,000 fits a limit of 20,000
 * (`ulimit -n`); a size that does not fit is skipped. The price: each byte
 * is sent by that process when this one asks it to, so every dispatched
 * read includes a hop through it. That raises the floor by the same amount
 * for both reactors; the difference between them is the reactor's own.
 * Ctrl-C stops the subprocess too.
 *
 * @module
 */

import { EPollReactor } from "../lib/reactor/epoll_reactor.ts";
import { PollReactor } from "../lib/reactor/poll_reactor.ts";
import {
  checked,
  type CommandSpec,
  parseCommandLine,
  parseCount,
  UsageError,
} from "../lib/cli/mod.ts";
import { describeError } from "../lib/socket/socket_error.ts";
import { PeerProcess } from "./_peer_process.ts";
import { TooManyOpenFilesError } from "./_peers.ts";
import { type ReactorClass, timeReads } from "./_relay.ts";

const spec: CommandSpec = {
  task: "part4:scaling",
  args: "",
  description: "Times one dispatched read with N idle sockets registered as readers and one\n" +
    "ready per turn, under the PollReactor (scans all N) and the EPollReactor (ready list).\n" +
    "A subprocess holds the far ends of the sockets and sends each byte.",
  options: {
    sizes: {
      type: "string",
      value: "N,N...",
      help: "numbers of sockets (default 10,100,1000,10000)",
    },
    reads: {
      type: "string",
      value: "COUNT",
      help: "reads timed per size and reactor (default 2000)",
    },
  },
};

/** The sizes of `--sizes 10,100,1000`. */
function parseSizes(text: string): number[] {
  return text.split(",").map((size) => {
    try {
      return parseCount(size.trim(), "--sizes");
    } catch {
      throw new UsageError(
        `--sizes must be whole numbers, 1 or more, separated by commas, got "${text}"`,
      );
    }
  });
}

/** The row for one size: both reactors timed on the same sockets, or why it was skipped. */
async function measure(size: number, reads: number, pollFirst: boolean): Promise<string | null> {
  let peers: PeerProcess;
  try {
    peers = await PeerProcess.open(size);
  } catch (error) {
    const limit = Math.ceil((size + 1000) / 1000) * 1000;
    const why = error instanceof TooManyOpenFilesError
      ? `too many open files in the ${error.where} process; raise the limit ` +
        `(ulimit -n ${limit}) and run again`
      : describeError(error);
    console.log(`${String(size).padStart(7)}   skipped: ${why}`);
    return null;
  }
  try {
    // Alternate which reactor goes first, so neither always follows the opening of the sockets.
    const order: ReactorClass[] = pollFirst
      ? [PollReactor, EPollReactor]
      : [EPollReactor, PollReactor];
    const micros = new Map<ReactorClass, number>();
    for (const Reactor of order) micros.set(Reactor, await timeReads(Reactor, peers, reads));
    const cell = (Reactor: ReactorClass, width: number): string =>
      `${micros.get(Reactor)?.toFixed(1)} µs`.padStart(width);
    return `${String(size).padStart(7)}${cell(PollReactor, 14)}${cell(EPollReactor, 15)}`;
  } finally {
    await peers.close();
  }
}

/** Parses the command line, then times each size in turn, printing each row when it is done. */
async function main(): Promise<void> {
  const { values } = parseCommandLine(spec);
  const sizes = checked(spec, () => parseSizes(String(values.sizes ?? "10,100,1000,10000")));
  const reads = checked(spec, () => parseCount(String(values.reads ?? "2000"), "--reads"));
  // An untimed round first, so the first size is not timed while the code still compiles.
  await measure(10, Math.min(reads, 1000), true);
  console.log(
    `Time per dispatched read, one ready socket among N, each read including a hop through ` +
      `the peer process (${reads} reads each):`,
  );
  console.log(`${"N".padStart(7)}   PollReactor   EPollReactor`);
  let measured = 0;
  for (const [index, size] of sizes.entries()) {
    const row = await measure(size, reads, index % 2 === 0);
    if (row === null) continue;
    console.log(row);
    measured++;
  }
  if (measured === 0) Deno.exit(1);
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    console.error(`error: ${describeError(error)}`);
    Deno.exit(1);
  }
}
