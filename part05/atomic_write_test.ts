import { assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";
import { leavesNoMailbox } from "./_mail_testing.ts";

const chapter = await Deno.readTextFile(new URL("section4_threads.md", import.meta.url));

function check(lines: string[], size: number, rewrites: number): void {
  assertEquals(lines.length, 3);
  assertEquals(
    lines[0],
    `A Worker reads a ${size}-byte file whole, over and over, while the main thread ` +
      `rewrites it ${rewrites} times.`,
  );
  assertMatch(lines[1], /^In place, Deno\.writeFileSync: \d+ reads, (none|\d+) torn$/);
  // What a rename guarantees: a reader sees one version or the other, whole.
  assertMatch(
    lines[2],
    /^By rename, a temporary file then Deno\.renameSync: \d+ reads, none torn$/,
  );
}

Deno.test("part5:atomic-write: no read is torn when the file is replaced by rename", async () => {
  const { code, stdout, stderr } = await leavesNoMailbox(() =>
    runTask("part5:atomic-write", ["--size", "65536", "--rewrites", "100"])
  );
  assertEquals([code, stderr], [0, ""]);
  check(stdout.trimEnd().split("\n"), 65536, 100);
});

Deno.test("part5:atomic-write: the chapter shows a real run, with torn reads in place", async () => {
  const block = shownOutput(chapter, "deno task part5:atomic-write");
  check(block.lines, 1048576, 200);
  const { stdout } = await runTask("part5:atomic-write", ["--size", "65536", "--rewrites", "20"]);
  assertShows(block, stdout, { anyNumbers: true, timing: [/^In place, /] });
});

Deno.test("part5:atomic-write rejects a bad --size with the usage and status 2", async () => {
  const { code, stderr } = await runTask("part5:atomic-write", ["--size", "1"]);
  assertEquals(code, 2);
  assertMatch(stderr, /^error: --size must be a whole number, 2 or more, got "1"\n\nusage: /);
});
