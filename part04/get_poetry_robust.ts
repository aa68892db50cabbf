/**
 * Chapter 4, exercise 1: a client that survives a failed connection. A
 * server that refuses (or cannot be reached) is reported for its task,
 * and the other tasks go on; if no connection could be made at all, the
 * reactor is not even started, since it would wait forever.
 *
 *     deno task part4:get-poetry-robust 10000 10009 10002
 *
 * Slow poetry servers should be listening on some of those ports.
 *
 * @module
 */

import {
  clientSpec,
  type CommandSpec,
  parseClientCommandLine,
  type PoetryAddress,
} from "../lib/cli/mod.ts";
import { PoetrySocket } from "./get_poetry.ts";
import { connectFailed, runAndReport } from "./_report.ts";

/**
 * Opens a socket per address; a connection that fails is reported for its
 * task, and the others go on.
 *
 * @returns the sockets that connected, and whether any connection failed
 */
export function connectEach(
  spec: CommandSpec,
  addresses: PoetryAddress[],
  open: (taskNum: number, address: PoetryAddress) => PoetrySocket,
): { sockets: PoetrySocket[]; failed: boolean } {
  const sockets: PoetrySocket[] = [];
  let failed = false;
  for (const [index, address] of addresses.entries()) {
    try {
      sockets.push(open(index + 1, address));
    } catch (error) {
      console.log(connectFailed(spec, index + 1, address, error));
      failed = true;
    }
  }
  return { sockets, failed };
}

if (import.meta.main) {
  const spec = clientSpec(
    "part4:get-poetry-robust",
    "The robust Get Poetry Now! client: downloads a poem from every ADDRESS (PORT or\n" +
      "HOST:PORT) at the same time; a server that cannot be reached is reported and skipped.",
  );
  const { addresses, print } = parseClientCommandLine(spec);
  const started = performance.now();
  const { sockets, failed } = connectEach(
    spec,
    addresses,
    (taskNum, address) => new PoetrySocket(taskNum, address),
  );
  await runAndReport(sockets, started, print, failed);
}
