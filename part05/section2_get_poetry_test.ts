import { assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import {
  assertEveryBlockChecked,
  assertExcerptsTrue,
  assertShows,
  shownOutput,
} from "../lib/testing/chapter.ts";
import { type POEMS, refusingPort, withServers } from "../lib/testing/poetry_servers.ts";

const page = new URL("section2_get_poetry.md", import.meta.url);
const section = await Deno.readTextFile(page);
/** The lines that say a piece arrived: when, and in what order, depends on timing. */
const READS = [/^Task \d+: got \d+ bytes of poetry from /];
/** The servers the page's runs used, by port, as section 1 starts them; 10009 refuses. */
const SERVERS: Record<string, [keyof typeof POEMS, number]> = {
  "10000": ["ecstasy", 30],
  "10001": ["fascination", 10],
  "10002": ["science", 10],
};

/**
 * Runs the page's `command` again, on servers started here for its ports
 * (sending as section 1's do, a hundred times faster), and checks its block.
 */
async function checkRun(command: string, expectedCode: number): Promise<void> {
  const [, task, ...args] = command.replace(/^deno task /, "deno ").split(" ");
  const ports = args.filter((arg) => arg in SERVERS);
  const started: number[] = [];
  const start = async (i: number): Promise<void> => {
    if (i === ports.length) {
      const refused = String(refusingPort());
      const real = args.map((arg) =>
        arg in SERVERS ? String(started[ports.indexOf(arg)]) : arg === "10009" ? refused : arg
      );
      const { code, stdout } = await runTask(task, real);
      assertShows(shownOutput(section, command), stdout, { timing: READS });
      assertEquals(code, expectedCode, command);
      return;
    }
    const [poem, numBytes] = SERVERS[ports[i]];
    await withServers([poem], 0.001, numBytes, async ([port]) => {
      started.push(port);
      await start(i + 1);
    });
  };
  await start(0);
}

Deno.test("part05/section2_get_poetry.md: every output block is checked against a run", async () => {
  const test = "section2_get_poetry_test.ts";
  await assertEveryBlockChecked(page, {
    "deno task part5:block-on": test,
    "deno task part5:get-poetry-callbacks 10000 10001 10002": test,
    "deno task part5:get-poetry-deferred 10000 10001 10002": test,
    "deno task part5:get-poetry-deferred 10001 10009 10002": test,
    "deno task part5:deferred-chain": test,
    "deno task part5:get-poetry-await 10000 10001 10002": test,
    "deno task part5:get-poetry-await --async 10001 10009 10002": test,
  });
});

Deno.test("part05/section2_get_poetry.md: every excerpt is the code of its script", async () => {
  await assertExcerptsTrue(page, [
    "part05/block_on.ts",
    "part05/get_poetry_callbacks.ts",
    "part05/get_poetry_deferred.ts",
    "part05/get_poetry_await.ts",
  ]);
});

Deno.test("part05/section2_get_poetry.md: block-on's run, its times and looks aside", async () => {
  const { code, stdout } = await runTask("part5:block-on");
  assertShows(shownOutput(section, "deno task part5:block-on"), stdout, { anyNumbers: true });
  assertEquals(code, 0);
});

Deno.test("part05/section2_get_poetry.md: deferred-chain's pictures", async () => {
  const { code, stdout } = await runTask("part5:deferred-chain");
  assertShows(shownOutput(section, "deno task part5:deferred-chain"), stdout);
  assertEquals(code, 0);
});

for (
  const [command, code] of [
    ["deno task part5:get-poetry-callbacks 10000 10001 10002", 0],
    ["deno task part5:get-poetry-deferred 10000 10001 10002", 0],
    ["deno task part5:get-poetry-deferred 10001 10009 10002", 1],
    ["deno task part5:get-poetry-await 10000 10001 10002", 0],
    ["deno task part5:get-poetry-await --async 10001 10009 10002", 1],
  ] as const
) {
  Deno.test(`part05/section2_get_poetry.md: ${command.slice(10)}`, async () => {
    await checkRun(command, code);
  });
}
