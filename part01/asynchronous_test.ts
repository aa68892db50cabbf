import { assert, assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import {
  checkCommandLine,
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
  // Each task gives up control after every step, so its bar comes in pieces.
  for (const row of chart.rows.values()) assertEquals(pieces(row, "█"), 3, row);
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
