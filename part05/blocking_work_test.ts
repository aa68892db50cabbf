import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("section4_threads.md", import.meta.url));

/** Checks the output's lines; returns how late the heartbeat was inline, and how long the work took. */
function check(lines: string[], limit: number, primes: number): { late: number; ms: number } {
  assertEquals(lines.length, 3);
  assertEquals(lines[0], `Heartbeat every 0.05 s; counting the primes below ${limit}, twice.`);
  const pattern = (how: string): RegExp =>
    new RegExp(
      `^${how}: ${primes} primes below ${limit} in (\\d+\\.\\d) ms; ` +
        "the heartbeat was (\\d+\\.\\d) ms late at worst$",
    );
  const inline = pattern("Inline").exec(lines[1]);
  assert(inline !== null, lines[1]);
  assertMatch(lines[2], pattern("In a thread"));
  return { ms: Number(inline[1]), late: Number(inline[2]) };
}

Deno.test("part5:blocking-work: the inline count stalls the heartbeat for as long as it runs", async () => {
  const { code, stdout } = await runTask("part5:blocking-work", ["--limit", "300000"]);
  assertEquals(code, 0);
  const { ms, late } = check(stdout.trimEnd().split("\n"), 300000, 25997);
  // No beat can happen while the count runs, so one gap is at least that long.
  assert(late >= ms - 50 - 0.2, `late by ${late} ms after ${ms} ms of work`);
});

Deno.test("part5:blocking-work: the chapter shows a real run", async () => {
  const block = shownOutput(chapter, "deno task part5:blocking-work");
  check(block.lines, 3000000, 216816);
  const { stdout } = await runTask("part5:blocking-work", ["--limit", "20000"]);
  assertShows(block, stdout, { anyNumbers: true });
});

Deno.test("part5:blocking-work rejects a bad --limit with the usage and status 2", async () => {
  const { code, stderr } = await runTask("part5:blocking-work", ["--limit", "1"]);
  assertEquals(code, 2);
  assertMatch(stderr, /^error: --limit must be a whole number, 2 or more, got "1"\n\nusage: /);
});

Deno.test("part5:blocking-work: Ctrl-C during the threaded count ends it at once, with 130", async () => {
  const { code, stdout, stderr } = await runTask("part5:blocking-work", ["--limit", "6000000"], {
    interruptAfter: "Inline:",
  });
  // The reactor stops, react ends the script: the count in the Worker is cut short.
  assertEquals([code, stderr], [130, ""]);
  assertMatch(stdout, /^Heartbeat every /);
});
