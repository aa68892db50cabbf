import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runDeno, runTask } from "../lib/testing/run_task.ts";
import { CancelledError } from "../lib/defer/error.ts";
import { Clock } from "../lib/reactor/task.ts";
import { failureOf } from "../lib/testing/deferred.ts";
import { leavesNoMailbox } from "./_mail_testing.ts";
import { waitForMail } from "./mail_poll.ts";

const WAITING =
  /^Waiting for mail in \/tmp\/twisted-intro-mail\/mailbox-\w+, looking once a second$/;

Deno.test("part5:mail-poll finds the letter at its next look, a second after the first", async () => {
  const { code, stdout, stderr } = await leavesNoMailbox(() =>
    runTask("part5:mail-poll", ["--deliver-after", "0.2", "--deadline", "60"])
  );
  const lines = stdout.trimEnd().split("\n");
  assertEquals(lines.length, 4, stdout);
  assertMatch(lines[0], WAITING);
  assertMatch(lines[1], /^\d+\.\d s: the postman delivers a letter$/);
  assertMatch(lines[2], /^\d+\.\d s: got mail:$/);
  assertEquals(lines[3], "letter");
  // The first look, at the start, found nothing; the next comes no sooner than a second later.
  const gotAt = Number(lines[2].split(" ")[0]);
  assert(gotAt >= 1, `got the mail at ${gotAt} s, before the second look`);
  assertEquals([code, stderr], [0, ""]);
});

Deno.test("part5:mail-poll gives up at its deadline when no letter comes", async () => {
  const { code, stdout, stderr } = await leavesNoMailbox(() =>
    runTask("part5:mail-poll", ["--deliver-after", "60", "--deadline", "0.3"])
  );
  const lines = stdout.trimEnd().split("\n");
  assertEquals(lines.length, 2, stdout);
  assertMatch(lines[0], WAITING);
  assertMatch(lines[1], /^\d+\.\d s: no mail after 0\.3 s, giving up$/);
  assertEquals([code, stderr], [1, ""]);
});

Deno.test("part5:mail-poll rejects a bad command line with one line, the usage and status 2", async () => {
  for (const args of [["--deadline", "-1"], ["--deliver-after", "soon"], ["--bogus"], ["mail"]]) {
    const { code, stdout, stderr } = await runTask("part5:mail-poll", args);
    assertEquals([code, stdout], [2, ""], `for ${args.join(" ")}`);
    assertMatch(stderr, /^error: .*\n\nusage: deno task part5:mail-poll /);
  }
});

Deno.test("part5:mail-poll without its permissions says which flags would work", async () => {
  const { code, stdout, stderr } = await runDeno(["run", "part05/mail_poll.ts"]);
  assertEquals([code, stdout], [1, ""]);
  assertEquals(
    stderr,
    "error: Cannot make a mailbox in /tmp/twisted-intro-mail: no permission " +
      "(run with --allow-read=/tmp/twisted-intro-mail --allow-write=/tmp/twisted-intro-mail)\n",
  );
});

Deno.test("waitForMail() looks once a second until cancelled, then stops looking", () => {
  const clock = new Clock();
  const d = waitForMail("/tmp/twisted-intro-mail/no-such-mailbox/mail", clock);
  assertEquals([d.called, clock.getDelayedCalls().map((call) => call.getTime())], [false, [1]]);
  clock.advance(1);
  assertEquals([d.called, clock.getDelayedCalls().map((call) => call.getTime())], [false, [2]]);
  d.cancel();
  assertEquals(failureOf(d).check(CancelledError), CancelledError);
  assertEquals(clock.getDelayedCalls(), []);
});

Deno.test("waitForMail() fires at once with the lines of a letter already there", () => {
  const clock = new Clock();
  const d = waitForMail("poetry/science.txt", clock);
  const lines: string[] = [];
  d.addCallback((mail) => lines.push(...mail));
  assertEquals(lines.length > 10, true);
  assertEquals(clock.getDelayedCalls(), []);
});
