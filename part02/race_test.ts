import { assertEquals, assertMatch, assertStringIncludes } from "../lib/_assert.ts";
import { runTask, taskArgs } from "../lib/_testing.ts";
import { scriptArgs } from "./_processes.ts";

/** The ports the race's servers listened on, from its "Serving ... on port N:" lines. */
function serverPorts(stdout: string): number[] {
  return [...stdout.matchAll(/^Serving poetry\/\w+\.txt on port (\d+):/gm)].map((match) =>
    Number(match[1])
  );
}

async function assertNothingListens(ports: number[]): Promise<void> {
  for (const port of ports) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      throw new Error(`A server still listens on port ${port}`);
    } catch (error) {
      if (!(error instanceof Deno.errors.ConnectionRefused)) throw error;
    }
  }
}

Deno.test("race runs both clients against three servers, compares them, and stops the servers", async () => {
  const { code, stdout, stderr } = await runTask("part2:race", [
    "--delay",
    "0.01",
    "--num-bytes",
    "50",
  ], {
    timeoutSeconds: 60,
  });
  assertEquals(code, 0, stderr);
  const ports = serverPorts(stdout);
  assertEquals(ports.length, 3);
  assertStringIncludes(stdout, "== The blocking client ==");
  assertStringIncludes(stdout, "== The asynchronous client ==");
  assertEquals(stdout.match(/^Got 3 poems in \d+:\d\d:\d\d\.\d{6}$/gm)?.length, 2);
  assertMatch(
    stdout,
    /^Blocking client: +\d:\d\d:\d\d\.\d{6} +sum of the three send times 0:00:00\.880000 /m,
  );
  assertMatch(
    stdout,
    /^Asynchronous client: +\d:\d\d:\d\d\.\d{6} +physical limit, the slowest poem 0:00:00\.610000 /m,
  );
  assertMatch(
    stdout,
    /^The blocking client took \d+\.\d\d times as long as the asynchronous one\.$/m,
  );
  await assertNothingListens(ports);
});

Deno.test("race stops the clients and the servers on Ctrl-C", async () => {
  const { code, stdout } = await runTask("part2:race", ["--delay", "0.05"], {
    timeoutSeconds: 60,
    interruptAfter: "== The blocking client ==",
  });
  assertEquals(code, 130);
  assertStringIncludes(stdout, "Interrupted: stopping the clients and the servers");
  await assertNothingListens(serverPorts(stdout));
});

Deno.test("race reports bad input in one line, with the usage, and exits with 2", async () => {
  for (const args of [["--delay=-1"], ["--num-bytes", "0"], ["10000"]]) {
    const { code, stderr } = await runTask("part2:race", args);
    assertEquals(code, 2);
    assertMatch(stderr.split("\n")[0], /^error: /);
    assertStringIncludes(stderr, "usage: deno task part2:race");
  }
});

Deno.test("the race starts each script with the same permissions as its deno.json task", async () => {
  for (const [task, args] of Object.entries(scriptArgs)) {
    assertEquals(await taskArgs(task), [...args], task);
  }
});
