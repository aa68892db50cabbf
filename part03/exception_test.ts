import { assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));

Deno.test("part3:exception reports the error, gets up again, and exits 0", async () => {
  const { code, stdout, stderr } = await runTask("part3:exception");
  assertEquals(stdout, "Starting the reactor.\nBut I get up again.\n");
  assertMatch(
    stderr,
    /^Unhandled error in a reactor callback:\nError: I fall down\.\n {4}at fallDown \(.*part03\/exception\.ts:\d+:\d+\)\n/,
  );
  assertShows(shownOutput(chapter, "deno task part3:exception"), stdout, { stderr });
  assertEquals(code, 0);
});
