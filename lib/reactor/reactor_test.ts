import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../testing/asserts.ts";
import { runDeno } from "../testing/run_task.ts";
import type { ReactorBase, ReactorOptions } from "./base.ts";
import { EPollReactor } from "./epoll_reactor.ts";
import {
  AlreadyCalled,
  AlreadyCancelled,
  ReactorAlreadyRunning,
  ReactorNotRestartable,
  ReactorNotRunning,
} from "../error.ts";
import { PollReactor } from "./poll_reactor.ts";

const implementations: [string, (options: ReactorOptions) => ReactorBase][] = [
  ["EPollReactor", (options) => new EPollReactor(options)],
  ["PollReactor", (options) => new PollReactor(options)],
];

for (const [name, create] of implementations) {
  const make = (log: string[] = []): ReactorBase =>
    create({ log: (text) => log.push(text), installSignalHandlers: false });

  Deno.test(`${name}: run() resolves after stop(), then the code after it runs`, async () => {
    const reactor = make();
    const events: string[] = [];
    reactor.callLater(0.01, () => {
      events.push("stopping");
      reactor.stop();
      events.push("stop() returned");
    });
    const running = reactor.run().then(() => events.push("run() resolved"));
    events.push("run() returned a promise");
    assertEquals(reactor.running, true);
    await running;
    assertEquals(reactor.running, false);
    assertEquals(events, [
      "run() returned a promise",
      "stopping",
      "stop() returned",
      "run() resolved",
    ]);
  });

  Deno.test(`${name}: stop() throws ReactorNotRunning unless running`, async () => {
    const reactor = make();
    assertThrows(() => reactor.stop(), ReactorNotRunning, "not running");
    reactor.callWhenRunning(() => {
      reactor.stop();
      assertThrows(() => reactor.stop(), ReactorNotRunning);
    });
    await reactor.run();
    assertThrows(() => reactor.stop(), ReactorNotRunning);
  });

  Deno.test(`${name}: run() refuses to restart or to run twice`, async () => {
    const reactor = make();
    reactor.callWhenRunning(() => reactor.stop());
    const running = reactor.run();
    await assertRejects(() => reactor.run(), ReactorAlreadyRunning);
    await running;
    await assertRejects(() => reactor.run(), ReactorNotRestartable, "not restartable");
  });

  Deno.test(`${name}: callWhenRunning() runs in order with arguments, after synchronous code`, async () => {
    const reactor = make();
    const events: string[] = [];
    reactor.callWhenRunning((a: string, b: number) => events.push(`first ${a} ${b}`), "x", 1);
    reactor.callWhenRunning((a: string) => events.push(`second ${a}`), "y");
    reactor.callWhenRunning(() => {
      reactor.callWhenRunning(() => events.push("at once, already running"));
      events.push("third");
      reactor.stop();
    });
    const running = reactor.run();
    events.push("synchronous code after run()");
    await running;
    assertEquals(events, [
      "synchronous code after run()",
      "first x 1",
      "second y",
      "at once, already running",
      "third",
    ]);
  });

  Deno.test(`${name}: callLater() runs calls by time, with fractions and arguments`, async () => {
    const reactor = make();
    const ran: string[] = [];
    reactor.callLater(0.06, () => reactor.stop());
    reactor.callLater(0.04, (label: string) => ran.push(label), "0.04");
    reactor.callLater(0.015, (label: string) => ran.push(label), "0.015");
    reactor.callLater(0.025, (label: string) => ran.push(label), "0.025");
    await reactor.run();
    assertEquals(ran, ["0.015", "0.025", "0.04"]);
  });

  Deno.test(`${name}: callLater(0) never runs synchronously, and runs on a later turn`, async () => {
    const reactor = make();
    const ran: string[] = [];
    reactor.callWhenRunning(() => {
      reactor.callLater(0, () => {
        ran.push("first zero-delay call");
        reactor.callLater(0, () => {
          ran.push("scheduled by a callback");
          reactor.stop();
        });
        ran.push("callLater(0) returned");
      });
      ran.push("startup call finished");
    });
    await reactor.run();
    assertEquals(ran, [
      "startup call finished",
      "first zero-delay call",
      "callLater(0) returned",
      "scheduled by a callback",
    ]);
  });

  Deno.test(`${name}: a call that reschedules itself at 0 s does not starve a due timer`, async () => {
    const reactor = make();
    let spins = 0;
    const spin = (): void => {
      spins++;
      // Scheduled from the third turn, so a busy machine cannot make it due on the first.
      if (spins === 3) reactor.callLater(0.01, () => reactor.stop());
      reactor.callLater(0, spin);
    };
    reactor.callLater(0, spin);
    await reactor.run(); // ends only if the due timer gets its turn among the spins
    assert(spins > 3, `expected the spins to go on until the timer, got ${spins}`);
  });

  Deno.test(`${name}: DelayedCall cancel/reset/delay/active/getTime on a running reactor`, async () => {
    const reactor = make();
    const ran: string[] = [];
    const cancelled = reactor.callLater(0.01, () => ran.push("cancelled"));
    const moved = reactor.callLater(10, () => ran.push("reset to 0.02"));
    const delayed = reactor.callLater(0.005, () => ran.push("delayed by 0.025"));
    const before = reactor.seconds();
    cancelled.cancel();
    moved.reset(0.02);
    delayed.delay(0.025);
    assert(moved.getTime() >= before + 0.02 && moved.getTime() < before + 1);
    assertEquals([cancelled.active(), moved.active(), delayed.active()], [false, true, true]);
    assertEquals(reactor.getDelayedCalls(), [moved, delayed]);
    reactor.callLater(0.05, () => reactor.stop());
    await reactor.run();
    assertEquals(ran, ["reset to 0.02", "delayed by 0.025"]);
    assertEquals(moved.active(), false);
    assertThrows(() => moved.cancel(), AlreadyCalled);
    assertThrows(() => cancelled.reset(1), AlreadyCancelled);
    assertEquals(reactor.getDelayedCalls(), []);
  });

  Deno.test(`${name}: seconds() moves forward with the clock`, async () => {
    const reactor = make();
    const start = reactor.seconds();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const elapsed = reactor.seconds() - start;
    assert(elapsed >= 0.015 && elapsed < 5, `elapsed ${elapsed}`);
    assert(Math.abs(start - Date.now() / 1000) < 5, "seconds() counts from the Unix epoch");
  });

  Deno.test(`${name}: an error in a callback is reported, and the loop goes on`, async () => {
    const log: string[] = [];
    const reactor = make(log);
    const ran: string[] = [];
    reactor.callLater(0, function fallDown(): never {
      throw new Error("I fall down.");
    });
    reactor.callLater(0, () => ran.push("same turn"));
    reactor.callLater(0.01, () => {
      ran.push("later turn");
      reactor.stop();
    });
    await reactor.run();
    assertEquals(ran, ["same turn", "later turn"]);
    assertEquals(log.length, 1);
    assertStringIncludes(log[0], "Unhandled error in a reactor callback:");
    assertStringIncludes(log[0], "Error: I fall down.");
    assertStringIncludes(log[0], "at fallDown");
  });

  Deno.test(`${name}: a call scheduled from outside the loop wakes a sleeping reactor`, async () => {
    const reactor = make();
    reactor.callLater(60, () => {});
    const started = performance.now();
    setTimeout(() => reactor.callLater(0, () => reactor.stop()), 20);
    await reactor.run();
    assert(performance.now() - started < 30_000, "the reactor slept past the new call");
    reactor.getDelayedCalls().forEach((call) => call.cancel());
  });

  Deno.test(`${name}: an idle reactor waits without spinning`, async () => {
    let turns = 0;
    const reactor = make();
    const original = Object.getPrototypeOf(reactor).doIteration;
    Object.defineProperty(reactor, "doIteration", {
      value(this: ReactorBase, timeout: number | null, wakeUp: AbortSignal): Promise<void> {
        turns++;
        return original.call(this, timeout, wakeUp);
      },
    });
    reactor.callLater(0.2, () => reactor.stop());
    await reactor.run();
    assert(turns <= 3, `a 0.2 s wait took ${turns} turns of the loop`);
  });
}

Deno.test("installReactor() after the default reactor was used says to install first", async () => {
  const script = `
    import { getReactor } from "./lib/reactor/reactor.ts";
    import { install } from "./lib/reactor/poll_reactor.ts";
    getReactor();
    try { install(); } catch (error) { console.log(error.name + ": " + error.message); }
  `;
  const { code, stdout } = await runDeno(["eval", script]);
  assertEquals(code, 0);
  assertEquals(
    stdout.trim(),
    "ReactorAlreadyInstalledError: Cannot install PollReactor: the EPollReactor is already " +
      "installed or in use; install the reactor first, before anything uses it",
  );
});

Deno.test("the global reactor is created on first use, so install() before it works", async () => {
  const script = `
    import { install } from "./lib/reactor/poll_reactor.ts";
    import { reactor } from "./lib/reactor/reactor.ts";
    install();
    reactor.callWhenRunning(() => { console.log(reactor.constructor.name); reactor.stop(); });
    await reactor.run();
  `;
  const { code, stdout } = await runDeno(["eval", script]);
  assertEquals([code, stdout.trim()], [0, "PollReactor"]);
});
