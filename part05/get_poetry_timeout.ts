/**
 * Chapter 5, section 1, exercise: a client that gives up on slow poems,
 * on protocols. Each `TimeoutPoetryProtocol` schedules a `callLater` when
 * its connection is made; if the poem is not finished by then it calls
 * `transport.loseConnection()`, and the end of the poem comes as usual,
 * through `connectionLost`, which also cancels a timer that did not fire.
 * The same timeout bounds the connecting, through `connectTCP`'s own.
 * Chapter 4 closed the socket itself (`get_poetry_timeout.ts` there); a
 * protocol has no socket to close, only its transport.
 *
 *     deno task part5:get-poetry-timeout --timeout 2 10000 10001 10002
 *
 * Slow poetry servers must already be listening on those ports.
 *
 * @module
 */

import type { Failure } from "../lib/defer/failure.ts";
import type { IDelayedCall, IReactorTime } from "../lib/interfaces.ts";
import { checked, parseClientCommandLine, parseSeconds, UsageError } from "../lib/cli/mod.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { main, PoetryClientFactory, PoetryProtocol, reactorClientSpec } from "./get_poetry.ts";

/** A PoetryProtocol with a deadline. */
export class TimeoutPoetryProtocol extends PoetryProtocol {
  declare factory: TimeoutPoetryClientFactory;
  #timer: IDelayedCall | null = null;

  override connectionMade(): void {
    this.#timer = this.factory.clock.callLater(this.factory.timeout, () => this.#timedOut());
  }

  override connectionLost(reason: Failure): void {
    if (this.#timer?.active()) this.#timer.cancel(); // finished in time
    super.connectionLost(reason);
  }

  #timedOut(): void {
    const { taskNum, timeout } = this.factory;
    console.log(
      `Task ${taskNum}: timed out after ${timeout} ${timeout === 1 ? "second" : "seconds"}`,
    );
    this.factory.outcome = "timed out"; // partial, and not counted
    this.transport.loseConnection();
  }
}

/** Builds the protocol with a deadline, and holds the timeout and the clock it is kept by. */
export class TimeoutPoetryClientFactory extends PoetryClientFactory {
  override protocol = TimeoutPoetryProtocol;

  /** @param clock the reactor (a test gives a fake Clock) */
  constructor(
    taskNum: number,
    done: () => void,
    readonly timeout: number,
    readonly clock: IReactorTime = reactor,
  ) {
    super(taskNum, done);
  }
}

if (import.meta.main) {
  const spec = reactorClientSpec(
    "part5:get-poetry-timeout",
    "The Get Poetry Now! client with a deadline: downloads a poem from every ADDRESS\n" +
      "(PORT or HOST:PORT) at the same time, and abandons those not finished in time.",
    {
      timeout: {
        type: "string",
        value: "SECONDS",
        help: "give up on a poem after this long, above 0 (10)",
      },
    },
  );
  const { values } = parseClientCommandLine(spec);
  const timeout = checked(spec, () => {
    const seconds = parseSeconds(String(values.timeout ?? "10"), "--timeout");
    // It is also connectTCP's timeout, and no connection is made in 0 s.
    if (seconds === 0) {
      throw new UsageError("Invalid --timeout 0: give a number of seconds above 0");
    }
    return seconds;
  });
  await main(
    spec,
    (taskNum, done) => new TimeoutPoetryClientFactory(taskNum, done, timeout),
    timeout,
  );
}
