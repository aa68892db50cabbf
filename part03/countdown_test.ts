import { assert, assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));

Deno.test("part3:countdown counts 5 to 1 a second apart, then prints Stop!", async () => {
  const started = performance.now();
  const { code, stdout } = await runTask("part3:countdown");
  const seconds = (performance.now() - started) / 1000;
  assertEquals(stdout, "Start!\n5 ...\n4 ...\n3 ...\n2 ...\n1 ...\nStop!\n");
  assertShows(shownOutput(chapter, "deno task part3:countdown"), stdout);
  assertEquals(code, 0);
  assert(seconds >= 5, `finished after ${seconds} s, before the five one-second waits`);
});
