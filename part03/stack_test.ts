import { assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));

Deno.test("part3:stack shows the reactor's loop calling the script's function", async () => {
  const { code, stdout } = await runTask("part3:stack");
  const lines = stdout.trim().split("\n");
  assertEquals(lines[0], "The JavaScript stack:");
  assertMatch(lines[1], /^ {4}at stack \(.*part03\/stack\.ts:\d+:\d+\)$/);
  const frames = lines.slice(2).join("\n");
  assertMatch(frames, /at EPollReactor\.runUntilCurrent \(.*lib\/reactor\/base\.ts/);
  assertMatch(frames, /at EPollReactor\.#mainLoop \(.*lib\/reactor\/base\.ts/);
  assertMatch(frames, /at EPollReactor\.run \(.*lib\/reactor\/base\.ts/);
  assertShows(shownOutput(chapter, "deno task part3:stack"), stdout);
  assertEquals(code, 0);
});
