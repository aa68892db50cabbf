import { assert, assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { checkCommandLine, readCharts, sharedColumns, workSeconds } from "./_chart_reading.ts";
import { runThreaded } from "./threaded.ts";

const cores = navigator.hardwareConcurrency;

Deno.test({
  name: "part1:threaded runs each task in its own Worker: they overlap on two cores or more",
  ignore: cores < 2,
  async fn(): Promise<void> {
    const { code, stdout, stderr } = await runTask("part1:threaded", [
      "--tasks=3",
      "--steps=3",
      "--step=0.05",
    ]);
    assertEquals([code, stderr], [0, ""]);
    assertEquals(
      stdout.split("\n")[0],
      `Threaded: 3 tasks of 3 steps of 0.05 s (CPU work), each in its own Worker (${cores} ` +
        "cores here)",
    );
    const [chart] = readCharts(stdout);
    assertEquals([...chart.rows.keys()], ["Task 1", "Task 2", "Task 3"]);
    assert(sharedColumns(chart, "█") > 0, `no overlap:\n${stdout}`);
    // Overlapping work bars add up to more than the time they span. How much less than the
    // synchronous 0.45 s the total is depends on how many cores other programs leave free, so
    // the speed-up itself is shown in the chapter, not asserted here.
    const [work] = workSeconds(stdout);
    assert(work > chart.total, `work ${work} <= total ${chart.total}: no overlap`);
  },
});

Deno.test("runThreaded() records every step of every task and terminates its Workers", async () => {
  // The resource sanitizer fails this test if a Worker is left running.
  const timeline = await runThreaded({ tasks: 2, steps: 3, step: 0.001, wait: 0 });
  assertEquals(timeline.tasks, ["Task 1", "Task 2"]);
  assertEquals(timeline.spans.filter((span) => span.task === "Task 1").length, 3);
  assertEquals(timeline.spans.filter((span) => span.task === "Task 2").length, 3);
});

Deno.test("part1:threaded rejects bad options with one line, the usage and status 2", async () => {
  await checkCommandLine("part1:threaded", [
    [["--steps", "0"], "--steps must be from 1 to 50, got 0"],
    [["--threads", "2"], "Unknown option '--threads'"],
  ]);
});
