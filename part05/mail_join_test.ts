import { assert, assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";
import { leavesNoMailbox } from "./_mail_testing.ts";

const chapter = await Deno.readTextFile(
  new URL("section3_deferred_at_work.md", import.meta.url),
);
const LINE =
  /^(join\(\)|deferToThread): the thread got "letter" after (\d+\.\d) s; the heartbeat was (\d+\.\d) ms late at worst$/;

Deno.test("part5:mail-join: join() stops the heartbeat until the thread ends; deferToThread gets the mail too", async () => {
  const { code, stdout, stderr } = await leavesNoMailbox(() =>
    runTask("part5:mail-join", ["--deliver-after", "0.4", "--deadline", "30"])
  );
  assertEquals([code, stderr], [0, ""]);
  const lines = stdout.trimEnd().split("\n");
  assertEquals(lines.length, 3);
  const joined = LINE.exec(lines[1]);
  const deferred = LINE.exec(lines[2]);
  assert(joined !== null && joined[1] === "join()", lines[1]);
  assert(deferred !== null && deferred[1] === "deferToThread", lines[2]);
  // Joined, no beat can happen before the postman has come: 0.4 s, less one interval.
  assert(Number(joined[3]) >= 400 - 50 - 0.2, lines[1]);
});

Deno.test("part5:mail-join: the chapter shows a real run", async () => {
  const block = shownOutput(chapter, "deno task part5:mail-join");
  assertEquals(block.lines.length, 3);
  assert(block.lines.slice(1).every((line) => LINE.test(line)));
  const { stdout } = await leavesNoMailbox(() =>
    runTask("part5:mail-join", ["--deliver-after", "0.2", "--deadline", "30"])
  );
  assertShows(block, stdout, { anyNumbers: true });
});
