import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { parseDuration } from "../lib/cli.ts";
import { type ServerSettings, type SlowServer, startServer, stopServers } from "./_processes.ts";

/** Small delays, but far enough apart that the sum and the maximum cannot be confused. */
const settings: ServerSettings[] = [
  { poem: "poetry/ecstasy.txt", delay: 0.05, numBytes: 100 }, // 31 chunks: 1.55 s
  { poem: "poetry/fascination.txt", delay: 0.05, numBytes: 40 }, // 16 chunks: 0.80 s
  { poem: "poetry/science.txt", delay: 0.05, numBytes: 40 }, // 17 chunks: 0.85 s
];
const sendTimes = settings.map(({ poem, delay, numBytes }) =>
  Math.ceil(Deno.statSync(poem).size / numBytes) * delay
);
const sum = sendTimes.reduce((a, b) => a + b, 0);
const slowest = Math.max(...sendTimes);
/** Generous: this machine's two cores are shared with other test runs. */
const SLACK = 1.0;

async function withServers(fn: (servers: SlowServer[]) => Promise<void>): Promise<void> {
  const servers: SlowServer[] = [];
  try {
    for (const server of settings) servers.push(await startServer(server));
    await fn(servers);
  } finally {
    await stopServers(servers);
  }
}

function totalSeconds(stdout: string, poems: number): number {
  const match = new RegExp(`^Got ${poems} poems in (\\d+:\\d\\d:\\d\\d\\.\\d{6})$`, "m").exec(
    stdout,
  );
  assert(match, `no "Got ${poems} poems in H:MM:SS.ffffff" line in:\n${stdout}`);
  return parseDuration(match[1]);
}

async function checkPoemsPrinted(stdout: string): Promise<void> {
  for (const { poem } of settings) {
    assertStringIncludes(stdout, `${await Deno.readTextFile(poem)}\n`, `${poem} is printed intact`);
  }
}

Deno.test("blocking client: every poem intact, one after the other, total ≈ the sum of the send times", async () => {
  await withServers(async (servers) => {
    const ports = servers.map((server) => String(server.port));
    const { code, stdout } = await runTask("part2:blocking-client", ["--print", ...ports]);
    assertEquals(code, 0);
    servers.forEach(({ port }, index) => {
      const task = index + 1;
      assertStringIncludes(stdout, `Task ${task}: get poetry from: 127.0.0.1:${port}\n`);
      const size = Deno.statSync(settings[index].poem).size;
      const line = new RegExp(
        `^Task ${task}: got ${size} bytes of poetry from 127\\.0\\.0\\.1:${port} in (\\d+:\\d\\d:\\d\\d\\.\\d{6})$`,
        "m",
      ).exec(stdout);
      assert(line, `no "got ${size} bytes" line for task ${task}`);
      assert(parseDuration(line[1]) >= sendTimes[index] - 0.005, `task ${task} beat its server`);
    });
    await checkPoemsPrinted(stdout);
    const total = totalSeconds(stdout, 3);
    assert(total >= sum - 0.01 && total <= sum + SLACK, `blocking total ${total} s, sum ${sum} s`);
  });
});

Deno.test("async client: every poem intact, all at once, total ≈ the slowest send time", async () => {
  await withServers(async (servers) => {
    const ports = servers.map((server) => String(server.port));
    const { code, stdout } = await runTask("part2:async-client", ["--print", ...ports]);
    assertEquals(code, 0);
    assertMatch(
      stdout,
      new RegExp(`^Task 1: got \\d+ bytes of poetry from 127\\.0\\.0\\.1:${ports[0]}$`, "m"),
    );
    assertMatch(
      stdout,
      new RegExp(`^Task 2: got \\d+ bytes of poetry from 127\\.0\\.0\\.1:${ports[1]}$`, "m"),
    );
    for (const [index, { poem }] of settings.entries()) {
      assertStringIncludes(
        stdout,
        `Task ${index + 1}: ${Deno.statSync(poem).size} bytes of poetry\n`,
      );
    }
    await checkPoemsPrinted(stdout);
    const total = totalSeconds(stdout, 3);
    assert(
      total >= slowest - 0.01 && total <= slowest + SLACK,
      `async total ${total} s, slowest ${slowest} s`,
    );
    assert(total < sum - 0.01, "the async client beats the sum");
  });
});

for (const task of ["part2:blocking-client", "part2:async-client"]) {
  Deno.test(`${task} reports a refused connection for its task, finishes the others, exits with 1`, async () => {
    const refused = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    refused.close();
    const closedPort = (refused.addr as Deno.NetAddr).port;
    await withServers(async ([first, , third]) => {
      const args = [String(first.port), String(closedPort), `127.0.0.1:${third.port}`];
      const { code, stdout } = await runTask(task, args);
      assertEquals(code, 1);
      assertStringIncludes(
        stdout,
        `Task 2: failed to connect to 127.0.0.1:${closedPort}: Connection refused\n`,
      );
      assertStringIncludes(stdout, "Task 1: ");
      assertStringIncludes(stdout, "Task 3: ");
      totalSeconds(stdout, 2);
    });
  });

  const badInputs: [string, string[], string][] = [
    ["no addresses", [], "No addresses given"],
    ["only --print", ["--print"], "No addresses given"],
    ["a malformed address", ["10000", "host:"], 'Invalid address "host:"'],
    [
      "an address with a port that is not a number",
      ["localhost:poem"],
      'Invalid address "localhost:poem"',
    ],
    [
      "a port out of range",
      ["65536"],
      'Invalid address "65536": the port must be a number from 1 to 65535',
    ],
    ["an unknown option", ["--fast", "10000"], "Unknown option '--fast'"],
  ];
  for (const [what, args, message] of badInputs) {
    Deno.test(`${task} reports ${what} in one line, with the usage, and exits with 2`, async () => {
      const { code, stdout, stderr } = await runTask(task, args);
      assertEquals(code, 2);
      assertEquals(stdout, "");
      assertStringIncludes(stderr.split("\n")[0], `error: ${message}`);
      assertStringIncludes(stderr, `usage: deno task ${task} [options] ADDRESS...`);
    });
  }
}
