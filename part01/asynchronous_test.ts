import { assert, assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import {
  checkCommandLine,
  extent,
  pieces,
  readCharts,
  sharedColumns,
  workSeconds,
} from "./_chart_reading.ts";
import { runAsynchronous, runInTurns } from "./asynchronous.ts";

Deno.test("part1:asynchronous interleaves the tasks in one thread and draws them", async () => {
  const { code, stdout, stderr } = await runTask("part1:asynchronous", [
    "--tasks=3",
    "--steps=3",
    "--step=0.02",
  ]);
  assertEquals([code, stderr], [0, ""]);
  assertEquals(
    stdout.split("\n")[0],
    "Asynchronous: 3 tasks of 3 steps of 0.02 s (CPU work), taking turns in one thread",
  );
  const [chart] = readCharts(stdout);
  assertEquals([...chart.rows.keys()], ["Task 1", "Task 2", "Task 3"]);
  assertEquals(sharedColumns(chart, "█"), 0, "two tasks worked at once");
  // Each task gives up control after every step, so its bar comes in pieces and the bars
  // interleave: task 1 works again after task 3 has started. (The count of pieces is not
  // asserted: on a busy machine one stalled step can squeeze the others' below a column.)
  const [one, two, three] = [...chart.rows.values()].map((row) => extent(row, "█"));
  assert(one[0] < two[0] && two[0] < three[0], `tasks did not start in turn:\n${stdout}`);
  assert(one[1] > three[0], `task 1 did not work again after task 3 started:\n${stdout}`);
  for (const row of chart.rows.values()) assert(pieces(row, "█") > 1, row);
  const [work] = workSeconds(stdout);
  assert(chart.total + 0.001 >= work, `total ${chart.total} < work ${work}`);
});

Deno.test("runInTurns() runs one step of each task in turn until all are done", () => {
  const log: string[] = [];
  function* task(name: string, steps: number): Generator<void, void, void> {
    for (let step = 1; step <= steps; step++) {
      log.push(`${name}${step}`);
      yield;
    }
  }
  runInTurns([task("a", 3), task("b", 1), task("c", 2)]);
  assertEquals(log, ["a1", "b1", "c1", "a2", "c2", "a3"]);
});

Deno.test("runAsynchronous() records the steps round-robin, never two at once", () => {
  const timeline = runAsynchronous({ tasks: 3, steps: 2, step: 0.001, wait: 0 });
  assertEquals(
    timeline.spans.map((span) => span.task.at(-1)).join(""),
    "123123",
  );
  timeline.spans.slice(1).forEach((span, i) => assert(span.start >= timeline.spans[i].end));
});

Deno.test("part1:asynchronous rejects bad options with one line, the usage and status 2", async () => {
  await checkCommandLine("part1:asynchronous", [
    [["--tasks", "25"], "--tasks must be from 1 to 24, got 25"],
    [["--step", "fast"], '--step must be a number of seconds, got "fast"'],
  ]);
});
