import { assert, assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import {
  checkCommandLine,
  extent,
  readCharts,
  sharedColumns,
  workSeconds,
} from "./_chart_reading.ts";
import { runSynchronous } from "./synchronous.ts";

Deno.test("part1:synchronous runs the tasks one after another and draws them", async () => {
  const { code, stdout, stderr } = await runTask("part1:synchronous", [
    "--tasks=3",
    "--steps=2",
    "--step=0.02",
  ]);
  assertEquals([code, stderr], [0, ""]);
  assertEquals(
    stdout.split("\n")[0],
    "Synchronous: 3 tasks of 2 steps of 0.02 s (CPU work), one after another in one thread",
  );
  const [chart] = readCharts(stdout);
  assertEquals([...chart.rows.keys()], ["Task 1", "Task 2", "Task 3"]);
  assertEquals(sharedColumns(chart, "█"), 0, "two tasks worked at once");
  // A staircase: each task's bar starts after the one before has ended. (Not "one piece per
  // row": on a busy machine the thread can be held up between two steps of the same task.)
  const rows = [...chart.rows.values()].map((row) => extent(row, "█"));
  rows.slice(1).forEach(([first], i) => assert(first > rows[i][1], `not a staircase:\n${stdout}`));
  // One thread, one task at a time: the total is at least all the work added up.
  const [work] = workSeconds(stdout);
  assert(chart.total + 0.001 >= work, `total ${chart.total} < work ${work}`);
});

Deno.test("runSynchronous() records each step, task 1's before task 2's", () => {
  const timeline = runSynchronous({ tasks: 2, steps: 3, step: 0.001, wait: 0 });
  assertEquals(timeline.spans.map((span) => span.task), [
    "Task 1",
    "Task 1",
    "Task 1",
    "Task 2",
    "Task 2",
    "Task 2",
  ]);
  timeline.spans.slice(1).forEach((span, i) => assert(span.start >= timeline.spans[i].end));
});

Deno.test("part1:synchronous rejects bad options with one line, the usage and status 2", async () => {
  await checkCommandLine("part1:synchronous", [
    [["--tasks", "0"], "--tasks must be from 1 to 24, got 0"],
    [["--steps", "two"], '--steps must be an integer, got "two"'],
    [["--steps", "1.5"], '--steps must be an integer, got "1.5"'],
    [["--step=-1"], "--step must be from 0.001 to 1, got -1"],
    [
      ["--step", "-1"],
      "'--step' argument is ambiguous: write --step=VALUE for a value that starts with a dash",
    ],
    [["--columns", "5"], "--columns must be from 20 to 200, got 5"],
    [["--wait", "1"], "Unknown option '--wait'"],
    [["--svg"], "Option '--svg <value>' argument missing"],
    [["extra"], "Unexpected argument 'extra'"],
  ]);
});

Deno.test("part1:synchronous --svg without write permission says so before running", async () => {
  const { code, stdout, stderr } = await runTask("part1:synchronous", ["--svg", "chart.svg"]);
  assertEquals(code, 1);
  assertEquals(stdout, "");
  assertEquals(
    stderr,
    "error: Cannot write chart.svg: no write permission (--allow-write=chart.svg)\n",
  );
});
