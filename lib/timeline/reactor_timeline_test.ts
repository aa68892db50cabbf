import { assertEquals } from "../testing/asserts.ts";
import { parseTrace } from "../reactor/trace_reader.ts";
import {
  formatSummary,
  MAX_ROWS,
  OTHER_CALLS,
  summarizeTrace,
  traceTimeline,
  WAITING,
} from "./reactor_timeline.ts";

const trace = parseTrace([
  "reactor turn 1 at 0.000 s | waited 0.000 ms | start | start 1.000 ms",
  "reactor turn 2 at 0.001 s | waited 999.0 ms | timer due | tick 2.000 ms | tock 3.000 ms",
  "reactor turn 3 at 1.005 s | waited 0.995 s | descriptors ready | " +
  "doRead Client fd 7 5.000 ms → dataReceived PoetryProtocol 30 bytes 4.000 ms",
].join("\n"));

Deno.test("traceTimeline() puts the waits on one row and each call on its own, in turn order", () => {
  const timeline = traceTimeline(trace);
  assertEquals(timeline.tasks, [WAITING, "start", "tick", "tock", "doRead fd 7 Client"]);
  const spans = timeline.spans.map(({ task, kind, start, end }) => [
    task,
    kind,
    Number(start.toFixed(6)),
    Number(end.toFixed(6)),
  ]);
  assertEquals(spans, [
    ["start", "work", 0, 0.001],
    [WAITING, "wait", 0.001, 1],
    ["tick", "work", 1, 1.002],
    ["tock", "work", 1.002, 1.005],
    [WAITING, "wait", 1.005, 2],
    ["doRead fd 7 Client", "work", 2, 2.005],
  ]);
});

Deno.test("traceTimeline() shares one row among the calls beyond the first rows", () => {
  const calls = Array.from({ length: MAX_ROWS + 2 }, (_, i) => `f${i} 0.100 ms`);
  const [turn] = parseTrace(
    `reactor turn 1 at 0.000 s | waited 0.000 ms | start | ${
      calls.join(" | ")
    } | … 3 more calls 1.0 ms`,
  );
  const timeline = traceTimeline([turn]);
  assertEquals(timeline.tasks.length, 1 + MAX_ROWS + 1);
  assertEquals(timeline.tasks.at(-1), OTHER_CALLS);
  assertEquals(timeline.spans.filter((span) => span.task === OTHER_CALLS).length, 3);
});

Deno.test("summarizeTrace() sums the waits and the calls, and finds the longest", () => {
  const summary = summarizeTrace(trace);
  assertEquals(summary.turns, 3);
  assertEquals(Number(summary.total.toFixed(6)), 2.005);
  assertEquals(Number(summary.waiting.toFixed(6)), 1.994);
  assertEquals(Number(summary.running.toFixed(6)), 0.011);
  assertEquals(summary.longest.label, "doRead Client fd 7");
  assertEquals(
    formatSummary(summary),
    "3 turns in 2.005 s: waiting 1.994 s (99.45 %), running calls 11.0 ms (0.55 %); " +
      "longest call 5.0 ms, doRead Client fd 7",
  );
});
