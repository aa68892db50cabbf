import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("section4_threads.md", import.meta.url));

/** Checks what the race guarantees: one Worker loses nothing; no cell gains an update. */
function check(lines: string[], workers: number[], works: number[], times: number): void {
  assertEquals(lines.length, 2 + workers.length);
  assertEquals(
    lines[0],
    `Updates lost, each Worker adding 1 ${times} times with a load, then a store:`,
  );
  assertEquals(lines[1].trim().split(/\s{2,}/), works.map((w) => `work ${w}`));
  workers.forEach((n, i) => {
    const [label, ...cells] = lines[2 + i].trim().split(/\s{2,}/);
    assertEquals(label, `${n} Worker${n === 1 ? "" : "s"}`);
    assertEquals(cells.length, works.length);
    for (const cell of cells) {
      // Lost, never gained: a percentage from 0 to 100, or none.
      assertMatch(cell, /^(none|\d{1,3}\.\d %)$/);
      assert(cell === "none" || Number(cell.split(" ")[0]) <= 100, cell);
      if (n === 1) assertEquals(cell, "none"); // one thread races no one
    }
  });
}

Deno.test("part5:contention: one Worker loses nothing, more never gain an update", async () => {
  const args = ["--workers", "1,3", "--work", "0,10", "--times", "20000"];
  const { code, stdout, stderr } = await runTask("part5:contention", args);
  assertEquals([code, stderr], [0, ""]);
  check(stdout.trimEnd().split("\n"), [1, 3], [0, 10], 20000);
});

Deno.test("part5:contention: the chapter shows a real run", async () => {
  const block = shownOutput(chapter, "deno task part5:contention");
  check(block.lines, [1, 2, 4], [0, 10, 100], 200000);
  const args = ["--workers", "1,2,4", "--work", "0,10,100", "--times", "2000"];
  const { stdout } = await runTask("part5:contention", args);
  // The losses depend on timing; the table's frame and the one-Worker row do not.
  assertShows(block, stdout, { anyNumbers: true, timing: [/^\d Workers /] });
});

Deno.test("part5:contention rejects more than 10 Workers with the usage and status 2", async () => {
  const { code, stderr } = await runTask("part5:contention", ["--workers", "2,11"]);
  assertEquals(code, 2);
  assertMatch(stderr, /^error: --workers must be at most 10, got "11"\n\nusage: /);
});
