import { assert, assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { parseTrace } from "../lib/reactor/trace_reader.ts";
import {
  assertEveryBlockChecked,
  assertExcerptsTrue,
  assertShows,
  shownOutput,
} from "../lib/testing/chapter.ts";
import { POEMS, refusingPort, withServers } from "../lib/testing/poetry_servers.ts";

const page = new URL("section1_protocols.md", import.meta.url);
const section = await Deno.readTextFile(page);
/** The lines that say a piece arrived: when, and in what order, depends on timing. */
const READS = [/^Task \d+: got \d+ bytes of poetry from /];
const TURN = /^reactor turn /;

Deno.test("part05/section1_protocols.md: every output block is checked against a run", async () => {
  const test = "section1_protocols_test.ts";
  await assertEveryBlockChecked(page, {
    "deno task part5:get-poetry-simple 10001": test,
    "deno task part5:get-poetry 10000 10001 10002 10009": test,
    "deno task part5:get-poetry-stack 10000": test,
    "deno task part5:get-poetry-lost-stack 10001 10002": test,
    "deno task part5:get-poetry-timeout --timeout 8 10000 10001 10002": test,
    "/usr/bin/python3 twisted-client-2/get-poetry.py 10000 10001 10002": test,
    "deno task part5:get-poetry 10003": test,
    "REACTOR_TRACE=1 deno task part5:get-poetry 10000 10001 10002": test,
  });
});

Deno.test("part05/section1_protocols.md: every excerpt is the code of its script", async () => {
  await assertExcerptsTrue(page, ["part05/get_poetry_simple.ts"]);
});

Deno.test("part05/section1_protocols.md: get-poetry-simple prints the poem as shown", async () => {
  await withServers(["fascination"], 0.001, 30, async ([port]) => {
    const { code, stdout } = await runTask("part5:get-poetry-simple", [String(port)]);
    assertShows(shownOutput(section, "deno task part5:get-poetry-simple 10001"), stdout);
    assertEquals(code, 0);
  });
});

Deno.test("part05/section1_protocols.md: get-poetry's run, a refused server among three", async () => {
  const refused = refusingPort();
  await withServers(["ecstasy", "fascination", "science"], 0.002, 30, async (ports) => {
    const { code, stdout } = await runTask("part5:get-poetry", [...ports, refused].map(String));
    const block = shownOutput(section, "deno task part5:get-poetry 10000 10001 10002 10009");
    assertShows(block, stdout, { timing: READS });
    assertEquals(code, 1);
  });
});

Deno.test("part05/section1_protocols.md: the stacks shown are the stacks printed", async () => {
  await withServers(["fascination", "science"], 0.001, 50, async (ports) => {
    const stack = await runTask("part5:get-poetry-stack", [String(ports[0])]);
    assertShows(shownOutput(section, "deno task part5:get-poetry-stack 10000"), stack.stdout);
    const lost = await runTask("part5:get-poetry-lost-stack", ports.map(String));
    const block = shownOutput(section, "deno task part5:get-poetry-lost-stack 10001 10002");
    assertShows(block, lost.stdout);
  });
});

Deno.test("part05/section1_protocols.md: the timeout's run, with a shorter deadline", async () => {
  // ecstasy at 30 bytes every 0.05 s takes 5 s; the two others end in moments.
  await withServers(["ecstasy"], 0.05, 30, async ([slow]) => {
    await withServers(["fascination", "science"], 0.001, 30, async (fast) => {
      const { code, stdout } = await runTask("part5:get-poetry-timeout", [
        ...["--timeout", "2", String(slow)],
        ...fast.map(String),
      ]);
      const block = shownOutput(
        section,
        "deno task part5:get-poetry-timeout --timeout 8 10000 10001 10002",
      );
      assertShows(block, stdout, { timing: READS, anyNumbers: true });
      assertEquals(code, 1);
    });
  });
});

Deno.test("part05/section1_protocols.md: the Python client's counts are the poems' characters", async () => {
  // The repository never runs Python: this checks the block's steady lines against the poems.
  const block = shownOutput(
    section,
    "/usr/bin/python3 twisted-client-2/get-poetry.py 10000 10001 10002",
  );
  const characters = async (name: keyof typeof POEMS): Promise<number> =>
    [...await Deno.readTextFile(POEMS[name].poem)].length;
  const expected = [
    `Task 2: ${await characters("fascination")} characters of poetry`,
    `Task 3: ${await characters("science")} characters of poetry`,
    `Task 1: ${await characters("ecstasy")} characters of poetry`,
    "Got 3 poems in 0:00:10.000000",
  ].join("\n");
  assertShows(block, expected, { timing: [/^Task \d+: got \d+ bytes of poetry from IPv4/] });
});

Deno.test("part05/section1_protocols.md: a poem sent all at once comes in one dataReceived", async () => {
  await withServers(["ecstasy"], 0.001, 3003, async ([port]) => {
    const { code, stdout } = await runTask("part5:get-poetry", [String(port)]);
    assertShows(shownOutput(section, "deno task part5:get-poetry 10003"), stdout);
    assertEquals(code, 0);
  });
});

Deno.test("part05/section1_protocols.md: the traced run, every turn after the second a doRead", async () => {
  const block = shownOutput(
    section,
    "REACTOR_TRACE=1 deno task part5:get-poetry 10000 10001 10002",
  );
  await withServers(["ecstasy", "fascination", "science"], 0.01, 30, async (ports) => {
    const env = { REACTOR_TRACE: "1" };
    const { code, stdout, stderr } = await runTask("part5:get-poetry", ports.map(String), { env });
    const printed = { ...block, lines: block.lines.filter((line) => !TURN.test(line)) };
    assertShows(printed, stdout, { timing: READS });
    const [first, second, ...rest] = parseTrace(stderr);
    assertEquals([first.woke, second.woke], ["start", "descriptors ready"]);
    for (const turn of rest) {
      assertEquals(turn.woke, "descriptors ready", `turn ${turn.turn}`);
      assert(turn.calls.every(({ label }) => label.startsWith("doRead PoetryProtocol,client fd ")));
    }
    assertEquals(code, 0);
  });
});
