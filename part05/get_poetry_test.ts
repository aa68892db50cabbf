import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runDeno, runTask } from "../lib/testing/run_task.ts";
import { checkNotAllowed, runInterrupted } from "./_client_checks.ts";
import { checkClosedStdout } from "../lib/testing/poetry_servers.ts";
import { POEMS, refusingPort, withServers } from "../lib/testing/poetry_servers.ts";

Deno.test("part5:get-poetry downloads every poem at once, a line per chunk", async () => {
  await withServers(["ecstasy", "fascination", "science"], 0.005, 30, async (ports) => {
    const { code, stdout, stderr } = await runTask("part5:get-poetry", ports.map(String));
    const lines = stdout.trim().split("\n");
    for (const [index, name] of (["ecstasy", "fascination", "science"] as const).entries()) {
      const task = index + 1;
      const reads = lines.filter((line) => line.startsWith(`Task ${task}: got `));
      assert(reads.length > 1, `task ${task} came in pieces`);
      const pattern = new RegExp(
        `^Task ${task}: got \\d+ bytes of poetry from 127\\.0\\.0\\.1:${ports[index]}$`,
      );
      for (const read of reads) assertMatch(read, pattern);
      assert(lines.includes(`Task ${task}: ${POEMS[name].bytes} bytes of poetry`), stdout);
    }
    // The tasks interleave: the reactor serves them all at once.
    const order = lines.filter((line) => / got /.test(line)).map((line) => line.slice(0, 6));
    assert(
      order.indexOf("Task 2") < order.lastIndexOf("Task 1"),
      "task 2 read before task 1 ended",
    );
    assertMatch(lines.at(-1) ?? "", /^Got 3 poems in 0:00:\d\d\.\d{6}$/);
    assertEquals([code, stderr], [0, ""]);
  });
});

Deno.test("part5:get-poetry reports a refused connection for its task and goes on", async () => {
  const refused = refusingPort();
  await withServers(["fascination"], 0.001, 50, async ([port]) => {
    const { code, stdout, stderr } = await runTask("part5:get-poetry", [
      "--print",
      String(port),
      String(refused),
    ]);
    const lines = stdout.trim().split("\n");
    assert(
      lines.includes(`Task 2: failed to connect to 127.0.0.1:${refused}: Connection refused`),
      stdout,
    );
    assert(lines.includes("Task 1: 623 bytes of poetry"));
    assert(stdout.includes(await Deno.readTextFile(POEMS.fascination.poem)), "the poem, whole");
    assertMatch(lines.at(-1) ?? "", /^Got 1 poems in 0:00:\d\d\.\d{6}$/);
    assertEquals([code, stderr], [1, ""]);
  });
});

Deno.test("part5:get-poetry gives the deno run command for a host outside its permissions", async () => {
  await checkNotAllowed("part5:get-poetry");
});

Deno.test("part5:get-poetry reports a host name that does not resolve", async () => {
  // A name in .invalid never resolves (RFC 2606); allowed here so that the lookup happens.
  const { code, stdout } = await runDeno([
    "run",
    "--allow-net=127.0.0.1,no-such-host.invalid",
    "part05/get_poetry.ts",
    "no-such-host.invalid:10000",
  ]);
  assertMatch(
    stdout,
    /^Task 1: failed to connect to no-such-host\.invalid:10000: failed to lookup address information: .+\n/,
  );
  assertEquals(code, 1);
});

Deno.test("part5:get-poetry rejects a bad command line with one line, the usage and status 2", async () => {
  for (const args of [[], ["not-a-port"], ["127.0.0.1:99999"], ["--bogus", "10000"]]) {
    const { code, stdout, stderr } = await runTask("part5:get-poetry", args);
    assertEquals([code, stdout], [2, ""], `for ${args.join(" ")}`);
    assertMatch(stderr, /^error: .*\n\nusage: deno task part5:get-poetry /);
  }
});

Deno.test("part5:get-poetry-simple prints each poem whole, multi-byte characters intact", async () => {
  await withServers(["ecstasy", "fascination"], 0.001, 7, async (ports) => {
    const { code, stdout } = await runTask("part5:get-poetry-simple", ports.map(String));
    const ecstasy = await Deno.readTextFile(POEMS.ecstasy.poem);
    const fascination = await Deno.readTextFile(POEMS.fascination.poem);
    assertEquals(stdout, `${ecstasy}\n${fascination}\n`);
    assertEquals(code, 0);
  });
});

