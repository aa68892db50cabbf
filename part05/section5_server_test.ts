import { assertEquals } from "../lib/testing/asserts.ts";
import { runTask, startServerTask } from "../lib/testing/run_task.ts";
import {
  assertEveryBlockChecked,
  assertExcerptsTrue,
  assertShows,
  shownOutput,
} from "../lib/testing/chapter.ts";

const page = new URL("section5_server.md", import.meta.url);
const section = await Deno.readTextFile(page);
const MISBEHAVING =
  "deno task part5:load --clients 5000 --rate 10000 --vanish 500 --reset 500 --expect poetry/science.txt 10000";
const MORE = "deno task part5:load --clients 1000 --expect poetry/science.txt 10000";

Deno.test("part05/section5_server.md: every output block is checked against a run", async () => {
  await assertEveryBlockChecked(page, {
    [MISBEHAVING]: "section5_server_test.ts",
    [MORE]: "section5_server_test.ts",
  });
});

Deno.test("part05/section5_server.md: every excerpt is the code of its script", async () => {
  await assertExcerptsTrue(page, ["part05/slowpoetry.ts"]);
});

Deno.test("part05/section5_server.md: the Python twin is the file the page lists", async () => {
  const listing = /```python\n([\s\S]*?)```\n/.exec(section)?.[1];
  const file = await Deno.readTextFile(new URL("slowpoetry_twisted.py", import.meta.url));
  assertEquals(listing, file);
  // It runs from the repository's root, as its own first lines say.
  assertEquals(
    file.split("\n")[1],
    "#   /usr/bin/python3 part05/slowpoetry_twisted.py --port 10000 poetry/science.txt",
  );
});

Deno.test("part05/section5_server.md: the load runs on one server, smaller and faster", async () => {
  const server = await startServerTask("part5:slowpoetry", [
    ...["--port", "0", "--delay", "0.001", "--backlog", "4096"],
    "poetry/science.txt",
  ]);
  try {
    const faults = await runTask("part5:load", [
      ...["--clients", "50", "--rate", "10000", "--vanish", "5", "--reset", "5"],
      ...["--delay", "0.001", "--expect", "poetry/science.txt", String(server.port)],
    ]);
    assertShows(shownOutput(section, MISBEHAVING), faults.stdout, { anyNumbers: true });
    assertEquals(faults.code, 0);
    const more = await runTask("part5:load", [
      ...["--clients", "10", "--delay", "0.001", "--expect", "poetry/science.txt"],
      String(server.port),
    ]);
    assertShows(shownOutput(section, MORE), more.stdout, { anyNumbers: true });
    assertEquals(more.code, 0);
  } finally {
    await server.stop();
  }
});
