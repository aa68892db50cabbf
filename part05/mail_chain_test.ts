import { assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { leavesNoMailbox } from "./_mail_testing.ts";

Deno.test("part5:mail-chain reads the letter, then shreds it, as the essay shows", async () => {
  const { code, stdout, stderr } = await leavesNoMailbox(() =>
    runTask("part5:mail-chain", ["--deliver-after", "0.1", "--deadline", "60"])
  );
  assertEquals(stdout, "letter\nbuzzzzz: this letter is junk\n");
  assertEquals([code, stderr], [0, ""]);
});

Deno.test("part5:mail-chain --letter: the value travels down the chain, changed by readMail", async () => {
  const { code, stdout } = await leavesNoMailbox(() =>
    runTask("part5:mail-chain", ["--deliver-after", "0.1", "--letter", "postcard"])
  );
  assertEquals([code, stdout], [0, "postcard\nbuzzzzz: this postcard is junk\n"]);
});

Deno.test("part5:mail-chain rejects a --letter of two lines with the usage and status 2", async () => {
  const { code, stdout, stderr } = await runTask("part5:mail-chain", ["--letter", "a\nb"]);
  assertEquals([code, stdout], [2, ""]);
  assertMatch(stderr, /^error: --letter must be one line of text, got "a\\nb"\n\nusage: /);
});

Deno.test("part5:mail-chain skips both callbacks when no letter comes in time", async () => {
  const { code, stdout, stderr } = await leavesNoMailbox(() =>
    runTask("part5:mail-chain", ["--deliver-after", "60", "--deadline", "0.2"])
  );
  assertEquals(stdout, "No mail after 0.2 s, giving up\n");
  assertEquals([code, stderr], [1, ""]);
});
