import { assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));

Deno.test("part3:measure reports idle CPU time and callLater lateness", async () => {
  const { code, stdout } = await runTask("part3:measure", [
    "--idle",
    "0.2",
    "--calls",
    "5",
    "--delay",
    "0.01",
  ]);
  const lines = stdout.trim().split("\n");
  assertEquals(lines.length, 3);
  assertMatch(lines[0], /^Settling for 1 s after start-up: \d+\.\d\d ms of CPU time$/);
  assertMatch(lines[1], /^Idle for 0\.2 s: \d+\.\d\d ms of CPU time$/);
  assertMatch(lines[2], /^callLater\(0\.01\) x 5: late by \d+\.\d{3} ms \(median\), /);
  // The chapter shows a run with the defaults; these options change only the numbers.
  assertShows(shownOutput(chapter, "deno task part3:measure"), stdout, { anyNumbers: true });
  assertEquals(code, 0);
});

Deno.test("part3:measure rejects a bad option with one line, the usage and status 2", async () => {
  for (const args of [["--idle", "-1"], ["--idle=-1"], ["--calls", "many"], ["--bogus"]]) {
    const { code, stdout, stderr } = await runTask("part3:measure", args);
    assertEquals([code, stdout], [2, ""], `for ${args.join(" ")}`);
    assertMatch(stderr, /^error: [^\n]+\n\nusage: deno task part3:measure /);
  }
});
