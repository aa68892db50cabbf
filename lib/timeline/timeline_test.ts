import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
  assertThrows,
} from "../testing/asserts.ts";
import { tickLabel, ticks, tickStep } from "./_scale.ts";
import { stackSvg, Timeline, wallClock } from "./timeline.ts";

/** A fixed set of spans with all the cases a chart must handle. */
function fixture(): Timeline {
  const timeline = new Timeline();
  timeline.addTask("Task 1", "Task 2", "Task <3> & co", "Idle task");
  timeline.record("Task 1", "work", 10, 10.2);
  timeline.record("Task 1", "wait", 10.2, 10.5);
  timeline.record("Task 1", "work", 10.5, 10.6);
  timeline.record("Task 2", "work", 10.2, 10.35);
  timeline.record("Task 2", "wait", 10.35, 10.8);
  timeline.record("Task 2", "work", 10.8, 10.85);
  timeline.record("Task <3> & co", "wait", 10, 10.9);
  timeline.record("Task <3> & co", "work", 10.4, 10.401); // Too short for a column: shown anyway.
  timeline.record("Task <3> & co", "work", 10.9, 11);
  return timeline;
}

const golden = {
  text: new URL("./_testdata/timeline.txt", import.meta.url),
  svg: new URL("./_testdata/timeline.svg", import.meta.url),
  stacked: new URL("./_testdata/timeline_stacked.svg", import.meta.url),
};

function render(): Record<keyof typeof golden, string> {
  const title = "Fixed spans <drawn> & checked";
  const other = new Timeline();
  other.record("Task 1", "work", 0, 0.25);
  other.record("Task 1", "wait", 0.25, 0.5);
  return {
    text: `${fixture().toText({ title, columns: 50 })}\n`,
    svg: fixture().toSvg({ title }),
    stacked: stackSvg([
      { timeline: fixture(), title: "First", duration: 1 },
      { timeline: other, title: "Second, on the same scale", duration: 1, width: 600 },
    ]),
  };
}

Deno.test("Timeline.toText() draws the fixed spans exactly as the golden file", async () => {
  assertEquals(render().text, await Deno.readTextFile(golden.text));
});

Deno.test("Timeline.toSvg() draws the fixed spans exactly as the golden file", async () => {
  assertEquals(render().svg, await Deno.readTextFile(golden.svg));
});

Deno.test("stackSvg() draws two timelines exactly as the golden file", async () => {
  assertEquals(render().stacked, await Deno.readTextFile(golden.stacked));
});

Deno.test("Timeline.toText() shows a row per task, a time scale, a legend and the total", () => {
  const lines = fixture().toText({ columns: 40 }).split("\n");
  assertEquals(lines.length, 4 + 3);
  assertEquals(lines.slice(0, 4).map((line) => line.slice(0, 14)), [
    "Task 1        ",
    "Task 2        ",
    "Task <3> & co ",
    "Idle task     ",
  ]);
  assertEquals(lines[3], `Idle task     |${" ".repeat(40)}|`);
  assertMatch(lines[5], /^ {14}0 +0\.2 +0\.4 +0\.6 +0\.8 +1\.0 s$/);
  assertEquals(lines[6], `${" ".repeat(14)}█ work   ░ waiting   total 1.000 s`);
});

Deno.test("Timeline.toText() keeps a brief span visible, work over waiting", () => {
  const timeline = new Timeline();
  timeline.record("T", "wait", 0, 1);
  timeline.record("T", "work", 0.5, 0.5001);
  const row = timeline.toText({ columns: 10 }).split("\n")[0];
  assertEquals(row, "T |░░░░░█░░░░|");
});

Deno.test("Timeline draws an instant (start = end) as one column or two pixels", () => {
  const timeline = new Timeline();
  timeline.record("T", "wait", 0, 1);
  timeline.record("T", "work", 0.25, 0.25);
  assertEquals(timeline.toText({ columns: 10 }).split("\n")[0], "T |░░█░░░░░░░|");
  assertMatch(
    timeline.toSvg(),
    /<rect x="[\d.]+" y="[\d.]+" width="2" height="14" fill="#3a6ea5">/,
  );
});

Deno.test("Timeline draws a legend with the names given for each kind", () => {
  const timeline = new Timeline();
  timeline.record("T", "wait", 0, 1);
  timeline.record("T", "work", 0.5, 0.5);
  const legend = { work: "bytes <in>", wait: "connected, between reads" };
  const text = timeline.toText({ columns: 10, legend });
  assertEquals(text.split("\n")[3], "  █ bytes <in>   ░ connected, between reads   total 1.000 s");
  const svg = timeline.toSvg({ legend: { wait: "idle" } });
  assertStringIncludes(svg, ">work</text>");
  assertStringIncludes(svg, ">idle</text>");
  assertStringIncludes(svg, "<title>T: idle 0.000–1.000 s</title>");
  assertStringIncludes(timeline.toSvg({ legend }), ">bytes &lt;in&gt;</text>");
});

