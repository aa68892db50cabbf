import { assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";

/** The pictures' rows, by title: each row's cells, callback then errback. */
function pictures(stdout: string): Map<string, string[][]> {
  const byTitle = new Map<string, string[][]>();
  for (const block of stdout.trimEnd().split("\n\n")) {
    const [title, ...lines] = block.split("\n");
    const rows = lines.filter((line) => /^ +\d+ {2}/.test(line))
      .map((line) => line.replace(/^ +\d+ {2}/, "").split(/ {3,}/).map((cell) => cell.trim()));
    byTitle.set(title.replace(/:.*/, ""), rows);
  }
  return byTitle;
}

Deno.test("part5:deferred-chain draws which link ran with which value, from a real run", async () => {
  const { code, stdout, stderr } = await runTask("part5:deferred-chain");
  assertEquals([code, stderr], [0, ""]);
  const drawn = pictures(stdout);
  assertEquals(drawn.get('1. d.callback("Roses are Red")'), [
    ['▶ cummingsify("Roses are Red") → "roses are red"', "-"],
    ['▶ "roses are red" passes on', "cummingsifyFailed"],
    ['▶ gotPoem("roses are red") → 13', "poemFailed"],
  ]);
  // A throw moves the result to the errbacks; an errback that returns moves it back.
  assertEquals(drawn.get('2. d.callback("Roses are Red")'), [
    ['▶ cummingsify("Roses are Red") → Failure(GibberishError)', "-"],
    ["-", '▶ cummingsifyFailed(Failure(GibberishError)) → "Roses are Red"'],
    ['▶ gotPoem("Roses are Red") → 13', "poemFailed"],
  ]);
  // trap() passes on what it does not expect.
  assertEquals(drawn.get("3. d.errback(new ConnectionLost())"), [
    ["cummingsify", "▶ Failure(ConnectionLost) passes on"],
    ["-", "▶ cummingsifyFailed(Failure(ConnectionLost)) → Failure(ConnectionLost)"],
    ["gotPoem", "▶ poemFailed(Failure(ConnectionLost)) → undefined"],
  ]);
  // The link after a returned Deferred gets that Deferred's result.
  assertEquals(drawn.get("4. A callback returns a Deferred"), [
    ['▶ getSecondPoem("Roses are Red") → a Deferred: the chain waits for it', "-"],
    ['▶ gotPoem("and so are you") → 14', "poemFailed"],
  ]);
  assertEquals(drawn.get("5. Cancelling"), [
    ["gotPoem", '▶ poemFailed(Failure(CancelledError)) → "no poem, as asked"'],
  ]);
  const lines = stdout.split("\n");
  for (
    const line of [
      "  right after d.callback(): <Deferred waiting on another Deferred>",
      "  (the canceller hangs up on the server)",
      '  await poem gives "Roses are Red"; poem.result is now undefined',
    ]
  ) assertEquals(lines.includes(line), true, line);
});
