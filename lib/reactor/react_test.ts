import { assert, assertEquals } from "../testing/asserts.ts";
import { Deferred, succeed } from "../defer/deferred.ts";
import { ClientFactory, Protocol, ServerFactory } from "../tcp/protocol.ts";
import { EPollReactor } from "./epoll_reactor.ts";
import { deferLater, react, SystemExit } from "./task.ts";

/** A reactor of the test's own, and the statuses `react` would have exited with. */
function setUp(): { reactor: EPollReactor; codes: number[]; exit: (code: number) => void } {
  const codes: number[] = [];
  return { reactor: new EPollReactor(), codes, exit: (code) => codes.push(code) };
}

/** Runs `fn` with console.error recorded instead of printed. */
async function capturingErrors(fn: () => Promise<void>): Promise<string[]> {
  const original = console.error;
  const lines: string[] = [];
  console.error = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    await fn();
  } finally {
    console.error = original;
  }
  return lines;
}

Deno.test("react() calls main before the reactor runs, with the reactor and argv", async () => {
  const { reactor, codes, exit } = setUp();
  const seen: unknown[] = [];
  await react(
    (r, a: string, b: number) => {
      seen.push(r === reactor, r.running, a, b);
      return deferLater(r, 0, () => seen.push("ran"));
    },
    ["one", 2],
    { reactor, exit },
  );
  assertEquals(seen, [true, false, "one", 2, "ran"]);
  assertEquals(codes, [0]);
});

Deno.test("react() runs until main's Deferred fires, then stops the reactor and exits 0", async () => {
  const { reactor, codes, exit } = setUp();
  const d = new Deferred<string>();
  reactor.callLater(0.02, () => d.callback("done"));
  const started = reactor.seconds();
  await react(() => d, [], { reactor, exit });
  assert(reactor.seconds() - started >= 0.02, "stopped before main's Deferred fired");
  assertEquals([codes, reactor.running], [[0], false]);
});

Deno.test("react() with a main that has already succeeded stops the reactor on its first turn", async () => {
  const { reactor, codes, exit } = setUp();
  const turns: string[] = [];
  reactor.callWhenRunning(() => turns.push("first turn"));
  await react(() => succeed("at once"), [], { reactor, exit });
  assertEquals([turns, codes], [["first turn"], [0]]);
});

Deno.test("react() accepts a Promise from an async main", async () => {
  const { reactor, codes, exit } = setUp();
  await react(
    async (r) => {
      await deferLater(r, 0.01);
    },
    [],
    { reactor, exit },
  );
  assertEquals(codes, [0]);
});

Deno.test("react() exits 1 when main fails, after reporting the error on stderr", async () => {
  const { reactor, codes, exit } = setUp();
  const errors = await capturingErrors(() =>
    react(
      (r) =>
        deferLater(r, 0, () => {
          throw new RangeError("Cannot count to -1");
        }),
      [],
      { reactor, exit },
    )
  );
  assertEquals(codes, [1]);
  assertEquals(errors.length, 1);
  assert(errors[0].startsWith("main function encountered error\nRangeError: Cannot count to -1"));
});

Deno.test("react() exits 1 when main throws before returning", async () => {
  const { reactor, codes, exit } = setUp();
  const errors = await capturingErrors(() =>
    react(
      () => {
        throw new Error("Cannot start: nothing to do");
      },
      [],
      { reactor, exit },
    )
  );
  assertEquals(codes, [1]);
  assert(errors[0].includes("Error: Cannot start: nothing to do"), errors[0]);
});

Deno.test("react() exits with a SystemExit's code, quietly", async () => {
  const { reactor, codes, exit } = setUp();
  const errors = await capturingErrors(() =>
    react(
      (r) =>
        deferLater(r, 0, () => {
          throw new SystemExit(3);
        }),
      [],
      { reactor, exit },
    )
  );
  assertEquals([codes, errors], [[3], []]);
});

Deno.test("react() exits 0 when main's own code stops the reactor, as Twisted's does", async () => {
  const { reactor, codes, exit } = setUp();
  await react(
    (r) => {
      r.callLater(0.01, () => r.stop());
      return new Deferred();
    },
    [],
    { reactor, exit },
  );
  assertEquals(codes, [0]);
});

Deno.test("react() does not stop a reactor that is already stopping when main fires", async () => {
  const { reactor, codes, exit } = setUp();
  const d = new Deferred<void>();
  await react(
    (r) => {
      r.callLater(0, () => {
        r.stop();
        d.callback(); // would throw ReactorNotRunning if react stopped it again
      });
      return d;
    },
    [],
    { reactor, exit },
  );
  assertEquals(codes, [0]);
});

Deno.test({
  name:
    "react() on SIGTERM stops the reactor, lets main report the cut, exits 143 whatever main says",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { reactor, codes, exit } = setUp();
    const said: string[] = [];
    // A server that never sends, and a client whose connection the shutdown cuts.
    const port = reactor.listenTCP(0, ServerFactory.forProtocol(Protocol), {
      interface: "127.0.0.1",
    });
    await react(
      async (r) => {
        const d = new Deferred<void>();
        class Client extends Protocol {
          override connectionMade(): void {
            Deno.kill(Deno.pid, "SIGTERM");
          }
          override connectionLost(): void {
            d.callback();
          }
        }
        r.connectTCP("127.0.0.1", port.getHost().port, ClientFactory.forProtocol(Client));
        await d;
        await Promise.resolve(); // a report a few awaits away still gets written
        said.push(r.running ? "Task 1: finished" : "Task 1: interrupted");
        throw new SystemExit(1);
      },
      [],
      { reactor, exit },
    );
    assertEquals([codes, said, reactor.running], [[143], ["Task 1: interrupted"], false]);
  },
});