Deno.test("Timeline.toText() with a duration draws on that scale", () => {
  const timeline = new Timeline();
  timeline.record("T", "work", 0, 1);
  const lines = timeline.toText({ columns: 20, duration: 2 }).split("\n");
  assertEquals(lines[0], `T |${"█".repeat(10)}${" ".repeat(10)}|`);
  assertStringIncludes(lines[3], "total 1.000 s");
});

Deno.test("Timeline.toText() of an empty timeline says so", () => {
  assertEquals(new Timeline().toText(), "(nothing recorded)");
  assertEquals(new Timeline().total, 0);
});

Deno.test("Timeline.toText() rejects fewer than 10 columns and a duration of 0", () => {
  assertThrows(() => fixture().toText({ columns: 5 }), RangeError, "columns must be");
  assertThrows(() => fixture().toText({ duration: 0 }), RangeError, "duration must be");
});

Deno.test("Timeline.toSvg() is a self-contained document with labels, legend and total", () => {
  const svg = fixture().toSvg();
  assert(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert(!svg.includes("<script") && !svg.includes("href"), "no scripts or external links");
  assertStringIncludes(svg, 'fill="#ffffff"');
  assertStringIncludes(svg, ">Task &lt;3&gt; &amp; co</text>");
  assertStringIncludes(svg, ">time (seconds)</text>");
  assertStringIncludes(svg, ">waiting</text>");
  assertStringIncludes(svg, ">total 1.000 s</text>");
  assertEquals(svg.match(/<title>/g)?.length, 9);
});

Deno.test("Timeline.toSvg() handles a couple of dozen tasks and hundreds of spans", () => {
  const timeline = new Timeline();
  for (let task = 0; task < 24; task++) {
    for (let i = 0; i < 20; i++) {
      timeline.record(`Client ${task + 1}`, i % 2 === 0 ? "wait" : "work", i, i + 1);
    }
  }
  const svg = timeline.toSvg();
  assertEquals(svg.match(/<title>/g)?.length, 480);
  assertEquals(timeline.toText().split("\n").length, 24 + 3);
});

Deno.test("Timeline.record() checks its arguments", () => {
  const timeline = new Timeline();
  assertThrows(() => timeline.record("", "work", 0, 1), TypeError, "task must be");
  // @ts-expect-error: a kind that does not exist
  assertThrows(() => timeline.record("T", "sleep", 0, 1), TypeError, 'kind must be "work"');
  assertThrows(() => timeline.record("T", "work", 0, NaN), RangeError, "must be finite");
  assertThrows(() => timeline.record("T", "work", 2, 1), RangeError, "end 1 is before start 2");
  assertEquals(timeline.spans.length, 0);
});

Deno.test("Timeline.record() returns frozen spans, in order, and rows in first-named order", () => {
  const timeline = new Timeline();
  timeline.addTask("B");
  const span = timeline.record("A", "work", 1, 2);
  timeline.record("B", "wait", 0.5, 3);
  assertEquals(span, { task: "A", kind: "work", start: 1, end: 2 });
  assert(Object.isFrozen(span));
  assertEquals(timeline.tasks, ["B", "A"]);
  assertEquals([timeline.start, timeline.end, timeline.total], [0.5, 3, 2.5]);
});

Deno.test("Timeline.begin() records a span from now until the returned function is called", () => {
  let time = 5;
  const timeline = new Timeline({ seconds: () => time });
  const done = timeline.begin("T", "wait");
  time = 7.5;
  assertEquals(done(), { task: "T", kind: "wait", start: 5, end: 7.5 });
  assertEquals(timeline.clock.seconds(), 7.5);
});

Deno.test("wallClock reads seconds since the epoch, the same in every thread", () => {
  const seconds = wallClock.seconds();
  assert(Math.abs(seconds - Date.now() / 1000) < 1, `${seconds} is not about now`);
});

Deno.test("stackSvg() rejects an empty list", () => {
  assertThrows(() => stackSvg([]), RangeError, "no chart given");
});

Deno.test("tickStep() picks 1, 2 or 5 times a power of ten", () => {
  assertEquals(tickStep(1.2, 7), 0.2);
  assertEquals(tickStep(0.12, 7), 0.02);
  assertEquals(tickStep(10.1, 6), 2);
  assertEquals(tickStep(0.3, 7), 0.05);
  assertEquals(ticks(1, 0.2), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assertEquals([tickLabel(0, 0.05), tickLabel(0.15, 0.05), tickLabel(10, 2)], ["0", "0.15", "10"]);
});

// Regenerate the golden files after an intended change of the drawing, then look at them:
//   deno run --allow-write=lib/timeline/_testdata lib/timeline/timeline_test.ts
if (import.meta.main) {
  for (const [name, text] of Object.entries(render())) {
    await Deno.writeTextFile(golden[name as keyof typeof golden], text);
    console.log(`Wrote ${golden[name as keyof typeof golden].pathname}`);
  }
}
