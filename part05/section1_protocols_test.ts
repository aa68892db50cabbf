import { assert, assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { shownOutputs } from "../lib/testing/chapter.ts";
import { POEMS, refusingPort, withServers } from "../lib/testing/poetry_servers.ts";

/** Section 1 of the chapter, and its output blocks by command. */
async function outputs(): Promise<Map<string, string[]>> {
  const section = await Deno.readTextFile(new URL("section1_protocols.md", import.meta.url));
  return new Map(shownOutputs(section).map(({ command, lines }) => [command, lines]));
}

/** The lines of an output that do not depend on timing. */
function steady(lines: string[]): string[] {
  return lines
    .filter((line) =>
      /bytes of poetry$|failed to connect|timed out after|^Got \d+ poems/.test(line)
    )
    .filter((line) => !/ got \d+ bytes/.test(line))
    .map((line) => line.replace(/ in \d+:\d\d:\d\d\.\d{6}$/, " in …"))
    .sort();
}

/** The functions of a printed stack, without files and line numbers. */
function frames(lines: string[]): string[] {
  return lines.filter((line) => line.startsWith("    at ")).map((line) =>
    line.replace(/ \(.*\)$/, "").replace(/ file:\/\/\S+$/, " <script>")
  );
}

Deno.test("part05/section1_protocols.md: get-poetry's steady lines are what the client prints", async () => {
  const shown = (await outputs()).get("deno task part5:get-poetry 11000 11001 11002 11009");
  assert(shown !== undefined, "the block is there");
  const refused = refusingPort();
  await withServers(["ecstasy", "fascination", "science"], 0.002, 30, async (ports) => {
    const { stdout } = await runTask("part5:get-poetry", [...ports, refused].map(String));
    const asShown = stdout.replaceAll(`:${refused}:`, ":11009:");
    assertEquals(steady(asShown.split("\n")), steady(shown));
  });
});

Deno.test("part05/section1_protocols.md: the stacks shown are the stacks printed", async () => {
  const blocks = await outputs();
  await withServers(["fascination", "science"], 0.001, 50, async (ports) => {
    const stack = await runTask("part5:get-poetry-stack", [String(ports[0])]);
    assertEquals(
      frames(stack.stdout.split("\n")),
      frames(blocks.get("deno task part5:get-poetry-stack 11000") ?? []),
    );
    const lost = await runTask("part5:get-poetry-lost-stack", ports.map(String));
    assertEquals(
      frames(lost.stdout.split("\n")),
      frames(blocks.get("deno task part5:get-poetry-lost-stack 11001 11002") ?? []),
    );
  });
});

Deno.test("part05/section1_protocols.md: the simple client's and the timeout's outputs hold together", async () => {
  const blocks = await outputs();
  const simple = blocks.get("deno task part5:get-poetry-simple 11001") ?? [];
  const poem = (await Deno.readTextFile(POEMS.fascination.poem)).trimEnd().split("\n");
  const cut = simple.findIndex((line) => line.startsWith("[… "));
  assertEquals(simple.slice(0, cut), poem.slice(0, cut));
  assertEquals(simple.slice(cut + 1), poem.slice(poem.length - (simple.length - cut - 1)));
  const timeout = steady(
    blocks.get("deno task part5:get-poetry-timeout --timeout 8 11000 11001 11002") ?? [],
  );
  assert(timeout.includes("Task 1: timed out after 8 seconds"));
  assert(
    timeout.includes("Task 2: 623 bytes of poetry") &&
      timeout.includes("Task 3: 653 bytes of poetry"),
  );
  const partial = Number(
    timeout.find((line) => line.startsWith("Task 1: "))?.match(/(\d+) bytes/)?.[1],
  );
  assert(partial > 0 && partial < 3003);
});
