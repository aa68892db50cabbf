import { assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));

Deno.test("part3:three-counters runs three countdowns and stops after the last", async () => {
  const { code, stdout } = await runTask("part3:three-counters");
  const lines = stdout.trim().split("\n");
  assertEquals([lines[0], lines.at(-1)], ["Start!", "Stop!"]);
  for (const [name, from] of [["fast", 6], ["medium", 4], ["slow", 3]] as const) {
    const own = lines.filter((line) => line.startsWith(`${name}: `));
    const expected = Array.from({ length: from }, (_, i) => `${name}: ${from - i} ...`);
    assertEquals(own, [...expected, `${name}: done`]);
  }
  assertEquals(lines.at(-2), "slow: done");
  // Which counter prints first when two are due together depends on timing: compare each counter.
  const block = shownOutput(chapter, "deno task part3:three-counters");
  for (const name of ["Start!", "fast", "medium", "slow", "Stop!"]) {
    const own = (line: string): boolean => line.trim().startsWith(name);
    const shown = { ...block, lines: block.lines.filter(own) };
    assertShows(shown, lines.filter(own).join("\n"));
  }
  assertEquals(code, 0);
});
