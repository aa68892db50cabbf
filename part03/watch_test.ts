import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";
import { runTask, taskArgs } from "../lib/testing/run_task.ts";
import { parseTraceRecord } from "../lib/reactor/trace_reader.ts";
import type { TraceTurnRecord } from "../lib/reactor/trace_events.ts";
import { startWatch } from "./_watch_process.ts";

const BAD_INPUT: [string[], string][] = [
  [[], "error: No TASK given"],
  [["part9:nothing"], 'error: No task "part9:nothing" in deno.json'],
  [["part1:synchronous"], "error: part1:synchronous does not run the reactor with REACTOR_TRACE"],
  [
    ["--port", "http", "part3:hello"],
    'error: --port must be a port number from 0 to 65535, got "http"',
  ],
  [["--speed", "2", "part3:hello"], "error: Unknown option '--speed'"],
];

for (const [args, message] of BAD_INPUT) {
  Deno.test(`part3:watch ${args.join(" ")}: one line, the usage, status 2`, async () => {
    const { code, stdout, stderr } = await runTask("part3:watch", args);
    const lines = stderr.split("\n");
    assert(lines[0].startsWith(message), lines[0]);
    assertStringIncludes(stderr, "usage: deno task part3:watch [options] TASK [ARG...]");
    assertEquals([stdout, code], ["", 2]);
  });
}

Deno.test("part3:watch keeps the run: the task's trace and output as JSON lines, then its exit", async () => {
  const watch = await startWatch(["part3:hello"]);
  try {
    // The event stream starts with everything so far; read it until the task's exit.
    const stream = await watch.untilExit();
    const run = await (await fetch(`${watch.url}run.jsonl`)).text();
    const lines = run.trimEnd().split("\n");
    assertEquals(lines[0], '{"task":"part3:hello","args":[]}');
    assertEquals(lines.at(-1), '{"exit":0,"signal":null}');
    const records = lines.map(parseTraceRecord).filter((record) => record !== null);
    assertEquals(records.map((record) => Object.keys(record)[0]), ["reactor", "turn", "shutdown"]);
    const turn = records[1] as TraceTurnRecord;
    assertEquals([turn.turn, turn.woke, turn.calls.map((call) => call.label)], [1, "start", [
      "hello",
    ]]);
    assert(lines.includes('{"output":"Hello from the reactor loop!","stream":"stdout"}'), run);
    for (const line of lines) assertStringIncludes(stream, `data: ${line}\n`);
    const page = await fetch(watch.url);
    assertMatch(await page.text(), /<title>reactor turn 0<\/title>/);
    const missing = await fetch(`${watch.url}nothing`);
    assertEquals(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    const { code, stdout } = await watch.stop();
    assertMatch(stdout, /^Watching part3:hello at http:\/\/127\.0\.0\.1:\d+\/\n/);
    assertEquals(code, 130);
  }
});

Deno.test("REACTOR_TRACE=json: part3:hello's trace as JSON lines, which part3:trace-figure - draws", async () => {
  const { code, stderr } = await runTask("part3:hello", [], { env: { REACTOR_TRACE: "json" } });
  assertEquals(code, 0);
  const lines = stderr.trimEnd().split("\n");
  const records = lines.map(parseTraceRecord);
  assertEquals(records.map((record) => record && Object.keys(record)[0]), [
    "reactor",
    "turn",
    "shutdown",
  ]);
  const figure = new Deno.Command("deno", {
    args: [...await taskArgs("part3:trace-figure"), "--columns", "20", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const writer = figure.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stderr));
  await writer.close();
  const { stdout } = await figure.output();
  assertEquals(new TextDecoder().decode(stdout).split("\n").slice(0, 3), [
    "a saved trace",
    "reactor: waiting |                    |",
    "hello            |████████████████████|",
  ]);
});

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));

Deno.test("chapter 3 shows a real part3:watch run: its URL, the task's output, its end", async () => {
  const block = shownOutput(chapter, "deno task part3:watch part3:countdown");
  const watch = await startWatch(["part3:countdown"]);
  let result;
  try {
    await watch.untilExit();
  } finally {
    result = await watch.stop();
  }
  assertShows(block, result.stdout, { stderr: result.stderr });
  assertEquals(result.code, 130);
});

Deno.test("chapter 3 shows a real JSON trace of the countdown: its turns and their events", async () => {
  const block = shownOutput(chapter, "REACTOR_TRACE=json deno task part3:countdown");
  const { code, stdout, stderr } = await runTask("part3:countdown", [], {
    env: { REACTOR_TRACE: "json" },
  });
  const json = (line: string): boolean => line.startsWith("{");
  assertShows({ ...block, lines: block.lines.filter((line) => !json(line)) }, stdout);
  // Every number is a time or a clock reading, except the calls' ids, which the shape shows.
  assertShows({ ...block, lines: block.lines.filter(json) }, stderr, { anyNumbers: true });
  assertEquals(code, 0);
});

Deno.test("part3:watch stopped with Ctrl-C stops the task it watches, cleanly, and exits 130", async () => {
  const watch = await startWatch(["part3:simple"]);
  let result;
  try {
    // part3:simple runs until stopped: wait until its reactor runs.
    const events = await fetch(`${watch.url}events`);
    const reader = (events.body as ReadableStream<Uint8Array>)
      .pipeThrough(new TextDecoderStream()).getReader();
    let stream = "";
    while (!stream.includes("Running the reactor")) stream += (await reader.read()).value ?? "";
    await reader.cancel();
  } finally {
    result = await watch.stop();
  }
  // The task heard the signal and stopped its reactor, as Ctrl-C in its own terminal would.
  assertStringIncludes(result.stdout, "The reactor has stopped.\n");
  assertEquals(result.code, 130);
});
