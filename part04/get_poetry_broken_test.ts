import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { runProbe, withServers } from "./_servers.ts";

Deno.test("part4:get-poetry-broken reads each poem in one blocking doRead", async () => {
  await withServers(["fascination", "science"], 0.002, 10, async (ports) => {
    const { code, stdout } = await runTask("part4:get-poetry-broken", ports.map(String));
    const lines = stdout.trim().split("\n");
    // One read per poem, each the whole poem; which socket the reactor serves first is its choice.
    assertEquals(lines.slice(0, 2).sort(), [
      `Task 1: got 623 bytes of poetry from 127.0.0.1:${ports[0]}`,
      `Task 2: got 653 bytes of poetry from 127.0.0.1:${ports[1]}`,
    ]);
    assertEquals(lines.slice(2, 4), ["Task 1: 623 bytes of poetry", "Task 2: 653 bytes of poetry"]);
    assertMatch(lines[4], /^Got 2 poems in /);
    assertEquals(code, 0);
  });
});

Deno.test("the broken client blocks the reactor: a timer due during the read waits for its end", async () => {
  // science.txt at 10 bytes every 0.02 s: about 1.3 s of reading. The heartbeat is scheduled
  // when the first doRead starts and due 0.1 s later, so it is due while the poem still arrives.
  await withServers(["science"], 0.02, 10, async (ports) => {
    const broken = await runProbe("broken", ports);
    assert(
      !broken.firedWhileReading,
      `the heartbeat fired during the blocking read:\n${broken.stdout}`,
    );
  });
  await withServers(["science"], 0.02, 10, async (ports) => {
    const plain = await runProbe("plain", ports);
    assert(plain.firedWhileReading, `without blocking it waited for the poem:\n${plain.stdout}`);
  });
});
