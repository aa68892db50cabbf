import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { withServers } from "../lib/testing/poetry_servers.ts";

Deno.test("part5:get-poetry-timeout abandons a slow poem, reports it partial, counts only the fast one", async () => {
  // ecstasy at 10 bytes every 0.05 s takes 15 s; fascination at 50 bytes every 0.001 s, moments.
  await withServers(["ecstasy"], 0.05, 10, async ([slow]) => {
    await withServers(["fascination"], 0.001, 50, async ([fast]) => {
      const { code, stdout } = await runTask("part5:get-poetry-timeout", [
        "--timeout",
        "1",
        String(slow),
        String(fast),
      ]);
      const lines = stdout.trim().split("\n");
      assert(lines.includes("Task 1: timed out after 1 second"), stdout);
      assert(!lines.includes("Task 2: timed out after 1 second"), stdout);
      assert(lines.includes("Task 2: 623 bytes of poetry"));
      const partial = Number(/^Task 1: (\d+) bytes of poetry \(partial\)$/m.exec(stdout)?.[1]);
      assert(partial > 0 && partial < 3003, `task 1 got ${partial} bytes before its deadline`);
      // A timed-out poem is partial: not counted, and the run is not a success.
      assertMatch(lines.at(-1) ?? "", /^Got 1 poems in 0:00:\d\d\.\d{6}$/);
      assertEquals(code, 1);
    });
  });
});

Deno.test("part5:get-poetry-timeout rejects a bad timeout with one line, the usage and status 2", async () => {
  for (const timeout of ["soon", "-1", ""]) {
    const { code, stderr } = await runTask("part5:get-poetry-timeout", [
      `--timeout=${timeout}`,
      "10000",
    ]);
    assertEquals(code, 2, `for --timeout=${timeout}`);
    assertMatch(stderr, /^error: .*timeout.*\n\nusage: deno task part5:get-poetry-timeout /);
  }
});
