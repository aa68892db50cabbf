/**
 * Test helpers for code that runs on a real reactor: run each test on
 * both reactors, with the reactor's error reports captured, and a
 * deadline that stops a test which would otherwise hang.
 *
 * @module
 */

import { EPollReactor } from "../reactor/epoll_reactor.ts";
import { PollReactor } from "../reactor/poll_reactor.ts";
import type { PosixReactorBase } from "../reactor/posix_base.ts";

/** What a test on a reactor gets. */
export interface ReactorTest {
  /** A fresh reactor that is not running, without signal handlers. */
  reactor: PosixReactorBase;
  /** The errors the reactor reported so far (its `log`). */
  log: string[];
  /**
   * Runs the reactor until something stops it, or until `seconds` pass
   * (then it stops it and throws, so a broken test fails instead of hanging).
   */
  run(seconds?: number): Promise<void>;
}

/** The two reactors, by name. */
const REACTORS: [
  string,
  new (options: { log: (t: string) => void; installSignalHandlers: boolean }) => PosixReactorBase,
][] = [
  ["EPollReactor", EPollReactor],
  ["PollReactor", PollReactor],
];

/** Registers `name` as a Deno test once per reactor, named "EPollReactor: name" and so on. */
export function testBothReactors(name: string, fn: (t: ReactorTest) => Promise<void>): void {
  for (const [reactorName, Reactor] of REACTORS) {
    Deno.test(`${reactorName}: ${name}`, async () => {
      const log: string[] = [];
      const reactor = new Reactor({ log: (text) => log.push(text), installSignalHandlers: false });
      const run = async (seconds = 30): Promise<void> => {
        let timedOut = false;
        const deadline = reactor.callLater(seconds, () => {
          timedOut = true;
          reactor.stop();
        });
        await reactor.run();
        if (deadline.active()) deadline.cancel();
        if (timedOut) {
          throw new Error(`Cannot finish test: the reactor still ran after ${seconds} s`);
        }
      };
      await fn({ reactor, log, run });
    });
  }
}
