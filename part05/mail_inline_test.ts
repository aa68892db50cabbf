import { assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { leavesNoMailbox } from "./_mail_testing.ts";

Deno.test("part5:mail-inline checks the mail with inlineCallbacks, then with async/await", async () => {
  const { code, stdout, stderr } = await leavesNoMailbox(() =>
    runTask("part5:mail-inline", ["--deliver-after", "0.1", "--deadline", "60"])
  );
  assertEquals(
    stdout,
    [
      "checkMail, with inlineCallbacks:",
      "got mail",
      "letter",
      "checkMail, with async/await:",
      "got mail",
      "letter",
      "",
    ].join("\n"),
  );
  assertEquals([code, stderr], [0, ""]);
});

Deno.test("part5:mail-inline cancels the generators' sleep at the deadline", async () => {
  const { code, stdout, stderr } = await leavesNoMailbox(() =>
    runTask("part5:mail-inline", ["--deliver-after", "60", "--deadline", "0.2"])
  );
  assertEquals(stdout, "checkMail, with inlineCallbacks:\nNo mail after 0.2 s, giving up\n");
  assertEquals([code, stderr], [1, ""]);
});
