import { assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));

for (const [task, name] of [["part3:simple", "reactor"], ["part3:simple-poll", "PollReactor"]]) {
  Deno.test(`${task} waits until Ctrl-C, then run() resolves and it exits 0`, async () => {
    const { code, stdout, stderr } = await runTask(task, [], {
      interruptAfter: "press Ctrl-C",
      timeoutSeconds: 20,
    });
    assertEquals(stdout.trim().split("\n"), [
      `Running the ${name}; press Ctrl-C to stop it.`,
      "The reactor has stopped.",
    ]);
    assertEquals([code, stderr], [0, ""]);
    assertShows(shownOutput(chapter, `deno task ${task}`), stdout);
  });
}
