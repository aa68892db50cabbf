import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("section4_threads.md", import.meta.url));

/** Checks the output's lines: never more than expected with a load then a store, exact with Atomics.add. */
function check(lines: string[], workers: number, times: number, rounds: number): void {
  const expected = workers * times;
  assertEquals(lines.length, rounds + 2);
  assertEquals(
    lines[0],
    `${workers} Workers add 1 to a shared counter ${times} times each: ${expected} expected.`,
  );
  for (let round = 1; round <= rounds; round++) {
    const match = new RegExp(`^Load, then store, race ${round}: (\\d+) \\((none|\\d+) lost\\)$`)
      .exec(lines[round]);
    assert(match !== null, lines[round]);
    const total = Number(match[1]);
    // Updates can be lost, never invented.
    assert(total <= expected, `${total} > ${expected}`);
    assertEquals(match[2], total === expected ? "none" : String(expected - total));
  }
  assertEquals(lines[rounds + 1], `Atomics.add: ${expected} (none lost)`);
}

Deno.test("part5:thread-race: a load then a store loses updates or not, Atomics.add is exact", async () => {
  const args = ["--workers", "3", "--times", "200000", "--rounds", "2"];
  const { code, stdout } = await runTask("part5:thread-race", args);
  assertEquals(code, 0);
  check(stdout.trimEnd().split("\n"), 3, 200000, 2);
});

Deno.test("part5:thread-race: the chapter shows a real run, with updates lost", async () => {
  const block = shownOutput(chapter, "deno task part5:thread-race");
  check(block.lines, 2, 10000000, 3);
  assert(!block.lines[1].endsWith("(none lost)"), "the chapter's run shows the race");
  const { stdout } = await runTask("part5:thread-race", ["--times", "20000"]);
  // How many are lost, if any, depends on timing.
  assertShows(block, stdout, { anyNumbers: true, timing: [/^Load, then store, race \d: /] });
});

Deno.test("part5:thread-race rejects a single worker with the usage and status 2", async () => {
  const { code, stderr } = await runTask("part5:thread-race", ["--workers", "1"]);
  assertEquals(code, 2);
  assertMatch(stderr, /^error: --workers must be a whole number, 2 or more, got "1"\n\nusage: /);
});
