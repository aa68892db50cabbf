import { assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import { Clock } from "../lib/reactor/task.ts";
import { RaceCharts, ReceivingRecorder } from "./_race_timeline.ts";

/** Feeds `pieces` to `feed`, each `[seconds later, text]`, on a fake clock. */
function play(clock: Clock, feed: (text: string) => void, pieces: [number, string][]): void {
  for (const [later, text] of pieces) {
    clock.advance(later);
    feed(text);
  }
}

const BLOCKING: [number, string][] = [
  [0, "Task 1: get poetry from: 127.0.0.1:10000\n"],
  [10.1, "Task 1: got 3003 bytes of poetry from 127.0.0.1:10000 in 0:00:10.100000\nTask 2: get "],
  [0.01, "poetry from: 127.0.0.1:10001\n"],
  [6.3, "Task 2: got 623 bytes of poetry from 127.0.0.1:10001 in 0:00:06.300000\n"],
  [0, "Task 3: get poetry from: 127.0.0.1:10119\n"],
  [0.02, "Task 3: failed to connect to 127.0.0.1:10119: Connection refused\n"],
  [0, "Got 2 poems in 0:00:16.420000\n"],
];

const ASYNCHRONOUS: [number, string][] = [
  [0.5, "Task 1: got 30 bytes of poetry from 127.0.0.1:10000\n"],
  [0, "Task 2: got 10 bytes of poetry from 127.0.0.1:10001\n"],
  [0.1, "Task 1: got 30 bytes of poetry from 127.0.0.1:10000\n"],
  [0.1, "Task 1: got 3 bytes of poetry from 127.0.0.1:10000\nTask 1: 63 bytes of poetry\n"],
  [0, "Task 2: 10 bytes of poetry\nTask 3: 0 bytes of poetry\nGot 3 poems in 0:00:00.800000\n"],
];

Deno.test("ReceivingRecorder draws each blocking download from its start line to its end line", () => {
  const clock = new Clock();
  const recorder = new ReceivingRecorder("blocking", 3, clock);
  play(clock, (text) => recorder.feed(text), BLOCKING);
  const timeline = recorder.finish();
  assertEquals(timeline.tasks, ["Task 1", "Task 2", "Task 3"]);
  // A line is timed when its end arrives: task 2 began in the third piece.
  assertEquals(
    timeline.spans.map(({ task, kind, start, end }) => [task, kind, start, end]),
    [
      ["Task 1", "work", 0, 10.1],
      ["Task 2", "work", 10.11, 16.41],
      ["Task 3", "work", 16.41, 16.43],
    ],
  );
});

Deno.test("ReceivingRecorder draws each asynchronous read as an instant, with waits between", () => {
  const clock = new Clock();
  const recorder = new ReceivingRecorder("asynchronous", 3, clock);
  play(clock, (text) => recorder.feed(text), ASYNCHRONOUS);
  const timeline = recorder.finish();
  assertEquals(recorder.finish(), timeline);
  assertEquals(timeline.tasks, ["Task 1", "Task 2", "Task 3"]);
  const spans = timeline.spans.map(({ task, kind, start, end }) => [task, kind, start, end]);
  assertEquals(spans, [
    ["Task 1", "work", 0.5, 0.5],
    ["Task 2", "work", 0.5, 0.5],
    ["Task 1", "work", 0.6, 0.6],
    ["Task 1", "work", 0.7, 0.7],
    ["Task 1", "wait", 0.5, 0.7],
    ["Task 2", "wait", 0.5, 0.5],
  ]);
});

Deno.test("RaceCharts draws both clients on one time scale, as text and as SVG", () => {
  const clock = new Clock();
  const charts = new RaceCharts(3, clock);
  play(clock, charts.recording("blocking", () => {}), BLOCKING);
  const passed: string[] = [];
  play(clock, charts.recording("asynchronous", (text) => passed.push(text)), ASYNCHRONOUS);
  assertEquals(passed, ASYNCHRONOUS.map(([, text]) => text));

  const [blocking, asynchronous] = charts.text().split("\n\n").map((chart) => chart.split("\n"));
  assertMatch(blocking[0], /^Blocking client: /);
  assertMatch(asynchronous[0], /^Asynchronous client: /);
  // The same axis: the asynchronous run (0.2 s) is drawn on the blocking run's scale (16.43 s).
  assertEquals(asynchronous[4], blocking[4]);
  assertEquals(asynchronous[5], blocking[5]);
  assertMatch(asynchronous[1], /^Task 1 \|█ +\|$/);
  assertEquals(asynchronous[3], `Task 3 |${" ".repeat(60)}|`);
  assertStringIncludes(blocking[6], "█ receiving   total 16.430 s");
  assertStringIncludes(asynchronous[6], "█ receiving (a read)   ░ connected, between reads");

  const svg = charts.svg();
  assertStringIncludes(svg, ">Blocking client: one download after another,");
  assertStringIncludes(svg, ">Asynchronous client: all at once,");
  assertStringIncludes(svg, ">connected, between reads</text>");
  assertEquals(svg.match(/<title>/g)?.length, 3 + 6);
});
