import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { withServers } from "../lib/testing/poetry_servers.ts";
import { runProbe } from "./_servers.ts";
import { assertShows, shownOutput, shownOutputs } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));
/** Lines that depend on when the bytes arrived: the reads, and which poem ended first. */
const READS = [/^Task \d+: got \d+ bytes of poetry from /, /^Task \d+ finished$/];

Deno.test("part4:get-poetry-broken reads each poem in one blocking doRead", async () => {
  await withServers(["ecstasy", "fascination", "science"], 0.002, 10, async (ports) => {
    const { code, stdout } = await runTask("part4:get-poetry-broken", ports.map(String));
    const lines = stdout.trim().split("\n");
    // One read per poem, each the whole poem; which socket the reactor serves first is its choice.
    assertEquals(lines.slice(0, 3).sort(), [
      `Task 1: got 3003 bytes of poetry from 127.0.0.1:${ports[0]}`,
      `Task 2: got 623 bytes of poetry from 127.0.0.1:${ports[1]}`,
      `Task 3: got 653 bytes of poetry from 127.0.0.1:${ports[2]}`,
    ]);
    assertEquals(lines.slice(3, 6), [
      "Task 1: 3003 bytes of poetry",
      "Task 2: 623 bytes of poetry",
      "Task 3: 653 bytes of poetry",
    ]);
    assertMatch(lines[6], /^Got 3 poems in /);
    // The chapter shows this output twice: a plain run, and one where Ctrl-C went unheard.
    const blocks = shownOutputs(chapter).filter((block) =>
      block.command === "deno task part4:get-poetry-broken 10000 10001 10002"
    );
    assertEquals(blocks.length, 2);
    for (const block of blocks) assertShows(block, stdout, { timing: READS });
    assertEquals(code, 0);
  });
});

Deno.test("the broken client blocks the reactor: a timer due during the read waits for its end", async () => {
  // science.txt at 10 bytes every 0.02 s: about 1.3 s of reading. The heartbeat is scheduled
  // when the first doRead starts and due 0.1 s later, so it is due while the poem still arrives.
  await withServers(["science"], 0.02, 10, async (ports) => {
    const broken = await runProbe("broken", ports);
    const command = `deno run --allow-net=127.0.0.1 --allow-read=lib part04/_probe.ts`;
    assertShows(shownOutput(chapter, `${command} broken 10002`), broken.stdout, {
      timing: READS,
      anyNumbers: true,
    });
    assert(
      !broken.firedWhileReading,
      `the heartbeat fired during the blocking read:\n${broken.stdout}`,
    );
  });
  await withServers(["science"], 0.02, 10, async (ports) => {
    const plain = await runProbe("plain", ports);
    const command = `deno run --allow-net=127.0.0.1 --allow-read=lib part04/_probe.ts`;
    assertShows(shownOutput(chapter, `${command} plain 10002`), plain.stdout, {
      timing: READS,
      anyNumbers: true,
    });
    assert(plain.firedWhileReading, `without blocking it waited for the poem:\n${plain.stdout}`);
  });
});
