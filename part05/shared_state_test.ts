import { assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("section4_threads.md", import.meta.url));

const EXPECTED = [
  'Main thread, before: mood is "cheerful", working directory is ., POETRY_MOOD is not set',
  'A Worker set mood to "gloomy" in its copy of the module',
  'A Worker called Deno.chdir("part05")',
  'A Worker called Deno.env.set("POETRY_MOOD", "gloomy")',
  'Main thread, after: mood is "cheerful", working directory is ./part05, POETRY_MOOD is "gloomy"',
];

Deno.test("part5:shared-state: the Worker's chdir and env change the main thread's, its module does not", async () => {
  const { code, stdout } = await runTask("part5:shared-state");
  assertEquals([code, stdout.trimEnd().split("\n")], [0, EXPECTED]);
});

Deno.test("part5:shared-state: the chapter shows a real run", () => {
  assertEquals(shownOutput(chapter, "deno task part5:shared-state").lines, EXPECTED);
});
