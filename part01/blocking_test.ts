import { assert, assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { checkCommandLine, readCharts, sharedColumns } from "./_chart_reading.ts";
import { runAsynchronously, runSynchronously } from "./blocking.ts";
import { now } from "./_work.ts";
import { assertShows, shownOutputs } from "../lib/testing/chapter.ts";

Deno.test("part1:blocking: the asynchronous run overlaps the waits, the synchronous one never does", async () => {
  const { code, stdout, stderr } = await runTask("part1:blocking", [
    "--tasks=3",
    "--steps=3",
    "--step=0.02",
    "--wait=0.2",
    "--columns=200",
  ]);
  assertEquals([code, stderr], [0, ""]);
  const lines = stdout.split("\n");
  assertEquals(
    lines[0],
    "Blocking: 3 tasks of 3 steps of 0.02 s (CPU work), with a 0.2 s wait (I/O) between steps",
  );
  assert(
    lines.includes("Synchronous: one task after another; the thread sits idle while a task waits"),
  );
  assert(lines.includes("Asynchronous: one thread; while one task waits, another one works"));
  const [synchronous, asynchronous] = readCharts(stdout);
  // Synchronously, a task's waits hold up everyone: no two tasks are ever busy at once.
  assertEquals(sharedColumns(synchronous, "█░"), 0, `two tasks busy at once:\n${stdout}`);
  assert(sharedColumns(asynchronous, "░") > 0, "waits did not overlap");
  assertEquals(sharedColumns(asynchronous, "█"), 0, `two tasks worked at once:\n${stdout}`);
  // The synchronous run waits 3 x 2 x 0.2 s, really; the asynchronous one overlaps the waits.
  // The waits are 10 times the work, so they overlap unless a busy machine makes the work 10
  // times slower; and at 200 columns a step is about 3 columns wide, so it wins its own columns
  // even if a step runs twice as fast as measured (a step shorter than half a column would be
  // drawn at its midpoint, where it could meet another task's). How much faster the
  // asynchronous run is, is shown in the chapter, not asserted here.
  assert(synchronous.total >= 1.2, `synchronous total ${synchronous.total} < 1.2 s of waiting`);
  const printed = lines.filter((line) => / total: /.test(line));
  assertEquals(printed.map((line) => line.replace(/[\d.]+ s.*/, "")), [
    "Synchronous total: ",
    "Asynchronous total: ",
  ]);
  assert(printed[0].endsWith(`${synchronous.total.toFixed(3)} s`));
  assert(printed[1].includes(`${asynchronous.total.toFixed(3)} s (`));
});

/** A task that records when it ran and yields deadlines `wait` seconds after each step. */
function* waiter(
  log: string[],
  name: string,
  steps: number,
  wait: number,
): Generator<number, void, void> {
  for (let step = 1; step <= steps; step++) {
    log.push(`${name}${step}`);
    if (step < steps) yield now() + wait;
  }
}

Deno.test("runSynchronously() runs each task to its end, waiting for every deadline", () => {
  const log: string[] = [];
  const start = now();
  runSynchronously([waiter(log, "a", 2, 0.03), waiter(log, "b", 2, 0.03)]);
  assertEquals(log, ["a1", "a2", "b1", "b2"]);
  assert(now() - start >= 0.06);
});

Deno.test("runAsynchronously() runs another task while one waits, and sleeps when all wait", () => {
  const log: string[] = [];
  const start = now();
  runAsynchronously([waiter(log, "a", 2, 0.3), waiter(log, "b", 3, 0.02)]);
  // b's two waits add up to far less than a's one: it finishes before a comes back.
  assertEquals(log, ["a1", "b1", "b2", "b3", "a2"]);
  // b ran while a waited (the log says so); the run lasts at least a's wait.
  assert(now() - start >= 0.3);
});

Deno.test("part1:blocking rejects bad options with one line, the usage and status 2", async () => {
  await checkCommandLine("part1:blocking", [
    [["--wait", "10"], "--wait must be from 0 to 5, got 10"],
    [["--wait", "soon"], '--wait must be a number of seconds, got "soon"'],
  ]);
});

Deno.test("the chapter's excerpts of part1:blocking runs show what it prints", async () => {
  const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));
  const blocks = shownOutputs(chapter).filter((block) =>
    block.command.startsWith("deno task part1:blocking")
  );
  assertEquals(blocks.length, 3);
  for (const block of blocks) {
    // The same options with far less work and waiting: only the numbers differ.
    const args = block.command.split(" ").slice(3);
    const { stdout } = await runTask("part1:blocking", [...args, "--step=0.002", "--wait=0.005"]);
    assertShows(block, stdout, { anyNumbers: true });
  }
});
