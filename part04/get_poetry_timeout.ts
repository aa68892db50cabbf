/**
 * Chapter 4, exercise 2: a client that gives up on slow poems. Each socket
 * schedules a callLater for its deadline; a poem not finished by then is
 * abandoned (its socket closed, its reader removed), and a poem that does
 * finish in time cancels its timer.
 *
 *     deno task part4:get-poetry-timeout --timeout 2 10000 10001 10002
 *
 * Slow poetry servers must already be listening on those ports.
 *
 * @module
 */

import { TimeoutError } from "../lib/defer/error.ts";
import { Failure } from "../lib/defer/failure.ts";
import type { IDelayedCall } from "../lib/interfaces.ts";
import {
  checked,
  clientSpec,
  parseClientCommandLine,
  parseSeconds,
  type PoetryAddress,
} from "../lib/cli/mod.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { PoetrySocket } from "./get_poetry.ts";
import { runAndReport } from "./_report.ts";
import { connectEach } from "./get_poetry_robust.ts";

/** A PoetrySocket with a deadline. */
export class TimeoutPoetrySocket extends PoetrySocket {
  readonly #timer: IDelayedCall;

  constructor(taskNum: number, address: PoetryAddress, readonly timeout: number) {
    super(taskNum, address);
    this.#timer = reactor.callLater(timeout, () => this.#timedOut());
  }

  #timedOut(): void {
    const unit = this.timeout === 1 ? "second" : "seconds";
    console.log(`Task ${this.taskNum}: timed out after ${this.timeout} ${unit}`);
    this.outcome = "timed out";
    this.connectionLost(new Failure(new TimeoutError(`Poem not finished in ${this.timeout} s`)));
  }

  override connectionLost(reason: Failure): void {
    if (this.#timer?.active()) this.#timer.cancel();
    super.connectionLost(reason);
  }
}

if (import.meta.main) {
  const spec = clientSpec(
    "part4:get-poetry-timeout",
    "The Get Poetry Now! client with a deadline: downloads a poem from every ADDRESS\n" +
      "(PORT or HOST:PORT) at the same time, and abandons those not finished in time.",
    {
      timeout: {
        type: "string",
        value: "SECONDS",
        help: "give up on a poem after this long (default: 10)",
      },
    },
  );
  const { addresses, print, values } = parseClientCommandLine(spec);
  const timeout = checked(spec, () => parseSeconds(String(values.timeout ?? "10"), "--timeout"));
  const started = performance.now();
  const { sockets, failed } = connectEach(
    spec,
    addresses,
    (taskNum, address) => new TimeoutPoetrySocket(taskNum, address, timeout),
  );
  await runAndReport(sockets, started, print, failed);
}
