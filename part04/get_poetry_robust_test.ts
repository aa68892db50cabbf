import { assert, assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { refusingPort, withServers } from "./_servers.ts";

Deno.test("part4:get-poetry-robust reports a refused connection and the other tasks complete", async () => {
  const refused = refusingPort();
  await withServers(["fascination", "science"], 0.001, 20, async ([first, third]) => {
    const { code, stdout } = await runTask("part4:get-poetry-robust", [
      String(first),
      String(refused),
      String(third),
    ]);
    const lines = stdout.trim().split("\n");
    assertEquals(lines[0], `Task 2: failed to connect to 127.0.0.1:${refused}: Connection refused`);
    assert(lines.includes("Task 1: 623 bytes of poetry"));
    assert(lines.includes("Task 3: 653 bytes of poetry"));
    assert(lines.at(-1)?.startsWith("Got 2 poems in "));
    assertEquals(code, 1);
  });
});

Deno.test("part4:get-poetry-robust does not start the reactor when nothing connected", async () => {
  const refused = refusingPort();
  const { code, stdout } = await runTask("part4:get-poetry-robust", [String(refused)], {
    timeoutSeconds: 20,
  });
  const lines = stdout.trim().split("\n");
  assertEquals(lines[0], `Task 1: failed to connect to 127.0.0.1:${refused}: Connection refused`);
  assert(lines[1].startsWith("Got 0 poems in "));
  assertEquals(code, 1);
});
