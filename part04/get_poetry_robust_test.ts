import { assert, assertEquals, assertStringIncludes } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { refusingPort, withServers } from "../lib/testing/poetry_servers.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));
/** Lines that depend on when the bytes arrived: the reads, and which poem ended first. */
const READS = [/^Task \d+: got \d+ bytes of poetry from /, /^Task \d+ finished$/];

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
    const block = shownOutput(chapter, "deno task part4:get-poetry-robust 10001 10009 10002");
    assertShows(block, stdout, { timing: READS });
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

Deno.test("part4:get-poetry-robust takes localhost, and says how to allow a host its task may not reach", async () => {
  await withServers(["science"], 0.001, 20, async ([port]) => {
    const { code, stdout } = await runTask("part4:get-poetry-robust", [
      `localhost:${port}`,
      "10.255.0.1:10000",
    ]);
    const lines = stdout.trim().split("\n");
    assertStringIncludes(
      lines[0],
      "Task 2: failed to connect to 10.255.0.1:10000: part4:get-poetry-robust may use the network " +
        "only on 127.0.0.1, localhost and [::1]; to allow 10.255.0.1, run: deno run " +
        "'--allow-net=127.0.0.1,localhost,[::1],10.255.0.1' --allow-read=lib " +
        `part04/get_poetry_robust.ts localhost:${port} 10.255.0.1:10000`,
    );
    assert(lines.includes("Task 1: 653 bytes of poetry"), stdout);
    assertEquals(code, 1);
  });
});
