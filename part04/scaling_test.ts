import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask, testBadInputs } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

Deno.test("part4:scaling prints a row per size with both reactors' time per read", async () => {
  const { code, stdout, stderr } = await runTask("part4:scaling", [
    "--sizes",
    "5,50",
    "--reads",
    "200",
  ], { timeoutSeconds: 60 });
  assertEquals(code, 0, stderr);
  assertEquals(stderr, "");
  const lines = stdout.trimEnd().split("\n");
  assertEquals(lines.slice(0, 2), [
    "Time per dispatched read, one ready socket among N, each read including a hop through " +
    "the peer process (200 reads each):",
    "      N   PollReactor   EPollReactor",
  ]);
  assertEquals(lines.length, 4, stdout);
  for (const [line, size] of [[lines[2], "5"], [lines[3], "50"]]) {
    // Right-aligned under the header: N in 7 columns, then 14 and 15.
    assertEquals(line.length, 7 + 14 + 15, JSON.stringify(line));
    assertEquals(line.slice(0, 7), size.padStart(7));
    for (const cell of [line.slice(7, 21), line.slice(21)]) {
      assertMatch(cell, /^ +\d+\.\d µs$/);
      assert(Number.parseFloat(cell) > 0, line);
    }
  }
  // The chapter's run had other sizes and more reads: the header is the same, rows aside.
  const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));
  assertShows(shownOutput(chapter, "deno task part4:scaling --reads 10000"), stdout, {
    anyNumbers: true,
    timing: [/^ +\d+ +[\d.]+ µs +[\d.]+ µs$/],
  });
});

Deno.test("part4:scaling stops its peer process on Ctrl-C and exits with 130", async () => {
  // The peer process writes to the same stderr: the run is over only when it has exited too.
  const { code, stdout, stderr } = await runTask("part4:scaling", [
    "--sizes",
    "2000",
    "--reads",
    "1000000",
  ], { timeoutSeconds: 60, interruptAfter: "   PollReactor   EPollReactor" });
  assertEquals(code, 130, stderr);
  assertEquals(stderr, "");
  assertMatch(stdout, /\nInterrupted: stopping the peer process\n$/);
});

testBadInputs("part4:scaling", [
  ["an empty size", ["--sizes", "10,,100"], /--sizes must be whole numbers/],
  ["a size that is not a number", ["--sizes", "ten"], /--sizes must be whole numbers/],
  ["zero reads", ["--reads", "0"], /--reads must be a whole number, 1 or more, got "0"/],
  ["reads that are not a number", ["--reads", "many"], /--reads must be a whole number/],
  ["an unknown option", ["--size", "10"], /Unknown option '--size'/],
  ["an argument", ["10"], /Unexpected argument '10'/],
]);