Deno.test("part5:get-poetry-simple reports a refused connection", async () => {
  const refused = refusingPort();
  const { code, stdout } = await runTask("part5:get-poetry-simple", [String(refused)]);
  assertEquals(stdout, `Task 1: failed to connect to 127.0.0.1:${refused}: Connection refused\n`);
  assertEquals(code, 1);
});

for (const [signal, status] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  for (const task of ["part5:get-poetry", "part5:get-poetry-timeout"]) {
    Deno.test(`${task} on ${signal}: the task was interrupted, its bytes partial, no poem counted, exit ${status}`, async () => {
      // ecstasy at 10 bytes every 0.05 s would take 15 s.
      await withServers(["ecstasy"], 0.05, 10, async ([port]) => {
        const { code, stdout, stderr } = await runTask(task, [String(port)], {
          interruptAfter: "got 10 bytes",
          signal,
        });
        const lines = stdout.trim().split("\n").filter((line) => !line.includes(" got "));
        assertEquals(lines.slice(0, 2), ["Task 1: interrupted", lines[1]]);
        const partial = Number(/^Task 1: (\d+) bytes of poetry \(partial\)$/.exec(lines[1])?.[1]);
        assert(partial >= 0 && partial < 3003, `task 1 got ${lines[1]} before ${signal}`);
        assertMatch(lines.at(-1) ?? "", /^Got 0 poems in /);
        assertEquals([code, stderr], [status, ""]);
      });
    });
  }
}

Deno.test("part5:get-poetry-simple on Ctrl-C prints no cut-off poem, says so, exits 130", async () => {
  await withServers(["ecstasy", "fascination"], 0.05, 10, async ([slow]) => {
    await withServers(["fascination"], 0.001, 10, async ([fast]) => {
      // It prints nothing before the end: interrupt it after a while.
      const { code, stdout, stderr } = await runInterrupted(
        "part5:get-poetry-simple",
        [String(slow), String(fast)],
        1.5,
      );
      const fascination = await Deno.readTextFile(POEMS.fascination.poem);
      assert(
        ["Task 1: interrupted\n", `Task 1: interrupted\n${fascination}\n`].includes(stdout),
        stdout,
      );
      assertEquals([code, stderr], [130, ""]);
    });
  });
});

Deno.test("part5:get-poetry ends promptly and quietly when its stdout closes", async () => {
  await checkClosedStdout("part5:get-poetry");
});

Deno.test("part5:get-poetry-timeout: a poem cut by the deadline is partial and not counted", async () => {
  // A server that accepts and never sends, as `nc -l` does.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) accepted.push(conn);
  })();
  try {
    const { code, stdout, stderr } = await runTask("part5:get-poetry-timeout", [
      "--timeout",
      "0.5",
      String(listener.addr.port),
    ]);
    const lines = stdout.trim().split("\n");
    assertEquals(lines.slice(0, -1), [
      "Task 1: timed out after 0.5 seconds",
      "Task 1: 0 bytes of poetry (partial)",
    ]);
    assertMatch(lines.at(-1) ?? "", /^Got 0 poems in /);
    assertEquals([code, stderr], [1, ""]);
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const conn of accepted) conn.close();
  }
});

Deno.test("part5:get-poetry-timeout refuses --timeout 0, which no connection could meet", async () => {
  const { code, stdout, stderr } = await runTask("part5:get-poetry-timeout", [
    "--timeout",
    "0",
    "10000",
  ]);
  assertEquals([code, stdout], [2, ""]);
  assertMatch(stderr, /^error: Invalid --timeout 0: give a number of seconds above 0\n\nusage: /);
});

Deno.test("part5:get-poetry-lost-stack on Ctrl-C: interrupted, partial, no poem counted, exit 130", async () => {
  await withServers(["ecstasy"], 0.05, 10, async ([port]) => {
    // It prints nothing before a poem ends: interrupt it after a while.
    const { code, stdout, stderr } = await runInterrupted(
      "part5:get-poetry-lost-stack",
      [String(port)],
      1.5,
    );
    const lines = stdout.trim().split("\n");
    assert(lines.includes("Task 1: interrupted"), stdout);
    assertMatch(stdout, /^Task 1: \d+ bytes of poetry \(partial\)$/m);
    assertMatch(lines.at(-1) ?? "", /^Got 0 poems in /);
    assertEquals([code, stderr], [130, ""]);
  });
});
