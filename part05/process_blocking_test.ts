import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("section4_threads.md", import.meta.url));

/** Checks the lines; returns how long outputSync took and how late the heartbeat was then. */
function check(lines: string[], limit: number, primes: number): { ms: number; late: number } {
  const line = (how: string): RegExp =>
    new RegExp(
      `^${how}: ${primes} primes below ${limit} in (\\d+\\.\\d) ms; ` +
        "the heartbeat was (\\d+\\.\\d) ms late at worst$",
    );
  assertEquals(lines.length, 3);
  assertEquals(
    lines[0],
    `Heartbeat every 0.05 s; counting the primes below ${limit} in a process, twice.`,
  );
  const blocked = line("outputSync").exec(lines[1]);
  assert(blocked !== null, lines[1]);
  assertMatch(lines[2], line("getProcessOutput"));
  return { ms: Number(blocked[1]), late: Number(blocked[2]) };
}

Deno.test("part5:process-blocking: outputSync stalls the heartbeat for as long as the process runs", async () => {
  const { code, stdout, stderr } = await runTask("part5:process-blocking", ["--limit", "1000"]);
  assertEquals([code, stderr], [0, ""]);
  const { ms, late } = check(stdout.trimEnd().split("\n"), 1000, 168);
  // No beat can happen while the thread waits, so one gap is at least that long.
  assert(late >= ms - 50 - 0.2, `late by ${late} ms after ${ms} ms of waiting`);
});

Deno.test("part5:process-blocking: the chapter shows a real run", async () => {
  const block = shownOutput(chapter, "deno task part5:process-blocking");
  check(block.lines, 3000000, 216816);
  const { stdout } = await runTask("part5:process-blocking", ["--limit", "1000"]);
  assertShows(block, stdout, { anyNumbers: true });
});

Deno.test("part5:process-blocking rejects a bad --limit with the usage and status 2", async () => {
  const { code, stderr } = await runTask("part5:process-blocking", ["--limit", "x"]);
  assertEquals(code, 2);
  assertMatch(stderr, /^error: --limit must be a whole number, 2 or more, got "x"\n\nusage: /);
});
