/**
 * Reactor benchmarks: the timer heap and the loop's turn.
 *
 *     deno bench lib/reactor/reactor_bench.ts
 */

import { EPollReactor } from "./epoll_reactor.ts";
import { PollReactor } from "./poll_reactor.ts";
import { TimerQueue } from "./timer_queue.ts";

const COUNT = 100_000;
const noop = (): void => {};

Deno.bench({
  name: "schedule then cancel 100,000 DelayedCalls",
  group: "timers",
  fn(): void {
    const reactor = new EPollReactor({ installSignalHandlers: false });
    const calls = [];
    for (let i = 0; i < COUNT; i++) calls.push(reactor.callLater(1 + (i % 997) / 997, noop));
    for (const call of calls) call.cancel();
  },
});

Deno.bench({
  name: "schedule 100,000 calls, then pop them all in order",
  group: "timers",
  fn(): void {
    let now = 0;
    const queue = new TimerQueue(() => now);
    for (let i = 0; i < COUNT; i++) queue.callLater((i * 7919) % COUNT, noop, []);
    now = COUNT;
    while (queue.popDue(now) !== undefined);
  },
});

for (
  const [name, Reactor] of [["EPollReactor", EPollReactor], ["PollReactor", PollReactor]] as const
) {
  Deno.bench({
    name: `${name}: fire 100,000 zero-delay calls through the running loop`,
    group: "loop",
    async fn(): Promise<void> {
      const reactor = new Reactor({ installSignalHandlers: false });
      let left = COUNT;
      const fire = (): void => {
        if (--left === 0) reactor.stop();
      };
      for (let i = 0; i < COUNT; i++) reactor.callLater(0, fire);
      await reactor.run();
    },
  });
}

Deno.bench({
  name: "EPollReactor: 10,000 turns, each call scheduling the next with callLater(0)",
  group: "turns",
  async fn(): Promise<void> {
    const reactor = new EPollReactor({ installSignalHandlers: false });
    let left = 10_000;
    const next = (): void => {
      if (--left === 0) reactor.stop();
      else reactor.callLater(0, next);
    };
    reactor.callLater(0, next);
    await reactor.run();
  },
});
