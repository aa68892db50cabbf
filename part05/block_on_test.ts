import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";

Deno.test("part5:block-on: the reactor fires d only after each blocking wait gave up", async () => {
  const { code, stdout, stderr } = await runTask("part5:block-on");
  const lines = stdout.trimEnd().split("\n").map((line) => line.replace(/^\d+\.\d s: /, ""));
  assertEquals(lines.length, 9, stdout);
  const probe = /^probe: the reactor fires d now, (\d+\.\d) s late$/;
  for (const [first, how] of [[0, "spins"], [3, "sleeps between looks"]] as const) {
    assertEquals(
      lines[first],
      `blockOn(d) ${how} for up to 1 s; the poem is due in 0.2 s`,
    );
    // The wait ends empty-handed, and only then does the probe see the reactor fire d:
    // at least the 0.8 s the wait outlasted the poem's due time.
    assertMatch(lines[first + 1], /^blockOn gave up after \d+ looks: d has not fired$/);
    const late = Number(probe.exec(lines[first + 2])?.[1]);
    assert(late >= 0.8, `d fired ${late} s late, sooner than the wait allows`);
  }
  assertEquals(lines[6], "blockOn(d) with await returned at once, with a Promise, not the poem");
  assertMatch(lines[7], probe);
  assertEquals(lines[8], `its Promise resolved with "a poem", on a later turn of the reactor`);
  assertEquals([code, stderr], [0, ""]);
});
