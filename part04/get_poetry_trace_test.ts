import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { parseTrace, type TracedTurn } from "../lib/reactor/trace_reader.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";
import { withServers } from "../lib/testing/poetry_servers.ts";

/**
 * Checks the trace the chapter shows: after the start, every turn is woken
 * by a ready socket and runs its doRead. Returns the descriptors read.
 */
function readsOnly(turns: TracedTurn[]): Set<string> {
  const [first, ...rest] = turns;
  assertEquals([first.turn, first.woke, first.calls], [1, "start", []]);
  const fds = new Set<string>();
  for (const turn of rest) {
    assertEquals(turn.woke, "descriptors ready", `turn ${turn.turn}`);
    assert(turn.calls.length > 0, `turn ${turn.turn} ran something`);
    for (const { label } of turn.calls) {
      assertMatch(label, /^(doRead|connectionLost) poetry fd \d+$/);
      fds.add(label.split(" fd ")[1]);
    }
  }
  return fds;
}

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));
const READS = [/^Task \d+: got \d+ bytes of poetry from /, /^Task \d+ finished$/];
const TURN = /^reactor turn /;

Deno.test("part4:get-poetry traced: the chapter's run, every turn after the first a doRead", async () => {
  const block = shownOutput(
    chapter,
    "REACTOR_TRACE=1 deno task part4:get-poetry 10000 10001 10002",
  );
  await withServers(["ecstasy", "fascination", "science"], 0.01, 30, async (ports) => {
    const env = { REACTOR_TRACE: "1" };
    const { code, stdout, stderr } = await runTask("part4:get-poetry", ports.map(String), { env });
    const printed = { ...block, lines: block.lines.filter((line) => !TURN.test(line)) };
    assertShows(printed, stdout, { timing: READS });
    assertEquals(readsOnly(parseTrace(stderr)).size, 3, "three sockets");
    assertEquals(code, 0);
  });
});

Deno.test("part4:figures draws the waiting loop and a doRead row per socket", async () => {
  await withServers(["ecstasy", "fascination", "science"], 0.01, 30, async (ports) => {
    // part4:figures with --svg written elsewhere would need write permission: chapter 3's tool
    // draws the same chart to the terminal.
    const { code, stdout } = await runTask("part3:trace-figure", [
      "--duration",
      "0.1",
      "part4:get-poetry",
      ...ports.map(String),
    ]);
    const lines = stdout.split("\n");
    assertEquals(lines[0], `part4:get-poetry ${ports.join(" ")}, traced with REACTOR_TRACE=1`);
    assertMatch(lines[1], /^reactor: waiting +\|[░ █]{72}\|$/);
    const rows = lines.filter((line) => /^doRead fd \d+ poetry +\|/.test(line));
    assertEquals(rows.length, 3, stdout);
    assertMatch(stdout, /\n\d+ turns in \d+\.\d{3} s: waiting .* \(\d+\.\d\d %\), running calls /);
    assertEquals(code, 0);
  });
});

Deno.test("the chapter shows a get-poetry trace of that shape, and the committed figure", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", import.meta.url));
  assertEquals(readsOnly(parseTrace(readme)).size, 3);
  assertStringIncludes(readme, "](figure_trace_get_poetry.svg)");
  const svg = await Deno.readTextFile(new URL("figure_trace_get_poetry.svg", import.meta.url));
  assert(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assertStringIncludes(svg, ">doRead fd ");
});
