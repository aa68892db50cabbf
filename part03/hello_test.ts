import { assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));

Deno.test("part3:hello prints before the reactor runs, then from the callback", async () => {
  const { code, stdout } = await runTask("part3:hello");
  assertEquals(stdout.split("\n"), [
    "Starting the reactor.",
    "Hello from the reactor loop!",
    "Lately I feel like I'm stuck in a rut.",
    "",
  ]);
  assertShows(shownOutput(chapter, "deno task part3:hello"), stdout);
  assertEquals(code, 0);
});
