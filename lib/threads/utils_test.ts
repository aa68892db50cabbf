import { assert, assertEquals, assertStringIncludes } from "../testing/asserts.ts";
import type { Deferred } from "../defer/deferred.ts";
import type { Failure } from "../defer/failure.ts";
import { ProcessTerminated } from "../error.ts";
import { EPollReactor } from "../reactor/epoll_reactor.ts";
import { getProcessOutput, UnexpectedErrorOutput } from "./utils.ts";

const decoder = new TextDecoder();

/** Runs `body` on a running reactor of our own, then stops it. */
async function withReactor(body: (reactor: EPollReactor) => Promise<void>): Promise<void> {
  const reactor = new EPollReactor({ installSignalHandlers: false });
  const running = reactor.run();
  try {
    await body(reactor);
  } finally {
    reactor.stop();
    await running;
  }
}

function outcome(d: Deferred<unknown>): Promise<unknown> {
  return new Promise((resolve) => d.addBoth(resolve));
}

Deno.test("getProcessOutput() fires with what the process printed", async () => {
  await withReactor(async (reactor) => {
    const output = await getProcessOutput("deno", ["eval", "console.log(6 * 7)"], {
      reactor,
      env: { NO_COLOR: "1" },
    });
    assertEquals(decoder.decode(output), "42\n");
  });
});

Deno.test("getProcessOutput() fails with UnexpectedErrorOutput when the process writes to stderr", async () => {
  await withReactor(async (reactor) => {
    const script = "console.log('out'); console.error('oops'); Deno.exit(3)";
    const failure = await outcome(getProcessOutput("deno", ["eval", script], { reactor }));
    const error = (failure as Failure).value;
    assert(error instanceof UnexpectedErrorOutput);
    assertEquals([error.stderr, error.exitCode], ["oops\n", 3]);
    const both = await getProcessOutput("deno", ["eval", script], { reactor, errortoo: true });
    assertStringIncludes(decoder.decode(both), "out\n");
    assertStringIncludes(decoder.decode(both), "oops\n");
  });
});

Deno.test("getProcessOutput() gives a failed Deferred for a program it may not run", async () => {
  await withReactor(async (reactor) => {
    const failure = await outcome(getProcessOutput("no-such-program", [], { reactor }));
    const { name } = (failure as Failure).value;
    assert(name === "NotFound" || name === "PermissionDenied", name);
  });
});

Deno.test("getProcessOutput() fails with ProcessTerminated when a signal killed the process", async () => {
  await withReactor(async (reactor) => {
    const script = "console.log(0); Deno.kill(Deno.pid, 'SIGKILL')";
    const failure = await outcome(getProcessOutput("deno", ["eval", script], { reactor }));
    const error = (failure as Failure).value;
    assert(error instanceof ProcessTerminated, String(error));
    assertEquals(error.signal, "SIGKILL");
  });
});
