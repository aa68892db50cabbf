import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { parseTrace, type TracedTurn } from "../lib/reactor/trace_reader.ts";
import { POEMS, withServers } from "../lib/testing/poetry_servers.ts";

/**
 * Checks that every call made through a `doRead` is the protocol's
 * `dataReceived`, and returns the bytes it was given, in all.
 */
function bytesReceived(turns: TracedTurn[]): number {
  let bytes = 0;
  for (const call of turns.flatMap((turn) => turn.calls)) {
    if (call.through.length === 0) continue;
    assertMatch(call.label, /^doRead PoetryProtocol,client fd \d+$/);
    for (const { label } of call.through) {
      const [, count] = /^dataReceived PoetryProtocol (\d+) bytes$/.exec(label) ?? [];
      assert(count !== undefined, label);
      bytes += Number(count);
    }
  }
  return bytes;
}

Deno.test("part5:get-poetry traced: the reactor calls doRead, which calls dataReceived with every byte", async () => {
  await withServers(["ecstasy", "fascination", "science"], 0.005, 50, async (ports) => {
    const env = { REACTOR_TRACE: "1" };
    const { code, stderr } = await runTask("part5:get-poetry", ports.map(String), { env });
    const poems = POEMS.ecstasy.bytes + POEMS.fascination.bytes + POEMS.science.bytes;
    assertEquals(bytesReceived(parseTrace(stderr)), poems);
    assertEquals(code, 0);
  });
});

Deno.test("part05/section1_protocols.md ends with a traced run, showing doRead → dataReceived", async () => {
  const page = await Deno.readTextFile(new URL("section1_protocols.md", import.meta.url));
  const start = page.indexOf("## Watching the loop carry a protocol");
  assert(start > 0, "the page has the traced run");
  const turns = parseTrace(page.slice(start));
  assert(bytesReceived(turns) > 0, "the excerpt shows dataReceived");
});
