import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { leavesNoMailbox } from "./_mail_testing.ts";

Deno.test("part5:mail-thread waits in a Worker while the reactor's thread lets the postman in", async () => {
  const { code, stdout, stderr } = await leavesNoMailbox(() =>
    runTask("part5:mail-thread", ["--deliver-after", "0.1", "--deadline", "60"])
  );
  const lines = stdout.trimEnd().split("\n");
  assertEquals(lines.length, 5, stdout);
  assertEquals(lines[0], "Waiting for mail in a thread, which looks every 0.1 s");
  assertMatch(lines[1], /^\d+\.\d s: the postman delivers a letter, on the reactor's thread$/);
  assertMatch(lines[2], /^\d+\.\d s: the thread has the mail:$/);
  assertEquals(lines.slice(3), ["letter", "buzzzzz: this letter is junk"]);
  // The letter is delivered before the thread can have it.
  assert(Number(lines[2].split(" ")[0]) >= Number(lines[1].split(" ")[0]));
  assertEquals([code, stderr], [0, ""]);
});

Deno.test("part5:mail-thread gives up at its deadline, and the Worker ends with it", async () => {
  const { code, stdout, stderr } = await leavesNoMailbox(() =>
    runTask("part5:mail-thread", ["--deliver-after", "60", "--deadline", "0.3"])
  );
  const lines = stdout.trimEnd().split("\n");
  assertEquals(lines[0], "Waiting for mail in a thread, which looks every 0.1 s");
  assertMatch(lines[1], /^\d+\.\d s: no mail after 0\.3 s, giving up$/);
  assertEquals([lines.length, code, stderr], [2, 1, ""]);
});

Deno.test("part5:mail-thread on Ctrl-C stops its blocked Worker and removes its mailbox", async () => {
  const { code, stdout } = await leavesNoMailbox(() =>
    runTask("part5:mail-thread", ["--deliver-after", "60", "--deadline", "60"], {
      interruptAfter: "Waiting for mail in a thread",
    })
  );
  assertEquals([stdout, code], ["Waiting for mail in a thread, which looks every 0.1 s\n", 130]);
});
