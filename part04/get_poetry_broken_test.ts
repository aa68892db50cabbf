import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { runProbe, withServers } from "./_servers.ts";

Deno.test("part4:get-poetry-broken reads each poem in one blocking doRead", async () => {
  await withServers(["fascination", "science"], 0.002, 10, async (ports) => {
    const { code, stdout } = await runTask("part4:get-poetry-broken", ports.map(String));
    const lines = stdout.trim().split("\n");
    // Each poem in one read; which socket the reactor finds ready first is up to the servers.
    assertEquals(lines.slice(0, 2).sort(), [
      `Task 1: got 623 bytes of poetry from 127.0.0.1:${ports[0]}`,
      `Task 2: got 653 bytes of poetry from 127.0.0.1:${ports[1]}`,
    ]);
    assertEquals(lines.slice(2, 4).sort(), [
      "Task 1: 623 bytes of poetry",
      "Task 2: 653 bytes of poetry",
    ]);
    assertMatch(lines[4], /^Got 2 poems in /);
    assertEquals(code, 0);
  });
});

Deno.test("the broken client blocks the reactor: a timer due during the read fires late", async () => {
  // science.txt at 10 bytes every 0.02 s: about 1.3 s of reading.
  await withServers(["science"], 0.02, 10, async (ports) => {
    const broken = await runProbe("broken", ports);
    assert(broken.late > 0.6, `the heartbeat was only ${broken.late} s late`);
  });
  await withServers(["science"], 0.02, 10, async (ports) => {
    const plain = await runProbe("plain", ports);
    assert(plain.late < 0.3, `without blocking the heartbeat was ${plain.late} s late`);
  });
});
