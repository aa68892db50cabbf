/**
 * Page 3 of chapter 5 shows runs of the mail scripts: each ```text block
 * starting with `$ deno task ...`. This test runs every one of them again,
 * with the postman quicker, and checks the lines with `assertShows`:
 * times, CPU figures and mailbox names vary from run to run.
 */

import { assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import {
  assertEveryBlockChecked,
  assertExcerptsTrue,
  assertShows,
  assertTaskLinesCurrent,
  shownOutputs,
} from "../lib/testing/chapter.ts";
import { leavesNoMailbox } from "./_mail_testing.ts";

const page = new URL("section3_deferred_at_work.md", import.meta.url);

/** Mailbox names are random; the rest of a line is what the test compares. */
function unboxed(text: string): string {
  return text.replaceAll(/mailbox-[0-9a-f]+/g, "mailbox-X");
}

Deno.test("chapter 5, page 3 shows what its scripts print", async () => {
  const blocks = shownOutputs(await Deno.readTextFile(page));
  await Promise.all(blocks.map(async (block) => {
    const [, task, ...args] = block.command.split(" ").slice(1);
    // The postman comes sooner than in the chapter, unless the block is about a late one.
    const quick = args.includes("--deliver-after") ? [] : ["--deliver-after", "0.3"];
    const { stdout } = await leavesNoMailbox(() => runTask(task, [...args, ...quick]));
    const shown = { ...block, lines: block.lines.map(unboxed) };
    // mail-busy's and mail-join's figures depend on the machine: every number varies there.
    const anyNumbers = task === "part5:mail-busy" || task === "part5:mail-join";
    assertShows(shown, unboxed(stdout), { anyNumbers });
  }));
});

Deno.test("every output block of chapter 5, page 3 is checked against a run", async () => {
  await assertEveryBlockChecked(page, {
    "deno task part5:mail-busy": "section3_deferred_at_work_test.ts",
    "deno task part5:mail-poll": "section3_deferred_at_work_test.ts",
    "deno task part5:mail-poll --deliver-after 20 --deadline 3":
      "section3_deferred_at_work_test.ts",
    "deno task part5:mail-chain": "section3_deferred_at_work_test.ts",
    "deno task part5:mail-chain --letter postcard": "section3_deferred_at_work_test.ts",
    "deno task part5:mail-inline": "section3_deferred_at_work_test.ts",
    "deno task part5:mail-join": "section3_deferred_at_work_test.ts",
    "deno task part5:mail-thread": "section3_deferred_at_work_test.ts",
  });
});

Deno.test("every code excerpt of chapter 5, page 3 is the code of its script", async () => {
  await assertExcerptsTrue(page, [
    "part05/mail_busy.ts",
    "part05/mail_poll.ts",
    "part05/mail_poll_test.ts",
    "part05/mail_chain.ts",
    "part05/mail_inline.ts",
    "part05/mail_thread.ts",
  ]);
});

Deno.test("every task line of chapter 5, page 3 is what deno task prints today", async () => {
  await assertTaskLinesCurrent(page);
});

Deno.test("unboxed() masks mailbox names only", () => {
  assertEquals(
    unboxed("Waiting for mail in /tmp/twisted-intro-mail/mailbox-ce15e18325a8e9d8, looking"),
    "Waiting for mail in /tmp/twisted-intro-mail/mailbox-X, looking",
  );
});
