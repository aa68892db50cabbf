import { assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("section4_threads.md", import.meta.url));

function check(lines: string[], limit: number, primes: number, samples: number): void {
  const median = `\\d+\\.\\d\\d ms \\(median of ${samples}\\)$`;
  assertEquals(lines.length, 4);
  assertMatch(
    lines[0],
    new RegExp(`^In a process: ${primes} primes below ${limit} in \\d+\\.\\d ms$`),
  );
  assertMatch(lines[1], new RegExp(`^Starting a process for a trivial answer: ${median}`));
  assertMatch(lines[2], new RegExp(`^Starting a Worker for a trivial answer: ${median}`));
  assertMatch(lines[3], new RegExp(`^A trivial call to a Worker already started: ${median}`));
}

Deno.test("part5:process: the count comes back from a process; start-ups are timed", async () => {
  const { code, stdout, stderr } = await runTask("part5:process", [
    "--limit",
    "1000",
    "--samples",
    "1",
  ]);
  assertEquals([code, stderr], [0, ""]);
  check(stdout.trimEnd().split("\n"), 1000, 168, 1);
});

Deno.test("part5:process: the chapter shows a real run", async () => {
  const block = shownOutput(chapter, "deno task part5:process");
  check(block.lines, 3000000, 216816, 5);
  const args = ["--limit", "1000", "--samples", "1"];
  const { stdout } = await runTask("part5:process", args);
  assertShows(block, stdout, { anyNumbers: true });
});

Deno.test("part5:process rejects a bad --samples with the usage and status 2", async () => {
  const { code, stderr } = await runTask("part5:process", ["--samples", "0"]);
  assertEquals(code, 2);
  assertMatch(stderr, /^error: --samples must be a whole number, 1 or more, got "0"\n\nusage: /);
});
