import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { withServers } from "../lib/testing/poetry_servers.ts";
import { runProbe } from "./_servers.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));
/** Lines that depend on when the bytes arrived: the reads, and which poem ended first. */
const READS = [/^Task \d+: got \d+ bytes of poetry from /, /^Task \d+ finished$/];

Deno.test("part4:get-poetry-timeout abandons a slow poem and keeps the fast ones", async () => {
  // ecstasy at 10 bytes every 0.05 s would take 15 s; the two others take about 0.1 s.
  await withServers(["ecstasy"], 0.05, 10, async ([slow]) => {
    await withServers(["fascination", "science"], 0.001, 10, async (fast) => {
      const started = performance.now();
      const { code, stdout } = await runTask("part4:get-poetry-timeout", [
        "--timeout",
        "0.5",
        String(slow),
        ...fast.map(String),
      ]);
      const seconds = (performance.now() - started) / 1000;
      const lines = stdout.trim().split("\n");
      assert(lines.includes("Task 1: timed out after 0.5 seconds"), stdout);
      assert(lines.includes("Task 2 finished"));
      assert(lines.includes("Task 2: 623 bytes of poetry"));
      assert(lines.includes("Task 3: 653 bytes of poetry"));
      const partial = Number(/^Task 1: (\d+) bytes of poetry \(partial\)$/m.exec(stdout)?.[1]);
      assert(partial > 0 && partial < 3003, `task 1 got ${partial} bytes before its deadline`);
      // The abandoned poem is not counted, and the exit status says one is missing.
      assertMatch(lines.at(-1) ?? "", /^Got 2 poems in 0:00:\d\d\.\d{6}$/);
      assert(seconds < 10, "the client did not wait for the slow poem");
      const block = shownOutput(
        chapter,
        "deno task part4:get-poetry-timeout --timeout 7 10000 10001 10002",
      );
      assertShows(block, stdout, { timing: READS, anyNumbers: true });
      assertEquals(code, 1);
    });
  });
});

Deno.test("part4:get-poetry-timeout cancels the timer of a poem that finishes in time", async () => {
  await withServers(["fascination", "science"], 0.001, 20, async (ports) => {
    const { pending, stdout } = await runProbe("timeout", ports);
    assertEquals(pending, 0, stdout);
    assert(!stdout.includes("timed out"));
  });
});

Deno.test("part4:get-poetry-timeout rejects a bad timeout with one line, the usage and status 2", async () => {
  for (const timeout of ["soon", "-1", ""]) {
    const { code, stderr } = await runTask("part4:get-poetry-timeout", [
      `--timeout=${timeout}`,
      "10000",
    ]);
    assertEquals(code, 2, `for --timeout=${timeout}`);
    assertMatch(
      stderr,
      /^error: --timeout must be .*\n\nusage: deno task part4:get-poetry-timeout /,
    );
  }
});

Deno.test("part4:get-poetry-timeout --timeout 0 abandons every poem and says so", async () => {
  await withServers(["science"], 0.01, 10, async ([port]) => {
    const { code, stdout } = await runTask("part4:get-poetry-timeout", [
      "--timeout",
      "0",
      String(port),
    ]);
    const lines = stdout.trim().split("\n");
    assert(lines.includes("Task 1: timed out after 0 seconds"), stdout);
    assertMatch(stdout, /^Task 1: \d+ bytes of poetry \(partial\)$/m);
    assertMatch(lines.at(-1) ?? "", /^Got 0 poems in /);
    assertEquals(code, 1);
  });
});
