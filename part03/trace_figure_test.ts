import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import { runDeno, runTask } from "../lib/testing/run_task.ts";
import { parseTrace, type TracedTurn } from "../lib/reactor/trace_reader.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";
import { refusingPort } from "../lib/testing/poetry_servers.ts";

const on = { env: { REACTOR_TRACE: "1" } };

/** The countdown's turns: what woke each, and what it ran. */
const COUNTDOWN = [
  [1, "start", ["() => countdown.count()"]],
  [2, "timer due", ["() => this.count()"]],
  [3, "timer due", ["() => this.count()"]],
  [4, "timer due", ["() => this.count()"]],
  [5, "timer due", ["() => this.count()"]],
  [6, "timer due", ["() => this.count()"]],
];

function shape(turns: TracedTurn[]): unknown[] {
  return turns.map(({ turn, woke, calls }) => [turn, woke, calls.map((call) => call.label)]);
}

Deno.test("REACTOR_TRACE=1 makes part3:hello write its one turn on stderr; unset, nothing", async () => {
  const traced = await runTask("part3:hello", [], on);
  assertMatch(
    traced.stderr,
    // hello's duration: 0.312 ms, 2.6 ms or 1.250 s, as lib/reactor/trace.ts's formatMs writes it.
    /^reactor turn 1 at 0\.000 s \| waited 0\.000 ms \| start \| hello (\d\.\d{3} ms|\d+\.\d ms|\d+\.\d{3} s)\n$/,
  );
  assertEquals(traced.code, 0);
  const quiet = await runTask("part3:hello", [], { env: { REACTOR_TRACE: "" } });
  assertEquals([quiet.stderr, quiet.code], ["", 0]);
  assertEquals(quiet.stdout, traced.stdout);
});

Deno.test("without --allow-env=REACTOR_TRACE the trace stays off, with no prompt and no error", async () => {
  const { code, stderr } = await runDeno(["run", "part03/hello.ts"], on);
  assertEquals([stderr, code], ["", 0]);
});

// The trace pasted in the chapter: which turn woke for what, and what it ran.
Deno.test("part3:countdown traced: a startup turn, then five turns woken by their timer", async () => {
  const { code, stdout, stderr } = await runTask("part3:countdown", [], on);
  assertEquals(stdout, "Start!\n5 ...\n4 ...\n3 ...\n2 ...\n1 ...\nStop!\n");
  const turns = parseTrace(stderr);
  assertEquals(shape(turns), COUNTDOWN);
  for (const turn of turns.slice(1)) assert(turn.waited >= 0.99, `turn ${turn.turn} slept ~1 s`);
  assertEquals(stderr.split("\n").filter((line) => line !== "").length, 6, "one line per turn");
  assertEquals(code, 0);
});

Deno.test("part3:trace-figure draws the loop of a traced task: waits, then a row per call", async () => {
  const { code, stdout } = await runTask("part3:trace-figure", ["--columns", "20", "part3:hello"]);
  const lines = stdout.split("\n");
  assertEquals(lines.slice(0, 3), [
    "part3:hello, traced with REACTOR_TRACE=1",
    "reactor: waiting |                    |",
    // The run is one turn, with no wait: hello's call is all of it.
    "hello            |████████████████████|",
  ]);
  assertMatch(
    lines.at(-2) ?? "",
    /^1 turn in \d+\.\d{3} s: waiting .*; longest call .* ms, hello$/,
  );
  assertEquals(code, 0);
});

Deno.test("part3:trace-figure rejects bad input, and says when a task leaves no trace", async () => {
  for (
    const args of [[], ["--columns", "5", "part3:hello"], ["--duration", "0", "part3:hello"], [
      "hello",
    ]]
  ) {
    const { code, stdout, stderr } = await runTask("part3:trace-figure", args);
    assertMatch(stderr, /^error: .*\n\nusage: deno task part3:trace-figure \[options\] TASK/);
    assertEquals([code, stdout], [2, ""]);
  }
  const untraced = await runTask("part3:trace-figure", ["part1:synchronous"]);
  assertEquals(untraced.code, 1);
  assertMatch(untraced.stderr, /^error: part1:synchronous wrote no reactor trace: /);
});

Deno.test("the chapter shows a countdown trace of that shape, and the committed Figure 5", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", import.meta.url));
  // The text form's block (the chapter also shows the JSON form of another run).
  const block = shownOutput(readme, "REACTOR_TRACE=1 deno task part3:countdown");
  assertEquals(shape(parseTrace(block.lines.join("\n"))), COUNTDOWN);
  assertStringIncludes(readme, "](figure5_countdown.svg)");
  const svg = await Deno.readTextFile(new URL("figure5_countdown.svg", import.meta.url));
  assert(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assertStringIncludes(svg, ">() =&gt; this.count()</text>");
});

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));
const TURN = /^reactor turn /;

Deno.test("chapter 3 shows a real traced countdown: its lines on stdout, its turns on stderr", async () => {
  const block = shownOutput(chapter, "REACTOR_TRACE=1 deno task part3:countdown");
  const { code, stdout, stderr } = await runTask("part3:countdown", [], on);
  assertShows({ ...block, lines: block.lines.filter((line) => !TURN.test(line)) }, stdout);
  assertShows({ ...block, lines: block.lines.filter((line) => TURN.test(line)) }, stderr);
  assertEquals(code, 0);
});

Deno.test("chapter 3 shows a real part3:figures run: its title, chart and totals", async () => {
  const block = shownOutput(chapter, "deno task part3:figures");
  // The same drawing without the SVG, which the tests may not write.
  const { code, stdout } = await runTask("part3:trace-figure", ["part3:countdown"]);
  assertShows(block, stdout, {
    // Where each mark falls, and the totals, depend on this run's timing.
    timing: [/\|/, /^ +[+-]+$/, /^ +0 .* s$/, /^ +█ running a call/, /^\d+ turns in /, /^Wrote /],
  });
  assertEquals(code, 0);
});

Deno.test("part3:trace-figure shows why a traced task failed: what it printed, stdout included", async () => {
  const refused = refusingPort();
  const { code, stdout, stderr } = await runTask("part3:trace-figure", [
    "part5:get-poetry",
    String(refused),
  ]);
  assertEquals([code, stdout], [1, ""]);
  assertMatch(stderr, /^error: part5:get-poetry exited with status 1\n/);
  assertStringIncludes(
    stderr,
    `Task 1: failed to connect to 127.0.0.1:${refused}: Connection refused\n`,
  );
});
