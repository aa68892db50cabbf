import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import {
  checkClosedStdout,
  POEMS,
  refusingPort,
  withServers,
} from "../lib/testing/poetry_servers.ts";
import { assertShows, shownOutputs } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));
/** Lines that depend on when the bytes arrived: the reads, and which poem ended first. */
const READS = [/^Task \d+: got \d+ bytes of poetry from /, /^Task \d+ finished$/];

Deno.test("part4:get-poetry downloads every poem at once, reporting each read", async () => {
  await withServers(["ecstasy", "fascination", "science"], 0.005, 30, async (ports) => {
    const { code, stdout } = await runTask("part4:get-poetry", ports.map(String));
    const lines = stdout.trim().split("\n");
    for (const [index, name] of (["ecstasy", "fascination", "science"] as const).entries()) {
      const task = index + 1;
      const reads = lines.filter((line) => line.startsWith(`Task ${task}: got `));
      assert(reads.length > 1, `task ${task} was read in pieces`);
      for (const read of reads) {
        assertMatch(
          read,
          new RegExp(
            `^Task ${task}: got \\d+ bytes of poetry from 127\\.0\\.0\\.1:${ports[index]}$`,
          ),
        );
      }
      assert(lines.includes(`Task ${task} finished`));
      assert(lines.includes(`Task ${task}: ${POEMS[name].bytes} bytes of poetry`));
    }
    // Reads from different tasks interleave: the reactor serves them all at once.
    const order = lines.filter((line) => / got /.test(line)).map((line) => line.slice(0, 6));
    assert(
      order.indexOf("Task 2") < order.lastIndexOf("Task 1"),
      "task 2 read before task 1 ended",
    );
    assertMatch(lines.at(-1) ?? "", /^Got 3 poems in 0:00:\d\d\.\d{6}$/);
    const [block] = shownOutputs(chapter).filter((block) =>
      block.command === "deno task part4:get-poetry 10000 10001 10002"
    );
    assertShows(block, stdout, { timing: READS });
    assertEquals(code, 0);
  });
});

Deno.test("part4:get-poetry --print prints each poem whole, multi-byte characters intact", async () => {
  await withServers(["ecstasy", "fascination"], 0.001, 7, async (ports) => {
    const { code, stdout } = await runTask("part4:get-poetry", ["--print", ...ports.map(String)]);
    for (const name of ["ecstasy", "fascination"] as const) {
      assert(stdout.includes(await Deno.readTextFile(POEMS[name].poem)), `${name} printed whole`);
    }
    assertEquals(code, 0);
  });
});

Deno.test("part4:get-poetry gives up with one line when a connection is refused", async () => {
  const port = refusingPort();
  const { code, stdout, stderr } = await runTask("part4:get-poetry", [String(port)]);
  assertEquals(stdout, `Task 1: failed to connect to 127.0.0.1:${port}: Connection refused\n`);
  assertEquals([code, stderr], [1, ""]);
});

Deno.test("part4:get-poetry rejects a bad command line with one line, the usage and status 2", async () => {
  for (const args of [[], ["not-a-port"], ["127.0.0.1:99999"], ["--bogus", "10000"]]) {
    const { code, stdout, stderr } = await runTask("part4:get-poetry", args);
    assertEquals([code, stdout], [2, ""], `for ${args.join(" ")}`);
    assertMatch(stderr, /^error: .*\n\nusage: deno task part4:get-poetry /);
  }
});

Deno.test("part4:get-poetry on Ctrl-C: says which tasks were interrupted, reports them as partial, exits 130", async () => {
  // ecstasy at 10 bytes every 0.05 s takes 15 s; fascination at 0.001 s ends at once.
  await withServers(["ecstasy"], 0.05, 10, async ([slow]) => {
    await withServers(["fascination"], 0.001, 10, async ([fast]) => {
      const { code, stdout } = await runTask("part4:get-poetry", [String(slow), String(fast)], {
        interruptAfter: "Task 2 finished",
      });
      const lines = stdout.trim().split("\n");
      assert(lines.includes("Task 1: interrupted"), stdout);
      assertMatch(stdout, /^Task 1: \d+ bytes of poetry \(partial\)$/m);
      assert(lines.includes("Task 2: 623 bytes of poetry"), stdout);
      assertMatch(lines.at(-1) ?? "", /^Got 1 poems in /);
      assertEquals(code, 130);
    });
  });
});

Deno.test("part4:get-poetry on Ctrl-C reports every unfinished task as the chapter shows", async () => {
  await withServers(["ecstasy", "fascination", "science"], 0.05, 10, async (ports) => {
    const { code, stdout } = await runTask("part4:get-poetry", ports.map(String), {
      interruptAfter: " got ",
    });
    const [, block] = shownOutputs(chapter).filter((block) =>
      block.command === "deno task part4:get-poetry 10000 10001 10002"
    );
    assertShows(block, stdout, { timing: READS, anyNumbers: true });
    assertEquals(code, 130);
  });
});

Deno.test("part4:get-poetry on SIGTERM: the same report, exit 143", async () => {
  await withServers(["ecstasy"], 0.05, 10, async ([slow]) => {
    const { code, stdout } = await runTask("part4:get-poetry", [String(slow)], {
      interruptAfter: " got ",
      signal: "SIGTERM",
    });
    assert(stdout.includes("Task 1: interrupted\n"), stdout);
    assertMatch(stdout, /^Task 1: \d+ bytes of poetry \(partial\)\nGot 0 poems in /m);
    assertEquals(code, 143);
  });
});

Deno.test("part4:get-poetry ends promptly and quietly when its stdout closes", async () => {
  await checkClosedStdout("part4:get-poetry");
});
