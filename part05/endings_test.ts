/**
 * How chapter 5's scripts end (issue "Chapter 5 under a newcomer's hands"):
 * every script that runs the reactor ends through `react`, so Ctrl-C and
 * SIGTERM end it at once with 130 or 143, and every task takes the same
 * command line. The clients' endings are checked beside them
 * (`_client_checks.ts`, `get_poetry_test.ts`).
 */

import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { leavesNoMailbox } from "./_mail_testing.ts";
import { runInterrupted } from "./_client_checks.ts";

/** Runs `task` and interrupts it after `seconds`; returns what it left and how long it took. */
async function interrupted(
  task: string,
  args: string[],
  seconds: number,
  signal: "SIGINT" | "SIGTERM" = "SIGINT",
): Promise<{ code: number; stdout: string; stderr: string; took: number }> {
  const started = performance.now();
  const result = await runInterrupted(task, args, seconds, signal);
  return { ...result, took: (performance.now() - started) / 1000 - seconds };
}

for (const task of ["part5:mail-poll", "part5:mail-chain", "part5:mail-inline"]) {
  for (const [signal, status] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    Deno.test(`${task} on ${signal} ends at once with ${status} and removes its mailbox`, async () => {
      const { code, stderr, took } = await leavesNoMailbox(() =>
        interrupted(task, ["--deliver-after", "60", "--deadline", "60"], 1.5, signal)
      );
      assertEquals([code, stderr], [status, ""]);
      assert(took < 10, `it took ${took.toFixed(1)} s after the signal`);
    });
  }
}

Deno.test("part5:process on SIGTERM ends at once with 143, not with a killed child's answer", async () => {
  // 40 million takes tens of seconds in the child; the script must not wait for it.
  const { code, stdout, took } = await interrupted(
    "part5:process",
    ["--limit", "40000000"],
    1.5,
    "SIGTERM",
  );
  assertEquals([code, stdout], [143, ""]);
  assert(took < 10, `it took ${took.toFixed(1)} s after SIGTERM`);
});

Deno.test("part5:thread-race on Ctrl-C ends at once with 130, its Workers stopped", async () => {
  const { code, stderr, took } = await interrupted(
    "part5:thread-race",
    ["--times", "2000000000", "--rounds", "1"],
    1.5,
  );
  assertEquals([code, stderr], [130, ""]);
  assert(took < 10, `it took ${took.toFixed(1)} s after Ctrl-C`);
});

Deno.test("part5:blocking-work on Ctrl-C during the inline count says how long the signal waited", async () => {
  // The signal comes a quarter of a second after the first line, while the count (a second or more
  // even on a quiet machine) holds the reactor's thread.
  const { code, stdout, stderr } = await runTask("part5:blocking-work", ["--limit", "6000000"], {
    interruptAfter: "Heartbeat every",
  });
  const lines = stdout.trimEnd().split("\n");
  assertMatch(lines[0], /^Heartbeat every 0\.05 s/);
  assertMatch(
    lines.at(-1) ?? "",
    /^SIGINT was handled \d+\.\d ms after the inline count began, when it returned: the reactor's thread could not run the handler sooner$/,
  );
  assertEquals([code, stderr], [130, ""]);
});

for (const task of ["part5:block-on", "part5:deferred-chain", "part5:shared-state"]) {
  Deno.test(`${task} takes the same command line as every task: --help, and bad input refused`, async () => {
    for (const help of ["--help", "-h"]) {
      const { code, stdout } = await runTask(task, [help]);
      assertEquals(code, 0);
      assertMatch(stdout, new RegExp(`^usage: deno task ${task} \\[options\\]\\n`));
    }
    for (const args of [["--bogus"], ["surplus"]]) {
      const { code, stdout, stderr } = await runTask(task, args);
      assertEquals([code, stdout], [2, ""], `for ${args.join(" ")}`);
      assertMatch(stderr, new RegExp(`^error: .*\\n\\nusage: deno task ${task} `));
    }
  });
}

Deno.test("part5:slowpoetry gives the deno run command for an interface outside its permissions", async () => {
  const args = ["--iface", "10.1.2.3", "--port", "24123", "poetry/science.txt"];
  const { code, stdout, stderr } = await runTask("part5:slowpoetry", args);
  assertEquals([code, stdout], [2, ""]);
  assertStringIncludes(
    stderr,
    "error: Cannot listen on 10.1.2.3:24123: part5:slowpoetry may use the network only on " +
      "127.0.0.1, localhost and [::1]; to allow 10.1.2.3, run: deno run " +
      `'--allow-net=127.0.0.1,localhost,[::1],10.1.2.3' --allow-read=poetry part05/slowpoetry.ts ${
        args.join(" ")
      }\n`,
  );
});
