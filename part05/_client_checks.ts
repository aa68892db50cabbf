/**
 * Test helpers for section 2's poetry clients: the checks every
 * Deferred-era client must pass, whichever way it is written, on section
 * 1's slow servers.
 *
 * @module
 */

import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import { runTask, taskArgs } from "../lib/testing/run_task.ts";
import {
  checkClosedStdout,
  POEMS,
  refusingPort,
  withServers,
} from "../lib/testing/poetry_servers.ts";

/** The lines of a client's output that report pieces of poetry as they arrive. */
const PIECE = /^Task (\d+): got \d+ bytes of poetry from 127\.0\.0\.1:(\d+)$/;

/**
 * Checks that `task` (with `args` before the addresses) downloads three
 * poems at once, with the earlier chapters' lines, and exits with 0.
 */
export async function checkThreePoems(task: string, args: string[] = []): Promise<void> {
  const names: (keyof typeof POEMS)[] = ["ecstasy", "fascination", "science"];
  await withServers(names, 0.005, 30, async (ports) => {
    const { code, stdout, stderr } = await runTask(task, [...args, ...ports.map(String)]);
    const lines = stdout.trimEnd().split("\n");
    const pieces = lines.filter((line) => PIECE.test(line));
    const counts = names.map((_, index) => {
      const mine = pieces.filter((line) => line.startsWith(`Task ${index + 1}: `));
      assert(mine.length > 0, `task ${index + 1} reported its pieces`);
      for (const line of mine) assertEquals(PIECE.exec(line)?.[2], String(ports[index]), line);
      return mine.length;
    });
    // A short poem may come in one read when the machine is busy; the long one is sent over
    // half a second, in a hundred writes.
    assert(counts[0] > 1, `task 1 arrived in pieces: ${counts}`);
    // The pieces come first, then the report in task order, then the total.
    assertEquals(lines.slice(pieces.length, -1), [
      "Task 1: 3003 bytes of poetry",
      "Task 2: 623 bytes of poetry",
      "Task 3: 653 bytes of poetry",
    ]);
    assertMatch(lines.at(-1) ?? "", /^Got 3 poems in 0:00:\d\d\.\d{6}$/);
    assertEquals([code, stderr], [0, ""]);
  });
}

/**
 * Checks that a refused connection costs `task` only that task: one line
 * for it, the other poems complete, and the exit status is 1.
 */
export async function checkRefused(task: string, args: string[] = []): Promise<void> {
  await withServers(["fascination", "science"], 0.002, 30, async ([first, third]) => {
    const refused = refusingPort();
    const { code, stdout, stderr } = await runTask(task, [
      ...args,
      String(first),
      String(refused),
      String(third),
    ]);
    const lines = stdout.trimEnd().split("\n").filter((line) => !PIECE.test(line));
    assertEquals(lines.slice(0, -1), [
      `Task 2: failed to connect to 127.0.0.1:${refused}: Connection refused`,
      "Task 1: 623 bytes of poetry",
      "Task 3: 653 bytes of poetry",
    ]);
    assertMatch(lines.at(-1) ?? "", /^Got 2 poems in 0:00:\d\d\.\d{6}$/);
    assertEquals([code, stderr], [1, ""]);
  });
}

/** Checks that `--print` prints each poem whole, multi-byte characters intact. */
export async function checkPrint(task: string, args: string[] = []): Promise<void> {
  await withServers(["ecstasy", "fascination"], 0.001, 7, async (ports) => {
    const { code, stdout } = await runTask(task, [...args, "--print", ...ports.map(String)]);
    for (const name of ["ecstasy", "fascination"] as const) {
      assert(stdout.includes(await Deno.readTextFile(POEMS[name].poem)), `${name} printed whole`);
    }
    assertEquals(code, 0);
  });
}

/** Checks that a bad command line gets one line, the usage and status 2. */
export async function checkBadCommandLines(task: string): Promise<void> {
  for (const args of [[], ["not-a-port"], ["127.0.0.1:99999"], ["--bogus", "10000"]]) {
    const { code, stdout, stderr } = await runTask(task, args);
    assertEquals([code, stdout], [2, ""], `for ${args.join(" ")}`);
    assertMatch(stderr, new RegExp(`^error: .*\\n\\nusage: deno task ${task} `));
  }
}

