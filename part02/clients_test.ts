import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import { type BadInput, runTask, taskArgs, testBadInputs } from "../lib/testing/run_task.ts";
import { parseDuration } from "../lib/cli/mod.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));
import {
  type ServerSettings,
  type SlowServer,
  stopServers,
} from "../lib/testing/poetry_servers.ts";
import { startServer } from "./_processes.ts";

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

/** Checks that every poem is printed intact, and returns the output without them. */
async function checkPoemsPrinted(stdout: string): Promise<string> {
  for (const { poem } of settings) {
    const text = `${await Deno.readTextFile(poem)}\n`;
    assertStringIncludes(stdout, text, `${poem} is printed intact`);
    stdout = stdout.replace(text, "");
  }
  return stdout;
}

/** The lines of the asynchronous client that depend on when the bytes arrived. */
const READS = [/^Task \d+: got \d+ bytes of poetry from /];

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
    const lines = await checkPoemsPrinted(stdout);
    // The chapter's run used the tutorial's settings; the lines are the same but for the times.
    assertShows(shownOutput(chapter, "deno task part2:blocking-client 10000 10001 10002"), lines);
    // One after the other: the total is at least the sum of the send times. (How close to it
    // depends on the machine's load, so no upper bound is asserted.)
    const total = totalSeconds(stdout, 3);
    assert(total >= sum - 0.01, `blocking total ${total} s, sum ${sum} s`);
    const starts = [1, 2, 3].map((task) => stdout.indexOf(`Task ${task}: get poetry from`));
    const ends = [1, 2, 3].map((task) => stdout.indexOf(`Task ${task}: got `));
    assert(ends[0] < starts[1] && ends[1] < starts[2], "each poem is finished before the next");
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
      assertStringIncludes(stdout, `Task ${index + 1} finished\n`);
      assertStringIncludes(
        stdout,
        `Task ${index + 1}: ${Deno.statSync(poem).size} bytes of poetry\n`,
      );
    }
    const lines = await checkPoemsPrinted(stdout);
    assertShows(shownOutput(chapter, "deno task part2:async-client 10000 10001 10002"), lines, {
      timing: READS,
    });
    const total = totalSeconds(stdout, 3);
    assert(total >= slowest - 0.01, `async total ${total} s, slowest ${slowest} s`);
    // All at once: task 2 and task 3 receive bytes while task 1's poem is still arriving.
    // (That the total is about the slowest time rather than the sum is shown in the chapter;
    // a busy machine can stretch any total, so it is not asserted here.)
    const reads = stdout.split("\n").filter((line) => / got \d+ bytes/.test(line));
    const lastOfTask1 = reads.findLastIndex((line) => line.startsWith("Task 1: "));
    for (const task of [2, 3]) {
      const first = reads.findIndex((line) => line.startsWith(`Task ${task}: `));
      assert(first >= 0 && first < lastOfTask1, `task ${task} waited for task 1`);
    }
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
      if (task === "part2:blocking-client") {
        const block = shownOutput(chapter, "deno task part2:blocking-client 10000 10119 10002");
        assertShows(block, stdout);
      }
    });
  });

  Deno.test(`${task} reaches loopback by name; a host it may not reach costs only its task, with the command that would`, async () => {
    await withServers(async ([first]) => {
      const args = [`localhost:${first.port}`, "10.255.0.1:10000"];
      const { code, stdout } = await runTask(task, args);
      assertMatch(
        stdout,
        new RegExp(`^Task 1: got \\d+ bytes of poetry from localhost:${first.port}`, "m"),
      );
      assertMatch(stdout, /^Task 1: (got )?3003 bytes of poetry/m);
      const flags = (await taskArgs(task)).slice(1, -1);
      const widened = flags.map((flag) =>
        flag.startsWith("--allow-net=") ? `'${flag},10.255.0.1'` : flag
      );
      assertStringIncludes(
        stdout,
        "Task 2: failed to connect to 10.255.0.1:10000: " +
          `${task} may use the network only on 127.0.0.1, localhost and [::1]; ` +
          `to allow 10.255.0.1, run: deno run ${widened.join(" ")} ${
            (await taskArgs(task)).at(-1)
          } ${args.join(" ")}\n`,
      );
      totalSeconds(stdout, 1);
      assertEquals(code, 1);
    });
  });

  if (task === "part2:blocking-client") {
    Deno.test(`${task} run as the chapter shows, against a host its task may not reach`, async () => {
      const { code, stdout } = await runTask(task, ["10.0.0.2:10000"]);
      assertShows(shownOutput(chapter, `deno task ${task} 10.0.0.2:10000`), stdout);
      assertEquals(code, 1);
    });
  }

  const badInputs: BadInput[] = [
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
  testBadInputs(task, badInputs);
}
