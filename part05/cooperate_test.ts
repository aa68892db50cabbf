import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";
import { Clock } from "../lib/reactor/task.ts";
import { Cooperator } from "../lib/reactor/cooperator.ts";
import { primesInSteps } from "./cooperate.ts";

const chapter = await Deno.readTextFile(new URL("section4_threads.md", import.meta.url));

/** The lines' numbers that do not depend on timing, each count checked. */
function check(lines: string[], limit: number, step: number, primes: number): void {
  const line = (how: string): RegExp =>
    new RegExp(
      `^${how}: ${primes} primes below ${limit} in \\d+\\.\\d ms; ` +
        "the heartbeat was \\d+\\.\\d ms late at worst$",
    );
  assertEquals(lines.length, 4);
  assertEquals(lines[0], `Heartbeat every 0.05 s; counting the primes below ${limit}, three ways.`);
  assertMatch(lines[1], line("Inline"));
  assertMatch(lines[2], line(`In slices of ${step} numbers`));
  assertMatch(lines[3], line("In a thread"));
}

Deno.test("primesInSteps() yields once per step, and the Cooperator's slices add up to the count", () => {
  const clock = new Clock();
  let slices = 0;
  const cooperator = new Cooperator({
    scheduler: (slice) => clock.callLater(0, () => (slices++, slice())),
    terminationPredicateFactory: () => () => true, // one step per slice
  });
  const tally = { primes: 0 };
  const d = cooperator.coiterate(primesInSteps(10_000, 1000, tally));
  clock.advance(0);
  assert(d.called);
  assertEquals([tally.primes, slices], [1229, 10]); // nine yields (1000 … 9000), then the end
});

Deno.test("part5:cooperate counts the same primes inline, in slices and in a thread", async () => {
  const { code, stdout, stderr } = await runTask("part5:cooperate", ["--limit", "20000"]);
  assertEquals([code, stderr], [0, ""]);
  check(stdout.trimEnd().split("\n"), 20000, 1000, 2262);
});

Deno.test("part5:cooperate: the chapter shows a real run", async () => {
  const block = shownOutput(chapter, "deno task part5:cooperate");
  check(block.lines, 3000000, 1000, 216816);
  const { stdout } = await runTask("part5:cooperate", ["--limit", "20000"]);
  assertShows(block, stdout, { anyNumbers: true });
});

Deno.test("part5:cooperate rejects a bad --step with the usage and status 2", async () => {
  const { code, stderr } = await runTask("part5:cooperate", ["--step", "0"]);
  assertEquals(code, 2);
  assertMatch(stderr, /^error: --step must be a whole number, 1 or more, got "0"\n\nusage: /);
});
