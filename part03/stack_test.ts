import { assertEquals, assertMatch } from "../lib/_assert.ts";
import { runTask } from "../lib/_testing.ts";

Deno.test("part3:stack shows the reactor's loop calling the script's function", async () => {
  const { code, stdout } = await runTask("part3:stack");
  const lines = stdout.trim().split("\n");
  assertEquals(lines[0], "The JavaScript stack:");
  assertMatch(lines[1], /^ {4}at stack \(.*part03\/stack\.ts:\d+:\d+\)$/);
  const frames = lines.slice(2).join("\n");
  assertMatch(frames, /at EPollReactor\.runUntilCurrent \(.*lib\/base_reactor\.ts/);
  assertMatch(frames, /at EPollReactor\.#mainLoop \(.*lib\/base_reactor\.ts/);
  assertMatch(frames, /at EPollReactor\.run \(.*lib\/base_reactor\.ts/);
  assertEquals(code, 0);
});
