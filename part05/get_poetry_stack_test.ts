import { assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { withServers } from "../lib/testing/poetry_servers.ts";

Deno.test("part5:get-poetry-stack shows the reactor, doRead, then dataReceived", async () => {
  await withServers(["fascination"], 0.001, 30, async ([port]) => {
    const { code, stdout } = await runTask("part5:get-poetry-stack", [String(port)]);
    const lines = stdout.trim().split("\n");
    assertEquals(lines[0], "The JavaScript stack inside dataReceived:");
    assertMatch(
      lines[1],
      /^ {4}at StackPoetryProtocol\.dataReceived \(.*part05\/get_poetry_stack\.ts/,
    );
    const frames = lines.slice(2).join("\n");
    assertMatch(
      frames,
      /at Client\.doRead \(.*lib\/tcp\/tcp\.ts[\s\S]*at EPollReactor\.doReadOrWrite \(.*lib\/reactor\/posix_base\.ts[\s\S]*at EPollReactor\.doIteration[\s\S]*at async EPollReactor\.run/,
    );
    // Once is enough: it ends there, as the tutorial's os._exit(0) does.
    assertMatch(lines.at(-1) ?? "", /^ {4}at /);
    assertEquals(code, 0);
  });
});

Deno.test("part5:get-poetry-lost-stack shows connectionLost called from the reactor's dispatch", async () => {
  await withServers(["fascination", "science"], 0.001, 50, async (ports) => {
    const { code, stdout } = await runTask("part5:get-poetry-lost-stack", ports.map(String));
    const lines = stdout.trim().split("\n");
    assertEquals(lines[0], "The JavaScript stack inside connectionLost (ConnectionDone):");
    assertMatch(lines[1], /^ {4}at LostStackPoetryProtocol\.connectionLost \(/);
    assertMatch(
      lines.slice(2).join("\n"),
      /at Client\.connectionLost \(.*lib\/tcp\/tcp\.ts[\s\S]*at EPollReactor\.disconnectSelectable[\s\S]*at EPollReactor\.doReadOrWrite/,
    );
    assertEquals(stdout.split("The JavaScript stack").length, 2, "shown once");
    assertEquals(lines.filter((line) => / bytes of poetry$/.test(line)), [
      "Task 1: 623 bytes of poetry",
      "Task 2: 653 bytes of poetry",
    ]);
    assertEquals(code, 0);
  });
});