/**
 * Checks that Ctrl-C (or SIGTERM) in the middle of a poem ends `task` at
 * once and honestly, in chapter 4's words: `Task 1: interrupted`, no poem
 * counted, no error escapes, status 130 (143).
 */
export async function checkInterrupt(
  task: string,
  args: string[] = [],
  signal: "SIGINT" | "SIGTERM" = "SIGINT",
): Promise<void> {
  await withServers(["fascination"], 0.05, 10, async (ports) => {
    const { code, stdout, stderr } = await runTask(task, [...args, ...ports.map(String)], {
      interruptAfter: "Task 1: got ",
      signal,
    });
    const lines = stdout.trimEnd().split("\n").filter((line) => !PIECE.test(line));
    assertEquals(lines.slice(0, -1), ["Task 1: interrupted"]);
    assertMatch(lines.at(-1) ?? "", /^Got 0 poems in /);
    assertEquals([code, stderr], [signal === "SIGINT" ? 130 : 143, ""]);
  });
}

/** Runs `task` with `args`, and sends it `signal` after `seconds`; for scripts that print nothing before. */
export async function runInterrupted(
  task: string,
  args: string[],
  seconds: number,
  signal: Deno.Signal = "SIGINT",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command("deno", {
    args: [...await taskArgs(task), ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill(signal), seconds * 1000);
  try {
    const { code, stdout, stderr } = await child.output();
    const decoder = new TextDecoder();
    return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Checks that a host outside the task's permissions costs only its task,
 * with the `deno run` command that would reach it, as chapter 2's clients say.
 */
export async function checkNotAllowed(task: string, args: string[] = []): Promise<void> {
  const { code, stdout, stderr } = await runTask(task, [...args, "10.255.0.1:10000"]);
  const flags = await taskArgs(task);
  const widened = flags.slice(1, -1).map((flag) =>
    flag.startsWith("--allow-net=") ? `'${flag},10.255.0.1'` : flag
  );
  assertStringIncludes(
    stdout,
    "Task 1: failed to connect to 10.255.0.1:10000: " +
      `${task} may use the network only on 127.0.0.1, localhost and [::1]; ` +
      `to allow 10.255.0.1, run: deno run ${widened.join(" ")} ${flags.at(-1)} ${
        [...args, "10.255.0.1:10000"].join(" ")
      }\n`,
  );
  assertEquals([code, stderr], [1, ""]);
}

/**
 * Declares the tests every section 2 client passes: three poems, a refused
 * server, `--print`, bad command lines, Ctrl-C and SIGTERM, a closed
 * stdout, a host outside the task's permissions. Each `variant` (a name and
 * the arguments that select it) gets its own poems and refused-server tests.
 */
export function describeClient(
  task: string,
  variants: readonly (readonly [string, readonly string[]])[] = [["", []]],
): void {
  for (const [version, args] of variants) {
    const label = version === "" ? task : `${task} with ${version}`;
    Deno.test(`${label} downloads three poems at once, with the earlier chapters' lines`, async () => {
      await checkThreePoems(task, [...args]);
    });
    Deno.test(`${label} reports a refused connection for its task, and the others finish`, async () => {
      await checkRefused(task, [...args]);
    });
  }
  Deno.test(`${task} --print prints each poem whole`, async () => {
    await checkPrint(task);
  });
  Deno.test(`${task} rejects a bad command line with one line, the usage and status 2`, async () => {
    await checkBadCommandLines(task);
  });
  Deno.test(`${task} on Ctrl-C says the task was interrupted, counts no poem, exits 130`, async () => {
    await checkInterrupt(task);
  });
  Deno.test(`${task} on SIGTERM says the task was interrupted, exits 143`, async () => {
    await checkInterrupt(task, [], "SIGTERM");
  });
  Deno.test(`${task} ends promptly and quietly when its stdout closes`, async () => {
    await checkClosedStdout(task);
  });
  Deno.test(`${task} gives the deno run command for a host outside its permissions`, async () => {
    await checkNotAllowed(task);
  });
}
