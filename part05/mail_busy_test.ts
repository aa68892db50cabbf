import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";
import { leavesNoMailbox } from "./_mail_testing.ts";
import { waitForMailBusy } from "./mail_busy.ts";

const chapter = await Deno.readTextFile(
  new URL("section3_deferred_at_work.md", import.meta.url),
);

Deno.test("waitForMailBusy() calls the errback at its deadline, and the callback with a letter there", () => {
  const errors: string[] = [];
  waitForMailBusy(
    "/tmp/twisted-intro-mail/no-such-mailbox/mail",
    0.01,
    () => {},
    (e) => errors.push(e.message),
  );
  assertEquals(errors, ["No mail after 0.01 s"]);
  const letters: string[][] = [];
  waitForMailBusy("poetry/science.txt", 0.01, (mail) => letters.push(mail), () => {});
  assertEquals([letters.length, letters[0].length > 10], [1, true]);
});

Deno.test("part5:mail-busy gets the letter both ways, the busy loop not before the postman", async () => {
  const { code, stdout, stderr } = await leavesNoMailbox(() =>
    runTask("part5:mail-busy", ["--deliver-after", "0.3", "--deadline", "30"])
  );
  assertEquals([code, stderr], [0, ""]);
  const lines = stdout.trimEnd().split("\n");
  assertEquals(lines[0], "The postman comes after 0.3 s, each time.");
  const cpu =
    'got "letter" after (\\d+\\.\\d) s, using \\d+ ms of CPU time \\(\\d+ % of a core\\)$';
  const busy = new RegExp(`^Busy wait: ${cpu}`).exec(lines[1]);
  assert(busy !== null, lines[1]);
  assert(Number(busy[1]) >= 0.2, lines[1]);
  assertMatch(lines[2], new RegExp(`^callLater once a second: ${cpu}`));
  assertEquals(lines.length, 3);
});

Deno.test("part5:mail-busy: the chapter shows a real run", async () => {
  const block = shownOutput(chapter, "deno task part5:mail-busy");
  const { stdout } = await leavesNoMailbox(() =>
    runTask("part5:mail-busy", ["--deliver-after", "0.2", "--deadline", "30"])
  );
  assertShows(block, stdout, { anyNumbers: true });
});
